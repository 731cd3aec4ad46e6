"""The command line: ``scraper extract`` and ``scraper schema``. Parses flags and calls the pipeline."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from scraper.attachments.enrich import enrich_with_attachments
from scraper.cli_args import (
    http_url,
    iso_datetime,
    positive_seconds,
    profiles_folder,
    readable_file,
    unwritable_folder,
)
from scraper.cli_crawl import add_crawl_parser, cmd_crawl
from scraper.config import DEFAULT_USER_AGENT, AttachmentSettings, FetchSettings
from scraper.errors import FetchError, ScraperError
from scraper.extract.template import PageSample
from scraper.fetch.client import Fetcher
from scraper.inputs import is_url, read_local, read_source
from scraper.learn import learn_and_apply, page_sample
from scraper.models import ErrorDetail, ErrorRecord, Record
from scraper.pipeline import extract_page
from scraper.sources import SITES_DIR, ranked_profiles
from scraper.sources.profile import SiteProfile

Profiles = tuple[SiteProfile, ...] | None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scraper", description="Korean press releases and news pages -> clean JSON records."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ext = sub.add_parser("extract", help="extract one record per source (file, '-' for stdin, or URL)")
    ext.add_argument("sources", nargs="+", metavar="SOURCE", help="a file, '-' (stdin) or an http(s) URL")
    ext.add_argument("--url", type=http_url, help="the page's address, for a file or stdin source")
    ext.add_argument("--now", type=iso_datetime,
                     help="ISO 8601 time that relative dates (3시간 전, 어제) are resolved against")
    ext.add_argument("--format", choices=["json", "jsonl"], default=None,
                     help="json: indented (default for one source; a JSON array for several); jsonl: one per line")
    ext.add_argument("--timeout", type=positive_seconds, default=30.0,
                     help="network timeout in seconds (URL sources): per read; one attempt lasts at most twice this")
    ext.add_argument("--extra-ca", action="append", default=[], metavar="FILE", type=readable_file,
                     help="PEM file of extra CA certificates to trust (servers with an incomplete chain)")
    ext.add_argument("--user-agent", default=DEFAULT_USER_AGENT, help="User-Agent header for URL sources")
    ext.add_argument("--ignore-robots", action="store_true", help="do not read robots.txt (your own sites only)")
    ext.add_argument("--attachments", action="store_true",
                     help="download the attachments (HWP, HWPX, PDF) and put their text on the record")
    ext.add_argument("--save-attachments", metavar="DIR", help="save the downloaded attachments here (implies "
                     "--attachments; names sanitized, never overwritten)")
    ext.add_argument("--no-learn", action="store_true",
                     help="do not learn a site's template from several sources of one host (learning drops body "
                     "paragraphs that recur as chrome on the host's other pages; warning template_applied)")
    chosen = ext.add_mutually_exclusive_group()
    chosen.add_argument("--profiles", metavar="DIR", type=profiles_folder,
                        help="site profiles folder (*.toml) to use instead of the bundled ones")
    chosen.add_argument("--no-profiles", action="store_true",
                        help="use no site profile: the generic path only, as for a site never seen")
    sub.add_parser("schema", help="print the JSON Schema of the record")
    sub.add_parser("profiles", help="list the bundled site profiles")
    add_crawl_parser(sub)
    lst = sub.add_parser("listing", help="items and pager pages of one list page (file, '-' or URL)")
    lst.add_argument("source", metavar="SOURCE", help="a file, '-' (stdin) or an http(s) URL")
    lst.add_argument("--url", type=http_url, help="the page's address, for a file or stdin source")
    lst.add_argument("--source", dest="board", metavar="NAME", help="board source name (default: matched by URL)")
    lst.add_argument("--sources", metavar="FILE", help="board sources TOML file or folder (default: bundled)")
    lst.add_argument("--timeout", type=positive_seconds, default=30.0, help="network timeout in seconds (URL sources)")
    return parser


Extracted = tuple[Record | ErrorRecord, PageSample | None]
"""One source's result and the learning sample of its page (``None`` for an error or undecodable bytes)."""


async def _extract_enriched(source: str, url: str | None, now: str | None, settings: FetchSettings,
                            attachments: AttachmentSettings, profiles: Profiles = None
                            ) -> tuple[Record, bytes, str | None]:
    """Page and attachments through one polite fetcher (``--attachments``); also the page's bytes and type."""
    async with Fetcher(settings) as fetcher:
        if is_url(source):
            result = await fetcher.fetch(source)
            if not result.ok:
                raise FetchError(result.message, url=source, kind=result.outcome)
            data, page_url, content_type = result.content, result.final_url, result.headers.get("content-type")
        else:
            data, page_url, content_type = read_local(source, url), url, None
        record = extract_page(data, url=page_url, content_type=content_type, now=now, profiles=profiles)
        return await enrich_with_attachments(fetcher, record, attachments), data, content_type


