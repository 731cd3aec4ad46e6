"""Arc XP PageBuilder Fusion pages (chosun.com): the article lives only in ``Fusion.globalContent`` ANS JSON.

The served ``<body>`` is an empty app shell; ``content_elements`` hold the paragraphs (``type=text``) and
photos (``type=image`` with ``caption``). The meta ``article:published_time`` is the draft's
``created_date``, so the JSON's ``first_publish_date`` / ``display_date`` must come first.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.appstate import ans_story, fusion_content
from scraper.extract.hooks import register
from scraper.models import RawArticle
from scraper.sources.profile import SiteProfile


@register("arc_fusion")
def arc_fusion(html: str, tree: LexborHTMLParser, raw: RawArticle, profile: SiteProfile) -> None:
    """Fill body, captions, deck, dates and byline from ``Fusion.globalContent`` (seen on chosun.com); the
    story's dates come before the meta tags' (the draft's ``created_date``)."""
    content = fusion_content(html)
    if not content:
        return
    story = ans_story(content)
    if story.paragraphs:
        raw.paragraphs = story.paragraphs
    raw.captions += [c for c in story.captions if c not in raw.captions]
    raw.title = story.title or raw.title
    raw.subtitle = story.subtitle or raw.subtitle
    raw.published_raw = story.published + raw.published_raw
    raw.modified_raw = story.modified + raw.modified_raw
    raw.bylines = story.bylines + raw.bylines
