"""Shared types of the attachment readers: the result of one extraction and the one error they raise."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.errors import ScraperError

HWP = "application/x-hwp"
HWPX = "application/hwp+zip"
PDF = "application/pdf"
HTML = "text/html"
READABLE = (HWP, HWPX, PDF)

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""Default cap (bytes) on what a reader may decompress from one file: zip members, zlib streams."""


@dataclass(frozen=True)
class Extracted:
    """Text read from one attachment: ``media_type`` as sniffed from its bytes; ``text`` has one paragraph
    per line and one table row per line with tab-separated cells."""

    media_type: str
    text: str


class UnreadableAttachment(ScraperError):
    """A file that cannot be read: ``kind`` is ``corrupt``, ``encrypted``, ``distribution``, ``too_large``,
    ``not_a_document`` (an HTML error page), ``unsupported``, ``timeout`` or ``memory``."""

    kind = "corrupt"
