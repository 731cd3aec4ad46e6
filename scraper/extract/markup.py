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
_NAMES = r"(?:d(?:iv|l)|s(?:pan|ection|trong)|font|table|ul|ol|article|b(?:lockquote)?|i|em|center)"
"""The tag names of ``_TAG_RE`` grouped by first letter (scans faster), for the scans below."""
_STEP_RE = re.compile(r"<(/?)" + _NAMES + r"\b(?:[^>]*[^>/])?(?:/*(/))?>", re.IGNORECASE)
"""The tags of ``_TAG_RE`` (the same matches, names grouped by first letter, which scans faster), with the
closing slash and a self-closing tag's last slash as groups."""
_STEP = {("", ""): 1, ("", "/"): 0, ("/", ""): -1, ("/", "/"): -1}

_STEP_BYTES_RE = re.compile(rb"<(/?)" + _NAMES.encode() + rb"(?:([\x80-\xff])|\b(?:[^>]*[^>/])?(?:/*(/))?>)")
"""``_STEP_RE`` for the page's UTF-8 bytes in lower case (ASCII matching, no case folding: faster). A tag name
followed by a non-ASCII byte is group 2: there bytes and text can disagree (``\\b`` before Hangul)."""
_STEP_BYTES = {(slash.encode(), b"", last.encode()): step for (slash, last), step in _STEP.items()}
_FOLDS_TO_ASCII = "ſıİ\u212a"
"""The characters ``_STEP_RE`` (case-insensitive) matches to s, i, i and k; a page with one is scanned as text."""
STRETCH_CHARS = 1 << 16
"""Characters of the page :func:`max_nesting` lists the tags of at once."""


def max_nesting(html: str, data: bytes | None = None, stretch: int = STRETCH_CHARS) -> int:
    """The deepest nesting of ``_TAG_RE``'s container tags (a close tag never takes it below 0), as the
    scan of :func:`flatten_deep_nesting` counts it; computed by C-level iterators over ``findall`` lists of
    one stretch of the page at a time (``stretch`` characters or a little more: no Python loop per tag, no
    list of the whole page's tags). ``data``: ``html`` as UTF-8, scanned instead when it is given and no tag
    name in it touches a non-ASCII byte (then both give the same tags).

    >>> max_nesting("<div><span><b/></span><div>"), max_nesting("</div><p>x"), max_nesting("<DIV><div>")
    (2, 0, 2)
    >>> page = "<div><DIV><div가><ſpan>"
    >>> max_nesting(page), max_nesting(page, page.encode()), max_nesting(page[:15], page[:15].encode())
    (3, 3, 2)
    """
    if data is not None and not any(fold in html for fold in _FOLDS_TO_ASCII):  # one-character finds: fast
        lowered = data.lower()  # ASCII letters only
        steps = map(_STEP_BYTES.__getitem__, itertools.chain.from_iterable(
            _STEP_BYTES_RE.findall(lowered, *span) for span in _stretches(lowered, stretch)))
        try:
            return _deepest(steps)
        except KeyError:  # a tag name before a non-ASCII byte: the text decides
            pass
    steps = map(_STEP.__getitem__, itertools.chain.from_iterable(
        _STEP_RE.findall(html, *span) for span in _stretches(html, stretch)))
    return _deepest(steps)


def _deepest(steps: Iterator[int]) -> int:
    """The highest running sum of ``steps`` (+1 open, -1 close, 0 self-closing) when it never goes below 0."""
    depths, lows = itertools.tee(itertools.accumulate(steps))
    floors = itertools.islice(itertools.accumulate(lows, min, initial=0), 1, None)  # lowest sum so far, <= 0
    return max(map(operator.sub, depths, floors), default=0)


def _stretches(html: str | bytes, size: int = STRETCH_CHARS) -> Iterator[tuple[int, int]]:
    """``(start, end)`` ranges covering ``html``, each (but the last) ending just after a ``>`` about ``size``
    characters (bytes) in: no tag match crosses one (a match ends at the first ``>`` after its name).

    >>> list(_stretches("<a><b>c", 2)), list(_stretches(b"", 2))
    ([(0, 3), (3, 6), (6, 7)], [])
    """
    close = ">" if isinstance(html, str) else b">"
    start = 0
    while start < len(html):
        end = html.find(close, start + size - 1)  # type: ignore[arg-type]  # str with str, bytes with bytes
        end = len(html) if end < 0 else end + 1
        yield start, end
        start = end


