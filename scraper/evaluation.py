"""Adapter for ``shared/bench/evaluate.py --extractor scraper.evaluation:extract``."""

from __future__ import annotations

from typing import Any

from scraper.errors import ScraperError
from scraper.pipeline import extract_text


def extract(html: str, url: str | None = None) -> dict[str, Any]:
    """The evaluator's dict (body paragraphs, title, published, authors) for one decoded page."""
    try:
        record = extract_text(html, url=url)
    except ScraperError:
        return {"body": [], "title": None, "published": None, "authors": []}
    return {"body": record.body, "title": record.title, "published": record.published, "authors": record.authors}
