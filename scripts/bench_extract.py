#!/usr/bin/env python3
"""Speed and memory of our extraction against trafilatura on the gold corpus (a script, not a test).

Both extractors get the same input: every gold page of ``../shared/corpus/real/{news,gov}``, read and
decoded once with ``scraper.fetch.decode.decode_html`` before timing. Each extractor is measured in its
own fresh subprocess (so the peak RSS of one does not include the other's libraries or caches):

* speed: one untimed warm-up call, then ``--passes`` timed passes over all pages (``perf_counter``
  around the extractor call only) -> pages/second, median and p95 ms per page;
* memory: a separate pass under ``tracemalloc`` (peak Python allocations during one page), and
  ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` after imports and at the end (peak RSS of the process);
  Both workers import the same modules (the scraper imports trafilatura for its fallback), so "RSS after
  import" is a common baseline and "RSS growth" (peak minus that) is the extractor's working memory;
* quality: body F1 with ``../shared/bench/evaluate.py``'s metric, so speed is not bought with output.

Usage: ``.venv/bin/python scripts/bench_extract.py [--passes 5] [--only scraper|trafilatura] [--json FILE]``
(``--in-process`` runs both in this one process instead, one after the other.)
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import SHARED, gold_pages, load_evaluator

from scraper.errors import ScraperError
from scraper.fetch.decode import decode_html

EXTRACTORS = ("scraper", "trafilatura")
Page = tuple[str, str | None, str]  # (decoded html, url, gold body text)


def _rss_mib() -> float:
    """Peak resident set size of this process so far, MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def make_extractor(name: str) -> Callable[[str, str | None], str]:
    """A function (html, url) -> body text for ``name``; imports the library."""
    if name == "scraper":
        from scraper.pipeline import extract_text

        def run_scraper(html: str, url: str | None) -> str:
            try:
                return "\n".join(extract_text(html, url=url).body)
            except ScraperError:
                return ""

        return run_scraper
    if name == "trafilatura":
        import trafilatura

        def run_trafilatura(html: str, url: str | None) -> str:
            doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
            return (doc.text or "") if doc is not None else ""

        return run_trafilatura
    raise SystemExit(f"unknown extractor {name!r}; choose from {EXTRACTORS}")


def load_pages() -> list[Page]:
    """The gold pages, decoded, with their gold body text."""
    return [
        (decode_html(p.html_path.read_bytes()).text, p.url, "\n".join(p.gold["body"]))
        for p in gold_pages(SHARED)
    ]


def measure(name: str, pages: list[Page], passes: int) -> dict[str, Any]:
    """Time, memory and body F1 of one extractor over ``pages`` (run in the current process)."""
    rss_start = _rss_mib()
    extract = make_extractor(name)
    extract(pages[0][0], pages[0][1])  # warm-up: lazy initialisation inside the library
    rss_after_import = _rss_mib()
    times: list[float] = []
    outputs: list[str] = []
    for index in range(passes):
        for html, url, _gold in pages:
            started = time.perf_counter()
            body = extract(html, url)
            times.append(time.perf_counter() - started)
            if index == 0:
                outputs.append(body)
    tracemalloc.start()
    peaks: list[int] = []
    for html, url, _gold in pages:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        extract(html, url)
        peaks.append(tracemalloc.get_traced_memory()[1] - before)
    tracemalloc.stop()
    evaluate = load_evaluator(SHARED)
    counts = [
        evaluate.match_counts(evaluate.shingles(gold), evaluate.shingles(out))
        for (_, _, gold), out in zip(pages, outputs, strict=True)
    ]
    ms = sorted(t * 1000 for t in times)
    dist = "korean-press-scraper" if name == "scraper" else name
    return {
        "extractor": name,
        "version": importlib.metadata.version(dist),
        "pages": len(pages),
        "passes": passes,
        "total_s": sum(times),
        "pages_per_s": len(times) / sum(times),
        "median_ms": statistics.median(ms),
        "p95_ms": ms[min(len(ms) - 1, int(0.95 * len(ms)))],
        "tracemalloc_peak_mib": max(peaks) / 2**20,
        "rss_start_mib": rss_start,
        "rss_after_import_mib": rss_after_import,
        "rss_peak_mib": _rss_mib(),
        "body_f1": evaluate.aggregate(counts)["f1"],
        "empty": sum(1 for o in outputs if not o.strip()),
    }


def in_subprocess(name: str, passes: int) -> dict[str, Any]:
    """``measure`` in a fresh interpreter, so its peak RSS is this extractor's alone."""
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", name, "--passes", str(passes)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{name} worker failed:\n{proc.stderr}")
    return dict(json.loads(proc.stdout.splitlines()[-1]))


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of the results."""
    head = ["extractor", "version", "pages x passes", "pages/s", "median ms", "p95 ms",
            "tracemalloc peak MiB", "RSS after import MiB", "peak RSS MiB", "RSS growth MiB", "body F1", "empty"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join([
            r["extractor"], r["version"], f"{r['pages']} x {r['passes']}", f"{r['pages_per_s']:.1f}",
            f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['tracemalloc_peak_mib']:.1f}",
            f"{r['rss_after_import_mib']:.0f}", f"{r['rss_peak_mib']:.0f}",
            f"{r['rss_peak_mib'] - r['rss_after_import_mib']:.0f}", f"{r['body_f1']:.3f}", str(r["empty"]),
        ]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse flags; run each extractor (in a subprocess unless --in-process) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=5, help="timed passes over the corpus (default 5)")
    parser.add_argument("--only", choices=EXTRACTORS, action="append", help="run only this extractor")
    parser.add_argument("--in-process", action="store_true", help="run all extractors in this one process")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--worker", choices=EXTRACTORS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(measure(args.worker, load_pages(), args.passes)))
        return 0
    names = args.only or list(EXTRACTORS)
    if args.in_process:
        pages = load_pages()
        rows = [measure(name, pages, args.passes) for name in names]
    else:
        rows = [in_subprocess(name, args.passes) for name in names]
    print(f"corpus: {rows[0]['pages']} gold pages from {SHARED / 'corpus' / 'real'}; python {sys.version.split()[0]}")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
