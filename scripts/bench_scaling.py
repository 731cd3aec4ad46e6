#!/usr/bin/env python3
"""Does extraction time grow linearly with the page? (a benchmark script, not a test)

Takes a real corpus page and grows one part of it 1x / 10x / 100x: the article body (paragraphs and
images, the body's inner HTML repeated), a data table (rows), the nesting (the body wrapped in N
``<div>``), and prints for each size the page's KB, the time of one extraction, and milliseconds per KB.
A linear extractor keeps ms/KB roughly flat; a quadratic corner shows as ms/KB growing with the size.
trafilatura runs on the same pages in the same run, for comparison (``--no-trafilatura`` to skip).

Usage: ``.venv/bin/python scripts/bench_scaling.py [--page news/006-mt] [--sizes 1,10,100] [--timeout 120]``
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import SHARED

from scraper.errors import ScraperError
from scraper.fetch.decode import decode_html
from scraper.pipeline import extract_text

_BODY_OPEN = re.compile(r'<div[^>]+id="textBody"[^>]*>', re.I)


def _body_span(html: str) -> tuple[int, int]:
    """Start and end of the article body's inner HTML (the first ``id="textBody"`` div, else ``<body>``)."""
    m = _BODY_OPEN.search(html)
    if m is None:
        start = html.lower().index("<body")
        start = html.index(">", start) + 1
        return start, html.lower().rindex("</body>")
    depth = 1
    for tag in re.finditer(r"<(/?)div\b", html[m.end():], re.I):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return m.end(), m.end() + tag.start()
    return m.end(), len(html)


def grown(html: str, part: str, factor: int) -> str:
    """``html`` with ``part`` (``body``, ``table``, ``nesting``) grown ``factor`` times."""
    start, end = _body_span(html)
    inner = html[start:end]
    if part == "body":
        return html[:start] + inner * factor + html[end:]
    if part == "table":
        rows = "".join(f"<tr><td>구분 {n}</td><td>{n * 7}건</td><td>{n * 3}억 원</td></tr>" for n in range(20 * factor))
        table = f"<table><tr><th>구분</th><th>건수</th><th>금액</th></tr>{rows}</table>"
        return html[:start] + inner + table + html[end:]
    if part == "nesting":
        depth = 10 * factor
        return html[:start] + "<div>" * depth + inner + "</div>" * depth + html[end:]
    raise ValueError(part)


def _ours(html: str) -> None:
    try:
        extract_text(html, url="https://news.example.kr/news/view.php?no=1", profiles=())
    except ScraperError:
        pass


def _trafilatura(html: str) -> None:
    import trafilatura

    trafilatura.bare_extraction(html, with_metadata=True)


def main(argv: list[str] | None = None) -> int:
    """Print the table; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="news/006-mt", help="corpus page id (group/stem prefix)")
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--parts", default="body,table,nesting")
    parser.add_argument("--no-trafilatura", action="store_true")
    args = parser.parse_args(argv)
    group, stem = args.page.split("/")
    path = next((SHARED / "corpus" / "real" / group).glob(f"{stem}*.html"))
    html = decode_html(path.read_bytes()).text
    runners: list[tuple[str, Callable[[str], None]]] = [("scraper (generic)", _ours)]
    if not args.no_trafilatura:
        runners.append(("trafilatura", _trafilatura))
    print(f"page: {path.name}")
    print("| part | x | KB | extractor | seconds | ms/KB |\n|---|---|---|---|---|---|")
    for part in args.parts.split(","):
        for factor in (int(s) for s in args.sizes.split(",")):
            page = grown(html, part, factor)
            kb = len(page.encode("utf-8")) / 1024
            for name, run in runners:
                started = time.perf_counter()
                run(page)
                seconds = time.perf_counter() - started
                print(f"| {part} | {factor} | {kb:,.0f} | {name} | {seconds:.3f} | {1000 * seconds / kb:.3f} |",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
