"""Run settings: the one table of defaults (seconds, bytes, counts).

Precedence, lowest first: these defaults < a sources file's per-source overrides < command-line flags.
To add a setting, add a field here with its unit in the description; nothing else holds a default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_PAGE_BYTES = 20 * 1024 * 1024
"""Largest page read (bytes), from a file, stdin or the network; no real article page comes close."""

DEFAULT_USER_AGENT = (
    "korean-press-scraper/0.1 (+https://github.com/korean-press-scraper/korean-press-scraper; archival crawler)"
)


class FetchSettings(BaseModel):
    """How the fetcher reads the network. Times in seconds, sizes in bytes."""

    model_config = ConfigDict(frozen=True)

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = Field(default=10.0, description="seconds to open a connection")
    read_timeout: float = Field(default=30.0, description="seconds of silence allowed while reading")
    total_timeout: float = Field(default=120.0, description="seconds for one attempt, redirects included")
    max_bytes: int = Field(default=MAX_PAGE_BYTES, description="largest body accepted, after decompression")
    max_redirects: int = 10
    attempts: int = Field(default=4, description="tries per URL, the first included")
    backoff_base: float = Field(default=1.0, description="seconds; doubled each retry, with jitter")
    backoff_cap: float = Field(default=30.0, description="longest backoff between two tries, seconds")
    retry_after_cap: float = Field(default=120.0, description="a longer Retry-After gives up (outcome gave_up)")
    url_deadline: float = Field(default=300.0, description="seconds for one URL, all retries included")
    max_crawl_delay: float = Field(
        default=60.0, description="seconds; a host whose robots.txt Crawl-delay is longer is skipped (gave_up)"
    )
    obey_robots: bool = True
    min_delay: float = Field(default=1.0, description="seconds between two requests to one host")
    per_host_concurrency: int = Field(default=1, description="requests in flight to one host at once")
    max_concurrency: int = Field(default=20, description="requests in flight in total")
    extra_ca: tuple[str, ...] = Field(default=(), description="PEM files of extra CA certificates to trust")
    polite: bool = Field(default=True, description="False turns off per-host delay (benchmarks, tests)")


class AttachmentSettings(BaseModel):
    """Downloading and reading press-release attachments (``--attachments``). Sizes in bytes, times in seconds."""

    model_config = ConfigDict(frozen=True)

    enabled: bool = Field(
        default=False, description="download and read attachments (off by default: cron users opt in)"
    )
    save_dir: str | None = Field(
        default=None, description="folder to save the downloaded files in (--save-attachments)"
    )
    max_bytes: int = Field(default=20 * 1024 * 1024, description="largest attachment downloaded and read")
    max_files: int = Field(default=10, description="attachments read per record at most")
    time_limit: float = Field(default=30.0, description="seconds one text extraction may take (worker killed after)")
    memory_limit: int = Field(default=1024 * 1024 * 1024, description="address space of one extraction worker")


class WarcSettings(BaseModel):
    """Archiving every fetch as WARC/1.1 files (``--warc DIR``). Sizes in bytes."""

    model_config = ConfigDict(frozen=True)

    folder: Path = Field(description="folder the WARC files are written in (--warc DIR)")
    prefix: str = Field(default="scraper", description="first part of the file names (--warc-prefix)")
    max_bytes: int = Field(default=1_000_000_000, description="a file is rotated once it holds this many bytes "
                           "(--warc-max-size)")
    operator: str | None = Field(default=None, description="who runs the crawl, for the warcinfo record "
                                 "(--warc-operator)")


class CrawlSettings(BaseModel):
    """What one crawl run does (``scraper crawl``). Days are ``YYYY-MM-DD``, times ISO 8601 (KST)."""

    model_config = ConfigDict(frozen=True)

    out_dir: Path = Field(default=Path("output"), description="folder of the JSONL records and errors.jsonl")
    state_path: Path = Field(default=Path("output/state.sqlite"),
                             description="SQLite state file (default: OUT_DIR/state.sqlite)")
    state_url: str | None = Field(default=None, description="PostgreSQL state shared by several crawl processes "
                                  "(postgresql://user@host/db, --state URL); state_path is then unused")
    lease_seconds: float = Field(default=60.0, description="with a PostgreSQL state: how long a host lease lasts "
                                 "unrenewed (seconds; renewed every third of it) before another process may take "
                                 "the host over (a crashed process's hosts wait this long)")
    lease_hosts: int = Field(default=4, description="with a PostgreSQL state: hosts one process crawls at once "
                             "(each under its lease); the other processes take the rest")
    since: str | None = Field(default=None, description="ignore items dated before this day (YYYY-MM-DD)")
    max_pages: int = Field(default=5, description="list pages read per source per run")
    now: str | None = Field(default=None, description="ISO 8601 time for relative dates and fetched_at (clock)")
    refresh: int = Field(default=0, description="newest known items per source re-checked for changes")
    recheck: int = Field(default=0, description="known items per source re-checked for changes each run, in "
                         "rotation (the least recently checked first; those of the last recent_days every run): "
                         "every item within ceil(items / max(1, recheck // 2)) runs (--recheck)")
    recent_days: int = Field(default=7, description="days after publication an item counts as recent for recheck")
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1,
                         description="processes extracting view pages (default: one per core); 0 extracts in the "
                         "crawl's own process (--workers)")
    attachments: AttachmentSettings = Field(default_factory=AttachmentSettings)
    learn: bool = Field(default=True, description="learn each source's template from its recent view pages "
                        "and filter new records by it (--no-learn)")
    max_attempts: int = Field(default=5, description="runs in which a failing item is tried; then it is given up")
    broken_after: int = Field(default=3, description="runs in a row of no list items that make a source "
                              "source_broken")
    backfill: bool = Field(default=False, description="read the board's history down to since (or its last page), "
                           "max_pages list pages a run, over as many runs as it takes (--backfill)")
    sources_path: Path | None = Field(default=None, description="the sources file or folder read, named in "
                                      "messages that suggest a command (None: the bundled boards)")
    retry_given_up: bool = Field(default=False, description="try again the items given up after max_attempts "
                                 "(--retry-given-up)")
    warc: WarcSettings | None = Field(default=None, description="archive every fetch as WARC/1.1 (--warc DIR)")

    @model_validator(mode="before")
    @classmethod
    def _state_beside_output(cls, data: Any) -> Any:
        """``state_path`` defaults to ``out_dir/state.sqlite``."""
        if isinstance(data, dict) and data.get("state_path") is None:
            data = {**data, "state_path": Path(data.get("out_dir") or "output") / "state.sqlite"}
        return data


LINK_WINDOW_DAYS = 7
"""``scraper links --window-days`` default: a news article is linked to releases published 0..7 days before it."""

LINKS_FOLDER = "_links"
"""``crawl --links`` and ``scraper report`` without a folder: ``OUT/_links`` (no source's folder can start with
``_``: see :func:`scraper.names.safe_name`)."""
