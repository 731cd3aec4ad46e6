"""Articles that a JavaScript app ships as data instead of markup; pure.

Client-rendered news pages serve an empty app shell: the article is in an inline script. Three kinds of
state are read, each a platform convention rather than one site's markup:

* Arc XP PageBuilder Fusion: ``Fusion.globalContent = {...}`` holding an ANS story (``content_elements``
  of ``type`` ``text``/``image``, ``headlines.basic``, ``first_publish_date``, ``credits.by``); seen on
  chosun.com, used by many Arc XP newspapers.
* Next.js app router "flight" data: ``self.__next_f.push([1, "..."])`` string chunks whose text chunks
  ``<id>:T<hex length>,<html>`` carry the article HTML (seen on hankookilbo.com 2026).
* Next.js pages router ``<script id="__NEXT_DATA__">`` JSON: the longest HTML string in the page props.

The article HTML found is read like any container (same line rules); see :func:`app_state_article`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.blocks import node_lines, node_text
from scraper.extract.chrome import DROP_SELECTORS
from scraper.extract.lines import caption_text, sort_lines
from scraper.extract.rules import css_all, drop_nodes
from scraper.normalize.text import fold_space

MIN_ARTICLE_CHARS = 200
"""Text characters an HTML string needs to be taken for the article (not a teaser or a widget)."""
_FUSION = re.compile(r"Fusion\.globalContent\s*=\s*")
_FLIGHT_PUSH = re.compile(r'self\.__next_f\.push\(\[1,\s*("[^"\\]*(?:\\.[^"\\]*)*")\]\)')
r"""A flight push and its JSON string; the string as ``"(?:[^"\\]|\\.)*"`` reads it (one way to match: the first
unescaped quote ends it), unrolled so a run of plain characters is one step (three times faster on a page)."""
_FLIGHT_TEXT = re.compile(r"(?:^|\n|\])(?P<ref>[0-9a-zA-Z]{1,8}):T(?P<size>[0-9a-f]{1,8}),")
_HTML_HINT = re.compile(r"<(?:p|br|div)\b", re.I)
_PLACEHOLDER = re.compile(r"\$\$[A-Z_]{2,30}\$\$")
"""Slot markers a CMS leaves in article HTML for ads and widgets (``$$ARTICLEAD$$``)."""
_NEXT_DATA = re.compile(r'<script[^>]*id="__NEXT_DATA__"[^>]*>(?P<json>.*?)</script>', re.S)


@dataclass
class AppArticle:
    """What an app's inline state says of the article (raw strings, normalized later)."""

    source: str
    """``arc-ans``, ``next-flight`` or ``next-data``."""
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    dateline: str | None = None
    title: str | None = None
    subtitle: str | None = None
    published: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)


def app_state_article(html: str) -> AppArticle | None:
    """The article of a client-rendered page from its inline state, or ``None`` when there is none
    (cheap substring checks first: most pages carry no app state)."""
    if "Fusion.globalContent" in html:
        found = _arc_story(html)
        if found:
            return found
    if "self.__next_f" in html:
        flight = flight_text(html)
        found = _from_fragment("next-flight", _largest_html(_flight_chunks(flight)))
        if found:
            found.published, found.modified = state_dates(flight)
            return found
    if "__NEXT_DATA__" in html:
        found = _from_fragment("next-data", _largest_html(_next_data_strings(html)))
        if found:
            m = _NEXT_DATA.search(html)
            found.published, found.modified = state_dates(m.group("json") if m else "")
        return found
    return None


def _largest_html(fragments: list[str]) -> str | None:
    best, best_size = None, MIN_ARTICLE_CHARS - 1
    for fragment in fragments:
        if not _HTML_HINT.search(fragment):
            continue
        root = LexborHTMLParser(f"<div>{fragment}</div>").body
        size = len(root.text(deep=True, strip=True)) if root else 0
        if size > best_size:
            best, best_size = fragment, size
    return best


def _from_fragment(source: str, fragment: str | None) -> AppArticle | None:
    if not fragment:
        return None
    root = LexborHTMLParser(f"<div>{fragment}</div>").body
    if root is None:
        return None
    captions = [caption_text(node_text(n)) for n in css_all(root, "[class*='caption'], figcaption")]
    drop_nodes(root, ["[class*='caption']", "figcaption", "[class*='quote']", *DROP_SELECTORS])
    lines = sort_lines(node_lines(root))
    if sum(len(p) for p in lines.paragraphs) < MIN_ARTICLE_CHARS:
        return None
    return AppArticle(
        source, lines.paragraphs, [c for c in captions + lines.captions if c], lines.bylines, lines.dateline
    )


def flight_text(html: str) -> str:
    """The Next.js flight payload: every ``self.__next_f.push([1, "..."])`` string, decoded and joined."""
    parts: list[str] = []
    for m in _FLIGHT_PUSH.finditer(html):
        try:
            parts.append(json.loads(m.group(1)))
        except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
            continue
    return "".join(parts)


def _flight_chunks(flight: str) -> list[str]:
    """The text chunks (``<id>:T<hex byte length>,<text>``) of a Next.js flight payload, CMS slot markers
    removed."""
    return [_PLACEHOLDER.sub("", _chunk(flight, m)) for m in _FLIGHT_TEXT.finditer(flight)]


def flight_chunk(flight: str, ref: str) -> str | None:
    r"""The text chunk ``<ref>:T<hex byte length>,<text>`` of a flight payload (as it is), or ``None``.

    >>> flight_chunk('0:["$"]\n1f:T9,한빛구 소식', "1f")
    '한빛구'
    """
    m = re.search(r"(?:^|\n|\])" + re.escape(ref) + r":T(?P<size>[0-9a-f]+),", flight)
    return _chunk(flight, m) if m else None


