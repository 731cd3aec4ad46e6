"""The dispatcher: attachment bytes -> :class:`Extracted`, by magic bytes, never by file name; pure.

Magic numbers: OLE compound file ``D0 CF 11 E0 A1 B1 1A E1`` (HWP 5.0; [MS-CFB] §2.2), zip ``PK\\x03\\x04``
with ``Contents/section*.xml`` (HWPX; KS X 6101), ``%PDF-`` in the first 1024 bytes (ISO 32000-1 §7.5.2),
and HTML markup (WHATWG MIME Sniffing §7.1), which Korean download servers send instead of the file when
the link has expired or the session is missing.
"""

from __future__ import annotations

import re

from scraper.attachments.base import HTML, HWP, HWPX, PDF, Extracted, UnreadableAttachment

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_RE = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<script|<meta|<title|<!--|<div|<p[\s>]|<h1|<table)", re.IGNORECASE
)
_OTHER_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"),
    (b"HWP Document File V3", "application/x-hwp3"), (b"{\\rtf", "application/rtf"),
    (b"Rar!", "application/vnd.rar"), (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
)


def sniff(data: bytes) -> str:
    """The media type of ``data`` from its first bytes.

    >>> sniff(b"%PDF-1.7\\n..."), sniff(b"\\xef\\xbb\\xbf  <!DOCTYPE html><html>")
    ('application/pdf', 'text/html')
    >>> sniff(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1")
    'application/x-hwp'
    >>> sniff(b"PK\\x03\\x04" + b"\\x00" * 26 + b"mimetypeapplication/hwp+zip"), sniff(b"")
    ('application/hwp+zip', 'application/octet-stream')
    """
    if data.startswith(OLE_MAGIC):
        return HWP
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        head = data[:4096]
        hwpx = b"application/hwp+zip" in head or b"Contents/" in head
        return HWPX if hwpx else "application/zip"
    for magic, media_type in _OTHER_MAGIC:
        if data.startswith(magic):
            return media_type
    text = data[:1024].lstrip(b"\xef\xbb\xbf\xff\xfe")
    if _HTML_RE.match(text):
        return HTML
    return "application/octet-stream"


def extract(data: bytes) -> Extracted:
    """Text of an HWP, HWPX or PDF file given as bytes, dispatched on its magic bytes.

    Raises :class:`UnreadableAttachment`: ``not_a_document`` for an HTML page, ``unsupported`` for
    other formats, and the readers' own kinds (``corrupt``, ``encrypted``, ``too_large`` ...).
    """
    media_type = sniff(data)
    if media_type == HTML:
        raise UnreadableAttachment("the server sent an HTML page instead of the file", kind="not_a_document")
    if media_type == "application/zip":
        media_type = HWPX  # a zip whose first bytes name no HWPX member: the HWPX reader decides
    if media_type not in (HWP, HWPX, PDF):
        raise UnreadableAttachment(f"no text reader for {media_type}", kind="unsupported")
    try:
        if media_type == HWP:
            from scraper.attachments.hwp import hwp_text

            return Extracted(media_type, hwp_text(data))
        if media_type == HWPX:
            from scraper.attachments.hwpx import hwpx_text

            return Extracted(media_type, hwpx_text(data))
        from scraper.attachments.pdf import pdf_text

        return Extracted(media_type, pdf_text(data))
    except RecursionError as exc:
        raise UnreadableAttachment("structure nested too deeply", kind="corrupt") from exc
