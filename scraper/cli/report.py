"""``scraper report``: the state file and the output folder -> a static health page and its JSON.

Writes ``index.html`` (inline CSS and SVG, no script, nothing fetched) and ``report.json`` (keys documented
in :mod:`scraper.health`) into ``--html-out`` (default ``OUT/report``), each replaced atomically so a web
server never serves half a file. The state file is opened read-only.

Exit codes: 0 written; 2 the state file is missing or unreadable, or the report folder cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from scraper.cli.args import default_of, iso_datetime, unwritable_folder
from scraper.config import LINKS_FOLDER, CrawlSettings
from scraper.health.gather import gather_health
from scraper.health.html import render
from scraper.health.state import StateUnreadable
from scraper.normalize.dates import KST

EXIT_OK, EXIT_CONFIG = 0, 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper report`` and its flags."""
    report = sub.add_parser("report", help="write a static health page (HTML + JSON) from the state and output")
    report.add_argument("--out", type=Path, default=default_of(CrawlSettings, "out_dir"),
                        help="the crawl's output folder (default: output/)")
    report.add_argument("--state", type=Path, default=None, help="SQLite state file (default: OUT/state.sqlite)")
    report.add_argument("--html-out", type=Path, default=None, metavar="FOLDER",
                        help="where index.html and report.json go (default: OUT/report)")
    report.add_argument("--now", type=iso_datetime,
                        help="ISO 8601 time of the report; its day ends the 30-day window (default: the clock)")
    report.add_argument("--links", type=Path, default=None, metavar="DIR",
                        help="the link output (scraper links --out DIR, crawl --links DIR) whose groups.jsonl gives "
                        f"each release's republished_by count (default: OUT/{LINKS_FOLDER})")
    report.set_defaults(run=run)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Gather the report, write both files, print where they are; return the exit code."""
    state = args.state or args.out / "state.sqlite"
    folder = args.html_out or args.out / "report"
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(KST)
    try:
        report = gather_health(state, args.out, now, args.links)
    except StateUnreadable as exc:
        print(f"scraper report: cannot read the state: {exc.message}", file=sys.stderr)
        return EXIT_CONFIG
    problem = unwritable_folder(folder)
    if problem:
        print(f"scraper report: configuration error: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    try:
        write_atomically(folder / "report.json", report.model_dump_json(indent=2) + "\n")
        write_atomically(folder / "index.html", render(report))
    except OSError as exc:
        print(f"scraper report: cannot write the report in {folder}: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    broken = f"; SOURCE BROKEN: {', '.join(report.broken)}" if report.broken else ""
    print(f"scraper report: {folder / 'index.html'} ({len(report.sources)} sources, {report.runs_total} runs"
          f"{broken})", file=sys.stderr)
    return EXIT_OK
