"""A release's attachments read back from their captures (``scraper warc extract``): the crawl's own attachment
step (:func:`~scraper.attachments.enrich.enrich_with_attachments`, as ``crawl --attachments`` runs it) with a
fetcher that answers from the WARC files instead of the network.

:func:`build_index` notes, in one pass over the files that reads no payload (made when a first record wants an
attachment), the last ``response`` record of each URL (the crawl's final try of a URL is its last capture);
:class:`ArchiveFetcher` answers a fetch from those records: redirects followed through their own captures, a 4xx/5xx
an ``http_status`` failure (``HTTP 404``), a truncated capture ``too_large`` (``WARC-Truncated: length``) or
``network``, else the body with its content coding undone. A record is enriched only when one of the attachments the
crawl would have downloaded has a capture in the files: a crawl made without ``--attachments`` archived none, and
its records keep their attachments unread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx

from scraper.archive.read import Capture, CodingError, Reader, decoded_body, iter_responses, read_capture_at
from scraper.attachments.enrich import enrich_with_attachments, wants_download
from scraper.config import MAX_PAGE_BYTES, AttachmentSettings
from scraper.fetch.coding import TooLarge
from scraper.fetch.exchange import Archived
from scraper.fetch.outcome import FetchResult
from scraper.models import Record

MAX_REDIRECTS = 10
"""Redirect hops followed through the captures (the fetcher's default ``max_redirects``)."""


@dataclass
class FetchIndex:
    """The last ``response`` record of every URL of ``paths`` (given in crawl order), found on first use (one pass
    over the files reading no payload: a re-extraction whose records want no attachment never makes it; in
    each worker process its own). Memory: one place per URL."""

    paths: list[Path] = field(default_factory=list)
    _places: dict[str, Archived] | None = field(default=None, repr=False)

    @property
    def files(self) -> dict[str, Path]:
        """File name -> path."""
        return {f.name: f for f in self.paths}

    @property
    def places(self) -> dict[str, Archived]:
        """URL -> its last response record. Raises ``OSError`` for a file that cannot be read."""
        if self._places is None:
            places: dict[str, Archived] = {}
            for path in self.paths:
                for place, _status in iter_responses(path):
                    if place.target_uri.startswith(("http://", "https://")):
                        places[place.target_uri] = place
            self._places = places
        return self._places


def build_index(files: list[Path]) -> FetchIndex:
    """The index of ``files`` (read on first use, see :class:`FetchIndex`)."""
    return FetchIndex(list(files))


class ArchiveFetcher:
    """Answers :meth:`fetch` from the captures of ``index`` (read with ``reader``), as
    :meth:`scraper.fetch.client.Fetcher.fetch` answers from the network."""

    def __init__(self, index: FetchIndex, reader: Reader = "fastwarc") -> None:
        self.index = index
        self.reader = reader

    def capture(self, url: str) -> Capture | None:
        """The last capture of ``url``, or ``None``."""
        place = self.index.places.get(url)
        if place is None:
            return None
        return read_capture_at(self.index.files[place.filename], place, self.reader)

    async def fetch(self, url: str, *, accept_any: bool = False) -> FetchResult:
        """``url``'s answer as its captures hold it (``accept_any``: kept for the fetcher's signature; an
        attachment's capture is taken whatever its type). Never raises."""
        current, chain = url, list[str]()
        for _ in range(MAX_REDIRECTS + 1):
            capture = self.capture(current)
            if capture is None:
                return FetchResult(url, "network", final_url=current, redirects=chain,
                                   message=f"{current} is in none of the WARC files given")
            location = capture.header("location")
            if capture.status in (301, 302, 303, 307, 308) and location:
                chain.append(urljoin(current, location))
                current = chain[-1]
                continue
            return _result(url, current, chain, capture)
        return FetchResult(url, "network", final_url=current, redirects=chain,
                           message=f"more than {MAX_REDIRECTS} redirects")


def _result(url: str, final: str, chain: list[str], capture: Capture) -> FetchResult:
    headers = dict(_http_headers(capture.headers))
    result = FetchResult(url, "ok", final_url=final, redirects=chain, status=capture.status, headers=headers,
                         attempts=1, archived=capture.place)
    if capture.status is None or capture.status >= 400:
        result.outcome, result.message = "http_status", f"HTTP {capture.status}"
    elif capture.truncated:
        result.outcome = "too_large" if capture.truncated == "length" else "network"
        result.message = f"the capture is truncated ({capture.truncated})"
    else:
        try:
            result.content = decoded_body(capture, MAX_PAGE_BYTES)
        except TooLarge as exc:
            result.outcome, result.message = "too_large", str(exc)
        except CodingError as exc:
            result.outcome, result.message = "network", str(exc)
    return result


def _http_headers(headers: list[tuple[str, str]]) -> httpx.Headers:
    """The headers as the live fetch saw them (``dict(httpx.Headers)``: lower-case names, repeated ones joined,
    values decoded as ASCII, else UTF-8, else latin-1): the readers give the bytes as latin-1 text."""
    try:
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    except UnicodeEncodeError:  # a reader that decoded otherwise: its text as it is
        return httpx.Headers(headers)
    return httpx.Headers(raw)


def enrich_from_archive(record: Record, fetcher: ArchiveFetcher, settings: AttachmentSettings | None = None
                        ) -> Record:
    """``record`` with its attachments read from their captures, as ``crawl --attachments`` reads them (text,
    media type, errors, body from the main attachment); unchanged when none of the attachments the crawl
    would have downloaded has a capture. Never raises for a bad file."""
    settings = settings or AttachmentSettings(enabled=True)
    chosen = record.attachments[: settings.max_files]
    if not any(wants_download(a, settings) and (a.url or "") in fetcher.index.places for a in chosen):
        return record
    return asyncio.run(enrich_with_attachments(fetcher, record, settings))


__all__ = ["ArchiveFetcher", "FetchIndex", "build_index", "enrich_from_archive"]
