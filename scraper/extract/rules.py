"""Applying profile selectors with selectolax (Lexbor); pure.

A selector string is CSS, optionally ending in ``@attr`` to read that attribute instead of the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import has_text, node_text
from scraper.normalize.text import fold_space
from scraper.sources.selectors import split_selector


def css_all(root: LexborHTMLParser | LexborNode, css: str) -> list[LexborNode]:
    """Nodes matching ``css``; an invalid selector gives ``[]`` instead of an exception."""
    try:
        return list(root.css(css))
    except (ValueError, SyntaxError):
        return []


def any_match(root: LexborHTMLParser | LexborNode, selectors: list[str]) -> bool:
    """True when one of ``selectors`` (CSS) matches a node: one query for the comma-joined list (each
    selector on its own when the list does not compile, an invalid one matching nothing).

    >>> any_match(LexborHTMLParser("<p class='a'>x</p>"), ["div.b", "p.a"]), any_match(LexborHTMLParser("<p>"), [])
    (True, False)
    """
    if not selectors:
        return False
    try:
        return root.css_first(", ".join(selectors)) is not None
    except (ValueError, SyntaxError):
        return any(css_all(root, selector) for selector in selectors)


GUARD_RUN = 6
"""Selectors tested together by :func:`maybe_matching` (one comma-joined query for a run of this many)."""


def maybe_matching(root: LexborHTMLParser | LexborNode, selectors: Sequence[str]) -> Iterator[int]:
    """The indexes of ``selectors`` (CSS, an ``@attr`` suffix allowed) in order, without those of a run of
    :data:`GUARD_RUN` consecutive ones that together match no node under ``root`` (one comma-joined
    ``css_first`` tells, as :func:`any_match`). For a caller that queries each selector on its own, in order:
    a whole-tree query costs about the same whatever it finds, and most of a list of fallback selectors
    finds nothing on a given page. Lazy: each run is tested when it is reached, so a caller that removes
    nodes or stops early sees the tree as it is then (a run that matches nothing now gives its selectors'
    queries nothing either).

    >>> list(maybe_matching(LexborHTMLParser("<p class='a'>x</p>"), ["div.b", "p.a"])), GUARD_RUN
    ([0, 1], 6)
    >>> list(maybe_matching(LexborHTMLParser("<p>x</p>"), ["div.a", "div.b", "div.c"]))
    []
    """
    for start in range(0, len(selectors), GUARD_RUN):
        run = selectors[start:start + GUARD_RUN]
        if len(run) > 1 and not any_match(root, [split_selector(s)[0] for s in run]):
            continue
        yield from range(start, start + len(run))


def select_values(root: LexborHTMLParser | LexborNode, selector: str) -> list[str]:
    """Non-empty texts (or attribute values) of every node matching ``selector``, in page order."""
    css, attr = split_selector(selector)
    values: list[str] = []
    for node in css_all(root, css):
        raw = node.attributes.get(attr) if attr else node_text(node)
        value = fold_space(raw or "")
        if value:
            values.append(value)
    return values


def first_value(root: LexborHTMLParser | LexborNode, selectors: list[str]) -> str | None:
    """The first non-empty value of the first selector that yields one, or ``None``."""
    for selector in selectors:
        values = select_values(root, selector)
        if values:
            return values[0]
    return None


def first_node(root: LexborHTMLParser | LexborNode, selectors: list[str]) -> LexborNode | None:
    """The first node matching one of ``selectors`` (in selector order) that holds any text."""
    for selector in selectors:
        for node in css_all(root, split_selector(selector)[0]):
            if has_text(node):
                return node
    return None


_BRACKETS_RE = re.compile(r"\[[^\]]*\]")


@functools.lru_cache(maxsize=1024)
def is_structural(selector: str) -> bool:
    """True when whether a node matches ``selector`` can change as other nodes are removed: a pseudo-class
    (``:first-child``, ``:has(...)``, ``:empty``) or a sibling combinator (``+``, ``~``) outside attribute
    tests. A selector of types, classes, ids and attribute tests joined by descendant/child combinators
    depends only on the node and its ancestors.

    >>> is_structural("div.ad > p, [class~='ad']"), is_structural("p:first-child"), is_structural("h2 + p")
    (False, True, True)
    """
    return bool(re.search(r"[:+~]", _BRACKETS_RE.sub("", selector)))


def _drop_union(root: LexborNode, selectors: list[str]) -> None:
    """Remove the nodes matching any of ``selectors`` (none structural) with one query: what removing each
    selector's matches in turn gives (a node's match does not depend on the others' removal), without
    touching a node inside one already removed."""
    try:
        nodes = list(root.css(", ".join(selectors)))
    except (ValueError, SyntaxError):  # one bad selector spoils the list: each on its own, the bad one matches nothing
        if len(selectors) > 1:
            for selector in selectors:
                _drop_union(root, [selector])
        return
    matched = {n.mem_id for n in nodes} - {root.mem_id}
    outermost: dict[int, LexborNode] = {}
    for node in nodes:
        if node.mem_id not in matched or node.mem_id in outermost:
            continue
        current = node.parent
        while current is not None and current.mem_id != root.mem_id and current.mem_id not in matched:
            current = current.parent
        if current is None or current.mem_id == root.mem_id:
            outermost[node.mem_id] = node
    for node in outermost.values():  # disjoint subtrees: decomposed in any order
        node.decompose()


def drop_nodes(root: LexborNode, selectors: list[str] | tuple[str, ...]) -> None:
    """Remove every node under ``root`` that matches one of ``selectors``, in selector order (mutates the
    tree). Runs of selectors that are not :func:`structural <is_structural>` are applied as one query.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser("<div><p class='ad'><b class='x'>a</b></p><p>b</p><i class='x'>c</i><p>d</p></div>")
    >>> root = tree.css_first("div")
    >>> drop_nodes(root, [".x", "p.ad", "p:first-child", "div"]); root.html
    '<div><p>d</p></div>'
    """
    run: list[str] = []
    for selector in selectors:
        if not is_structural(selector):
            run.append(selector)
            continue
        if run:
            _drop_union(root, run)
            run = []
        for node in css_all(root, selector):
            if node.mem_id != root.mem_id:
                node.decompose()
    if run:
        _drop_union(root, run)
