"""List items and their fields: title (visible text or ``title`` attribute), date, pinned 공지 flag; pure."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict
from selectolax.lexbor import LexborNode

from scraper.extract.blocks import BLOCK_TAGS, SKIP_TAGS, bounded_text
from scraper.extract.rules import css_all
from scraper.normalize.dates import parse_kst
from scraper.normalize.text import fold_space
from scraper.sources.board import ItemRules

_TRUNCATED = re.compile(r"(?:\.{2,}|…|·{2,}|･{2,})\s*$")
_ATTR_SUFFIX = re.compile(
    r"\s*(?:(?:에\s*대한\s*)?(?:글\s*)?(?:내용\s*|상세\s*)?보기\.?|\(?새\s*창(?:\s*열림)?\)?|바로\s*가기)\s*$"
)
_BADGES = frozenset({"n", "new", "새글", "새 글", "새글알림", "hot", "up"})
_DATE_ONLY = re.compile(r"^\d{2,4}\s*([-./])\s*\d{1,2}\s*\1\s*\d{1,2}\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_CATEGORY = re.compile(r"^\[[^\[\]]{1,30}\]$")
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
        # a marker is a word: a bounded walk keeps a row nested thousands of levels deep linear
        text = node.attributes.get("alt") if node.tag == "img" else bounded_text(node, NOISE_CHARS)
        if fold_space(text or "") in markers:
            return True
    return False


def _blank_before(node: LexborNode, root: LexborNode) -> bool:
    """True when no text precedes ``node`` inside ``root`` (each ancestor's earlier siblings are blank)."""
    current: LexborNode | None = node
    while current is not None and current.mem_id != root.mem_id:
        prev = current.prev
        while prev is not None:
            if fold_space(prev.text(deep=True) if prev.tag != "-comment" else ""):
                return False
            prev = prev.prev
        current = current.parent
    return True


NOISE_CHARS = 60
"""Longest text of a link's non-title element (badge, date, ``[category]``); reading no further keeps a link
nested thousands of levels deep linear (each level's full text would be read again: quadratic)."""


def title_noise(link: LexborNode) -> set[int]:
    """``mem_id`` of the nodes inside a list link that are not part of its title: a badge element whose whole
    text is ``N``/``NEW``/``새글`` (송파 ``span.p-icon__new``, 강진 ``i.ico_new``), a date-only element
    (완도 photo cards ``<span>2025-12-10</span>``) and a leading ``[category]`` element (진도
    ``span.styCategory``). A ``[참고]`` typed into the title text itself (korea.kr) stays."""
    noise: set[int] = set()
    for node in css_all(link, "*"):
        if node.mem_id == link.mem_id:
            continue
        raw = bounded_text(node, NOISE_CHARS)  # a badge, date or [category] is short; a long text never is
        if raw is None:
            continue
        text = fold_space(raw)
        if text.lower() in _BADGES or _DATE_ONLY.match(text) or (_CATEGORY.match(text) and _blank_before(node, link)):
            noise.add(node.mem_id)
    return noise


def visible_text(root: LexborNode, skip: set[int] | frozenset[int] = frozenset()) -> str:
    """The text of ``root`` on one line, whitespace folded, without the subtrees whose ``mem_id`` is in
    ``skip`` (scripts, styles and comments skipped; block elements and ``<br>`` separate words)."""
    parts: list[str] = []
    stack: list[LexborNode | None] = [root]  # None: the end of a block element
    while stack:
        node = stack.pop()
        if node is None:
            parts.append(" ")
            continue
        tag = node.tag
        if tag == "-text":
            parts.append(node.text_content or "")
            continue
        if node.mem_id in skip or tag in SKIP_TAGS or tag == "-comment" or tag is None:
            continue
        if tag in BLOCK_TAGS or tag == "br":
            parts.append(" ")
            stack.append(None)
        children: list[LexborNode | None] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(reversed(children))
    return fold_space("".join(parts))
