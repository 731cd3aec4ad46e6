"""``WarcWriter``: every exchange of a run kept as WARC/1.1 records, with warcio's writer (one gzip member each).

Files are ``FOLDER/PREFIX-YYYYMMDDhhmmss-NNNNN-HOST.warc.gz`` (UTC time the run's first file was opened, a
serial from 00000, the machine's host name) and are rotated once they reach ``max_bytes``; each starts with a
``warcinfo`` record. A response is written as a ``response`` + ``request`` pair (``WARC-Concurrent-To``), a
304 to a conditional request as a ``revisit`` (profile ``server-not-modified``), an extracted record as a
``metadata`` record (``application/json``, ``WARC-Refers-To`` its response), a fetch that got no response
at all as a ``metadata`` record of its URL (``application/warc-fields``, see :meth:`WarcWriter.failed`).

Gzip: one member per record, as warcio's writer makes them, at :data:`GZIP_LEVEL`.

Crash-safety: a record is built in memory and reaches its file in one ``write`` on an unbuffered file, so a
``kill -9`` leaves every file readable up to its last whole record; a new run never appends to an old file
(a new name, opened with ``x``). :meth:`WarcWriter.sync` (flush + fsync) runs before the JSONL lines that
point into the files are written, so no line points at bytes that are not on disk.
"""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import zlib
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from scraper.config import WarcSettings
from scraper.fetch.exchange import Archived, Exchange

WARC_1_1 = "WARC/1.1"
CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
GZIP_LEVEL = 6
"""zlib level of each record's gzip member. warcio's writer (gzip=True) always uses 9, which took 4.0 ms against
6's 1.7 ms on a 72 KB page, in the crawl's event loop, for files about 4% smaller on the synthetic board; so the
record is written by warcio uncompressed and made one gzip member here (the same layout warcio writes)."""


class RawHeaders(StatusAndHeaders):  # type: ignore[misc]  # warcio is untyped
    """HTTP headers written byte for byte as received. The fetcher hands them on decoded as latin-1 (each byte
    one character), so latin-1 gives the received bytes back; warcio's own writer percent-encodes any
    non-ASCII value as RFC 8187 ``filename*=UTF-8''...`` instead, which turned a server's EUC-KR
    ``Content-Disposition`` file name into mojibake on re-extraction. A value that is no latin-1 (never from
    the fetcher) falls back to warcio's encoding."""

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        """Set ``headers_buff``, the header block as written (and digested)."""
        try:
            self.headers_buff = self.to_bytes(header_filter, encoding="latin-1")
        except UnicodeEncodeError:
            super().compute_headers_buffer(header_filter)


def _one_line(text: str) -> str:
    """``text`` on one line (a ``warc-fields`` value).

    >>> _one_line("connection refused\\n  (after 3 attempts)")
    'connection refused (after 3 attempts)'
    """
    return " ".join(text.split())


def _digest(body: bytes) -> str:
    """``sha1:<base32>``, as warcio writes ``WARC-Payload-Digest``."""
    digester = Digester("sha1")
    digester.update(body)
    return str(digester)


def software() -> str:
    """``korean-press-scraper/<version>`` for the warcinfo record."""
    try:
        return f"korean-press-scraper/{version('korean-press-scraper')}"
    except PackageNotFoundError:  # a source tree that was never installed
        return "korean-press-scraper"


def warc_name(prefix: str, started: datetime, serial: int, host: str) -> str:
    """The name of the ``serial``-th file of a run started at ``started`` (UTC) on ``host``.

    >>> warc_name("crawl", datetime(2026, 12, 1, 15, 4, 5, tzinfo=UTC), 3, "arch-1")
    'crawl-20261201150405-00003-arch-1.warc.gz'
    """
    safe_host = "".join(c if c.isalnum() or c in "-." else "_" for c in host) or "host"
    return f"{prefix}-{started.astimezone(UTC):%Y%m%d%H%M%S}-{serial:05d}-{safe_host}.warc.gz"


