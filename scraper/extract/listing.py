"""List pages (board indexes) -> items and pager page numbers; pure.

With a :class:`~scraper.sources.board.BoardSource` the items are read with its selectors; without one,
article-looking links are discovered generically (see :mod:`scraper.extract.discovery`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import node_text
from scraper.extract.discovery import discover_items, family_id
from scraper.extract.links import data_id, fill_template, link_calls, plain_href
from scraper.extract.listitem import Listing, ListItem, clean_title_attr, is_pinned, list_date, pick_title
from scraper.extract.markup import parse_guarded
from scraper.extract.pagination import page_numbers
from scraper.extract.rules import css_all, drop_nodes, first_value
from scraper.normalize.text import fold_space
from scraper.normalize.urls import canonical_item_url, item_id_from_url
from scraper.sources.board import BoardSource, ItemRules

__all__ = [
    "ListItem", "Listing", "canonical_item_url", "clean_title_attr", "item_id_from_url", "list_date",
    "parse_listing",
]

def _link_target(link: LexborNode, rules: ItemRules, base: str | None) -> tuple[str | None, str | None]:
    """(id, absolute URL) of an item link, from data-*, javascript: calls or the href."""
    href = plain_href(link, base)
    calls = [c for c in link_calls(link) if c.args]
    if rules.id_attr or (not href and data_id(link)):
        value = data_id(link, rules.id_attr)
        if value:
            url = href or (fill_template(rules.view_url, (value,), base) if rules.view_url else None)
            return value, url
    if not href and calls:
        args = calls[0].args
        url = fill_template(rules.view_url, args, base) if rules.view_url else None
        return (args[rules.id_arg] if rules.id_arg < len(args) else args[0]), url
    if href is None:
        return None, None
    return _id_from_href(href, rules), href


def _id_from_href(href: str, rules: ItemRules) -> str | None:
    parts = urlsplit(href)
    if rules.id_param:
        return dict(parse_qsl(parts.query)).get(rules.id_param) or None
    if rules.id_segment is not None:
        segments = [s for s in parts.path.split("/") if s]
        try:
            return segments[rules.id_segment]
        except IndexError:
            return None
    return family_id(href) or item_id_from_url(href)


def _item_title(item: LexborNode, link: LexborNode, rules: ItemRules) -> str:
    attr = clean_title_attr(link.attributes.get("title"))
    drop_nodes(item, rules.title_drop)
    text = first_value(item, rules.title) if rules.title else node_text(link)
    return pick_title(fold_space(text or ""), attr)


def self_matches(node: LexborNode, selector: str) -> bool:
    """True when ``node`` itself matches ``selector`` (selectolax's ``css_matches`` also counts descendants)."""
    parent = node.parent
    return parent is not None and any(n.mem_id == node.mem_id for n in css_all(parent, selector))


def _item_link(item: LexborNode, rules: ItemRules) -> LexborNode | None:
    for selector in rules.link:
        if self_matches(item, selector):
            return item
        nodes = css_all(item, selector)
        if nodes:
            return nodes[0]
    return None


def _source_item(item: LexborNode, rules: ItemRules, base: str | None) -> ListItem | None:
    link = _item_link(item, rules)
    if link is None:
        return None
    item_id, url = _link_target(link, rules, base)
    if url and not item_id:
        item_id = canonical_item_url(url)
    title = _item_title(item, link, rules)
    if not item_id or not title:
        return None
    date = list_date(first_value(item, rules.date)) if rules.date else None
    return ListItem(id=item_id, url=url, title=title, date=date or list_date(node_text(item)),
                    pinned=is_pinned(item, rules))


def source_items(tree: LexborHTMLParser, source: BoardSource, base: str | None) -> list[ListItem]:
    """Items read with the source's selectors, de-duplicated by id (a pinned copy wins)."""
    found: dict[str, ListItem] = {}
    for node in css_all(tree, source.items.item):
        item = _source_item(node, source.items, base)
        if item is not None and (item.id not in found or item.pinned):
            found[item.id] = item if item.id not in found else found[item.id].model_copy(update={"pinned": True})
    return list(found.values())


def parse_listing(html: str, url: str | None, source: BoardSource | None = None) -> Listing:
    """Items and pager page numbers of a list page; ``url`` (or the source's list URL) absolutizes links.
    Nesting deeper than ``markup.MAX_DEPTH`` is flattened first (the parser is quadratic in depth)."""
    tree = parse_guarded(html)[1]
    base = url or (source.list_url if source else None)
    if source is not None:
        items = source_items(tree, source, base)
    else:
        items = discover_items(tree, base)
    return Listing(items=items, pages=page_numbers(tree, source.paging if source else None, url))
