"""PDF -> text with ``pypdf`` (BSD-3-Clause); pure. Lines re-flowed into paragraphs (see ``layout.reflow``).

A PDF encrypted with an empty user password (copy/print restrictions only, common on government sites)
is opened with that empty password; one that needs a real password raises ``UnreadableAttachment``
(kind ``encrypted``). AES-encrypted files need the ``cryptography`` package.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from scraper.attachments.base import UnreadableAttachment
from scraper.attachments.layout import join_lines, reflow

MAX_PAGES = 500
"""Pages read from one PDF at most; the rest is left out (press releases have 2-40)."""


def open_pdf(data: bytes) -> PdfReader:
    """A reader over ``data`` (bytes), decrypted with the empty password when the file is encrypted."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableAttachment("PDF is password-protected", kind="encrypted")
    except DependencyError as exc:
        raise UnreadableAttachment(f"encrypted PDF needs a crypto library: {exc}", kind="encrypted") from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableAttachment(f"damaged PDF: {type(exc).__name__}: {exc}", kind="corrupt") from exc
    return reader


def pdf_text(data: bytes) -> str:
    """The text of a PDF file (bytes), page by page, lines re-flowed into paragraphs.

    Raises :class:`UnreadableAttachment` for damaged or password-protected files.
    """
    reader = open_pdf(data)
    lines: list[str] = []
    try:
        for page in reader.pages[:MAX_PAGES]:
            lines += [*(page.extract_text() or "").splitlines(), ""]
    except FileNotDecryptedError as exc:
        raise UnreadableAttachment("PDF is password-protected", kind="encrypted") from exc
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UnreadableAttachment(f"damaged PDF: {type(exc).__name__}: {exc}", kind="corrupt") from exc
    return join_lines(reflow(lines))