class WarcWriter:
    """Writes WARC/1.1 files into ``settings.folder`` (name prefix, rotation size and operator from ``settings``);
    thread-safe (the crawl writes metadata records from a worker thread). ``info``: extra ``warcinfo`` fields
    (``http-header-user-agent``, ``robots``...), empty values left out. Use as a context manager, or call
    :meth:`close`. Raises ``OSError`` when the folder cannot be written.
    """

    def __init__(self, settings: WarcSettings, *, info: dict[str, str] | None = None, host: str | None = None,
                 remember: bool = False) -> None:
        self.folder = settings.folder
        self.prefix = settings.prefix
        self.max_bytes = settings.max_bytes
        self.info = {"operator": settings.operator or "", **(info or {})}
        self.host = host or socket.gethostname()
        self.started = datetime.now(UTC)
        self.serial = -1
        self.files: list[Path] = []
        """Every file written by this writer, in order."""
        self.responses: dict[str, Archived] | None = {} if remember else None
        """With ``remember``: the last response record written for each target URI (``scraper extract``, whose
        few pages are looked up by URL; a crawl hands places on with its fetch results instead)."""
        self._lock = threading.Lock()
        self._builder = RecordBuilder(warc_version=WARC_1_1)
        self._file: BinaryIO | None = None
        self._size = 0
        self._warcinfo_id = ""

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def current(self) -> Path | None:
        """The file records go to now (``None`` before the first record)."""
        return self.files[-1] if self.files else None

    def record(self, exchange: Exchange) -> Archived | None:
        """Write ``exchange``: a 304 to a conditional request as a ``revisit``, anything else as a ``response``,
        each followed by its ``request``. Returns the place of the response (or revisit) record."""
        response = self._response_record(exchange)
        request = self._request_record(exchange, response)
        with self._lock:
            place = self._write(response)
            self._write(request)
            if self.responses is not None:
                self.responses[exchange.url] = place
        return place

    def failed(self, method: str, url: str, kind: str, message: str) -> None:
        """Write a fetch that got no response (connection refused or reset, timeout, TLS failure) as a
        ``metadata`` record of ``url`` (``application/warc-fields``: ``fetch-status: 0``, ``fetch-error`` the
        kind, ``error-message``, ``http-method``), so the archive shows the attempt and why it failed.

        What peers do: Heritrix writes no record for a fetch whose status is <= 0 (``WARCWriterChainProcessor
        .shouldWrite`` annotates it ``unwritten:status``; the failure is in its crawl.log only); Browsertrix-crawler
        keeps it in the WARC, in the page's ``urn:pageinfo:<url>`` resource record as ``{"status": 0, "error":
        "net::ERR_NAME_NOT_RESOLVED"}`` (webrecorder/browsertrix-crawler, tests/pageinfo-records.test.js). We
        keep it too, as Browsertrix does, in the record type WARC 1.1 §6.6 gives for what describes a capture
        attempt (``metadata``: replay tools serve no content from it), with Heritrix's ``warc-fields`` layout
        of its per-URI metadata records."""
        fields = f"fetch-status: 0\r\nfetch-error: {kind}\r\nerror-message: {_one_line(message)}\r\n" \
            f"http-method: {method}\r\n"
        payload = fields.encode("utf-8")
        record = self._builder.create_warc_record(url, "metadata", payload=io.BytesIO(payload), length=len(payload),
                                                  warc_content_type="application/warc-fields")
        with self._lock:
            self._write(record)

    def metadata(self, data: dict[str, Any], refers_to: Archived) -> Archived:
        """Write one extracted record (``data``, JSON) as a ``metadata`` record referring to its response."""
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        record = self._builder.create_warc_record(
            refers_to.target_uri or str(data.get("url") or ""), "metadata", payload=io.BytesIO(payload),
            length=len(payload), warc_content_type="application/json",
            warc_headers_dict={"WARC-Refers-To": refers_to.record_id, "WARC-Warcinfo-ID": self._warcinfo_id})
        with self._lock:
            return self._write(record)

    def sync(self) -> None:
        """Flush and fsync the current file: every record written so far is on disk when this returns."""
        with self._lock:
            if self._file is not None:
                self._file.flush()
                os.fsync(self._file.fileno())

    def close(self) -> None:
        """Fsync and close the current file."""
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None

    def _response_record(self, ex: Exchange) -> Any:
        headers = RawHeaders(f"{ex.status} {ex.reason}".strip(), list(ex.response_headers),
                                   protocol=ex.http_version or "HTTP/1.1")
        extra = {"WARC-IP-Address": ex.ip or "", "WARC-Truncated": ex.truncated or ""}
        if ex.status == 304 and ex.conditional:
            record = self._builder.create_warc_record(ex.url, "revisit", http_headers=headers,
                                                      warc_headers_dict=self._fields(extra))
            record.rec_headers.add_header("WARC-Profile", NOT_MODIFIED)
            record.rec_headers.add_header("WARC-Refers-To-Target-URI", ex.url)
            if ex.earlier:  # the capture the server says is unchanged (WARC 1.1 §6.7.3: Refers-To and its date)
                record.rec_headers.add_header("WARC-Refers-To", ex.earlier["record_id"])
                record.rec_headers.add_header("WARC-Refers-To-Date", ex.earlier["date"])
                record.rec_headers.add_header("WARC-Payload-Digest", ex.earlier["digest"])
            return record
        if ex.earlier and not ex.truncated and _digest(ex.body) == ex.earlier["digest"]:
            record = self._builder.create_revisit_record(
                ex.url, ex.earlier["digest"], ex.earlier["target_uri"], ex.earlier["date"], http_headers=headers,
                warc_headers_dict=self._fields({**extra, "WARC-Refers-To": ex.earlier["record_id"]}))
            return record
        return self._builder.create_warc_record(ex.url, "response", payload=io.BytesIO(ex.body), length=len(ex.body),
                                                http_headers=headers, warc_headers_dict=self._fields(extra))

    def _request_record(self, ex: Exchange, response: Any) -> Any:
        target = ex.url.split("://", 1)[-1]
        path = "/" + target.split("/", 1)[1] if "/" in target else "/"
        headers = RawHeaders(f"{ex.method} {path} {ex.http_version or 'HTTP/1.1'}", list(ex.request_headers),
                                   is_http_request=True)
        fields = self._fields({"WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                               "WARC-Date": response.rec_headers.get_header("WARC-Date"),
                               "WARC-IP-Address": ex.ip or ""})
        return self._builder.create_warc_record(ex.url, "request", payload=io.BytesIO(ex.request_body),
                                                length=len(ex.request_body), http_headers=headers,
                                                warc_headers_dict=fields)

    def _fields(self, extra: dict[str, str]) -> dict[str, str]:
        return {name: value for name, value in extra.items() if value}

    def _write(self, record: Any) -> Archived:
        """Write ``record`` (rotating first when the file is full) in one write; its place. Under the lock."""
        if self._file is None or self._size >= self.max_bytes:
            self._open_next()
        if self._warcinfo_id and not record.rec_headers.get_header("WARC-Warcinfo-ID"):
            record.rec_headers.add_header("WARC-Warcinfo-ID", self._warcinfo_id)
        return self._put(record)

    def _put(self, record: Any) -> Archived:
        assert self._file is not None and self.current is not None
        buffer = io.BytesIO()
        WARCWriter(buffer, gzip=False, warc_version=WARC_1_1).write_record(record)
        member = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)  # one gzip member per record
        data = member.compress(buffer.getvalue()) + member.flush()
        offset = self._size
        self._file.write(data)
        self._size += len(data)
        headers = record.rec_headers
        return Archived(self.current.name, offset, len(data), headers.get_header("WARC-Record-ID"),
                        headers.get_header("WARC-Payload-Digest"), headers.get_header("WARC-Target-URI") or "",
                        headers.get_header("WARC-Date") or "", record.rec_type == "revisit")

    def _open_next(self) -> None:
        self._close()
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            self.serial += 1
            path = self.folder / warc_name(self.prefix, self.started, self.serial, self.host)
            try:
                self._file = path.open("xb", buffering=0)  # a new file, never an old one appended to
            except FileExistsError:
                continue
            break
        self.files.append(path)
        self._size = 0
        fields = {"software": software(), "format": "WARC File Format 1.1", "conformsTo": CONFORMS_TO,
                  "hostname": self.host, **self.info}
        info = self._builder.create_warcinfo_record(path.name, {k: v for k, v in fields.items() if v})
        self._warcinfo_id = info.rec_headers.get_header("WARC-Record-ID")
        self._put(info)
