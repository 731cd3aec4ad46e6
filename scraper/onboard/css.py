"""CSS selectors written from nodes: a row's container path, a cell's place inside its row; pure.

The selectors are meant to be read and kept in a sources file, so the plain ones come first (``p.c_tit``,
``td:nth-child(4)``) and a full path only when nothing shorter holds on every row.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

_IDENT = re.compile(r"^-?[A-Za-z_][\w-]*$")
_STATE_CLASS = re.compile(
    r"^(?:on|active|selected|current|first|last|odd|even|new|hot|show|open|over|hover|focus|visible|hidden|"
    r"is-[\w-]+|has-[\w-]+|swiper-[\w-]+|slick-[\w-]+|ng-[\w-]+|aos-[\w-]+)$",
    re.I,
)
MAX_CLIMB = 5
"""Ancestors looked at above a row's parent for a named container (``table.table_list`` above ``tbody``)."""


def classes(node: LexborNode) -> list[str]:
    """The node's class names that are usable in a selector and describe what it is, not its state.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> classes(LexborHTMLParser('<li class="item on c:1 new">x</li>').css_first("li"))
    ['item']
    """
    names = (node.attributes.get("class") or "").split()
    return [c for c in dict.fromkeys(names) if _IDENT.match(c) and not _STATE_CLASS.match(c)]


def tag(node: LexborNode) -> str:
    """The node's tag as a selector step (``*`` for names CSS cannot spell, such as Word's ``o:p``)."""
    name = node.tag or ""
    return name if _IDENT.match(name) else "*"


def node_id(node: LexborNode) -> str | None:
    """The node's ``id`` when it is usable in a selector and does not look generated (no digits run)."""
    value = (node.attributes.get("id") or "").strip()
    return value if _IDENT.match(value) and not re.search(r"\d{3,}", value) else None


def signature(node: LexborNode, shared: list[str] | None = None) -> str:
    """``tag.class.class`` of a node (``shared``: only these classes).

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> signature(LexborHTMLParser('<ul class="news_list"><li>x</li></ul>').css_first("ul"))
    'ul.news_list'
    """
    names = classes(node) if shared is None else shared
    return tag(node) + "".join(f".{c}" for c in names)


def anchor(node: LexborNode) -> str | None:
    """A selector naming ``node`` on its own: ``tag#id`` or ``tag.class``; ``None`` when it has neither."""
    ident = node_id(node)
    if ident:
        return f"{tag(node)}#{ident}"
    return signature(node) if classes(node) else None


def element_index(node: LexborNode) -> int:
    """The node's 1-based place among its parent's element children (``:nth-child``)."""
    index, sibling = 1, node.prev
    while sibling is not None:
        if sibling.tag and not sibling.tag.startswith("-"):
            index += 1
        sibling = sibling.prev
    return index


def shared_classes(nodes: list[LexborNode]) -> list[str]:
    """The classes every node of ``nodes`` has, in the first node's order."""
    common = classes(nodes[0])
    for node in nodes[1:]:
        have = set(classes(node))
        common = [c for c in common if c in have]
    return common


def container_selectors(rows: list[LexborNode]) -> list[str]:
    """Selectors for a group of sibling-like rows (one tag, one parent), plainest first:
    ``parent > row``, ``named-ancestor parent > row``, ``named-ancestor row``, ``row.class``."""
    row_sig = signature(rows[0], shared_classes(rows))
    parent = rows[0].parent
    found: list[str] = []
    if parent is None:
        return [row_sig]
    own = anchor(parent)
    if own:
        found.append(f"{own} > {row_sig}")
    node, between = parent.parent, [tag(parent)]
    for _ in range(MAX_CLIMB):
        if node is None or node.tag in ("html", None):
            break
        named = anchor(node)
        if named:
            found.append(f"{named} {' > '.join(reversed(between))} > {row_sig}")
            found.append(f"{named} {row_sig}")
            break
        between.append(tag(node))
        node = node.parent
    if "." in row_sig:
        found.append(row_sig)
    found.append(f"{tag(parent)} > {row_sig}")
    return list(dict.fromkeys(found))


def _path(row: LexborNode, node: LexborNode) -> list[LexborNode]:
    """The nodes from just below ``row`` down to ``node`` (``[]`` when ``node`` is ``row``)."""
    chain: list[LexborNode] = []
    current: LexborNode | None = node
    while current is not None and current.mem_id != row.mem_id:
        chain.append(current)
        current = current.parent
    return list(reversed(chain)) if current is not None else []


def inner_selectors(row: LexborNode, node: LexborNode) -> list[str]:
    """Selectors that may find ``node`` inside ``row``, plainest first: its classes, a named ancestor in the
    row and its tag, its ``:nth-child`` place, then the full ``:nth-child`` path from the row."""
    chain = _path(row, node)
    if not chain:
        return []
    name = tag(node)
    own = classes(node)
    found = [f"{name}.{c}" for c in own]
    if len(own) > 1:
        found.append(signature(node))
    for ancestor in reversed(chain[:-1]):
        named = anchor(ancestor)
        if named:
            found += [f"{named} > {name}", f"{named} {name}"]
            break
    parent = chain[-2] if len(chain) > 1 else row
    nth = f"{name}:nth-child({element_index(node)})"
    found += [name, nth, f"{tag(parent)} > {nth}"]
    found.append(" > ".join(f"{tag(n)}:nth-child({element_index(n)})" for n in chain))
    return list(dict.fromkeys(found))
