"""The embargo of a press release (보도시점, 보도일시, 엠바고) -> KST ISO 8601 or a date; pure.

Korean government releases print it in their header box (행정안전부 보도자료 서식): ``보도시점 2024. 3. 5.(화)
11:00``, ``보도일시: 2024. 3. 5.(화) 조간``, ``엠바고: 3월 5일 12시``; a release for immediate use says
``즉시 보도``, ``배포 즉시`` or ``바로 보도하여 주시기 바랍니다`` and has no embargo. ``배포`` (distribution
time) is not an embargo. A ``조간`` (morning papers) or ``석간`` (evening papers) embargo gives the date
only: the hour those editions may go online differs between ministries.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.pagetext import PageText, page_text
from scraper.normalize.dates import parse_kst

_LABEL_RE = re.compile(
    r"(?:엠\s*바\s*고|보\s*도\s*시\s*점|보\s*도\s*일\s*시|보\s*도\s*시\s*각|보\s*도\s*일\s*자|embargo)\s*[:：]?\s*",
    re.IGNORECASE,
)
_STOP_RE = re.compile(r"배\s*포|담당|문의|등록|작성|조회|수정|\n")
_IMMEDIATE_RE = re.compile(r"즉시|바로\s*보도|해제")
_MONTH_DAY_RE = re.compile(r"(?P<m>\d{1,2})\s*[월./]\s*(?P<d>\d{1,2})\s*일?")


def _value_after(text: str, start: int) -> str:
    tail = text[start:start + 80]
    stop = _STOP_RE.search(tail)
    return tail[: stop.start()] if stop else tail


def embargo_until(text: str, year: int | None = None) -> str | None:
    """The embargo in ``text`` as ``YYYY-MM-DDTHH:MM:SS+09:00`` (time shown) or ``YYYY-MM-DD``; ``None``
    when there is no embargo label, the release is for immediate use, or no date follows. ``year`` completes
    a date printed without one (``3월 5일``).

    >>> embargo_until("보도일시: 2024. 3. 5.(화) 조간")
    '2024-03-05'
    >>> embargo_until("보도시점\\t2025. 9. 19.(금) 11:00\\t배포\\t2025. 9. 19.(금) 08:00")
    '2025-09-19T11:00:00+09:00'
    >>> embargo_until("엠바고 : 2024년 3월 5일(화) 오후 2시")
    '2024-03-05T14:00:00+09:00'
    >>> embargo_until("보도시점 3. 5.(화) 12:00", year=2024)
    '2024-03-05T12:00:00+09:00'
    >>> embargo_until("보도시점\\t바로 보도하여 주시기 바랍니다.\\t배포\\t2026. 1. 30.(금)") is None
    True
    >>> embargo_until("배포 2024. 3. 5.") is None
    True
    """
    for label in _LABEL_RE.finditer(text):
        value = _value_after(text, label.end())
        if _IMMEDIATE_RE.search(value):
            return None
        found = parse_kst(value, now="2000-01-01T00:00:00+09:00")
        if found and re.search(r"(?:19|20)\d{2}", value):
            return found
        if year:
            short = _MONTH_DAY_RE.search(value)
            if short:
                return parse_kst(f"{year}.{short['m']}.{short['d']}" + value[short.end():])
    return None


def page_embargo(tree: LexborHTMLParser, text: PageText | None = None) -> str | None:
    """The embargo printed on a view page (label and value in one text or in th/td, dt/dd pairs).
    ``text``: the page's :class:`~scraper.extract.pagetext.PageText`, when the caller has read it."""
    text = text if text is not None else page_text(tree)
    if text is None:
        return None
    return embargo_until(text.cells) if has_embargo_label(text.cells) else None


def has_embargo_label(text: str) -> bool:
    """True when ``text`` holds an embargo label (``_LABEL_RE`` matches somewhere); ``True`` may also be said
    of an English text that only names an embargo (the caller then finds no date, as it would anyway).

    The label regex is case-insensitive, and searching a whole page with it is slow (about a quarter of a
    millisecond per page); a label starts with 엠 or 보, so only the places of those two syllables (found by
    ``str.find``) are tried, and the English label is looked for in the ASCII letters of the text (dropping the
    others can only add a match, which finds no date).

    >>> has_embargo_label("정보 보도자료 보도시점 2024. 3. 5."), has_embargo_label("정보 보도자료")
    (True, False)
    >>> has_embargo_label("EMBARGO")
    True
    """
    if b"embargo" in text.encode("ascii", "ignore").lower():  # ASCII-only lowering: twice as fast as
        return True  # str.lower on Hangul; the letters of "embargo" have no non-ASCII case partners
    for start in ("엠", "보"):
        at = text.find(start)
        while at >= 0:
            if _LABEL_RE.match(text, at):
                return True
            at = text.find(start, at + 1)
    return False
