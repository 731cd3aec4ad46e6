"""``scraper links --out DIR [INPUT...]``: tie each news article to the press releases it republishes.

INPUT: JSONL files of records (``scraper extract --format jsonl``, crawl output files), crawl output folders
(every ``*.jsonl`` under them but ``errors.jsonl``), or ``-`` for standard input; none: nothing is read and
the outputs are written again from the index. The index ``DIR/links.sqlite`` keeps every record's signature
between runs, so a later run links its new records against everything seen before (see
:mod:`scraper.links.run` for the files written).

Exit codes: 0 done; 1 some input lines were no JSON objects (the rest was linked); 2 usage error (an input
that does not exist, an output folder that cannot be written, an index file that is no SQLite database).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

from scraper.cli.args import non_negative_int, unwritable_folder
from scraper.config import LINK_WINDOW_DAYS

EXIT_OK, EXIT_BAD_LINES, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper links`` and its flags."""
    links = sub.add_parser("links", help="link news articles to the press releases they republish")
    links.add_argument("inputs", nargs="*", type=Path, metavar="INPUT",
                       help="JSONL files of records, crawl output folders, or - for standard input")
    links.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="folder of the index (links.sqlite) and of links.jsonl, groups.jsonl, records.jsonl")
    links.add_argument("--window-days", type=non_negative_int, default=LINK_WINDOW_DAYS, metavar="N",
                       help="an article is linked to releases published 0..N days before it (default %(default)s)")
    links.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Link the inputs, write the outputs, print a one-line summary on stderr; return the exit code."""
    # numpy and the MinHash index are loaded by this command only: not by every ``scraper`` process (the crawl's
    # extraction workers re-import the ``scraper`` console script, hence this package)
    from scraper.links.index import LinkIndex
    from scraper.links.run import LinkRun, jsonl_files, link_and_write, read_records

    missing = [str(p) for p in args.inputs if str(p) != "-" and not p.exists()]
    if missing:
        print(f"scraper links: no such input: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    problem = unwritable_folder(args.out)
    if problem:
        print(f"scraper links: {problem}", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    files = list(jsonl_files(args.inputs))
    stdin = any(str(p) == "-" for p in files)
    summary = LinkRun()
    try:
        index = LinkIndex(args.out / "links.sqlite")
    except sqlite3.DatabaseError as exc:
        print(f"scraper links: {args.out / 'links.sqlite'} is no link index: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with index:
        link_and_write(index, args.out, read_records(files, summary), summary, args.window_days,
                       again=None if stdin else lambda: read_records(files, LinkRun()))
        total = len(index)
    print(f"links: {summary.read} records read, {summary.added} indexed, {summary.skipped} skipped, "
          f"{summary.links} links found, {total} records in the index, {summary.bad_lines} bad lines "
          f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return EXIT_BAD_LINES if summary.bad_lines else EXIT_OK
