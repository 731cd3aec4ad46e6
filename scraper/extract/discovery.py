"""Generic item discovery on a list page without a board source; pure.

Keeps same-host links that look like posts: a view/read path (``view.do``, ``act=read``,
``articleView.html``) or a content-id parameter (``idx=`` 강진/나주, ``nttId=`` 완도, ``seq=`` 광주,
``articleId=`` 진도, ``newsId=`` korea.kr, ``idxno=`` news CMSs, ``wr_id=`` gnuboard, ``document_srl=`` XE/Rhymix;
a bare ``id=``/``no=``/``num=`` only on a view path or in a list row), and ``javascript:fn_view('id')`` /
``onclick`` links (eGovFrame 구청 boards). Links inside menus, headers, footers and pagers are skipped.
In a board row (a ``tr``/``li`` among several) also a numeric last path segment (강동구 ``/press/15448``) and the
single numeric non-state parameter of a view path (경기도 gnews ``..._view.do?number=71428``); the SI
``selectBbsNtt`` platform's ``nttNo`` is read first (서울 자치구, 구리, 하남).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import bounded_text, node_lines, text_longer_than
from scraper.extract.links import data_id, link_calls, plain_href
from scraper.extract.listitem import (
    ListItem,
    clean_title_attr,
    is_pinned,
    list_date,
    pick_title,
    title_noise,
    visible_text,
)
from scraper.extract.rules import css_all
from scraper.normalize.text import fold_space
from scraper.normalize.urls import canonical_item_url, is_state_param, item_id_from_url

_VIEW_FN = re.compile(r"(?i)view|read|detail|show|article|content|goDetail")
_NOT_VIEW_FN = re.compile(r"(?i)pag|popup|print|share|sns|search|open|download|file|preview")
_VIEW_WORD = re.compile(r"(?i)view|read|detail|show|article")
_CHROME = re.compile(
    r"(?:^|[-_])(?:gnb|lnb|snb|tnb|nav|navi|navigation|menu|allmenu|footer|header|sitemap|breadcrumb|location|"
    r"quick|util|skip|family|familysite|paging|pagination|paginate|banner|share|sns|popup)(?:$|[-_\d])",
    re.I,
)
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
_ROW_TAGS = frozenset({"tr", "li", "dl", "article"})
MAX_DEPTH = 40


def in_chrome(node: LexborNode) -> bool:
    """True when ``node`` sits in a menu, header, footer, pager or banner (by tag, id or class token)."""
    parent, depth = node.parent, 0
    while parent is not None and depth < MAX_DEPTH and parent.tag not in ("body", "html", "main"):
        if parent.tag in _CHROME_TAGS:
            return True
        names = f"{parent.attributes.get('id') or ''} {parent.attributes.get('class') or ''}".split()
        if any(_CHROME.search(name) for name in names):
            return True
        parent, depth = parent.parent, depth + 1
    return False


def _same_host(url: str, base: str | None) -> bool:
    if not base or not urlsplit(base).netloc:
        return True
    strip = ("www.", "m.")
    host = (urlsplit(url).hostname or "").lower()
    page = (urlsplit(base).hostname or "").lower()
    return host.removeprefix(strip[0]).removeprefix(strip[1]) == page.removeprefix(strip[0]).removeprefix(strip[1])


def link_target(link: LexborNode, base: str | None) -> tuple[str, str | None] | None:
    """(id, URL) when ``link`` looks like a post link, else ``None``."""
    href = plain_href(link, base)
    if href is None:
        calls = [c for c in link_calls(link) if c.args and _VIEW_FN.search(c.name) and not _NOT_VIEW_FN.search(c.name)]
        if calls:
            return calls[0].args[0], None
        value = data_id(link)
        return (value, None) if value else None
    if not href.startswith(("http://", "https://", "/", "?", ".")) and ":" in href.split("/")[0]:
        return None
    in_row = _in_list_row(link)
    item_id = family_id(href) or item_id_from_url(href) or (
        (item_id_from_url(href, weak=True) or lone_view_param(href)) if in_row else None)
    if item_id is None or not _same_host(href, base):
        return None
    if not (_VIEW_WORD.search(urlsplit(href).path + "?" + urlsplit(href).query) or "=" in href or in_row):
        return None  # a numeric path (``/web/newportal/press/15448``, 강동구) only in a board row
    return item_id, href


# Post-id parameters of board platforms (CMS families), read before the generic id parameters: the SI
# "selectBbsNtt" platform of most 서울 자치구, 구리, 하남, 양주, 남양주 (``selectBbsNttView.do?bbsNo=..&nttNo=..``).
_FAMILY_ID_PARAMS = {"selectbbsnttview": "nttno"}


def family_id(href: str) -> str | None:
    """The post id of a view link of a known board platform (SI ``selectBbsNttView.do`` -> ``nttNo``), else ``None``.

    >>> family_id("./selectBbsNttView.do?bbsNo=96&nttNo=19278949&&pageUnit=10&key=2781&pageIndex=1")
    '19278949'
    >>> family_id("./selectBbsNttList.do?bbsNo=96&key=2781&pageIndex=2") is None
    True
    """
    parts = urlsplit(href)
    page = parts.path.rsplit("/", 1)[-1].split(";", 1)[0].split(".", 1)[0].lower()
    name = _FAMILY_ID_PARAMS.get(page)
    if name is None:
        return None
    params = {k.lower(): v.strip() for k, v in parse_qsl(parts.query)}
    return params.get(name) or None


def lone_view_param(href: str) -> str | None:
    """On a view path, the value of its only numeric parameter that is not paging/search state (경기도 gnews
    ``brief_gongbo_view.do;jsessionid=..?BS_CODE=s017&number=71428&search=0&page=1`` -> ``71428``); ``None``
    when there is no view word in the path or no single such parameter.

    >>> lone_view_param("/briefing/brief_gongbo_view.do?BS_CODE=s017&number=71428&search=0&keyword=&page=1")
    '71428'
    >>> lone_view_param("/board/view.do?menuNo=12&bbsNo=3") is None
    True
    """
    parts = urlsplit(href)
    if not _VIEW_WORD.search(parts.path):
        return None
    values = [v.strip() for k, v in parse_qsl(parts.query) if v.strip().isdigit() and not is_state_param(k)]
    return values[0] if len(values) == 1 and len(values[0]) >= 2 else None


def _in_list_row(link: LexborNode) -> bool:
    """True when ``link`` sits in a ``tr`` of a table or an ``li`` of a list with several rows (a board list)."""
    row = row_of(link)
    parent = row.parent
    if row.tag not in ("tr", "li") or parent is None:
        return False
    return len(parent.css(f"{row.tag}")) >= 3


def row_of(link: LexborNode) -> LexborNode:
    """The row or card holding ``link`` (nearest tr/li/dl/article, else the link's grandparent)."""
    node, depth = link.parent, 0
    while node is not None and depth < 6:
        if node.tag in _ROW_TAGS:
            return node
        node, depth = node.parent, depth + 1
    parent = link.parent
    return (parent.parent or parent) if parent is not None else link


def _target_title(link: LexborNode, base: str | None) -> tuple[str, str | None, str] | None:
    """``(id, URL, title)`` of a post link (the title may be empty), or ``None`` for any other link."""
    target = link_target(link, base)
    if target is None or in_chrome(link) or text_longer_than(link, ROW_RAW_CHARS):
        return None  # a "link" holding pages of text (an onclick wrapper of a whole section) is no post link
    item_id, url = target
    return item_id, url, pick_title(card_title(link), clean_title_attr(link.attributes.get("title")))


def _candidate(link: LexborNode, base: str | None) -> ListItem | None:
    found = _target_title(link, base)
    if found is None:
        return None
    item_id, url, title = found
    row = row_of(link)
    return ListItem(id=item_id, url=url, title=title, date=row_date(row, link, title), pinned=is_pinned(row, None))


_CARD_HEADING = "strong, b, h2, h3, h4, h5, [class*='tit'], [class*='subject'], [class*='head']"
MAX_TITLE_CHARS = 150
MAX_DATE_CELL_CHARS = 40
MAX_ROW_CHARS = 5000
ROW_RAW_CHARS = 4 * MAX_ROW_CHARS
"""Characters of unfolded text (indentation included) past which an element is no row, cell or list link: read
no further (each nested level's full text would be read again: quadratic on broken markup)."""


def _stands_alone(node: LexborNode, link: LexborNode) -> bool:
    """True when no bare text sits beside ``node`` or its ancestors inside ``link``: the other text of the link
    is in elements of its own (a teaser ``<p>``, a ``span.source``), as on a card, not around a bold word."""
    while node is not None and node.mem_id != link.mem_id:
        parent = node.parent
        if parent is None:
            return False
        child = parent.child
        while child is not None:
            if child.tag == "-text" and child.mem_id != node.mem_id and (child.text_content or "").strip():
                return False
            child = child.next
        node = parent
    return True


def card_title(link: LexborNode) -> str:
    """A list link's title without badges, date-only and leading ``[category]`` elements (see
    :func:`~scraper.extract.listitem.title_noise`); for a card link that holds a heading element beside a teaser
    or date (gangjin.go.kr ``ul#news`` ``p.c_tit``, korea.kr ``strong``, 하남 SI card ``span.post_title``, 진도
    ``em.news_tit``, 완도 photo ``div.title``), that heading; for a long link without one, its first line."""
    noise = title_noise(link)
    text = visible_text(link, noise)
    for node in css_all(link, _CARD_HEADING):
        if node.mem_id == link.mem_id or node.mem_id in noise or bounded_text(node, 2 * MAX_TITLE_CHARS) is None:
            continue  # a heading is short: the bounded walk keeps a link nested thousands of levels deep linear
        heading = visible_text(node, noise)
        if 4 <= len(heading) <= MAX_TITLE_CHARS and len(heading) < len(text) and _stands_alone(node, link):
            return heading
    if len(text) <= MAX_TITLE_CHARS:
        return text
    lines = node_lines(link)
    return lines[0] if lines else text[:MAX_TITLE_CHARS]


def _date_cell(root: LexborNode, title: str) -> str | None:
    """The first date in a short element of ``root`` (a date cell, ``span.date``, korea.kr ``span.source
    > span``), skipping elements that hold the title and long teaser paragraphs."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag in ("-text", "-comment", "script", "style") or node.tag is None:
            continue
        if text_longer_than(node, ROW_RAW_CHARS):
            continue  # far longer than any row: the bounded walk keeps a page nested thousands deep linear
        text = fold_space(node.text(deep=True))
        if len(text) > MAX_ROW_CHARS or (node.tag in ("p", "dd") and len(text) > MAX_DATE_CELL_CHARS):
            continue  # a teaser: any year-month-day of the story would do (gangjin.go.kr gave 1975-12-31)
        if len(text) <= MAX_DATE_CELL_CHARS and not (title and title in text):
            date = list_date(text)
            if date:
                return date
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(reversed(children))
    return None


def row_date(row: LexborNode, link: LexborNode | None = None, title: str = "") -> str | None:
    """The date of a list row: the first short element with a date in the link (cards keep it there: 하남
    ``span.post_data``), else in the row (a date cell; 경상북도 ``div.classify`` spans, korea.kr ``span.source``,
    진도 ``span.news_info``), else the first short line of the row; not from teaser text."""
    for root in (link, row):
        if root is not None:
            date = _date_cell(root, title)
            if date:
                return date
    for line in node_lines(row):
        if len(line) <= MAX_DATE_CELL_CHARS:
            date = list_date(line)
            if date:
                return date
    return None


def discover_items(tree: LexborHTMLParser, base: str | None) -> list[ListItem]:
    """Post links of a list page in page order, de-duplicated by id (the first titled link wins)."""
    found: dict[str, ListItem] = {}
    for link in css_all(tree, "a, [onclick]"):
        item = _candidate(link, base)
        if item is None:
            continue
        key = item.id if item.url is None else (item.id or canonical_item_url(item.url))
        old = found.get(key)
        if old is None or (not old.title and item.title):
            found[key] = item
    return [item for item in found.values() if item.title]


def count_items(tree: LexborHTMLParser, base: str | None) -> int:
    """``len(discover_items(tree, base))`` without reading the items' dates and pinned flags: the number of
    distinct post ids (or URLs) with a titled link, for a caller that only asks whether a page is a list.

    >>> tree = LexborHTMLParser('<ul><li><a href="view.do?idx=1">첫 소식</a></li>'
    ...     '<li><a href="view.do?idx=1">같은 글</a></li><li><a href="view.do?idx=2">둘째 소식</a></li></ul>')
    >>> count_items(tree, None), len(discover_items(tree, None))
    (2, 2)
    """
    titled: set[str] = set()
    for link in css_all(tree, "a, [onclick]"):
        found = _target_title(link, base)
        if found is not None and found[2]:
            item_id, url, _title = found
            titled.add(item_id if url is None else (item_id or canonical_item_url(url)))
    return len(titled)