def extract_one(source: str, url: str | None, now: str | None, settings: FetchSettings,
                attachments: AttachmentSettings | None = None, profiles: Profiles = None) -> Record | ErrorRecord:
    """A Record for one source, or an ErrorRecord naming the URL (or file) and the reason.

    ``profiles``: the site profiles to use (``None``: the bundled ones; ``()``: the generic path only)."""
    return extract_sampled(source, url, now, settings, attachments, profiles, sample=False)[0]


def extract_sampled(source: str, url: str | None, now: str | None, settings: FetchSettings,
                    attachments: AttachmentSettings | None = None, profiles: Profiles = None, *,
                    sample: bool = True) -> Extracted:
    """:func:`extract_one` and, with ``sample``, the :class:`PageSample` of the page for learning its host's
    template (``scraper.learn``); the sample is ``None`` for an error record or bytes that are no page."""
    try:
        if attachments is not None and attachments.enabled:
            record, data, content_type = asyncio.run(
                _extract_enriched(source, url, now, settings, attachments, profiles))
        else:
            data, page_url, content_type = read_source(source, url, settings)
            record = extract_page(data, url=page_url, content_type=content_type, now=now, profiles=profiles)
        return record, page_sample(data, content_type, record) if sample else None
    except ScraperError as exc:
        return ErrorRecord(url=exc.url or url or source, error=ErrorDetail(kind=exc.kind, message=exc.message)), None
    except (OSError, RecursionError, MemoryError) as exc:
        message = f"{type(exc).__name__}: {exc}"
        return ErrorRecord(url=url or source, error=ErrorDetail(kind="input", message=message)), None
    except Exception as exc:  # the per-source boundary: other sources are still processed
        message = f"{type(exc).__name__}: {exc}"
        return ErrorRecord(url=url or source, error=ErrorDetail(kind="internal_error", message=message)), None


def chosen_profiles(args: argparse.Namespace) -> Profiles:
    """The profiles ``--profiles DIR`` / ``--no-profiles`` ask for (``None``: the bundled ones)."""
    if getattr(args, "no_profiles", False):
        return ()
    folder = getattr(args, "profiles", None)
    if folder is None:
        return None
    return ranked_profiles(folder)


def _dump(obj: Any, indent: int | None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one JSON object per source (a JSON array for several with ``--format json``); exit 1 when any
    source gave an error record, 2 for a usage error."""
    if args.url and len(args.sources) > 1:
        print("scraper extract: --url names one page; give one SOURCE with it", file=sys.stderr)
        return 2
    problem = unwritable_folder(Path(args.save_attachments)) if args.save_attachments else None
    if problem:
        print(f"scraper extract: --save-attachments: {problem}", file=sys.stderr)
        return 2
    fmt = args.format or ("json" if len(args.sources) == 1 else "jsonl")
    failed = False
    settings = FetchSettings(read_timeout=args.timeout, total_timeout=2 * args.timeout, extra_ca=tuple(args.extra_ca),
                             user_agent=args.user_agent, obey_robots=not args.ignore_robots)
    attachments = AttachmentSettings(enabled=bool(args.attachments or args.save_attachments),
                                     save_dir=args.save_attachments)
    as_array = fmt == "json" and len(args.sources) > 1
    profiles = chosen_profiles(args)
    learn = not args.no_learn and len(args.sources) > 1

    def results() -> Iterator[Record | ErrorRecord]:
        if not learn:  # one by one, each printed as soon as it is read
            for source in args.sources:
                yield extract_one(source, args.url, args.now, settings, attachments, profiles)
            return
        # learning: a host's template needs all of its pages, so every source is read first
        yield from learn_and_apply([extract_sampled(source, args.url, args.now, settings, attachments, profiles)
                                    for source in args.sources], now=args.now, profiles=profiles)

    sys.stdout.write("[\n" if as_array else "")
    for index, result in enumerate(results()):
        failed |= isinstance(result, ErrorRecord)
        text = _dump(result.model_dump(mode="json"), 2 if fmt == "json" else None)
        separator = ",\n" if as_array and index < len(args.sources) - 1 else "\n"
        sys.stdout.write(text + separator)
        sys.stdout.flush()
    sys.stdout.write("]\n" if as_array else "")
    return 1 if failed else 0


def cmd_listing(args: argparse.Namespace) -> int:
    """Print the list page's items and pages as one JSON object; exit 1 (error object) when it has none."""
    from scraper.listing_cmd import run_listing

    settings = FetchSettings(read_timeout=args.timeout, total_timeout=2 * args.timeout)
    payload, code = run_listing(args.source, args.url, args.board, args.sources, settings)
    sys.stdout.write(_dump(payload, 2) + "\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``scraper`` console script; returns the exit code."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:  # `scraper extract ... | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "extract":
        return cmd_extract(args)
    if args.command == "listing":
        return cmd_listing(args)
    if args.command == "crawl":
        return cmd_crawl(args)
    if args.command == "schema":
        sys.stdout.write(_dump(Record.model_json_schema(), 2) + "\n")
        return 0
    if args.command == "profiles":
        for path in sorted(SITES_DIR.glob("*.toml")):
            sys.stdout.write(path.stem + "\n")
        return 0
    return 2
