#!/usr/bin/env python3
"""How far extraction is from a bare lexbor parse of the same pages (a benchmark script, not a test).

Prints, in one run, the milliseconds of one pass over the gold corpus (``bench_extract.load_pages``: every
gold page of ``../shared/corpus/real/{news,gov}``, decoded once before timing) for

* ``lexbor``: ``LexborHTMLParser(html).body.text()``, the floor any extraction on this parser pays;
* ``extract_text``: our extraction of the decoded page (bundled profiles, and ``--no-profiles`` for the
  generic path), the same input ``lexbor`` gets;
* ``extract_page``: the same from the page's bytes (decoding included),

the best and the median of ``--passes`` passes (CPU time of this process, so other processes on a shared
machine count less; one warm-up pass first; the kinds take turns pass by pass), and each one's ratio to
``lexbor``: best to best, and the median of the ratios of passes run side by side (steadier under load).

Usage: ``.venv/bin/python scripts/bench_vs_lexbor.py [--passes 15] [--profile-out FILE.prof] [--json FILE]``
(``--profile-out``: also run ``extract_text`` under cProfile for ``--passes`` passes and save the stats.)
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from selectolax.lexbor import LexborHTMLParser
from support import SHARED, gold_pages

from scraper.errors import ScraperError
from scraper.fetch.decode import decode_html
from scraper.pipeline import extract_page, extract_text

Run = Callable[[], object]


def _lexbor(html: str) -> Run:
    def run() -> object:
        body = LexborHTMLParser(html).body
        return body.text() if body is not None else ""
    return run


def _ours_text(html: str, url: str | None, generic: bool) -> Run:
    profiles = () if generic else None

    def run() -> object:
        try:
            return extract_text(html, url=url, profiles=profiles)
        except ScraperError:
            return None
    return run


def _ours_page(data: bytes, url: str | None) -> Run:
    def run() -> object:
        try:
            return extract_page(data, url=url)
        except ScraperError:
            return None
    return run


def pass_ms(kinds: dict[str, list[Run]], passes: int) -> dict[str, list[float]]:
    """CPU milliseconds of each of ``passes`` passes over each kind's runs (after one untimed warm-up pass).
    The kinds take turns pass by pass, so a load that comes and goes on a shared machine hits them alike."""
    for runs in kinds.values():
        for run in runs:
            run()
    out: dict[str, list[float]] = {name: [] for name in kinds}
    for _ in range(passes):
        for name, runs in kinds.items():
            started = time.process_time()
            for run in runs:
                run()
            out[name].append((time.process_time() - started) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the table; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=15)
    parser.add_argument("--profile-out", type=Path, help="also save cProfile stats of extract_text here")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    pages = gold_pages(SHARED)
    raw = [(p.html_path.read_bytes(), p.url) for p in pages]
    decoded = [(decode_html(data).text, url) for data, url in raw]
    kinds: dict[str, list[Run]] = {
        "lexbor": [_lexbor(html) for html, _ in decoded],
        "extract_text": [_ours_text(html, url, False) for html, url in decoded],
        "extract_text --no-profiles": [_ours_text(html, url, True) for html, url in decoded],
        "extract_page": [_ours_page(data, url) for data, url in raw],
    }
    results = pass_ms(kinds, args.passes)
    floor = min(results["lexbor"])
    print(f"corpus: {len(pages)} gold pages, {sum(len(h) for h, _ in decoded):,} characters; "
          f"{args.passes} passes; python {sys.version.split()[0]}")
    print("| what | best ms/pass | median ms/pass | x lexbor (best) | x lexbor (median of per-pass ratios) |\n"
          "|---|---|---|---|---|")
    rows = []
    for name, ms in results.items():
        best, median = min(ms), statistics.median(ms)
        paired = statistics.median(m / f for m, f in zip(ms, results["lexbor"], strict=True))
        rows.append({"what": name, "best_ms": best, "median_ms": median, "ratio": best / floor,
                     "paired_ratio": paired})
        print(f"| {name} | {best:.1f} | {median:.1f} | {best / floor:.2f} | {paired:.2f} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    if args.profile_out:
        runs = kinds["extract_text"]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.passes):
            for run in runs:
                run()
        profiler.disable()
        profiler.dump_stats(str(args.profile_out))
        print(f"cProfile stats of extract_text: {args.profile_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
