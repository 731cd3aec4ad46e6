"""Arc XP PageBuilder Fusion pages (chosun.com): the article lives only in ``Fusion.globalContent`` ANS JSON.

The served ``<body>`` is an empty app shell; ``content_elements`` hold the paragraphs (``type=text``) and
photos (``type=image`` with ``caption``). The meta ``article:published_time`` is the draft's
``created_date``, so the JSON's ``first_publish_date`` / ``display_date`` must come first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.hooks import register
from scraper.models import RawArticle
from scraper.normalize.text import fold_space
from scraper.sources.profile import SiteProfile

_GLOBAL_CONTENT = re.compile(r"Fusion\.globalContent\s*=\s*")


def global_content(html: str) -> dict[str, Any] | None:
    """The ``Fusion.globalContent`` object of an Arc XP Fusion page (chosun.com), or ``None``.

    >>> global_content('<script>Fusion.globalContent={"type":"story"};Fusion.x=1;</script>')
    {'type': 'story'}
    """
    m = _GLOBAL_CONTENT.search(html)
    if not m:
        return None
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(html, m.end())
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def html_text(fragment: str) -> str:
    """Visible text of an ANS ``content`` HTML fragment, whitespace folded (``<br/>`` alone gives '').

    >>> html_text("<b>경찰은</b> 밝혔다.<br/>"), html_text("<br/>")
    ('경찰은 밝혔다.', '')
    """
    body = LexborHTMLParser(f"<div>{fragment}</div>").body
    return fold_space(body.text(separator=" ") if body else "")


def _sub(obj: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None  # type: ignore[assignment]
    return obj


def _bylines(content: dict[str, Any]) -> list[str]:
    bylines: list[str] = []
    for author in _sub(content, "credits", "by") or []:
        original = _sub(author, "additional_properties", "original", "byline")
        name = original or (author.get("name") if isinstance(author, dict) else None)
        if isinstance(name, str) and name:
            bylines.append(name)
    return bylines


def _read_elements(content: dict[str, Any], raw: RawArticle) -> None:
    paragraphs: list[str] = []
    for element in content.get("content_elements") or []:
        if not isinstance(element, dict):
            continue
        if element.get("type") == "text" and isinstance(element.get("content"), str):
            text = html_text(element["content"])
            if text:
                paragraphs.append(text)
        elif element.get("type") == "image" and isinstance(element.get("caption"), str):
            caption = html_text(element["caption"])
            if caption and caption not in raw.captions:
                raw.captions.append(caption)
    if paragraphs:
        raw.paragraphs = paragraphs


@register("arc_fusion")
def arc_fusion(html: str, tree: LexborHTMLParser, raw: RawArticle, profile: SiteProfile) -> None:
    """Fill body, captions, deck, dates and byline from ``Fusion.globalContent`` (seen on chosun.com)."""
    content = global_content(html)
    if not content:
        return
    _read_elements(content, raw)
    headline = _sub(content, "headlines", "basic")
    raw.title = fold_space(headline) if isinstance(headline, str) and headline.strip() else raw.title
    deck = _sub(content, "subheadlines", "basic")
    raw.subtitle = fold_space(deck) if isinstance(deck, str) and deck.strip() else raw.subtitle
    published = [content.get(k) for k in ("first_publish_date", "display_date", "publish_date")]
    raw.published_raw = [v for v in published if isinstance(v, str)] + raw.published_raw
    modified = content.get("last_updated_date")
    raw.modified_raw = ([modified] if isinstance(modified, str) else []) + raw.modified_raw
    raw.bylines = _bylines(content) + raw.bylines
