"""Reading a command's SOURCE argument: a file, ``-`` (standard input) or an http(s) URL.

Shared by ``scraper extract`` and ``scraper listing``; URLs go through the polite fetcher.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import BinaryIO

from scraper.config import MAX_PAGE_BYTES, FetchSettings
from scraper.errors import ExtractionError, FetchError, InputError
from scraper.fetch.client import Fetcher

_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(source: str) -> bool:
    """True for ``http://`` and ``https://`` sources.

    >>> is_url("https://example.kr/a"), is_url("page.html"), is_url("ftp://x/y")
    (True, False, False)
    """
    return source.lower().startswith(("http://", "https://"))


async def fetch_source(url: str, settings: FetchSettings) -> tuple[bytes, str, str | None]:
    """``(bytes, final URL, Content-Type)`` of one URL; raises ``FetchError`` with the fetch outcome."""
    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(url)
    if not result.ok:
        raise FetchError(result.message, url=url, kind=result.outcome)
    return result.content, result.final_url or url, result.content_type


def _too_large(size: int, name: str, url: str | None) -> ExtractionError:
    return ExtractionError(f"{name} is {size:,} bytes, over the {MAX_PAGE_BYTES:,}-byte limit",
                           url=url or name, kind="too_large")


def _read_capped(stream: BinaryIO, name: str, url: str | None) -> bytes:
    """A stream's bytes, at most the page cap (one byte more tells a stream that is too long)."""
    data = stream.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise _too_large(len(data), name, url)
    return data


def read_local(source: str, url: str | None = None) -> bytes:
    """The bytes of a file, a pipe (``<(...)``, a FIFO) or stdin (``-``); raises ``InputError`` (missing file,
    a folder, another URL scheme) or ``ExtractionError`` (``too_large``)."""
    if source == "-":
        return _read_capped(sys.stdin.buffer, "standard input", url)
    if _SCHEME_RE.match(source):
        raise InputError(f"unsupported URL scheme in {source!r} (http and https only)", url=source)
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{source} is a folder, not a page file", url=url or source)
    if not path.exists():
        raise InputError(f"no such file: {source}", url=url or source)
    if not path.is_file():  # a pipe (``<(curl ...)``, a FIFO) or a device: read as stdin is, up to the cap
        with path.open("rb") as stream:
            return _read_capped(stream, source, url)
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise _too_large(size, source, url)
    return path.read_bytes()


def read_source(source: str, url: str | None, settings: FetchSettings) -> tuple[bytes, str | None, str | None]:
    """``(bytes, page URL, Content-Type)`` of a file, stdin or URL; raises a ``ScraperError``."""
    if is_url(source):
        return asyncio.run(fetch_source(source, settings))
    return read_local(source, url), url, None
