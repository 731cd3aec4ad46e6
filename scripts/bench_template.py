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
``--verbose`` lists the dropped paragraphs. Also per host: ``F1 prof``, the body F1 of the bundled
profile path (``extract_text(html, url=url)``), the result a hand-written profile reaches, and ``prof+all``,
the profile path with the ``all`` template (the product applies the template to profile records too).

``--board``: the synthetic board site of ``../shared/bench/crawl/site.py`` (generated in-process, no
server): for each of ``--hosts`` hosts, its ``--pages`` newest view pages are read in the order a crawl
reads them and filtered as the crawl does (``scraper.learn.learn_for_page``: the page itself and the
source's last ``MAX_SAMPLES`` pages, once ``MIN_KNOWN`` are known). The truth is what the generator put in
the page's ``div.view-con`` (its paragraphs, ``<br>`` lines split); body F1 without / with the template,
chrome paragraphs left (generic paragraphs not in the truth) and truth paragraphs lost (must be 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import SHARED, load_by_path, load_evaluator

from scraper.errors import ScraperError
from scraper.extract.template import PageSample, SiteTemplate, learn_template, page_lines, strip_template
from scraper.fetch.decode import decode_html
from scraper.learn import MAX_SAMPLES, apply_learned, learn_for_page, page_sample
from scraper.models import Record
from scraper.pipeline import extract_page, extract_text

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


def generic_body(page: Page, profiles: tuple[()] | None = ()) -> list[str]:
    """The generic path's body (``profiles=None``: the bundled profiles'); an extraction error counts as an
    empty body."""
    try:
        return extract_text(page.html, url=page.url, profiles=profiles).body
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
        modes = ("none", "all", "loo", "prof", "prof+all")
        return cls({m: [] for m in modes}, {m: [] for m in modes}, dict.fromkeys(modes, 0), dict.fromkeys(modes, 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--verbose", action="store_true", help="list the paragraphs each template drops")
    parser.add_argument("--board", action="store_true", help="the synthetic board site instead of the corpus")
    parser.add_argument("--hosts", type=int, default=3, help="--board: hosts (boards) to read (default 3)")
    parser.add_argument("--pages", type=int, default=40, help="--board: view pages per host (default 40)")
    parser.add_argument("--seed", type=int, default=1, help="--board: the generator's seed (default 1)")
    args = parser.parse_args(argv)
    if args.board:
        return board(args)
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
            profiled = generic_body(page, None)
            bodies = {"none": plain, "all": strip_template(template_all, plain),
                      "loo": strip_template(template_loo, plain), "prof": profiled,
                      "prof+all": strip_template(template_all, profiled)}
            gold = set(page.gold_body)
            for mode, body in bodies.items():
                before = profiled if mode.startswith("prof") else plain
                word, bigram = counts(evaluate, page.gold_body, body)
                for t in (tally, overall):
                    t.word[mode].append(word)
                    t.bigram[mode].append(bigram)
                    t.dropped[mode] += len(before) - len(body)
                    t.lost[mode] += len((gold & set(before)) - set(body))
                if args.verbose and mode not in ("none", "prof"):
                    for paragraph in before:
                        if paragraph not in body:
                            mark = "GOLD " if paragraph in gold else ""
                            print(f"  {page.pid} [{mode}] drops {mark}{paragraph[:90]!r}")
            tally.pages += 1
            overall.pages += 1
    header = (f"{'host':28} {'pages':>5} {'F1 none':>8} {'F1 all':>8} {'F1 loo':>8} {'F1 prof':>8} {'prof+all':>8} "
              f"{'bi none':>8} {'bi all':>8} {'bi loo':>8} {'drop all/loo/prof':>17} {'lost all/loo/prof':>17}")
    print(header)
    print("-" * len(header))
    for host, tally in [*tallies.items(), ("OVERALL", overall)]:
        f1 = {m: evaluate.aggregate(tally.word[m])["f1"] for m in tally.word}
        bi = {m: evaluate.aggregate(tally.bigram[m])["f1"] for m in tally.bigram}
        drop = f"{tally.dropped['all']}/{tally.dropped['loo']}/{tally.dropped['prof+all']}"
        lost = f"{tally.lost['all']}/{tally.lost['loo']}/{tally.lost['prof+all']}"
        print(f"{host:28} {tally.pages:>5} {f1['none']:8.4f} {f1['all']:8.4f} {f1['loo']:8.4f} {f1['prof']:8.4f} "
              f"{f1['prof+all']:8.4f} {bi['none']:8.4f} {bi['all']:8.4f} {bi['loo']:8.4f} {drop:>17} {lost:>17}")
    return 1 if overall.lost["all"] or overall.lost["loo"] or overall.lost["prof+all"] else 0


def load_board_site(shared: Path) -> ModuleType:
    """``../shared/bench/crawl/site.py`` imported by path (its name would shadow the stdlib ``site``)."""
    return load_by_path(shared / "bench" / "crawl" / "site.py", "crawlbench_site")


def board_truth(html: str) -> list[str]:
    """The paragraphs the generator put in the view page's ``div.view-con`` (lines as the extractor folds them)."""
    return [line for path, line in page_lines(html).lines if "div.view-con" in path]


def board(args: argparse.Namespace) -> int:
    """The synthetic board benchmark (see the module docstring); exit 1 when a truth paragraph is lost."""
    evaluate = load_evaluator(SHARED)
    site_module = load_board_site(SHARED)
    site = site_module.Site(items=args.pages * args.hosts, hosts=args.hosts, seed=args.seed)
    words: dict[str, list[Any]] = {"none": [], "learn": []}
    chrome = {"none": 0, "learn": 0}
    lost = applied = pages = 0
    started = time.perf_counter()
    learn_seconds = 0.0
    for host in range(args.hosts):
        kept: list[PageSample] = []
        for k in site.host_items[host]:  # newest first, as a crawl walks the list
            data = site.view_html(k)
            url = f"http://127.0.0.{2 + host}:8800/board/view.do?nttId={site_module.ID_BASE + k}"
            record: Record = extract_page(data, url=url, content_type="text/html; charset=UTF-8", profiles=())
            t0 = time.perf_counter()
            sample = page_sample(data, "text/html; charset=UTF-8", record)
            assert sample is not None
            template = learn_for_page(sample, kept)
            learned = record if template is None else apply_learned(record, template)
            kept = [*kept, sample][-MAX_SAMPLES:]
            learn_seconds += time.perf_counter() - t0
            truth = board_truth(data.decode("utf-8"))
            for mode, body in (("none", record.body), ("learn", learned.body)):
                words[mode].append(evaluate.match_counts(evaluate.shingles("\n".join(truth)),
                                                         evaluate.shingles("\n".join(body))))
                chrome[mode] += sum(1 for p in body if p not in truth)
            lost += sum(1 for p in record.body if p in truth and p not in learned.body)
            applied += learned is not record
            pages += 1
            if args.verbose:
                for paragraph in record.body:
                    if paragraph not in learned.body:
                        print(f"  {url} drops {paragraph[:90]!r}")
    elapsed = time.perf_counter() - started
    f1 = {m: evaluate.aggregate(words[m])["f1"] for m in words}
    print(f"synthetic board: {args.hosts} hosts x {args.pages} view pages (seed {args.seed})")
    print(f"  body F1 vs truth: generic {f1['none']:.4f}, generic + learned template {f1['learn']:.4f}")
    print(f"  paragraphs not in the truth left in bodies: generic {chrome['none']}, with template {chrome['learn']}")
    print(f"  records the template changed: {applied}; truth paragraphs lost: {lost}")
    print(f"  time: {elapsed:.1f} s in all, of which learning {learn_seconds:.1f} s "
          f"({1000 * learn_seconds / max(pages, 1):.1f} ms a page)")
    return 1 if lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
