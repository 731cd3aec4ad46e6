#!/usr/bin/env bash
# End-to-end demo without network: bootstraps .venv (see scripts/_venv.sh), then runs
# `scraper extract` over the bundled sample pages in fixtures/pages/ and writes JSONL to output/sample.jsonl.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"

mkdir -p output
shopt -s nullglob
pages=(fixtures/pages/*)
if [ "${#pages[@]}" -eq 0 ]; then
    echo "error: no sample pages in fixtures/pages/" >&2
    exit 1
fi
echo "[demo] scraper extract --format jsonl ${pages[*]}" >&2
status=0
"$VENV/bin/scraper" extract --format jsonl "${pages[@]}" > output/sample.jsonl || status=$?
"$VENV/bin/python" - output/sample.jsonl <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for line in lines:
    item = json.loads(line)
    if "error" in item:
        print(f"  ERROR {item['url']}: {item['error']['kind']}: {item['error']['message']}")
    else:
        print(f"  {item['published'] or '(no date)':<25} {item['title']}  [{len(item['body'])} paragraphs, {item['extractor']}]")
print(f"wrote {len(lines)} records to {sys.argv[1]}")
PY
echo "[demo] the cron job: scraper crawl on the bundled board (fixtures/board) served on 127.0.0.1, run twice" >&2
"$VENV/bin/python" scripts/demo_board.py || status=$?
exit "$status"
