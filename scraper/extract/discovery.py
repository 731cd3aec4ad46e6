"""Generic item discovery on a list page without a board source; pure.

Keeps same-host links that look like posts: a view/read path (``view.do``, ``act=read``,
``articleView.html``) or a content-id parameter (``idx=`` 강진/나주, ``nttId=`` 완도, ``seq=`` 광주,
``articleId=`` 진도, ``newsId=`` korea.kr, ``idxno=`` news CMSs, ``wr_id=`` gnuboard, ``document_srl=`` XE/Rhymix;
a bare ``id=``/``no=``/``num=`` only on a view path or in a list row), and ``javascript:fn_view('id')`` /
``onclick`` links (eGovFrame 구청 boards). Links inside menus, headers, footers and pagers are skipped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import node_lines, node_text
from scraper.extract.links import data_id, link_calls, plain_href
from scraper.extract.listitem import ListItem, clean_title_attr, is_pinned, list_date, pick_title
from scraper.extract.rules import css_all
from scraper.normalize.urls import canonical_item_url, item_id_from_url

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
    item_id = item_id_from_url(href) or (item_id_from_url(href, weak=True) if _in_list_row(link) else None)
    if item_id is None or not _same_host(href, base):
        return None
    if not (_VIEW_WORD.search(urlsplit(href).path + "?" + urlsplit(href).query) or "=" in href):
        return None
    return item_id, href


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


def _candidate(link: LexborNode, base: str | None) -> ListItem | None:
    target = link_target(link, base)
    if target is None or in_chrome(link):
        return None
    item_id, url = target
    title = pick_title(card_title(link), clean_title_attr(link.attributes.get("title")))
    row = row_of(link)
    return ListItem(id=item_id, url=url, title=title, date=row_date(row), pinned=is_pinned(row, None))


_CARD_HEADING = "strong, b, h2, h3, h4, h5, [class*='tit'], [class*='subject'], [class*='head']"
MAX_TITLE_CHARS = 150


def card_title(link: LexborNode) -> str:
    """A list link's title; for a card link holding a teaser (gangjin.go.kr ``ul#news``, korea.kr lists), its
    heading element or first line rather than the whole card text."""
    text = node_text(link)
    if len(text) <= MAX_TITLE_CHARS:
        return text
    for node in css_all(link, _CARD_HEADING):
        heading = node_text(node)
        if 4 <= len(heading) <= MAX_TITLE_CHARS:
            return heading
    lines = node_lines(link)
    return lines[0] if lines else text[:MAX_TITLE_CHARS]


def row_date(row: LexborNode) -> str | None:
    """The date of a list row from its short cells (a date column, ``span.date``), not from teaser text,
    where any year-month-day of the story would do (gangjin.go.kr teasers gave 1975-12-31)."""
    for line in node_lines(row):
        if len(line) <= 40:
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
