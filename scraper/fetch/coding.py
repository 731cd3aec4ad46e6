"""Was the whole body received? Content codings of a response body (RFC 9110 §8.4.1: gzip, deflate, br,
zstd) decoded with a check that the compressed stream is complete, and a check that an HTML page ends.

httpx decodes codings too but accepts a stream that stops early: a gzip body cut by the server or a proxy,
with a Content-Length that matches the cut bytes, decodes to the first part of the page, which would become a
record of half an article (``"테스트구는 �"``). Here a stream whose end marker never came is refused
(:class:`CutStream`), and the decoded size is bounded as it grows (:class:`TooLarge`). The decompression
itself is zlib's, Brotli's and Zstandard's.
"""

from __future__ import annotations

import re
import zlib
from typing import Protocol

import brotli  # type: ignore[import-untyped]
import zstandard


class CodingError(Exception):
    """A body that cannot be decoded."""


class CutStream(CodingError):
    """The compressed stream ended before its end marker: the body was cut."""


class TooLarge(CodingError):
    """The decoded body grew past the limit."""


class _Stage(Protocol):
    def feed(self, data: bytes) -> bytes: ...

    def finish(self) -> bytes: ...


class _Zlib:
    """gzip (``wbits`` 16+15) or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.raw_fallback = coding == "deflate"
        self.engine = zlib.decompressobj(zlib.MAX_WBITS | 16 if coding == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        try:
            return self.engine.decompress(data)
        except zlib.error as exc:
            if self.raw_fallback:  # "deflate" sent without its zlib header (seen on IIS)
                self.raw_fallback = False
                self.engine = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data)
            raise CodingError(f"bad {self.coding} data: {exc}") from exc

    def finish(self) -> bytes:
        rest = self.engine.flush()
        if not self.engine.eof:
            raise CutStream(f"the {self.coding} stream ended before its end: the body was cut")
        return rest


class _Brotli:
    def __init__(self) -> None:
        self.engine = brotli.Decompressor()

    def feed(self, data: bytes) -> bytes:
        try:
            return bytes(self.engine.process(data))
        except brotli.error as exc:
            raise CodingError(f"bad br data: {exc}") from exc

    def finish(self) -> bytes:
        if not self.engine.is_finished():
            raise CutStream("the br stream ended before its end: the body was cut")
        return b""


class _Zstd:
    def __init__(self) -> None:
        self.engine = zstandard.ZstdDecompressor().decompressobj()

    def feed(self, data: bytes) -> bytes:
        try:
            return self.engine.decompress(data)
        except zstandard.ZstdError as exc:
            raise CodingError(f"bad zstd data: {exc}") from exc

    def finish(self) -> bytes:
        if not self.engine.eof:
            raise CutStream("the zstd stream ended before its end: the body was cut")
        return b""


def _stage(coding: str) -> _Stage | None:
    if coding in ("gzip", "x-gzip"):
        return _Zlib("gzip")
    if coding == "deflate":
        return _Zlib("deflate")
    if coding == "br":
        return _Brotli()
    if coding == "zstd":
        return _Zstd()
    return None  # identity, or a coding we do not know: the bytes as sent (httpx does the same)


class BodyDecoder:
    """Decodes a body sent with ``Content-Encoding: <header>`` (codings applied in order, undone in reverse),
    fed raw chunks as they arrive. ``limit``: largest decoded size in bytes. ``feed`` and ``finish`` raise
    :class:`TooLarge`, :class:`CutStream` or :class:`CodingError`.

    >>> import gzip
    >>> whole = gzip.compress("강진군 보도자료".encode())
    >>> decoder = BodyDecoder("gzip", 1000)
    >>> (decoder.feed(whole) + decoder.finish()).decode()
    '강진군 보도자료'
    >>> cut = BodyDecoder("gzip", 1000)
    >>> _ = cut.feed(whole[:-8])
    >>> cut.finish()
    Traceback (most recent call last):
    ...
    scraper.fetch.coding.CutStream: the gzip stream ended before its end: the body was cut
    """

    def __init__(self, header: str | None, limit: int) -> None:
        codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
        self.stages = [stage for c in reversed(codings) if (stage := _stage(c)) is not None]
        self.limit = limit
        self.size = 0

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of one raw chunk."""
        for stage in self.stages:
            data = stage.feed(data)
        return self._counted(data)

    def finish(self) -> bytes:
        """The last decoded bytes, once the raw body has ended; checks every stream reached its end."""
        out = b""
        for stage in self.stages:  # what one stage flushes goes through the next before that one ends
            out = (stage.feed(out) if out else b"") + stage.finish()
        return self._counted(out)

    def _counted(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge(f"body over the {self.limit:,}-byte limit")
        return data


_PAGE_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_PAGE_END = re.compile(rb"</(?:html|body)\s*>", re.I)
TAIL_BYTES = 16 * 1024
"""A whole page's ``</body>`` or ``</html>`` stands within this many bytes of its end (scripts may follow)."""


def cut_page_reason(data: bytes) -> str | None:
    """Why ``data``, an HTML page, looks cut short, or ``None``: a document that opens as a whole page
    (``<!DOCTYPE html>``, ``<html>``) but whose last :data:`TAIL_BYTES` hold neither ``</body>`` nor
    ``</html>`` -- a connection closed early with no Content-Length, or a Content-Length smaller than the
    page. A fragment (no ``<html>`` start) is never called cut.

    >>> cut_page_reason("<!DOCTYPE html><html><body><p>테스트</p></body></html>".encode())
    >>> cut_page_reason("<!DOCTYPE html><html><body><p>테스트구는".encode())
    'the page stops before its end (no </body> or </html>): the body was cut'
    >>> cut_page_reason(b"<div class='list'><p>rows</p>")
    """
    if not _PAGE_START.match(data[:4096]):
        return None
    if _PAGE_END.search(data[-TAIL_BYTES:]):
        return None
    return "the page stops before its end (no </body> or </html>): the body was cut"
