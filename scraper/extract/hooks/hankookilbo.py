"""hankookilbo.com Next.js app (2026): article HTML and the writer list inside ``self.__next_f.push`` flight data.

The flight payload is a list of JS string literals; joined, it holds ``"contentHtml":"$24"`` (a reference) and a
text chunk ``24:T<hex byte length>,<div class="editor-img-box">…`` with ``$$ARTICLEAD$$`` ad placeholders, and a
``"byLines":[{"writerName": …}, …]`` array naming every reporter (the page prints only ``박준석 기자 외 1명``).
"""

from __future__ import annotations

import json
import re

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.appstate import flight_chunk, flight_text
from scraper.extract.blocks import node_lines, node_text
from scraper.extract.chrome import DROP_SELECTORS
from scraper.extract.hooks import register
from scraper.extract.lines import caption_text, sort_lines
from scraper.extract.rules import css_all, drop_nodes
from scraper.models import RawArticle
from scraper.sources.profile import SiteProfile

_CONTENT_REF_RE = re.compile(r'"contentHtml":"\$(?P<ref>[0-9a-zA-Z]+)"')
_AD_PLACEHOLDER = "$$ARTICLEAD$$"


def flight_writers(flight: str) -> list[str]:
    """Reporter names of the ``"byLines"`` array in flight data, in order (hankookilbo.com)."""
    start = flight.find('"byLines":[')
    if start < 0:
        return []
    try:
        writers, _ = json.JSONDecoder().raw_decode(flight, start + len('"byLines":'))
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return []
    return [w["writerName"] for w in writers if isinstance(w, dict) and isinstance(w.get("writerName"), str)]


def _read_fragment(fragment: str, raw: RawArticle, profile: SiteProfile) -> None:
    """Replace the body of ``raw`` with the paragraphs of an article HTML fragment (captions: the profile's)."""
    root = LexborHTMLParser(f"<div>{fragment.replace(_AD_PLACEHOLDER, '')}</div>").body
    if root is None:
        return
    captions = [caption_text(node_text(n)) for selector in profile.captions for n in css_all(root, selector)]
    # Only the in-article boxes, not the whole profile ``drop`` (which also lists page chrome around the DOM body).
    drop_nodes(root, ["div.editor-img-box", "div.module-quote", "div.writer", *DROP_SELECTORS])
    lines = sort_lines(node_lines(root))
    raw.paragraphs, raw.dateline = lines.paragraphs, lines.dateline
    raw.captions = [c for c in captions + lines.captions if c]
    raw.bylines += lines.bylines


@register("hankookilbo_flight")
def next_flight(html: str, tree: LexborHTMLParser, raw: RawArticle, profile: SiteProfile) -> None:
    """Body from flight data when the DOM has no article view; all co-writers from the flight writer list.

    Seen on hankookilbo.com (2026 Next.js app).
    """
    if "self.__next_f" not in html:
        return
    flight = flight_text(html)
    ref = _CONTENT_REF_RE.search(flight)
    # The Next.js app's own view container; the profile's ``body`` list also holds the legacy template's.
    if tree.css_first("div.article-view") is None and ref:
        fragment = flight_chunk(flight, ref.group("ref"))
        if fragment:
            _read_fragment(fragment, raw, profile)
    writers = flight_writers(flight)
    if writers:
        raw.bylines = writers
