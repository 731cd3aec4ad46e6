"""``run_crawl``: list pages -> new items -> fetch -> extract -> write -> mark, per source, for cron.

Order of one item (the crash-safety contract): extract, mark the write pending in state, append the
record to its JSONL partition and fsync, then commit it in state. ``kill -9`` anywhere in between is
settled by :meth:`~scraper.sinks.state.StateStore.recover` on the next run: nothing lost, nothing
written twice.

A source is walked newest list page first and stops at the first page whose regular (not pinned)
items are all known or older than ``since``; so an unchanged board costs one list request per run.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scraper.attachments.enrich import enrich_with_attachments
from scraper.config import AttachmentSettings, FetchSettings
from scraper.errors import ConfigError, ScraperError
from scraper.extract.listing import parse_listing
from scraper.extract.listitem import ListItem
from scraper.fetch.client import Fetcher, FetchResult
from scraper.models import Record
from scraper.normalize.dates import KST
from scraper.pipeline import extract_page
from scraper.report import RunReport, SourceReport
from scraper.sinks.jsonl import append_line, file_has_record, partition_path, repair_tail, safe_name
from scraper.sinks.lock import RunLock
from scraper.sinks.state import ItemState, StateStore
from scraper.sources.board import BoardSource, ItemRules

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CrawlSettings:
    """What one crawl run does. ``since``: YYYY-MM-DD; ``now``: ISO 8601 (default: the clock, KST)."""

    out_dir: Path
    state_path: Path
    since: str | None = None
    max_pages: int = 5
    now: str | None = None
    refresh: int = 0
    attachments: AttachmentSettings = field(default_factory=lambda: AttachmentSettings())


def now_kst() -> str:
    """The current time as ISO 8601 in KST, to the second."""
    return datetime.now(KST).replace(microsecond=0).isoformat()


def start_source(url: str) -> BoardSource:
    """A source for ``--start URL``: one list page read by generic discovery (same host, article links)."""
    host = urlsplit(url).netloc
    return BoardSource(name=safe_name(host), organization=host, kind="news", list_url=url,
                       items=ItemRules(item="*"), description="generic discovery from --start")


def content_hash(record: Record) -> str:
    """SHA-256 of the fields that make an article's content (not fetch times or ids)."""
    keys = ("title", "subtitle", "published", "modified", "authors", "body", "images")
    include: dict[str, Any] = {key: True for key in keys}
    include["attachments"] = {"__all__": {"name", "url", "size"}}  # read text (--attachments) left out
    payload = json.dumps(record.model_dump(mode="json", include=include), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _has_record(path: Path, record_id: str, revision: int, url: str) -> bool:
    repair_tail(path)
    return file_has_record(path, record_id, revision, url)


class Crawler:
    """One crawl run over many sources sharing one fetcher, one state file and one output folder."""

    def __init__(self, settings: CrawlSettings, fetcher: Fetcher, state: StateStore, report: RunReport,
                 progress: Progress | None = None, *, generic: bool = False) -> None:
        self.settings = settings
        self.generic = generic
        self.fetcher = fetcher
        self.state = state
        self.report = report
        self.progress = progress or (lambda message: None)

    def _now(self) -> str:
        return self.settings.now or now_kst()

    def _error(self, source: BoardSource, url: str | None, kind: str, message: str) -> None:
        line = {"url": url, "error": {"kind": kind, "message": message}, "source": source.name,
                "time": now_kst()}
        append_line(self.settings.out_dir / safe_name(source.name) / "errors.jsonl", line)
        self.report.of(source.name).errors += 1

    def _too_old(self, item: ListItem) -> bool:
        return bool(self.settings.since and item.date and item.date[:10] < self.settings.since)

    async def crawl_source(self, source: BoardSource) -> None:
        """Walk one source's list pages newest first and write what is new; a failure of one source is
        reported (``source_error``, errors.jsonl) and never stops the others."""
        try:
            await self._walk(source)
        except (OSError, sqlite3.Error):
            raise  # the output folder or the state file is broken: nothing can be written for anyone
        except Exception as exc:  # the per-source boundary
            self.report.of(source.name).source_error = f"internal_error: {type(exc).__name__}: {exc}"
            self._error(source, source.list_url, "internal_error", f"{type(exc).__name__}: {exc}")

    async def _walk(self, source: BoardSource) -> None:
        """Newest list pages first until caught up; then, when an earlier walk was cut short (killed, a failed
        list page, more new items than ``max_pages`` holds, or ``--since`` moved back), on from where it
        stopped. The resume point is saved before each page so that ``kill -9`` loses no backlog."""
        if self.generic:
            await self._page(source, 1, set())
            return
        name, seen = source.name, set[str]()
        walk = self.state.get_walk(name)
        had_items = self.state.has_items(name)
        resume, until = walk.resume_page, walk.resume_until
        if self.state.since_moved_back(name, self.settings.since) and resume is None:
            resume, until = 1, None
        budget, page, status = self.settings.max_pages, 1, "caught_up"
        while budget > 0:  # phase 1: the newest pages
            self.state.set_walk(name, min(resume or page, page), until if resume else self._first_depth(had_items))
            status = await self._page(source, page, seen)
            budget, page = budget - 1, page + 1
            if status != "new":
                break
        if status == "caught_up" and resume is not None:  # phase 2: the backlog of a cut walk
            page = max(resume, page)
            while budget > 0 and (until is None or page <= until):
                self.state.set_walk(name, page, until)
                status = await self._page(source, page, seen)
                budget, page = budget - 1, page + 1
                if status != "new":  # caught up with what earlier walks read, the end, or a failure
                    break
        self._finish_walk(name, status, page, had_items, until)
        await self._refresh(source)

    def _first_depth(self, had_items: bool) -> int | None:
        """A source's first walk stops for good at ``max_pages`` (older history is not backfilled)."""
        return None if had_items else self.settings.max_pages

    def _finish_walk(self, name: str, status: str, next_page: int, had_items: bool, until: int | None) -> None:
        since = self.settings.since
        if status in ("caught_up", "end") or (status == "new" and not had_items and until is None):
            self.state.finish_walk(name, None, None, since)
        elif status == "failed":
            self.state.finish_walk(name, next_page - 1, until, since)
        elif until is not None and next_page > until:
            self.state.finish_walk(name, None, None, since)
        else:
            self.state.finish_walk(name, next_page, until, since)

    async def _page(self, source: BoardSource, page: int, seen: set[str]) -> str:
        """Read list page ``page`` and process its new items. Returns ``caught_up`` (its regular items are all
        known or older than ``since``), ``new``, ``end`` (no items or the last page) or ``failed``."""
        rep = self.report.of(source.name)
        url = source.list_url if self.generic else source.page_url(page)
        result = await self.fetcher.fetch(url, form=None if self.generic else source.page_form(page),
                                          user_agent=source.overrides.user_agent)
        rep.list_pages += 1
        if not result.ok or result.text is None:
            rep.source_error = f"list page {page}: {result.outcome}: {result.message}"
            self._error(source, url, result.outcome, f"list page {page}: {result.message}")
            return "failed"
        listing = parse_listing(result.text, result.final_url or url, None if self.generic else source)
        items = [i for i in listing.items if i.id not in seen and i.url]
        self._report_unaddressed(source, url, page, [i for i in listing.items if not i.url])
        seen.update(i.id for i in items)
        if not items:
            return "end"
        regular = [i for i in items if not i.pinned] or items
        done = all(self.state.known(source.name, i.id) or self._too_old(i) for i in regular)
        todo = [i for i in items if not self.state.known(source.name, i.id) and not self._too_old(i)]
        rep.skipped_known += len(items) - len(todo)
        self.progress(f"{source.name}: list page {page}: {len(items)} items, {len(todo)} new")
        await asyncio.gather(*(self.process_item(source, i.id, i.url or "", None) for i in todo))
        if listing.pages and max(listing.pages) <= page:
            return "end"
        return "caught_up" if done else "new"

    def _report_unaddressed(self, source: BoardSource, url: str, page: int, unaddressed: list[ListItem]) -> None:
        if unaddressed:
            self._error(source, url, "no_view_url", (
                f"list page {page}: {len(unaddressed)} items have no view URL (javascript: links such as "
                f"id {unaddressed[0].id!r}); set items.view_url in the source to crawl them"))

    async def _refresh(self, source: BoardSource) -> None:
        known = self.state.newest(source.name, self.settings.refresh)
        await asyncio.gather(*(self.process_item(source, k.item_id, k.url, k) for k in known))

    async def process_item(self, source: BoardSource, item_id: str, url: str, prior: ItemState | None) -> None:
        """Fetch, extract and write one view page; failures become lines in errors.jsonl."""
        rep = self.report.of(source.name)
        validators = {"etag": prior.etag or "", "last_modified": prior.last_modified or ""} if prior else None
        result = await self.fetcher.fetch(url, validators=validators, user_agent=source.overrides.user_agent)
        if result.outcome == "unchanged":
            self.state.touch(source.name, item_id, self._now())
            rep.unchanged += 1
            return
        if not result.ok:
            self._error(source, url, result.outcome, result.message)
            return
        try:
            record = extract_page(result.content, url=result.final_url or url, profile=source.profile,
                                  content_type=result.headers.get("content-type"), now=self.settings.now)
            known = self.state.get(source.name, item_id)
            if known and known.content_hash == content_hash(record):  # unchanged: no attachment downloads
                self.state.touch(source.name, item_id, self._now(), result.headers.get("etag"),
                                 result.headers.get("last-modified"))
                rep.unchanged += 1
                return
            record = await enrich_with_attachments(self.fetcher, record, self.settings.attachments)
        except ScraperError as exc:
            self._error(source, url, exc.kind, exc.message)
            return
        except Exception as exc:  # the per-item boundary: one odd page never stops a cron run
            self._error(source, url, "internal_error", f"{type(exc).__name__}: {exc}")
            return
        self._write(source, item_id, url, record, result, rep)

    def _write(self, source: BoardSource, item_id: str, url: str, record: Record, result: FetchResult,
               rep: SourceReport) -> None:
        now = self._now()
        digest = content_hash(record)
        prior = self.state.get(source.name, item_id)
        etag, modified = result.headers.get("etag"), result.headers.get("last-modified")
        if prior and prior.content_hash == digest:
            self.state.touch(source.name, item_id, now, etag, modified)
            rep.unchanged += 1
            return
        path = partition_path(self.settings.out_dir, source.name, record.published)
        revision = self.state.begin_write(source.name, item_id, record.url or url, record.id, digest, str(path), now,
                                          published=record.published)
        final = record.model_copy(update={
            "source": source.name, "item_id": item_id, "revision": revision, "content_hash": digest,
            "fetched_at": now,
            "organization": record.organization or (None if self.generic else source.organization),
        })
        append_line(path, final.model_dump(mode="json"))
        self.state.commit_write(source.name, item_id, now, etag, modified)
        if prior:
            rep.updated += 1
        else:
            rep.new += 1


def open_state(path: Path) -> StateStore:
    """Open the state file; raises ``ConfigError`` when it is not a readable SQLite database."""
    try:
        return StateStore(path)
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"state file {path} is not a readable SQLite database ({exc}); move it aside: the next "
                          "run rebuilds the state from the records in the output folder") from exc


