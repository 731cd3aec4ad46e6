"""The posts of a list page, found by generic discovery, and the row (card, table row) each one sits in; pure.

:func:`scraper.extract.discovery.discover_items` finds post links on a page it has never seen; here its
items are tied back to their link nodes, cut down to the board's own posts (one URL shape, the platform's
view links, the list's own board), and each gets its row: the largest element around its links that holds
no other post.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.discovery import card_title, discover_items, in_chrome, link_target, row_date, row_of
from scraper.extract.links import plain_href
from scraper.extract.listitem import ListItem, clean_title_attr, is_pinned, pick_title
from scraper.extract.rules import css_all
from scraper.normalize.urls import is_state_param
from scraper.sources.platforms import Platform

LINKS = "a, [onclick]"
MAX_ROW_CLIMB = 8


@dataclass
class Post:
    """One post of the list: what discovery read (``item``), its link nodes in page order, and its row."""

    item: ListItem
    links: list[LexborNode]
    row: LexborNode


def url_shape(item: ListItem) -> str:
    """The shape of a post's link: its path with digits folded and its non-state parameter names (links
    without a URL, javascript calls and data-* ids, are one shape).

    >>> url_shape(ListItem(id="9", url="https://h/www/selectBbsNttView.do?bbsNo=96&nttNo=9&pageIndex=1", title="t"))
    '/www/selectBbsNttView.do?bbsNo&nttNo'
    >>> url_shape(ListItem(id="15448", url="https://h/web/newportal/press/15448", title="t"))
    '/web/newportal/press/#?'
    """
    if item.url is None:
        return "javascript or data-* links"
    parts = urlsplit(item.url)
    path = re.sub(r"\d+", "#", parts.path.split(";", 1)[0])
    names = sorted({k for k, v in parse_qsl(parts.query) if v.strip() and not is_state_param(k)})
    return f"{path}?{'&'.join(names)}"


def _link_map(tree: LexborHTMLParser, base: str | None) -> dict[str, list[LexborNode]]:
    """Post id -> its link nodes (the links discovery keeps: post-looking, outside menus and footers)."""
    found: dict[str, list[LexborNode]] = {}
    for link in css_all(tree, LINKS):
        target = link_target(link, base)
        if target is not None and not in_chrome(link):
            found.setdefault(target[0], []).append(link)
    return found


def platform_items(tree: LexborHTMLParser, base: str | None, row: Platform) -> tuple[list[ListItem],
                                                                                  dict[str, list[LexborNode]]]:
    """Posts read off the platform's own view links, for boards whose ids generic discovery does not know
    (``board.es?...&list_no=N``): the id from the view-link pattern, title and date as discovery reads them."""
    items: dict[str, ListItem] = {}
    links: dict[str, list[LexborNode]] = {}
    for link in css_all(tree, LINKS):
        m = row.view_link.search(_raw(link))
        post_id = next((v for v in m.groups() if v), None) if m else None
        if post_id is None or in_chrome(link):
            continue
        links.setdefault(post_id, []).append(link)
        title = pick_title(card_title(link), clean_title_attr(link.attributes.get("title")))
        if post_id not in items or (not items[post_id].title and title):
            row_node = row_of(link)
            items[post_id] = ListItem(id=post_id, url=plain_href(link, base), title=title,
                                      date=row_date(row_node, link, title), pinned=is_pinned(row_node, None))
    return [i for i in items.values() if i.title], links


def _board_value(url: str | None, name: str) -> str | None:
    params = {k.lower(): v for k, v in parse_qsl(urlsplit(url or "").query)}
    return params.get(name.lower())


def board_posts(tree: LexborHTMLParser, base: str | None, row: Platform | None) -> tuple[list[Post], list[str]]:
    """The board's posts on a parsed list page, in page order, and notes on what was left out.

    Kept: the posts generic discovery finds; with a platform, only its view links (when any) and only those
    of the list URL's own board (``bbsNo``: 서울 자치구 pages carry banner links to other boards); then only
    the most common link shape (a sidebar of another kind of link is no part of the board).
    """
    items = discover_items(tree, base)
    links = _link_map(tree, base)
    notes: list[str] = []
    if row is not None and not any(row.view_link.search(_raw(n)) for i in items for n in links.get(i.id, [])):
        read, read_links = platform_items(tree, base, row)
        if read:
            notes.append(f"posts read off the {row.view_link.what} (generic discovery does not know the id)")
            items, links = read, read_links
    pairs = [(item, links[item.id]) for item in items if links.get(item.id)]
    if row is not None:
        own = [p for p in pairs if any(row.view_link.search(_raw(n)) for n in p[1])]
        if own and len(own) < len(pairs):
            notes.append(f"left out {len(pairs) - len(own)} links that are no {row.view_link.what}")
            pairs = own
        for name in row.board_params:
            board = _board_value(base, name)
            if board:
                same = [p for p in pairs if _board_value(p[0].url, name) in (None, board)]
                if not same:
                    notes.append(f"no post link has {name}={board} of the list URL; kept the others")
                elif len(same) < len(pairs):
                    notes.append(f"left out {len(pairs) - len(same)} links to other boards ({name} is not {board})")
                    pairs = same
    shapes = Counter(url_shape(item) for item, nodes in pairs)
    if len(shapes) > 1:
        main = shapes.most_common(1)[0][0]
        notes.append(f"kept the {shapes[main]} links shaped {main}; "
                     f"left out {len(pairs) - shapes[main]} of other shapes")
        pairs = [p for p in pairs if url_shape(p[0]) == main]
    return [Post(item, nodes, nodes[0]) for item, nodes in pairs], notes


def _raw(link: LexborNode) -> str:
    return f"{link.attributes.get('href') or ''} {link.attributes.get('onclick') or ''}"


def assign_rows(posts: list[Post]) -> None:
    """Give each post its row: the largest ancestor of its first link that holds no other post's link
    (a lone post gets discovery's row: the nearest tr/li/dl/article)."""
    if len(posts) < 2:
        for post in posts:
            post.row = row_of(post.links[0])
        return
    owner = {node.mem_id: post.item.id for post in posts for node in post.links}
    for post in posts:
        node = post.links[0]
        for _ in range(MAX_ROW_CLIMB):
            parent = node.parent
            if parent is None or parent.tag in ("body", "html", None):
                break
            inside = {owner.get(n.mem_id) for n in css_all(parent, LINKS)} - {None}
            if inside - {post.item.id}:
                break
            node = parent
        post.row = node
