"""The command line: one module per command, each registering its flags and a ``run(args) -> int``.

``scraper extract`` (:mod:`scraper.cli.extract`), ``crawl`` (:mod:`scraper.cli.crawl`), ``listing``
(:mod:`scraper.cli.listing`), ``report`` (:mod:`scraper.cli.report`), ``sources add|check``
(:mod:`scraper.cli.sources`),
``links`` (:mod:`scraper.cli.links`), ``schema`` and ``profiles`` (:mod:`scraper.cli.info`), ``warc extract|index|wacz``
(:mod:`scraper.cli.warc`), ``state migrate`` (:mod:`scraper.cli.state`). Commands parse flags,
build settings and call the library; they hold no extraction or crawl logic.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from scraper.cli import crawl, extract, info, links, listing, report, sources, state, warc


def package_version() -> str:
    """The installed distribution's version (``0+unknown`` when run from a tree that is not installed)."""
    try:
        return version("korean-press-scraper")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    """The ``scraper`` parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="scraper", description="Korean press releases and news pages -> clean JSON records."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    extract.add_parser(sub)
    info.add_parsers(sub)
    crawl.add_parser(sub)
    listing.add_parser(sub)
    report.add_parser(sub)
    sources.add_parser(sub)
    links.add_parser(sub)
    warc.add_parser(sub)
    state.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scraper`` console script; returns the exit code (each command documents its own)."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except BrokenPipeError:  # `scraper extract ... | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # Ctrl-C in a command with no handler of its own (crawl has one): no traceback
        print("scraper: interrupted", file=sys.stderr)
        return 130
