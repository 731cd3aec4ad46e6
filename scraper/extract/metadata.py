"""Machine-readable metadata of a page: ``<meta>`` tags, JSON-LD, canonical link; pure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.normalize.text import fold_space


@dataclass
class PageMeta:
    """Metadata declared by the page itself (strings as found)."""

    title: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    image: str | None = None


_DECLARING = 'meta[content], script[type="application/ld+json"], link[rel="canonical"]'
"""The nodes that declare metadata, found with one query (each kind told apart by its tag, in page order)."""


def _declaring_nodes(tree: LexborHTMLParser) -> dict[str, list[LexborNode]]:
    """``{"meta": [...], "script": [...], "link": [...]}``: the nodes of ``_DECLARING``, in page order."""
    found: dict[str, list[LexborNode]] = {"meta": [], "script": [], "link": []}
    for node in tree.css(_DECLARING):
        found.setdefault(node.tag or "", []).append(node)
    return found


def _meta_index(nodes: list[LexborNode]) -> dict[str, list[str]]:
    """``<meta>`` contents keyed by their property / name / itemprop, in page order (one pass)."""
    index: dict[str, list[str]] = {}
    for node in nodes:
        attrs = node.attributes
        content = fold_space(attrs.get("content") or "")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = attrs.get(attr)
            if key:
                values = index.setdefault(key, [])
                if content not in values:
                    values.append(content)
    return index


def _meta(index: dict[str, list[str]], *names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        for content in index.get(name, []):
            if content not in values:
                values.append(content)
    return values


def _json_ld_objects(scripts: list[LexborNode]) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for node in scripts:
        try:
            data = json.loads(node.text() or "", strict=False)
        except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                objects.append(item)
    return objects


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle"}


def read_page_meta(tree: LexborHTMLParser) -> PageMeta:
    """Collect title, dates, authors and canonical URL from meta tags and JSON-LD (JSON-LD first)."""
    meta = PageMeta()
    nodes = _declaring_nodes(tree)
    index = _meta_index(nodes["meta"])
    for obj in _json_ld_objects(nodes["script"]):
        types = obj.get("@type")
        types = set(types) if isinstance(types, list) else {types}
        if not types & _ARTICLE_TYPES:
            continue
        for key, target in (("datePublished", meta.published), ("dateModified", meta.modified)):
            if isinstance(obj.get(key), str):
                target.append(obj[key])
        if isinstance(obj.get("headline"), str):
            meta.title.append(fold_space(obj["headline"]))
        meta.authors.extend(fold_space(n) for n in _names(obj.get("author")) if n)
    meta.published += _meta(index, "article:published_time", "og:article:published_time", "datePublished",
                            "pubdate", "publishdate", "dd:published_time", "article:published")
    meta.modified += _meta(index, "article:modified_time", "og:article:modified_time", "dateModified",
                           "og:updated_time", "dd:modified_time")
    meta.title += _meta(index, "og:title", "twitter:title", "title")
    meta.authors += _meta(index, "author", "article:author", "dable:author", "byl")
    site = _meta(index, "og:site_name")
    meta.site_name = site[0] if site else None
    description = _meta(index, "og:description", "description")
    meta.description = description[0] if description else None
    image = _meta(index, "og:image")
    meta.image = image[0] if image else None
    links = nodes["link"]
    href = links[0].attributes.get("href") if links else None
    og_url = _meta(index, "og:url")
    meta.canonical_url = href or (og_url[0] if og_url else None)
    return meta
