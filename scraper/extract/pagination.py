"""Page numbers offered by a list page's pager; pure.

Pager shapes seen: ``?page=N`` links (강진, 나주), ``pageIndex=N`` (완도, 진도), offset ``Start=10,20``
with ``title="2페이지로 이동합니다."`` (경상북도), ``onclick="pageLink(2)"`` (정책브리핑 korea.kr),
``javascript:fn_link_page(2)`` (eGovFrame boards), ``goPage(2)``; the current page as ``<strong>1</strong>``
(진도) or ``<a class="on">1</a>`` (강진, korea.kr).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.links import link_calls
from scraper.extract.rules import css_all
from scraper.normalize.text import fold_space
from scraper.normalize.urls import item_id_from_url, split_url
from scraper.sources.board import Paging

OFFSET_PARAMS = frozenset({"start", "offset", "startcount", "firstindex"})
PAGE_PARAMS = frozenset(
    "page pageindex pageno page_no pagenum pg cpage curpage currentpage nowpage movepage gotopage".split()
)
_PAGE_FN = re.compile(r"(?i)pag")  # fn_link_page, goPage, pageLink, paging, movePage
_TITLE_PAGE = re.compile(r"(\d{1,6})\s*페이지")
_CURRENT = "strong, .on, .active, .current, [aria-current], [title*='현재']"
MAX_PAGE = 1_000_000


def _int(text: str | None) -> int | None:
    text = fold_space(text or "")
    return int(text) if text.isdigit() and 0 < int(text) < MAX_PAGE else None


def _from_js(node: LexborNode) -> int | None:
    for call in link_calls(node):
        if _PAGE_FN.search(call.name):
            for arg in call.args:
                if (n := _int(arg)) is not None:
                    return n
    return None


def _from_query(node: LexborNode, paging: Paging | None) -> tuple[int | None, bool]:
    """(page number, is a pager link) from the link's query parameters."""
    query = parse_qsl(urlsplit(node.attributes.get("href") or "").query)
    for key, value in query:
        n = _int(value) if value != "0" else 0
        if n is None:
            continue
        if paging is not None and key == paging.param:
            return paging.page_of(n), True
        if key.lower() in OFFSET_PARAMS:
            return None, True
        if key.lower() in PAGE_PARAMS:
            return (n or None), True
    return None, False


def link_page(node: LexborNode, paging: Paging | None = None, host: str | None = None) -> int | None:
    """The page a pager link leads to, or ``None`` when ``node`` is not a pager link (or leads to another
    host than ``host``: gb.go.kr's menu links to gbyouth.co.kr/...?pageNo=5069)."""
    if (n := _from_js(node)) is not None:
        return n
    href = node.attributes.get("href") or ""
    if item_id_from_url(href) or split_url(href) is None:
        return None  # an item link that carries pageIndex=1, or an href that is no URL
    if re.match(r"(?i)(?:https?:)?//", href) and urlsplit(href).netloc.lower() != (host or "").lower():
        return None
    n, pager = _from_query(node, paging)
    if n is not None:
        return n
    if pager:  # an offset link: trust its visible number or its "N페이지" title
        m = _TITLE_PAGE.search(node.attributes.get("title") or "")
        return _int(node.text()) or (int(m.group(1)) if m else None)
    return _int(node.attributes.get("data-page") or node.attributes.get("data-move"))


def _current_pages(links: list[LexborNode]) -> set[int]:
    found: set[int] = set()
    containers: dict[int, LexborNode] = {}
    for link in links:
        parent = link.parent
        for box in (parent, parent.parent if parent is not None else None):
            if box is not None:
                containers[box.mem_id] = box
    for box in containers.values():
        for node in css_all(box, _CURRENT):
            if (n := _int(node.text())) is not None:
                found.add(n)
    return found


def page_numbers(tree: LexborHTMLParser, paging: Paging | None = None, base: str | None = None) -> list[int]:
    """Sorted page numbers linked from the pager, with the current page (``<strong>1</strong>``); absolute
    links count only on ``base``'s host."""
    host = urlsplit(base or "").netloc
    links: list[LexborNode] = []
    pages: set[int] = set()
    for node in css_all(tree, "a, button"):
        n = link_page(node, paging, host)
        if n is not None:
            links.append(node)
            pages.add(n)
    if not links:
        return []
    current = {n for n in _current_pages(links) if n <= max(pages) + 1}  # not a total count in <strong>
    return sorted(pages | current)
