"""Applying profile selectors with selectolax (Lexbor); pure.

A selector string is CSS, optionally ending in ``@attr`` to read that attribute instead of the text.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import node_text
from scraper.normalize.text import fold_space
from scraper.sources.selectors import split_selector


def css_all(root: LexborHTMLParser | LexborNode, css: str) -> list[LexborNode]:
    """Nodes matching ``css``; an invalid selector gives ``[]`` instead of an exception."""
    try:
        return list(root.css(css))
    except (ValueError, SyntaxError):
        return []


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
            if node_text(node):
                return node
    return None


def drop_nodes(root: LexborNode, selectors: list[str] | tuple[str, ...]) -> None:
    """Remove every node under ``root`` that matches one of ``selectors`` (mutates the tree)."""
    for selector in selectors:
        for node in css_all(root, selector):
            if node.mem_id != root.mem_id:
                node.decompose()
