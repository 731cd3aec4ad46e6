"""``enrich_with_attachments``: download a record's attachments politely, read their text, and fill
``attachments[].text``/``media_type``/``error``, ``body_source`` and (when the page had none) the
embargo. The only part of the attachment feature that does I/O.

The body comes from the main attachment (the first readable one whose name says 보도자료, else the first
readable one) when the page's own body is empty or only points to the file (``첨부파일 참조``).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Protocol

from scraper.attachments.base import HTML, HWP, HWPX, PDF, READABLE, UnreadableAttachment
from scraper.attachments.filenames import disposition_filename, save_file, url_filename
from scraper.attachments.read import sniff
from scraper.attachments.sandbox import Limits, extract_limited
from scraper.config import AttachmentSettings
from scraper.extract.embargo import embargo_until
from scraper.fetch.outcome import FetchResult
from scraper.models import Attachment, Record
from scraper.normalize.text import fold_space


class AttachmentFetcher(Protocol):
    """What downloads attachments: the crawl's :class:`~scraper.fetch.client.Fetcher`, or the replay's fetcher
    that answers from WARC captures (``scraper.replay.attachments``)."""

    async def fetch(self, url: str, *, accept_any: bool = False) -> FetchResult:
        """``url``'s answer; never raises for network trouble."""
        ...


DOCUMENT_EXTENSIONS = (".hwp", ".hwpx", ".pdf")
WARNING = "attachment_unreadable"
_POINTER_RE = re.compile(r"첨부|붙임|별첨|파일|attach", re.IGNORECASE)
_POINTER_VERB_RE = re.compile(r"참조|참고|확인|보기|다운|내려받|있습니다|바랍니다|첨부")
_MAX_POINTER_CHARS = 80
_MAX_POINTER_BODY = 300


def is_pointer_body(body: list[str]) -> bool:
    """True when a page body is empty or only points to the attachment (``첨부파일 참조``, ``붙임 참고``...).

    >>> is_pointer_body([]), is_pointer_body(["자세한 내용은 첨부파일을 참조하시기 바랍니다."])
    (True, True)
    >>> is_pointer_body(["○ 보도자료 첨부"])
    True
    >>> is_pointer_body(["한빛구는 5일 전통시장 주차장 4곳을 주말에 무료로 개방한다고 밝혔다."])
    False
    >>> is_pointer_body(["광주시, 겨울철 한파 대비 종합대책 추진", "※ 자세한 내용은 첨부파일 참조"])
    True
    """
    text = " ".join(body).strip()
    if not text:
        return True
    last = body[-1]
    pointer = len(last) <= _MAX_POINTER_CHARS and bool(_POINTER_RE.search(last) and _POINTER_VERB_RE.search(last))
    return pointer and len(text) <= _MAX_POINTER_BODY  # deck lines above a 첨부파일 참조 line (gwangju.go.kr)


def page_body_is_thin(record: Record) -> bool:
    """True when the page's body should give way to the main attachment's text: it only points to the file,
    or the page had under 40 characters of body and the fallback extractor filled in a few lines of page
    furniture (warning ``fallback_extractor``, under 200 characters)."""
    if is_pointer_body(record.body):
        return True
    return "fallback_extractor" in record.warnings and sum(len(p) for p in record.body) < 200


def base_name(name: str | None) -> str | None:
    """A server-sent file name without any directory part (``../../x.hwp`` -> ``x.hwp``, ``..\\x.hwp`` too).

    >>> base_name("../../../tmp/ESC3.hwp"), base_name(r"..\\..\\x.hwp"), base_name(None)
    ('ESC3.hwp', 'x.hwp', None)
    """
    if not name:
        return None
    tail = re.split(r"[\\/]", name)[-1].strip()
    return tail if tail not in ("", ".", "..") else None


def wants_download(attachment: Attachment, settings: AttachmentSettings) -> bool:
    """Documents (HWP, HWPX, PDF, or a name without a known extension) are read; with a save folder every
    file is downloaded."""
    if not attachment.url:
        return False
    if settings.save_dir:
        return True
    name = attachment.name.lower()
    return name.endswith(DOCUMENT_EXTENSIONS) or not re.search(r"\.[a-z0-9]{2,5}$", name)


TYPE_EXTENSIONS = {HWP: ".hwp", HWPX: ".hwpx", PDF: ".pdf"}
"""The extension a saved file gets from what its bytes are, when its name has none of its own."""