def _chunk(flight: str, m: re.Match[str]) -> str:
    """The text of a flight chunk whose header ``m`` matched: ``size`` is its length in UTF-8 bytes."""
    size = int(m.group("size"), 16)  # n bytes hold at most n characters: encode no more than that
    data = flight[m.end(): m.end() + size].encode("utf-8", errors="surrogatepass")  # a lone \ud800 is dropped
    return data[:size].decode("utf-8", errors="ignore")


_STATE_DATE = re.compile(
    r'"(?P<key>[A-Za-z_]{0,20}?(?:[Pp]ublish|[Dd]eploy|[Rr]egist|[Ff]irst|[Mm]odif|[Uu]pdate|[Ee]dit)[A-Za-z_]{0,12}?'
    r'(?:Dt|DT|Date|Time|At|_dt|_date|_time|_at|[Dd]ate[Tt]ime))"\s*:\s*"(?P<value>[^"]{8,40})"'
)
_MODIFIED_KEY = re.compile(r"(?i)modif|update|edit|re_?deploy|re_?regist")


def state_dates(state: str) -> tuple[list[str], list[str]]:
    """``(published, modified)`` values of date-named keys in an app's state JSON text: a key naming
    publication (``publishedAt``, ``deployDt``, ``regDate``, ``first_publish_date``) or modification
    (``updatedAt``, ``reDeployDt``, ``modifyDate``) — the key-name conventions of CMS APIs; the first
    of each role is kept.

    >>> state_dates('{"deployDt":"2026.01.29 18:40","reDeployDt":"2026.01.29 18:49"}')
    (['2026.01.29 18:40'], ['2026.01.29 18:49'])
    """
    published: list[str] = []
    modified: list[str] = []
    for m in _STATE_DATE.finditer(state):
        target = modified if _MODIFIED_KEY.search(m.group("key")) else published
        if not target and re.search(r"(?:19|20)\d{2}\D{0,2}\d{1,2}\D{0,2}\d{1,2}", m.group("value")):
            target.append(m.group("value"))
        if published and modified:
            break
    return published, modified


def _next_data_strings(html: str) -> list[str]:
    m = _NEXT_DATA.search(html)
    if not m:
        return []
    try:
        data = json.loads(m.group("json"))
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return []
    found: list[str] = []
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and len(item) >= MIN_ARTICLE_CHARS:
            found.append(item)
    return found


def fusion_content(html: str) -> dict[str, Any] | None:
    """The ``Fusion.globalContent`` object of an Arc XP Fusion page, or ``None``.

    >>> fusion_content('<script>Fusion.globalContent={"type":"story"};Fusion.x=1;</script>')
    {'type': 'story'}
    """
    m = _FUSION.search(html)
    if not m:
        return None
    try:
        value, _ = json.JSONDecoder(strict=False).raw_decode(html, m.end())
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return None
    return value if isinstance(value, dict) else None


def ans_story(story: dict[str, Any]) -> AppArticle:
    """What an ANS story says (Arc XP): ``content_elements`` text paragraphs and image captions, the basic
    headline and subheadline, ``first_publish_date``/``display_date``/``publish_date`` (the meta tags carry the
    draft's ``created_date``), ``last_updated_date`` and the ``credits.by`` bylines."""
    article = AppArticle("arc-ans")
    for element in _list(story.get("content_elements")):
        if not isinstance(element, dict):
            continue
        if element.get("type") == "text" and isinstance(element.get("content"), str):
            text = fragment_text(element["content"])
            if text:
                article.paragraphs.append(text)
        elif element.get("type") == "image" and isinstance(element.get("caption"), str):
            caption = fragment_text(element["caption"])
            if caption and caption not in article.captions:
                article.captions.append(caption)
    article.title = _string(story, "headlines", "basic")
    article.subtitle = _string(story, "subheadlines", "basic")
    article.published = [v for k in ("first_publish_date", "display_date", "publish_date") if (v := _string(story, k))]
    article.modified = [v for v in [_string(story, "last_updated_date")] if v]
    for author in _list(_path(story, "credits", "by")):
        name = _string(author, "additional_properties", "original", "byline") or _string(author, "name")
        if name:
            article.bylines.append(name)
    return article


def _arc_story(html: str) -> AppArticle | None:
    story = fusion_content(html)
    if story is None:
        return None
    article = ans_story(story)
    return article if sum(len(p) for p in article.paragraphs) >= MIN_ARTICLE_CHARS else None


def fragment_text(fragment: str) -> str:
    """Visible text of an ANS ``content`` HTML fragment, whitespace folded (``<br/>`` alone gives '').

    >>> fragment_text("<b>경찰은</b> 밝혔다.<br/>"), fragment_text("<br/>")
    ('경찰은 밝혔다.', '')
    """
    body = LexborHTMLParser(f"<div>{fragment}</div>").body
    return fold_space(body.text(separator=" ") if body else "")


def _list(value: Any) -> list[Any]:
    """``value`` when it is a JSON array, else ``[]`` (a story's ``"content_elements": 5``)."""
    return value if isinstance(value, list) else []


def _path(obj: Any, *keys: str) -> Any:
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def _string(obj: Any, *keys: str) -> str | None:
    value = _path(obj, *keys)
    return fold_space(value) if isinstance(value, str) and value.strip() else None
