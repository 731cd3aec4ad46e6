"""``scraper listing``: one list page (file, '-' or URL) -> its items and pager pages as JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scraper.cli.args import default_of, http_url, positive_seconds
from scraper.cli.inputs import read_source
from scraper.cli.output import dump_json
from scraper.config import FetchSettings
from scraper.errors import ConfigError, ScraperError
from scraper.extract.listing import parse_listing
from scraper.fetch.decode import decode_html
from scraper.models import ErrorRecord
from scraper.sources.board import BoardSource
from scraper.sources.boards import BOARDS_DIR, load_sources, source_for_url


def pick_source(name: str | None, url: str | None, sources_file: str | None) -> BoardSource | None:
    """The board named ``name``, else the one whose list URL matches ``url``, else ``None`` (generic)."""
    sources = load_sources(Path(sources_file) if sources_file else BOARDS_DIR)
    if name:
        if name not in sources:
            raise ConfigError(f"no board source named {name!r}; known: {', '.join(sorted(sources))}", url=url)
        return sources[name]
    return source_for_url(url, sources)


def with_overrides(settings: FetchSettings, source: BoardSource | None) -> FetchSettings:
    """``settings`` with the source's user agent, extra CA file and delay applied."""
    if source is None:
        return settings
    o = source.overrides
    update: dict[str, Any] = {}
    if o.user_agent:
        update["user_agent"] = o.user_agent
    if o.extra_ca:
        update["extra_ca"] = (*settings.extra_ca, o.extra_ca)
    if o.delay_seconds is not None:
        update["min_delay"] = o.delay_seconds
    return settings.model_copy(update=update)


def read_page(source: str, url: str | None, settings: FetchSettings) -> tuple[str, str | None]:
    """(text, page URL) of a file, '-' (stdin) or http(s) URL; raises ScraperError."""
    data, page_url, content_type = read_source(source, url, settings)
    return decode_html(data, content_type, url=page_url).text, page_url


def run_listing(source: str, url: str | None, name: str | None, sources_file: str | None,
                settings: FetchSettings) -> tuple[dict[str, Any], int]:
    """The JSON object to print for one list page and the exit code (0 items found, 1 none or a read
    failure, 2 a configuration error)."""
    page_url = url or (source if source.startswith(("http://", "https://")) else None)
    try:
        board = pick_source(name, page_url, sources_file)
        text, page_url = read_page(source, url, with_overrides(settings, board))
        listing = parse_listing(text, page_url, board)
    except ScraperError as exc:
        code = 2 if isinstance(exc, ConfigError) else 1  # same exit codes as crawl: 2 = configuration error
        return ErrorRecord.of(exc.url or page_url or source, exc.kind, exc.message).model_dump(mode="json"), code
    except (OSError, RecursionError, MemoryError) as exc:
        return ErrorRecord.of(page_url or source, "input", f"{type(exc).__name__}: {exc}").model_dump(mode="json"), 1
    if not listing.items:
        message = "no list items found" + (f" with board source {board.name!r}" if board else "")
        return ErrorRecord.of(page_url or source, "no_items", message).model_dump(mode="json"), 1
    payload = {"url": page_url, "source": board.name if board else None, **listing.model_dump(mode="json")}
    return payload, 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper listing`` and its flags."""
    lst = sub.add_parser("listing", help="items and pager pages of one list page (file, '-' or URL)")
    lst.add_argument("source", metavar="SOURCE", help="a file, '-' (stdin) or an http(s) URL")
    lst.add_argument("--url", type=http_url, help="the page's address, for a file or stdin source")
    lst.add_argument("--source", dest="board", metavar="NAME", help="board source name (default: matched by URL)")
    lst.add_argument("--sources", metavar="FILE", help="board sources TOML file or folder (default: bundled)")
    lst.add_argument("--timeout", type=positive_seconds, default=default_of(FetchSettings, "read_timeout"),
                     help="network timeout in seconds (URL sources)")
    lst.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the list page's items and pages as one JSON object; exit 1 (error object) when it has none."""
    settings = FetchSettings(read_timeout=args.timeout, total_timeout=2 * args.timeout)
    payload, code = run_listing(args.source, args.url, args.board, args.sources, settings)
    sys.stdout.write(dump_json(payload, 2) + "\n")
    return code
