"""Guards applied to page text before it is parsed; pure.

Lexbor's tree building slows down with the square of the nesting depth (100,000 unclosed ``<div>``
take over 15 s), so open tags nested deeper than ``MAX_DEPTH`` are dropped before parsing. No real
article page nests anywhere near that deep.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser

MAX_DEPTH = 400
# Only tags the parser never closes by itself: unclosed <p>, <li>, <td> are closed implicitly and do not nest.
_TAG_RE = re.compile(r"<(/?)(div|span|font|table|ul|ol|dl|section|article|b|i|em|strong|center|blockquote)\b[^>]*>",
                     re.IGNORECASE)
_STEP_RE = re.compile(
    r"<(/?)(?:d(?:iv|l)|s(?:pan|ection|trong)|font|table|ul|ol|article|b(?:lockquote)?|i|em|center)"
    r"\b(?:[^>]*[^>/])?(?:/*(/))?>", re.IGNORECASE)
"""The tags of ``_TAG_RE`` (the same matches, names grouped by first letter, which scans faster), with the
closing slash and a self-closing tag's last slash as groups."""
_STEP = {("", ""): 1, ("", "/"): 0, ("/", ""): -1, ("/", "/"): -1}

STRETCH_CHARS = 1 << 16
"""Characters of the page :func:`max_nesting` lists the tags of at once."""


def max_nesting(html: str, stretch: int = STRETCH_CHARS) -> int:
    """The deepest nesting of ``_TAG_RE``'s container tags (a close tag never takes it below 0), as the
    scan of :func:`flatten_deep_nesting` counts it; computed by C-level iterators over ``findall`` lists of
    one stretch of the page at a time (``stretch`` characters or a little more: no Python loop per tag, no
    list of the whole page's tags).

    >>> max_nesting("<div><span><b/></span><div>"), max_nesting("</div><p>x"), max_nesting("<DIV><div>")
    (2, 0, 2)
    """
    tags = itertools.chain.from_iterable(_STEP_RE.findall(html, *span) for span in _stretches(html, stretch))
    depths, lows = itertools.tee(itertools.accumulate(map(_STEP.__getitem__, tags)))  # +1 open, -1 close
    floors = itertools.islice(itertools.accumulate(lows, min, initial=0), 1, None)  # lowest sum so far, <= 0
    return max(map(operator.sub, depths, floors), default=0)


def _stretches(html: str, size: int = STRETCH_CHARS) -> Iterator[tuple[int, int]]:
    """``(start, end)`` character ranges covering ``html``, each (but the last) ending just after a ``>``
    about ``size`` characters in: no tag match crosses one (a match ends at the first ``>`` after its name).

    >>> list(_stretches("<a><b>c", 2)), list(_stretches("", 2))
    ([(0, 3), (3, 6), (6, 7)], [])
    """
    start = 0
    while start < len(html):
        end = html.find(">", start + size - 1)
        end = len(html) if end < 0 else end + 1
        yield start, end
        start = end


def flatten_deep_nesting(html: str, max_depth: int = MAX_DEPTH) -> tuple[str, bool]:
    """``(html, changed)``: open container tags beyond ``max_depth`` levels removed. The tag-by-tag rewrite
    runs only on a page :func:`max_nesting` finds deeper than ``max_depth`` (no real page is).

    >>> flatten_deep_nesting("<div>" * 5 + "x", max_depth=3)
    ('<div><div><div>x', True)
    >>> flatten_deep_nesting("<div><p>x</p></div>")
    ('<div><p>x</p></div>', False)
    """
    if html.count("<") < max_depth or max_nesting(html) <= max_depth:
        return html, False
    depth = 0
    pieces: list[str] = []
    last = 0
    changed = False
    for m in _TAG_RE.finditer(html):
        if m.group(1):
            depth = max(0, depth - 1)
            continue
        if m.group(0).endswith("/>"):
            continue
        depth += 1
        if depth > max_depth:
            pieces.append(html[last:m.start()])
            last = m.end()
            depth -= 1
            changed = True
    if not changed:
        return html, False
    pieces.append(html[last:])
    return "".join(pieces), True


MAX_TAG_CHARS = 8192
"""A start tag longer than this (characters, attributes included) is cut: lexbor's attribute handling
is quadratic (50,000 attributes on one tag take 4 s to parse, 200,000 over a minute). Real tags are
far shorter; a long ``style`` or ``data-*`` blob loses only its tail."""
def _long_tag_re(limit: int) -> re.Pattern[str]:
    return re.compile(r"<([a-zA-Z][\w:-]*+)([^<>]{" + str(limit) + r",}+)>")  # possessive: no backtracking


_LONG_TAG_RE = _long_tag_re(MAX_TAG_CHARS)
MIN_ATTRIBUTES = 15000
"""Below this many ``=`` in the whole page no tag can hold enough attributes to slow the parser down
(15,000 attributes on one tag parse in about 0.4 s), so the tag scan is skipped."""


def trim_long_tags(html: str, limit: int = MAX_TAG_CHARS) -> tuple[str, bool]:
    """``(html, changed)``: every start tag longer than ``limit`` characters cut to its first attributes.

    >>> trim_long_tags("<body " + "a=1 " * 5 + "><p>x</p>", limit=10)
    ('<body a=1 a=1 ><p>x</p>', True)
    >>> trim_long_tags("<p class='x'>y</p>")
    ("<p class='x'>y</p>", False)
    """
    if limit == MAX_TAG_CHARS and html.count("=") < MIN_ATTRIBUTES:  # C-level count: most pages stop here
        return html, False
    pattern = _LONG_TAG_RE if limit == MAX_TAG_CHARS else _long_tag_re(limit)
    if pattern.search(html) is None:
        return html, False

    def cut(m: re.Match[str]) -> str:
        kept = m.group(2)[:limit]
        kept = kept[: kept.rfind(" ") + 1] if " " in kept else ""
        return f"<{m.group(1)}{kept}>"

    return pattern.sub(cut, html), True


def parse_guarded(html: str) -> tuple[str, LexborHTMLParser, list[str]]:
    """``(html, tree, warnings)``: the page with its nesting flattened and overlong start tags cut (the two
    inputs that make lexbor's tree building slow), parsed; ``warnings`` names what was changed
    (``deep_nesting_flattened``, ``long_tag_trimmed``). Every reader of a page (article, listing) parses
    through this.

    >>> parse_guarded("<p>x</p>")[2]
    []
    """
    html, flattened = flatten_deep_nesting(html)
    html, trimmed = trim_long_tags(html)
    warnings = (["deep_nesting_flattened"] if flattened else []) + (["long_tag_trimmed"] if trimmed else [])
    return html, LexborHTMLParser(html), warnings
