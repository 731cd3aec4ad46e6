"""The generic fallback: trafilatura's main-content extraction. The only module importing trafilatura."""

from __future__ import annotations

import logging

import trafilatura

from scraper.normalize.text import fold_space

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def fallback_lines(html: str, url: str | None = None) -> list[str]:
    """Main-content text lines found by trafilatura (comments and tables left out), or ``[]``."""
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True,
        deduplicate=False, with_metadata=False,
    )
    if not text:
        return []
    return [line for line in (fold_space(raw) for raw in text.splitlines()) if line]
