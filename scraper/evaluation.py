"""Adapter for ``shared/bench/evaluate.py --extractor scraper.evaluation:extract``."""

from __future__ import annotations

from typing import Any

from scraper.errors import ScraperError
from scraper.pipeline import extract_text
from scraper.sources.profile import SiteProfile


def extract(html: str, url: str | None = None) -> dict[str, Any]:
    """The evaluator's dict (body paragraphs, title, published, authors) for one decoded page."""
    return _evaluate(html, url, None)


def extract_generic(html: str, url: str | None = None) -> dict[str, Any]:
    """As :func:`extract` with no site profile and no hook: the generic path a new site gets."""
    return _evaluate(html, url, ())


def _evaluate(html: str, url: str | None, profiles: tuple[SiteProfile, ...] | None) -> dict[str, Any]:
    try:
        record = extract_text(html, url=url, profiles=profiles)
    except ScraperError:
        return {"body": [], "title": None, "published": None, "authors": []}
    return {"body": record.body, "title": record.title, "published": record.published, "authors": record.authors}
