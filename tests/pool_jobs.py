"""Job functions for :class:`scraper.crawl.extraction.ExtractorPool` tests: module-level, so that a spawned
worker process can import them."""

from __future__ import annotations

import os

from scraper.crawl.extraction import ExtractFailed, Outcome


def echo_or_die(job: str) -> Outcome:
    """``ExtractFailed("echo", job)``; the worker process dies at once (no cleanup) on the job ``"die"``."""
    if job == "die":
        os._exit(3)
    return ExtractFailed("echo", f"{job} in {os.getpid()}")
