#!/usr/bin/env python3
"""Measure the learned site template on the real corpus: generic path without vs with it.

Usage: ``PYTHONPATH=. .venv/bin/python scripts/bench_template.py [--verbose]``

Pages of ``../shared/corpus/real/{news,gov}`` are grouped by host (the page URL's host, ``www.`` dropped;
pages without a URL are left out). Every host with two or more saved pages is a group; its pages with a
gold ``body`` are scored (list pages only help to learn). Each scored page is extracted on the generic
path (``extract_text(html, url=url, profiles=())``) and its body filtered with a template learned

* ``all``: from every saved page of the host, the page itself included (the real use: the page being
  extracted is one of the pages at hand);
* ``loo``: leave-one-out, from the host's other pages (only when there are two or more; with one other
  page nothing can recur, so the template is empty and the body unchanged).

Printed per host and overall: body F1 (the shared evaluator's 4-token shingle metric, its corpus
aggregation) and character-bigram F1 without / with the template, paragraphs dropped, and gold
paragraphs lost (a gold paragraph present without the template and missing with it; must be 0).
``--verbose`` lists the dropped paragraphs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import SHARED, load_evaluator

from scraper.errors import ScraperError
from scraper.extract.template import SiteTemplate, learn_template, strip_template
from scraper.fetch.decode import decode_html
from scraper.pipeline import extract_text

GROUPS = ("news", "gov")


@dataclass(frozen=True)
class Page:
    pid: str
    host: str
    url: str
    html: str
    gold_body: list[str] | None


def host_of(url: str) -> str:
    """The grouping key: the URL's host, lower case, without a leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def corpus_pages(shared: Path) -> list[Page]:
    """Every saved page of the corpus that has a URL (gold ``url`` or meta ``original_url``)."""
    pages: list[Page] = []
    for group in GROUPS:
        folder = shared / "corpus" / "real" / group
        for html_path in sorted(folder.glob("*.html")):
            stem = html_path.name[: -len(".html")]
            gold_path, meta_path = folder / f"{stem}.gold.json", folder / f"{stem}.meta.json"
            gold: dict[str, Any] = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
            meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
            url = gold.get("url") or meta.get("original_url")
            if not url:
                continue
            html = decode_html(html_path.read_bytes()).text
            pages.append(Page(f"{group}/{stem}", host_of(url), url, html, gold.get("body")))
    return pages


def generic_body(page: Page) -> list[str]:
    """The generic path's body; an extraction error counts as an empty body."""
    try:
        return extract_text(page.html, url=page.url, profiles=()).body
    except ScraperError:
        return []


def counts(evaluate: ModuleType, gold: list[str], body: list[str]) -> tuple[Any, Any]:
    gold_text, text = "\n".join(gold), "\n".join(body)
    return (evaluate.match_counts(evaluate.shingles(gold_text), evaluate.shingles(text)),
            evaluate.match_counts(evaluate.char_bigrams(gold_text), evaluate.char_bigrams(text)))


@dataclass
class Tally:
    word: dict[str, list[Any]]
    bigram: dict[str, list[Any]]
    dropped: dict[str, int]
    lost: dict[str, int]
    pages: int = 0

    @classmethod
    def empty(cls) -> Tally:
        modes = ("none", "all", "loo")
        return cls({m: [] for m in modes}, {m: [] for m in modes}, dict.fromkeys(modes, 0), dict.fromkeys(modes, 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--verbose", action="store_true", help="list the paragraphs each template drops")
    args = parser.parse_args(argv)
    evaluate = load_evaluator(SHARED)
    by_host: dict[str, list[Page]] = defaultdict(list)
    for page in corpus_pages(SHARED):
        by_host[page.host].append(page)
    tallies: dict[str, Tally] = {}
    overall = Tally.empty()
    for host, pages in sorted(by_host.items()):
        scored = [p for p in pages if p.gold_body is not None]
        if len(pages) < 2 or not scored:
            continue
        tally = tallies[host] = Tally.empty()
        template_all = learn_template([p.html for p in pages])
        for page in scored:
            assert page.gold_body is not None
            others = [p.html for p in pages if p.pid != page.pid]
            template_loo = learn_template(others) if len(others) >= 2 else SiteTemplate(pages=len(others))
            plain = generic_body(page)
            bodies = {"none": plain, "all": strip_template(template_all, plain),
                      "loo": strip_template(template_loo, plain)}
            gold = set(page.gold_body)
            for mode, body in bodies.items():
                word, bigram = counts(evaluate, page.gold_body, body)
                for t in (tally, overall):
                    t.word[mode].append(word)
                    t.bigram[mode].append(bigram)
                    t.dropped[mode] += len(plain) - len(body)
                    t.lost[mode] += len((gold & set(plain)) - set(body))
                if args.verbose and mode != "none":
                    for paragraph in plain:
                        if paragraph not in body:
                            mark = "GOLD " if paragraph in gold else ""
                            print(f"  {page.pid} [{mode}] drops {mark}{paragraph[:90]!r}")
            tally.pages += 1
            overall.pages += 1
    header = (f"{'host':28} {'pages':>5} {'F1 none':>8} {'F1 all':>8} {'F1 loo':>8} {'bi none':>8} {'bi all':>8} "
              f"{'bi loo':>8} {'drop all/loo':>12} {'lost all/loo':>12}")
    print(header)
    print("-" * len(header))
    for host, tally in [*tallies.items(), ("OVERALL", overall)]:
        f1 = {m: evaluate.aggregate(tally.word[m])["f1"] for m in tally.word}
        bi = {m: evaluate.aggregate(tally.bigram[m])["f1"] for m in tally.bigram}
        print(f"{host:28} {tally.pages:>5} {f1['none']:8.4f} {f1['all']:8.4f} {f1['loo']:8.4f} {bi['none']:8.4f} "
              f"{bi['all']:8.4f} {bi['loo']:8.4f} {tally.dropped['all']:>6}/{tally.dropped['loo']:<5} "
              f"{tally.lost['all']:>6}/{tally.lost['loo']:<5}")
    return 1 if overall.lost["all"] or overall.lost["loo"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
