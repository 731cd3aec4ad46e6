"""Hooks for 머니투데이방송 MTN (news.mtn.co.kr)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.blocks import node_text
from scraper.extract.hooks import register
from scraper.models import RawArticle
from scraper.sources.profile import SiteProfile
from scraper.sources.selectors import split_selector


@register("mtn_deck")
def one_line_deck(html: str, tree: LexborHTMLParser, raw: RawArticle, profile: SiteProfile) -> None:
    """Read the deck (the profile's ``subtitle``, ``div#subject h5``) as one line: its ``<br>`` only wraps a
    single sentence (news.mtn.co.kr)."""
    for selector in profile.subtitle:
        node = tree.css_first(split_selector(selector)[0])
        if node is not None:
            if node_text(node):
                raw.subtitle = node_text(node)
            return
