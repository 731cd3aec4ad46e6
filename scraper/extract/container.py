"""Which element of a page holds the article (the main-content container); pure.

A profile names its container; without one the largest well-known container wins unless the densest block
of own paragraphs holds clearly more text (see :func:`generic_container`). Photo-gallery pages, with
captioned images and little text, get the gallery block.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import is_inside
from scraper.extract.density import densest_container
from scraper.extract.generic import gallery_container
from scraper.extract.rules import css_all, first_node, maybe_matching
from scraper.sources.profile import SiteProfile

GENERIC_BODY = [
    "[itemprop='articleBody']", "#article-view-content-div", "#articleBodyContents", "#dic_area",
    "#articleBody", "#article_body", "#articletxt", "#newsContent", "#news_body_id", "#textBody",
    ".article_body", ".article-body", ".article_txt", ".news_body", ".view_cont", ".view_con",
    ".board_view .view_content", ".bbs_view .view_content", ".view_content", ".text_viewbox",
    ".board-view-content", "#contents .view", "article",
]
"""Article containers of Korean news CMSs and gov boards, most specific first."""
MIN_BODY_CHARS = 40
"""A body shorter than this (characters) is no article: the next reader is tried."""
CONFIDENT_CHARS = MIN_BODY_CHARS * 12
"""A well-known container this large ends the search (a later, looser selector is not tried)."""


def choose_container(tree: LexborHTMLParser, profile: SiteProfile | None) -> LexborNode | None:
    """The article container: the profile's ``body`` selectors, else :func:`generic_container`, else (no
    profile) the photo gallery block; ``None`` when the page has none."""
    if profile and profile.body:
        node = first_node(tree, profile.body)
        if node is not None:
            return node
    return generic_container(tree) or (None if profile else gallery_container(tree))


def text_size(node: LexborNode) -> int:
    """Characters of text under ``node`` without scripts and styles (lexbor's C text walk)."""
    size = len(node.text(deep=True, strip=True))
    for skipped in node.css("script, style, noscript"):
        size -= len(skipped.text(deep=True, strip=True))
    return size


def generic_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The article container of a page no profile covers: the largest well-known container
    (``itemprop=articleBody``, ``#article-view-content-div``, ``article``, ...) unless the densest block of
    own paragraphs holds clearly more text (a teaser ``<article>`` or a ``<body id="article_body">``)."""
    named: LexborNode | None = None
    named_size = 0
    named_by = ""
    for index in maybe_matching(tree, GENERIC_BODY):  # most pages hold one or none of them
        selector = GENERIC_BODY[index]
        for node in css_all(tree, selector):
            size = text_size(node) if node.tag not in ("body", "html") else 0
            if size > named_size:
                named, named_size, named_by = node, size, selector
        if named_size >= CONFIDENT_CHARS:
            break
    dense = densest_container(tree)
    if dense is None:
        return named
    dense_size = text_size(dense)
    if named is None or dense_size > 2 * named_size:
        return dense
    if named_by == "article" and dense_size >= WRAPPER_SHARE * named_size and is_inside(dense, named):
        return dense  # a bare <article> wrapping the whole page (gov CMS templates): its text block is the body
    return named


WRAPPER_SHARE = 0.6
"""Share of a bare ``<article>``'s text its densest block must hold to be the body instead."""
