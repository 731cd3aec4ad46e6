"""List items and their fields: title (visible text or ``title`` attribute), date, pinned 공지 flag; pure."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict
from selectolax.lexbor import LexborNode

from scraper.extract.rules import css_all
from scraper.normalize.dates import parse_kst
from scraper.normalize.text import fold_space
from scraper.sources.board import ItemRules

_TRUNCATED = re.compile(r"(?:\.{2,}|…|·{2,}|･{2,})\s*$")
_ATTR_SUFFIX = re.compile(
    r"\s*(?:(?:에\s*대한\s*)?(?:글\s*)?(?:내용\s*|상세\s*)?보기\.?|\(?새\s*창(?:\s*열림)?\)?|바로\s*가기)\s*$"
)
_SHORT_DATE = re.compile(r"(?<![\d-])(\d{2})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?!\d)")


class ListItem(BaseModel):
    """One post on a list page; ``id`` is the board's own post id (nttId, idx, seq, articleId, ...)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    url: str | None
    title: str
    date: str | None = None
    pinned: bool = False


class Listing(BaseModel):
    """Items of a list page, in page order, and the page numbers its pager links to."""

    model_config = ConfigDict(extra="forbid")

    items: list[ListItem]
    pages: list[int]


def clean_title_attr(value: str | None) -> str:
    """A link's ``title`` attribute without the 'open' phrases boards append.

    Seen: ``'… 에 대한 글내용 보기.'`` (나주, 강진), ``'… 에 대한 글보기'`` (완도), ``'(새창)'``.

    >>> clean_title_attr("나주 세지멜론, 전국 최고 품질 입증 에 대한 글내용 보기.")
    '나주 세지멜론, 전국 최고 품질 입증'
    >>> clean_title_attr("완도군 선정  에 대한 글보기")
    '완도군 선정'
    """
    return fold_space(_ATTR_SUFFIX.sub("", fold_space(value or "")))


def pick_title(text: str, attr: str) -> str:
    """The visible text, or the ``title`` attribute when the text is empty or cut with '...' (광주, 경북).

    >>> pick_title("광주공장 화재에 따른 실시간...", "광주공장 화재에 따른 실시간 측정데이터 공개")
    '광주공장 화재에 따른 실시간 측정데이터 공개'
    """
    if not text:
        return attr
    stem = _TRUNCATED.sub("", text).strip()
    if _TRUNCATED.search(text) and attr and len(attr) > len(stem) and attr.startswith(stem[:8]):
        return attr
    return text


def list_date(text: str | None) -> str | None:
    """The first date in a list cell as ``YYYY-MM-DD``; two-digit years read as 20YY (경상북도 ``26-01-07``).

    >>> list_date("작성일 : 2025-12-09"), list_date("54-880-2361 ｜ 26-01-07"), list_date("조회 12")
    ('2025-12-09', '2026-01-07', None)
    """
    value = parse_kst(text) if text else None
    if value:
        return value[:10]
    for m in _SHORT_DATE.finditer(text or ""):
        value = parse_kst(f"20{m.group(1)}-{m.group(3)}-{m.group(4)}")
        if value:
            return value
    return None


def is_pinned(item: LexborNode, rules: ItemRules | None) -> bool:
    """True for a pinned 공지 row: the source's ``pinned`` CSS matches it (or a node in it), its class says
    notice, or a node inside it reads exactly '공지' (text or img alt), as on eGovFrame ``<tr class="notice">``
    boards."""
    if rules is not None and rules.pinned and item.css_matches(rules.pinned):
        return True
    markers = set(rules.pinned_markers if rules is not None else ItemRules(item="x").pinned_markers)
    classes = (item.attributes.get("class") or "").lower().split()
    if any(c in ("notice", "notice_row", "board_notice", "top_notice", "fixed") for c in classes):
        return True
    for node in css_all(item, "span, em, strong, i, b, td, th, div, p, img"):
        text = node.attributes.get("alt") if node.tag == "img" else node.text(deep=True)
        if fold_space(text or "") in markers:
            return True
    return False