def with_type_extension(name: str, media_type: str | None) -> str:
    """``name`` with the extension its bytes say (``media_type`` from ``sniff``) when it has no extension:
    a server's ``Content-Disposition`` name can be a bare word (``passwd``, ``download``) for an HWP file.

    >>> with_type_extension("passwd", "application/x-hwp"), with_type_extension("계획.hwp", "application/x-hwp")
    ('passwd.hwp', '계획.hwp')
    >>> with_type_extension("download", None)
    'download'
    """
    extension = TYPE_EXTENSIONS.get(media_type or "")
    if extension is None or re.search(r"\.[A-Za-z0-9]{2,5}$", name):
        return name
    return name + extension


async def fetch_attachment(fetcher: AttachmentFetcher, attachment: Attachment, settings: AttachmentSettings
                           ) -> Attachment:
    """One attachment downloaded (size-capped), saved when asked, and read; failures go to ``error``."""
    result = await fetcher.fetch(attachment.url or "", accept_any=True)
    if not result.ok:
        return attachment.model_copy(update={"error": f"download failed: {result.outcome}: {result.message}"})
    data = result.content
    if len(data) > settings.max_bytes:
        return attachment.model_copy(update={"error": f"too_large: {len(data):,} bytes over {settings.max_bytes:,}"})
    header_name = base_name(disposition_filename(result.headers.get("content-disposition")))
    name = attachment.name
    if header_name and not re.search(r"\.[A-Za-z0-9]{2,5}$", name):
        name = header_name  # the page showed no file name (a 내려받기 button): the server's name is the one
    update: dict[str, object] = {"name": name, "media_type": sniff(data)}
    if settings.save_dir and sniff(data) != HTML:  # an HTML login or error page is no attachment to keep
        saved_name = with_type_extension(header_name or name or url_filename(result.final_url) or "attachment",
                                         sniff(data))
        saved = await asyncio.to_thread(save_file, Path(settings.save_dir), saved_name, data)
        update["saved_as"] = str(saved)
    update.update(await read_text(data, name, settings))
    return attachment.model_copy(update=update)


async def read_text(data: bytes, name: str, settings: AttachmentSettings) -> dict[str, object]:
    """``{"text": ...}`` or ``{"error": ...}`` for a downloaded file; ``{}`` for a file with no text reader
    (an image, a spreadsheet) whose name does not promise a document."""
    media_type = sniff(data)
    if media_type not in READABLE and media_type != HTML and not name.lower().endswith(DOCUMENT_EXTENSIONS):
        return {}
    limits = Limits(seconds=settings.time_limit, memory_bytes=settings.memory_limit)
    try:
        extracted = await asyncio.to_thread(extract_limited, data, limits)
    except UnreadableAttachment as exc:
        return {"error": f"{exc.kind}: {exc.message}"}
    return {"text": extracted.text, "media_type": extracted.media_type}


def main_attachment(attachments: list[Attachment]) -> Attachment | None:
    """The attachment that holds the release: the first readable one named 보도자료, else the first readable."""
    readable = [a for a in attachments if a.text]
    named = [a for a in readable if "보도" in a.name]
    chosen = named or readable
    return chosen[0] if chosen else None


def body_from_text(text: str) -> list[str]:
    """Body paragraphs from attachment text: one per line, whitespace (tabs too) folded."""
    return [p for p in (fold_space(line) for line in text.splitlines()) if p]


async def enrich_with_attachments(fetcher: AttachmentFetcher, record: Record, settings: AttachmentSettings
                                  ) -> Record:
    """``record`` with its attachments downloaded and read (when ``settings.enabled``), the body taken from
    the main attachment when the page body only points to it, and warning ``attachment_unreadable`` when
    any wanted file could not be read. Never raises for a bad file."""
    if not settings.enabled or not record.attachments:
        return record
    chosen = record.attachments[: settings.max_files]
    done = [await fetch_attachment(fetcher, a, settings) if wants_download(a, settings) else a for a in chosen]
    attachments = done + record.attachments[settings.max_files:]
    update: dict[str, object] = {"attachments": attachments}
    if any(a.error for a in done):
        update["warnings"] = [*record.warnings, WARNING] if WARNING not in record.warnings else record.warnings
    main = main_attachment(done)
    if main is not None and main.text:
        if page_body_is_thin(record):
            update["body"] = body_from_text(main.text)
            update["body_source"] = "attachment"
        if record.embargo_until is None and update.get("body_source") == "attachment":
            year = int(record.published[:4]) if record.published else None
            update["embargo_until"] = embargo_until(main.text[:3000], year)
    return record.model_copy(update=update)
