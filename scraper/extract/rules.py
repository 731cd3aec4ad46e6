"""Applying profile selectors with selectolax (Lexbor); pure.

A selector string is CSS, optionally ending in ``@attr`` to read that attribute instead of the text.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from scraper.extract.blocks import node_text
from scraper.normalize.text import fold_space


def split_selector(selector: str) -> tuple[str, str | None]:
    """``'meta[property="og:title"]@content'`` -> ``('meta[property="og:title"]', 'content')``.

    >>> split_selector("h1.title")
    ('h1.title', None)
    >>> split_selector('meta[name="x"]@content')
    ('meta[name="x"]', 'content')
    """
    css, sep, attr = selector.rpartition("@")
    if sep and attr and "]" not in attr and " " not in attr:
        return css, attr
    return selector, None


_PROBE_HTML = "<html><head></head><body><p></p></body></html>"


def _css_error(css: str) -> str | None:
    try:
        LexborHTMLParser(_PROBE_HTML).css(css)
    except (SelectolaxError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def check_css(css: str) -> str:
    """``css`` unchanged when selectolax (Lexbor) can parse it; raises ``ValueError`` naming it when not.

    A bad selector raises only when it is first run (selectolax 1.0: ``SelectolaxError``), so profiles and
    board sources compile theirs once at load time, against a tiny document, instead of failing on every page.

    >>> check_css("div#subject h5")
    'div#subject h5'
    >>> check_css("h1..title")
    Traceback (most recent call last):
    ...
    ValueError: bad CSS selector 'h1..title': Can't parse CSS selector.
    """
    error = _css_error(css)
    if error:
        raise ValueError(f"bad CSS selector {css!r}: {error}")
    return css


def check_selector(selector: str) -> str:
    """As :func:`check_css` for a selector whose CSS part may end in ``@attr`` (see :func:`split_selector`).

    >>> check_selector("meta[property='og:title']@content")
    "meta[property='og:title']@content"
    >>> check_selector("h1..title@content")
    Traceback (most recent call last):
    ...
    ValueError: bad CSS selector 'h1..title@content': Can't parse CSS selector.
    """
    error = _css_error(split_selector(selector)[0])
    if error:
        raise ValueError(f"bad CSS selector {selector!r}: {error}")
    return selector


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
