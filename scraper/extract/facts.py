"""The page-facts stage: what a page says about its article outside the body; pure.

:func:`page_facts` returns :class:`PageFacts`: kind, site, canonical URL, headline (and the element
showing it), deck, date candidates and byline candidates, from the profile's selectors, the page's
metadata (``<meta>``, JSON-LD) and, without a profile, the article header between headline and body
(:mod:`scraper.extract.header`). The date candidates are ordered for the normalizer, which takes the
first one that parses (see ``normalize.record.resolve_dates``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import node_lines, node_text
from scraper.extract.chrome import classify_line
from scraper.extract.generic import time_dates
from scraper.extract.header import header_zone, visible_first, zone_dates
from scraper.extract.headline import looks_like_press_release
from scraper.extract.metadata import PageMeta, read_page_meta
from scraper.extract.rules import css_all, first_value, select_values
from scraper.extract.title import page_headline
from scraper.models import ArticleKind
from scraper.normalize.authors import find_byline_names
from scraper.normalize.record import release_kind
from scraper.normalize.text import fold_space
from scraper.normalize.urls import join_url
from scraper.sources.profile import SiteProfile
from scraper.sources.selectors import split_selector


@dataclass
class PageFacts:
    """Facts of the page outside its body, as found (strings, normalized later)."""

    kind: ArticleKind | None = None
    site_name: str | None = None
    organization: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    headline: LexborNode | None = None
    """The element showing the headline (generic path), or ``None``."""
    headline_how: str = "none"
    """How the headline was decided (``title.Headline.how``: ``echo``, ``learned``, ``nearest``, ...)."""
    subtitle: str | None = None
    decks: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    modified_shown: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    header_bylines: list[str] = field(default_factory=list)
    authors_hint: list[str] = field(default_factory=list)


def generic_kind(tree: LexborHTMLParser, url: str | None) -> ArticleKind | None:
    """``press_release`` for a page carrying release markers (보도자료, 담당부서, 첨부파일) or served by a
    government host (``*.go.kr``, ``korea.kr``: their boards publish releases); else unknown (``None``)."""
    if release_kind(None, url) == "press_release" or looks_like_press_release(tree):  # the host first: no queries
        return "press_release"
    return None


def profile_deck(tree: LexborHTMLParser, selectors: list[str]) -> tuple[str | None, list[str]]:
    """``(deck, byline lines)`` of the profile's ``subtitle`` selectors: the deck's lines joined with
    `` / ``; a byline line inside the deck block is returned apart (mk.co.kr, Naver legacy
    ``media_end_summary`` close their multi-line decks with one)."""
    bylines: list[str] = []
    for selector in selectors:
        css, attr = split_selector(selector)
        if attr:
            value = first_value(tree, [selector])
            if value:
                return value, bylines
            continue
        for node in css_all(tree, css):
            lines = node_lines(node)
            bylines += [line for line in lines if classify_line(line) == "byline"]
            deck = [line for line in lines if classify_line(line) == "body"]
            if deck:
                return " / ".join(deck), bylines
    return None, bylines


def page_facts(
    tree: LexborHTMLParser, profile: SiteProfile | None, url: str | None, container: LexborNode | None,
    now: str | None = None, hint: str | None = None,
) -> PageFacts:
    """The page's facts (see the module docstring); ``container`` is the body container (the article
    header ends where it starts); ``now`` resolves relative dates (``3시간 전``); ``hint``: the host's
    learned headline place (a CSS selector), used when the page's own titles do not agree."""
    meta = read_page_meta(tree)
    facts = PageFacts(
        kind=profile.kind if profile else generic_kind(tree, url),
        site_name=(profile.site if profile else None) or meta.site_name,
        organization=profile.organization if profile else None,
        canonical_url=join_url(url, meta.canonical_url) if meta.canonical_url else None,
        authors_hint=list(meta.authors),
    )
    found = page_headline(tree, profile, meta, container, hint)
    facts.title, facts.headline, facts.headline_how = found.text, found.node, found.how
    if profile is not None:
        _profile_facts(tree, profile, meta, facts)
    elif facts.headline is not None:
        _header_facts(tree, facts.headline, container, meta, facts, now)
    else:
        facts.published, facts.modified = list(meta.published), list(meta.modified)
    return facts


def _profile_facts(tree: LexborHTMLParser, profile: SiteProfile, meta: PageMeta, facts: PageFacts) -> None:
    """Deck, dates and bylines from the profile's selectors; metadata first unless the profile says the
    visible dates win (``date_from_meta_first = false``)."""
    facts.subtitle, facts.bylines = profile_deck(tree, profile.subtitle)
    shown_pub = [v for s in profile.published for v in select_values(tree, s)]
    facts.modified_shown = [v for s in profile.modified for v in select_values(tree, s)]
    facts.bylines += [v for s in profile.byline for v in select_values(tree, s)]
    if profile.date_from_meta_first:
        facts.published = meta.published + shown_pub
        facts.modified = meta.modified + facts.modified_shown
    else:
        facts.published = shown_pub + meta.published
        facts.modified = facts.modified_shown + meta.modified


def _header_facts(
    tree: LexborHTMLParser, headline: LexborNode, container: LexborNode | None, meta: PageMeta,
    facts: PageFacts, now: str | None,
) -> None:
    """Dates, byline names and deck lines of the article header (generic path): labels decide the date
    roles; declared values (meta, JSON-LD, ``<time datetime>``) win only when they agree with the shown
    one; deck lines inside the headline element (``<h4>제목<span>부제</span></h4>``) count too."""
    zone = header_zone(headline, container)
    facts.header_bylines = [name for line in zone.after[:12] for name in find_byline_names(line)]
    own = fold_space(node_text(headline))
    title = facts.title
    inside = [line for line in node_lines(headline) if title and line != title and own.startswith(title)]
    facts.decks = inside + zone.decks
    shown_pub, shown_mod = zone_dates(zone.after, now)
    if not (shown_pub or shown_mod):
        shown_pub, shown_mod = zone_dates(zone.before, now)
    time_pub, time_mod = ([], []) if meta.published else time_dates(tree)  # <time datetime> is declared too
    facts.published = visible_first(meta.published + time_pub, shown_pub, now)
    facts.modified = visible_first(meta.modified + ([] if meta.modified else time_mod), shown_mod, now, role=1)
    facts.modified_shown = shown_mod
