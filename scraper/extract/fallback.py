"""The generic fallback: trafilatura's main-content extraction. The only module importing trafilatura.

trafilatura (with lxml, justext, htmldate and courlan) is imported on the first page that needs the fallback, not
when the package is: about 21 MB of resident memory in every process that never uses it (the crawl's extraction
workers on most boards, every short CLI run), and its import time.
"""

from __future__ import annotations

import logging

from scraper.normalize.text import fold_space


def fallback_lines(html: str, url: str | None = None) -> list[str]:
    """Main-content text lines found by trafilatura (comments and tables left out), or ``[]``."""
    import trafilatura  # here, not at the top: see the module's docstring

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True,
        deduplicate=False, with_metadata=False,
    )
    if not text:
        return []
    return [line for line in (fold_space(raw) for raw in text.splitlines()) if line]
