"""Reading captures back out of WARC files (WARC/1.0 or 1.1, gzipped per record or not; ours, Common Crawl,
Heritrix, Browsertrix/pywb): the ``response`` and ``revisit`` records of HTTP pages, with their place in the file.

Two readers give the same :class:`Capture` values: FastWARC (the default: several times faster, see
``scripts/bench_warc.py``) and warcio. Chunked framing a tool kept is removed by the reader library; the content
coding (gzip, deflate, br, zstd) is undone by the fetcher's own decoder (:class:`~scraper.fetch.coding.BodyDecoder`),
which refuses a cut stream, so a page reads the same from a WARC as it read live.
"""

from __future__ import annotations

import fnmatch
import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, Literal
from urllib.parse import urlsplit

from fastwarc.warc import ArchiveIterator as FastIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.bufferedreaders import ChunkedDataReader

from scraper.fetch.coding import BodyDecoder, CodingError
from scraper.fetch.exchange import Archived

Reader = Literal["fastwarc", "warcio"]
READERS: tuple[Reader, ...] = ("fastwarc", "warcio")


@dataclass(frozen=True)
class Capture:
    """One HTTP response as a WARC file holds it. ``kind``: ``response`` or ``revisit``; ``payload``: the body
    as stored (chunk framing removed, content coding kept; empty for a revisit); ``date``: ``WARC-Date``;
    ``place``: where the record is (its ``length`` is the compressed record's size in the file);
    ``refers_to`` / ``refers_to_digest``: what a revisit points at."""

    kind: Literal["response", "revisit"]
    url: str
    date: str
    status: int | None
    headers: list[tuple[str, str]]
    payload: bytes
    place: Archived
    refers_to: str | None = None
    refers_to_digest: str | None = None
    profile: str | None = None
    truncated: str | None = field(default=None)

    def header(self, name: str) -> str | None:
        """The first HTTP header ``name`` (any case), or ``None``."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


@dataclass(frozen=True)
class Filters:
    """Which captures to keep: ``hosts`` (a host or any of its subdomains; ``www.`` ignored), ``globs``
    (``fnmatch`` patterns on the whole URL); empty tuples keep all."""

    hosts: tuple[str, ...] = ()
    globs: tuple[str, ...] = ()

    def keep(self, url: str) -> bool:
        """True when ``url`` passes every filter given.

        >>> Filters(hosts=("gangjin.go.kr",)).keep("https://www.gangjin.go.kr/board/view.do?idx=1")
        True
        >>> Filters(globs=("*/view.do*",)).keep("https://a.kr/list.do?page=2")
        False
        """
        if self.hosts:
            host = (urlsplit(url).hostname or "").removeprefix("www.")
            if not any(host == h.removeprefix("www.") or host.endswith("." + h.removeprefix("www."))
                       for h in self.hosts):
                return False
        return not self.globs or any(fnmatch.fnmatchcase(url, g) for g in self.globs)


def decoded_body(capture: Capture, limit: int) -> bytes:
    """The capture's body with its content coding undone (at most ``limit`` bytes). Raises
    :class:`~scraper.fetch.coding.CodingError` for a cut or broken stream, ``TooLarge`` over the limit."""
    decoder = BodyDecoder(capture.header("content-encoding"), limit)
    return decoder.feed(capture.payload) + decoder.finish()


def iter_captures(path: Path, *, reader: Reader = "fastwarc", filters: Filters | None = None, start: int = 0,
                  end: int | None = None) -> Iterator[Capture]:
    """Every ``response`` and ``revisit`` record of HTTP(S) URLs in ``path`` that passes ``filters``, in file
    order, one at a time (memory flat in the number of records). ``start`` / ``end``: only the records starting
    in ``[start, end)`` (byte offsets; ``start`` must be a record's start, ``end`` one or the file's size; see
    :mod:`scraper.replay.units`). Raises ``OSError`` for a file that cannot be read; a file cut in its last record
    ends at the last whole one."""
    keep = filters or Filters()
    size = path.stat().st_size if end is None else end
    with path.open("rb") as handle:
        handle.seek(start)
        records = _fastwarc(handle, path.name, size) if reader == "fastwarc" else _warcio(handle, path.name, size)
        for capture in records:
            if capture.url.startswith(("http://", "https://")) and keep.keep(capture.url):
                yield capture


def iter_responses(path: Path) -> Iterator[tuple[Archived, int | None]]:
    """The place and HTTP status of every ``response`` record of ``path``, in file order, without reading any
    payload (FastWARC; a record's length runs to the next record, as for :func:`iter_captures`). Raises
    ``OSError`` for a file that cannot be read."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        pending: tuple[Any, int] | None = None
        for record in FastIterator(handle, parse_http=True):
            if pending is not None:
                yield _response_place(pending[0], path.name, pending[1], record.stream_pos - pending[1])
                pending = None
            if record.record_type == WarcRecordType.response:
                pending = (record, record.stream_pos)
        if pending is not None:
            yield _response_place(pending[0], path.name, pending[1], size - pending[1])


def _response_place(record: Any, name: str, offset: int, length: int) -> tuple[Archived, int | None]:
    headers = record.headers
    place = Archived(name, offset, length, headers.get("WARC-Record-ID") or "", headers.get("WARC-Payload-Digest"),
                     headers.get("WARC-Target-URI") or "", headers.get("WARC-Date") or "")
    return place, record.http_headers.status_code if record.is_http and record.http_headers is not None else None


def read_capture_at(folder_or_file: Path, place: Archived, reader: Reader = "fastwarc") -> Capture | None:
    """The one capture at ``place`` (``folder_or_file``: the WARC file, or the folder holding ``place.filename``),
    read from its offset for its length; ``None`` when no response or revisit record is there."""
    path = folder_or_file / place.filename if folder_or_file.is_dir() else folder_or_file
    with path.open("rb") as handle:
        handle.seek(place.offset)
        data = handle.read(place.length)
    stream = io.BytesIO(data)
    records = (_fastwarc if reader == "fastwarc" else _warcio)(stream, place.filename, len(data))
    for capture in records:  # the place as given: the slice's offsets start at 0
        return replace(capture, place=replace(capture.place, offset=place.offset, length=place.length))
    return None


def _fastwarc(handle: BinaryIO, name: str, size: int) -> Iterator[Capture]:
    """FastWARC's records as captures (offsets and lengths in the file as stored, compressed or not: a record's
    length runs to the next record's offset, the last one's to ``size``, where reading stops)."""
    wanted = (WarcRecordType.response, WarcRecordType.revisit)
    pending: tuple[Any, int, bytes] | None = None
    for record in FastIterator(handle, parse_http=True, auto_decode="transfer"):
        if record.stream_pos >= size:  # the next range's first record
            break
        if pending is not None:
            yield _fast_capture(pending[0], name, pending[1], record.stream_pos - pending[1], pending[2])
            pending = None
        if record.record_type in wanted:
            pending = (record, record.stream_pos, record.reader.read())
    if pending is not None:
        yield _fast_capture(pending[0], name, pending[1], size - pending[1], pending[2])


def _fast_capture(record: Any, name: str, offset: int, length: int, payload: bytes) -> Capture:
    headers = record.headers
    kind: Literal["response", "revisit"] = "revisit" if record.record_type == WarcRecordType.revisit else "response"
    http = record.http_headers if record.is_http else None
    place = Archived(name, offset, length, headers.get("WARC-Record-ID") or "", headers.get("WARC-Payload-Digest"),
                     headers.get("WARC-Target-URI") or "", headers.get("WARC-Date") or "", kind == "revisit")
    return Capture(kind, place.target_uri, place.date, http.status_code if http is not None else None,
                   list(http.items()) if http is not None else [], payload if kind == "response" else b"", place,
                   headers.get("WARC-Refers-To"), headers.get("WARC-Payload-Digest") if kind == "revisit" else None,
                   headers.get("WARC-Profile"), headers.get("WARC-Truncated"))


def _warcio(handle: BinaryIO, name: str, size: int) -> Iterator[Capture]:
    """warcio's records as captures (lengths as for FastWARC: to the next record, the last one's to the end)."""
    records = WarcioIterator(handle)
    pending: tuple[Any, int, bytes, list[tuple[str, str]]] | None = None
    for record in records:
        if records.offset >= size:  # the next range's first record
            break
        if pending is not None:
            yield _warcio_capture(*pending[:3], records.offset - pending[1], pending[3], name)
            pending = None
        if record.rec_type not in ("response", "revisit"):
            continue
        http = record.http_headers
        headers = list(http.headers) if http is not None else []
        stream = record.raw_stream
        if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers):
            stream = ChunkedDataReader(stream, decomp_type=None)
        payload = stream.read() if record.rec_type == "response" else b""
        pending = (record, records.offset, payload, headers)
    if pending is not None:
        yield _warcio_capture(*pending[:3], size - pending[1], pending[3], name)


def _warcio_capture(record: Any, offset: int, payload: bytes, length: int, headers: list[tuple[str, str]],
                    name: str) -> Capture:
    warc = record.rec_headers
    kind: Literal["response", "revisit"] = "revisit" if record.rec_type == "revisit" else "response"
    place = Archived(name, offset, length, warc.get_header("WARC-Record-ID") or "",
                     warc.get_header("WARC-Payload-Digest"), warc.get_header("WARC-Target-URI") or "",
                     warc.get_header("WARC-Date") or "", kind == "revisit")
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    return Capture(kind, place.target_uri, place.date, int(status) if status and status.isdigit() else None,
                   headers, payload, place, warc.get_header("WARC-Refers-To"),
                   warc.get_header("WARC-Payload-Digest") if kind == "revisit" else None,
                   warc.get_header("WARC-Profile"), warc.get_header("WARC-Truncated"))


__all__ = ["READERS", "Capture", "CodingError", "Filters", "Reader", "decoded_body", "iter_captures",
           "iter_responses", "read_capture_at"]
