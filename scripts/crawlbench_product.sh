#!/usr/bin/env bash
# The product as ../shared/bench/crawl/run.py calls it ("CMD crawl --sources F --out D --state S"), with
# politeness off like the Scrapy baseline (no delay, no robots.txt, 4 requests per host) and every list page.
# Usage: python ../shared/bench/crawl/run.py --product "bash scripts/crawlbench_product.sh" \
#            --sources-writer scripts.crawlbench_sources:write_sources --variants scrapy-extract
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec "$ROOT/.venv/bin/scraper" "$@" --delay 0 --ignore-robots --max-pages 1000 --host-concurrency 4