def rebuild_from_output(state: StateStore, source: str, out_dir: Path) -> int:
    """Re-learn a source's written items from its JSONL output when the state knows none of them (a deleted
    or replaced state file), so that nothing is written twice. Returns the number of records read."""
    folder = out_dir / safe_name(source)
    if state.has_items(source) or not folder.is_dir():
        return 0
    count = 0
    for path in sorted(folder.rglob("*.jsonl")):
        if path.name == "errors.jsonl":
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and obj.get("item_id") and obj.get("source") == source:
                state.import_item(source, str(obj["item_id"]), str(obj.get("url") or ""), obj)
                count += 1
    return count


async def run_crawl(sources: list[BoardSource], settings: CrawlSettings, fetch_settings: FetchSettings,
                    *, generic: bool = False, progress: Progress | None = None) -> RunReport:
    """Crawl ``sources`` once (all at the same time; each host politely). Raises ``AlreadyRunning`` when
    another crawl holds the state file's lock."""
    report = RunReport()
    out_lock = settings.out_dir / ".crawl"  # one crawl per output folder too: two state files, one folder
    with RunLock(settings.state_path), RunLock(out_lock), open_state(settings.state_path) as state:
        state.recover(_has_record)
        for source in sources:
            rebuilt = rebuild_from_output(state, source.name, settings.out_dir)
            if rebuilt and progress:
                progress(f"{source.name}: state rebuilt from {rebuilt} records already in the output folder")
        run_id = state.start_run(settings.now or now_kst())
        async with Fetcher(fetch_settings) as fetcher:
            for source in sources:
                if source.overrides.delay_seconds is not None:
                    fetcher.gate(source.list_url).delay = source.overrides.delay_seconds
            crawler = Crawler(settings, fetcher, state, report, progress, generic=generic)
            await asyncio.gather(*(crawler.crawl_source(s) for s in sources))
            report.requests = fetcher.requests_made
        state.finish_run(run_id, now_kst(), report.to_json())
    return report
