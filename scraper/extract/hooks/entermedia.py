"""entermedia.co.kr: the deck is the first bare text line of the body, above the ``[엔터미디어=…]`` lead bracket."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.hooks import register
from scraper.extract.lines import split_dateline
from scraper.models import RawArticle
from scraper.sources.profile import SiteProfile

_SENTENCE_END = re.compile(r"[.!?다요]\s*[\"'”’]?\s*$")
MAX_DECK_CHARS = 80


def is_deck_line(line: str) -> bool:
    """A short line without a closing sentence ending: a second headline (seen on entermedia.co.kr).

    >>> is_deck_line("엘제이의 리벤지인가, 류화영의 코스프레인가"), is_deck_line("시작은 사진 공개였다.")
    (True, False)
    """
    return len(line) <= MAX_DECK_CHARS and not _SENTENCE_END.search(line)


@register("entermedia_deck")
def lead_deck(html: str, tree: LexborHTMLParser, raw: RawArticle, profile: SiteProfile) -> None:
    """Move a deck line that precedes the lead bracket into ``subtitle`` and split the bracket off.

    Seen on entermedia.co.kr columns: ``deck`` / ``[엔터미디어=정덕현의 이슈공감] first sentence…``.
    """
    if raw.dateline or len(raw.paragraphs) < 2 or not is_deck_line(raw.paragraphs[0]):
        return
    dateline, first = split_dateline(raw.paragraphs[1])
    if not dateline:
        return
    raw.subtitle = raw.subtitle or raw.paragraphs[0]
    raw.dateline = dateline
    raw.paragraphs = [first, *raw.paragraphs[2:]]
