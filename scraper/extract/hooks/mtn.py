"""Hooks for 머니투데이방송 MTN (news.mtn.co.kr)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.blocks import node_text
from scraper.extract.hooks import register
from scraper.models import RawArticle


@register("mtn_deck")
def one_line_deck(html: str, tree: LexborHTMLParser, raw: RawArticle) -> None:
    """Read the deck ``div#subject h5`` as one line: its ``<br>`` only wraps a single sentence (news.mtn.co.kr)."""
    node = tree.css_first("div#subject h5")
    if node is not None and node_text(node):
        raw.subtitle = node_text(node)
