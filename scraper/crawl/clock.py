"""The crawl's clock: the one place the current time is read (KST, to the second)."""

from __future__ import annotations

from datetime import datetime

from scraper.normalize.dates import KST


def now_kst() -> str:
    """The current time as ISO 8601 in KST, to the second (``2026-12-01T20:42:07+09:00``)."""
    return datetime.now(KST).replace(microsecond=0).isoformat()