CHECK_STRETCH = 1 << 14
"""Bytes of the page :func:`nests_deeper_than` counts the tags of at once."""
_BOUND_BYTES_RE = re.compile(rb"<(?:(/)" + _NAMES.encode() + rb"\b(?![\x80-\xff])|" + _NAMES.encode() + rb"\b)[^>]*+>")
"""Tags of ``_TAG_RE`` in the page's UTF-8 bytes in lower case, for a bound: one group, ``b"/"`` for a close tag
and ``b""`` for an open one (findall then builds no tuple). A tag name followed by a non-ASCII byte is where
the text's ``\b`` (Hangul is a word character) and the bytes' disagree: an open there counts (an open too many
only raises the bound) and is read to its ``>`` (a close inside is not counted: the text's scan reads no more
than one tag up to that ``>``); a close there does not count (a close too few only raises the bound)."""


def nests_deeper_than(html: str, limit: int, data: bytes | None = None, stretch: int = CHECK_STRETCH) -> bool:
    """``max_nesting(html, data) > limit``, mostly decided without the running depth: per stretch of the
    page's bytes, the tags that open (or close themselves: counted as opens, which only raises the bound) and
    close are counted (``_BOUND_BYTES_RE``: at least as many opens and at most as many closes as the text's
    scan sees), and the depth at the stretch's end is at most ``max(depth at its start + opens - closes,
    opens)`` (a close never takes it below 0), the depth inside it at most ``depth at its start + opens``.
    While that bound stays within ``limit`` (real pages: their depth plus one stretch's opens) the answer is
    ``False``; else :func:`max_nesting` decides.

    >>> nests_deeper_than("<div>" * 5, 4), nests_deeper_than("<div></div>" * 500, 4, ("<div></div>" * 500).encode())
    (True, False)
    >>> nests_deeper_than("<div>" * 5 + "</div가>" * 5, 4, ("<div>" * 5 + "</div가>" * 5).encode(), stretch=8)
    True
    >>> page = "<div\u00a0title='</div>'>" * 5  # an open tag in the text; in the bytes, a tag name before 0xC2
    >>> nests_deeper_than(page, 4, page.encode()), max_nesting(page)
    (True, 5)
    """
    if data is None or any(fold in html for fold in _FOLDS_TO_ASCII):
        return max_nesting(html, data) > limit
    lowered = data.lower()
    bound = 0
    for span in _stretches(lowered, stretch):
        found = _BOUND_BYTES_RE.findall(lowered, *span)
        closes = found.count(b"/")
        opens = len(found) - closes
        if bound + opens > limit:
            return max_nesting(html, data) > limit  # deep here (or close to it): the exact scan decides
        bound = max(bound + opens - closes, opens)
    return False


def flatten_deep_nesting(html: str, max_depth: int = MAX_DEPTH, data: bytes | None = None) -> tuple[str, bool]:
    """``(html, changed)``: open container tags beyond ``max_depth`` levels removed. The tag-by-tag rewrite
    runs only on a page :func:`nests_deeper_than` finds deeper than ``max_depth`` (no real page is); ``data``:
    ``html`` as UTF-8 (for that scan), when the caller has it.

    >>> flatten_deep_nesting("<div>" * 5 + "x", max_depth=3)
    ('<div><div><div>x', True)
    >>> flatten_deep_nesting("<div><p>x</p></div>")
    ('<div><p>x</p></div>', False)
    """
    if not nests_deeper_than(html, max_depth, data):
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


def parse_guarded(html: str, utf8: bytes | None = None) -> tuple[str, LexborHTMLParser, list[str]]:
    """``(html, tree, warnings)``: the page with its nesting flattened and overlong start tags cut (the two
    inputs that make lexbor's tree building slow), parsed; ``warnings`` names what was changed
    (``deep_nesting_flattened``, ``long_tag_trimmed``). Every reader of a page (article, listing) parses
    through this. ``utf8``: ``html.encode("utf-8")`` when the caller has it (the page's bytes, when they were
    strict UTF-8), so it is not encoded again.

    >>> parse_guarded("<p>x</p>")[2], parse_guarded("<p>가</p>", "<p>가</p>".encode())[1].body.text()
    ([], '가')
    """
    data: bytes | None = utf8
    if data is None:
        try:
            data = html.encode("utf-8")  # once: scanned for nesting, then parsed
        except UnicodeEncodeError:  # lone surrogates: scanned as text, encoded below as the parser encodes a str
            data = None
    html, flattened = flatten_deep_nesting(html, data=data)
    html, trimmed = trim_long_tags(html)
    warnings = (["deep_nesting_flattened"] if flattened else []) + (["long_tag_trimmed"] if trimmed else [])
    if data is None or flattened or trimmed:
        data = html.encode("utf-8", "ignore")  # what LexborHTMLParser(html) does
    return html, LexborHTMLParser(data), warnings
