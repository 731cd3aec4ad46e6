"""Merged CSS queries give what the per-selector queries they replace gave (properties on random trees)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.rules import css_all, drop_nodes

_TAGS = ("div", "p", "span", "b", "ul", "li")
_CLASSES = ("", "ad", "x", "ad x", "share", "copyright")
_SELECTORS = st.lists(st.sampled_from([
    ".ad", "p.x", "div > p", "div .share", "li", "span.ad", "[class~='x']", "[class*='copy']", "p:first-child",
    "li + li", "div:has(> b)", "b ~ span", "ul li.x", ":not(p)", "div.copyright, .share", "p:empty",
]), max_size=6)


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    children = draw(st.lists(st.sampled_from(_TAGS), max_size=0 if depth > 3 else 4))
    parts = []
    for tag in children:
        cls = draw(st.sampled_from(_CLASSES))
        inner = draw(_markup(depth + 1)) if draw(st.booleans()) else "t"
        parts.append(f"<{tag} class='{cls}'>{inner}</{tag}>" if cls else f"<{tag}>{inner}</{tag}>")
    return "".join(parts)


def _one_by_one(root: LexborNode, selectors: list[str]) -> None:
    for selector in selectors:
        for node in css_all(root, selector):
            if node.mem_id != root.mem_id:
                node.decompose()


@given(_markup(), _SELECTORS)
@settings(max_examples=300, deadline=None)
def test_drop_nodes_is_dropping_selector_by_selector(markup: str, selectors: list[str]) -> None:
    html = f"<div id='root'>{markup}</div>"
    merged, plain = LexborHTMLParser(html).css_first("#root"), LexborHTMLParser(html).css_first("#root")
    assert merged is not None and plain is not None
    drop_nodes(merged, selectors)
    _one_by_one(plain, selectors)
    assert merged.html == plain.html
