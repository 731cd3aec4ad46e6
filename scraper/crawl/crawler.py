"""``Crawler``: one run's walk of each source's list pages, and the fetch -> extract -> write -> mark of each item.

The items of one list page (or of one batch of re-checks) are fetched at once and extracted in worker processes
(:mod:`scraper.crawl.extraction`, ``CrawlSettings.workers``); then the page's records are written as one batch,
in list order, by this process alone. Order of a batch (the crash-safety contract): extract, mark the writes
pending in state (one transaction), append the records to their JSONL partitions and fsync them, then commit
them in state (one transaction). ``kill -9`` anywhere in between is settled by :mod:`scraper.crawl.reconcile`
on the next run, item by item: nothing lost, nothing written twice.

Learning (``CrawlSettings.learn``, ``--no-learn`` to turn off): each source keeps a rolling sample of its
newest view pages' lines in the state (``scraper.learn``); a new record is filtered by the template learned
from that sample and its own page once ``MIN_KNOWN`` other pages are known, and a page that proves no
headline of its own is read with the headline place the source's recent pages agree on. Which pages are
sampled is decided in list order before they are fetched (a worker takes the sample beside the record), and
templates are learned and applied in list order when the batch is written: the records do not depend on
which page arrived first, nor on the number of workers. The samples are stored after the batch's commit: a
crash there only loses samples.

Re-checks: ``--refresh N`` re-reads the N newest known items every run; ``--recheck N`` re-reads N known items
a run in rotation (``StateBase.due_for_recheck``), with conditional GETs (ETag / Last-Modified).
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from scraper.archive.warc import WarcWriter
from scraper.attachments.enrich import enrich_with_attachments
from scraper.config import CrawlSettings
from scraper.crawl.clock import now_kst
from scraper.crawl.extraction import ExtractFailed, ExtractJob, ExtractorPool, content_hash
from scraper.crawl.learning import SourceLearning
from scraper.crawl.output import append_records
from scraper.crawl.plan import PageOutcome, PageStatus, WalkPlan
from scraper.errors import ScraperError
from scraper.extract.listing import parse_listing
from scraper.extract.listitem import ListItem
from scraper.extract.template import PageSample
from scraper.fetch.client import Fetcher
from scraper.fetch.decode import decode_html
from scraper.fetch.exchange import Archived
from scraper.learn import MAX_SAMPLES, apply_learned, learn_for_page, learn_headline
from scraper.models import Record
from scraper.names import safe_name
from scraper.normalize.dates import KST
from scraper.report import RunReport, SourceStatus
from scraper.sinks.jsonl import append_line, partition_path
from scraper.sinks.state import ItemState, PendingWrite, Seen, StateBase
from scraper.sources.board import BoardSource

__all__ = ["Crawler", "Progress", "content_hash"]


class Progress:
    """What a run tells as it goes: lines of news (a list page read, a state rebuilt), and items queued and
    done, for a progress bar that counts items with an ETA. This base class ignores all of it."""

    def message(self, text: str) -> None:
        """One line of progress."""

    def queued(self, count: int) -> None:
        """``count`` more view pages are to be fetched."""

    def item_done(self) -> None:
        """One queued view page is done (written, unchanged or failed)."""


REFRESH_BATCH = 50
"""Known items re-checked at once (``--refresh``, ``--recheck``, earlier failures): one write batch; the fetcher's
per-host gates still space the requests (a task per item at once would hold every item's page in memory)."""


@dataclass
class _Ready:
    """An item fetched and extracted whose record may have to be written: what its batch needs of it."""

    item_id: str
    url: str
    record: Record
    page_hash: str
    sampled: bool
    """A learning sample was asked for (``sample`` is ``None`` when the bytes decoded as no page)."""
    sample: PageSample | None
    known: ItemState | None
    etag: str | None
    last_modified: str | None
    archived: Archived | None = None
    """Where the page's response was archived (``--warc``)."""


class Crawler:
    """One crawl run over many sources sharing one fetcher, one state file and one output folder."""

    def __init__(self, settings: CrawlSettings, fetcher: Fetcher, state: StateBase, report: RunReport,
                 progress: Progress | None = None, *, generic: bool = False, extractor: ExtractorPool | None = None,
                 run_id: int = 0, archive: WarcWriter | None = None) -> None:
        self.settings = settings
        self.archive = archive
        """The run's WARC writer (``--warc``): a batch's metadata records are written and fsynced before its
        JSONL lines, which point at their responses in it."""
        self.payloads: list[tuple[str, str, str, str, str, str]] = []
        """Full responses archived since the last batch (``StateBase.remember_warc_payloads`` rows): the next
        fetch of such a page with the same payload is archived as a revisit."""
        self.extractor = extractor or ExtractorPool(0)
        """Where view pages are extracted (in this process unless the run gives a pool of workers)."""
        self.run_id = run_id
        """The run's id in the state (``runs.id``): each item fetched keeps it as ``last_checked_run``."""
        self.generic = generic
        self.fetcher = fetcher
        self.state = state
        self.report = report
        self.progress = progress or Progress()
        self.pager_last: dict[str, int] = {}
        """Per source, the last page number the pagers of this run's list pages showed."""
        self.given_up: dict[str, set[str]] = {}
        """Per source, the items that failed ``max_attempts`` times: never fetched again (``--retry-given-up``)."""
        self.walk_ids: dict[str, int] = {}
        self.learning: dict[str, SourceLearning] = {}
        """Per source, its samples and template this run (:mod:`scraper.crawl.learning`)."""
        self.fetched: set[tuple[str, str]] = set()
        """``(source, item_id)`` of every view page this run has fetched: ``--refresh`` never re-reads them."""

    def _now(self) -> str:
        return self.settings.now or now_kst()

    def _item_error(self, source: BoardSource, item_id: str, url: str, kind: str, message: str) -> None:
        self.state.record_failure(source.name, item_id, url, f"{kind}: {message}")
        tries = self.state.attempts(source.name, item_id)
        if tries >= self.settings.max_attempts:
            message += (f"; given up after {tries} runs that tried it (it no longer fails the run; "
                        "crawl --retry-given-up tries it again)")
        self._error(source, url, kind, message)

    async def _retry_failures(self, source: BoardSource, failed: list[tuple[str, str]]) -> None:
        """Items that failed on earlier runs and were not on this run's list pages (they may have moved
        down the board), up to ``CrawlSettings.max_attempts`` tries each."""
        todo: list[tuple[str, str, ItemState | None]] = [
            (i, u, None) for i, u in failed if not self.state.known(source.name, i)]
        for start in range(0, len(todo), REFRESH_BATCH):
            await self.process_items(source, todo[start:start + REFRESH_BATCH])

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

    def _plan(self, source: str) -> WalkPlan:
        """The source's walk this run (see :meth:`WalkPlan.open`), from its state."""
        s = self.settings
        return WalkPlan.open(self.state.get_walk(source), first=not self.state.has_items(source),
                             since_moved_back=self.state.since_moved_back(source, s.since), since=s.since,
                             max_pages=s.max_pages, backfill=s.backfill, oldest=self.state.oldest_published(source))

    async def _walk(self, source: BoardSource) -> None:
        """Newest list pages first until the walk is complete: a page whose regular items are all *settled*
        (known before the current walk began, or older than ``since``), the last page, or, on a source's
        first walk, ``max_pages``. A walk cut short (killed, a failed list page, the ``max_pages`` budget)
        stays open in the state and the next run goes on with it: known-but-unsettled pages are skipped by
        jumping to the saved page, shifted by the new items seen above it. Completion is decided by items,
        not page numbers, so new posts pushing unread items down the board lose nothing."""
        if self.generic:
            await self._page(source, 1, set(), 0)
            await self._refresh(source)
            await self._recheck(source)
            return
        if self.settings.retry_given_up:
            self.state.forget_given_up(source.name, self.settings.max_attempts)
        self.given_up[source.name] = self.state.given_up(source.name, self.settings.max_attempts)
        walk = self._plan(source.name)
        self.walk_ids[source.name] = walk.walk_id
        earlier_failures = self.state.failures(source.name, self.settings.max_attempts)
        seen: set[str] = set()
        page, budget, new_total, page_size = 1, self.settings.max_pages, 0, 0
        status: PageStatus = "open"
        oldest: str | None = None
        self.pager_last[source.name] = 0
        while budget > 0 and (walk.until is None or page <= walk.until):
            self.state.save_walk(source.name, walk.saved(page))
            outcome = await self._page(source, page, seen, walk.settle_below)
            budget, new_total, page_size = budget - 1, new_total + outcome.new, page_size or outcome.size
            status = outcome.status
            oldest = min(d for d in (oldest, outcome.oldest) if d) if (oldest or outcome.oldest) else None
            if status in ("complete", "end", "failed", "no_items"):
                break
            page = walk.next_page(page, outcome, new_total, page_size)
        runs = self.settings.max_attempts
        if walk.skips_failed_page(status, page, runs):
            self._error(source, source.page_url(page), "list_page_given_up",
                        f"list page {page} failed in {runs} runs in a row: the walk goes on below it (its posts are "
                        "read when new posts push them onto other pages)")
        self.state.save_walk(source.name, walk.finished(status, page, oldest, max_failed_runs=runs))
        await self._retry_failures(source, [(i, u) for i, u in earlier_failures if i not in seen])
        await self._refresh(source)
        await self._recheck(source)

    async def _page(self, source: BoardSource, page: int, seen: set[str], settle_below: int) -> PageOutcome:
        """Read list page ``page`` and process its new items (see :class:`PageOutcome` for the status)."""
        rep = self.report.of(source.name)
        url = source.list_url if self.generic else source.page_url(page)
        result = await self.fetcher.fetch(url, form=None if self.generic else source.page_form(page),
                                          user_agent=source.overrides.user_agent)
        rep.list_pages += 1
        if not result.ok:
            rep.source_error = f"list page {page}: {result.outcome}: {result.message}"
            self._error(source, url, result.outcome, f"list page {page}: {result.message}")
            return PageOutcome("failed")
        try:
            text = decode_html(result.content, result.content_type, url=result.final_url or url).text
        except ScraperError as exc:
            rep.source_error = f"list page {page}: {exc.kind}: {exc.message}"
            self._error(source, url, exc.kind, f"list page {page}: {exc.message}")
            return PageOutcome("failed")
        listing = parse_listing(text, result.final_url or url, None if self.generic else source)
        if page == 1:
            self._note_first_page(source, url, bool(listing.items))
            if not listing.items:
                return PageOutcome("no_items")
        elif not listing.items and self.pager_last.get(source.name, 0) >= page:
            rep.source_error = f"list page {page}: list_page_empty"
            self._error(source, url, "list_page_empty", (
                f"list page {page} held no items though the pager showed {self.pager_last[source.name]} pages (a rate "
                "limit, WAF or error page served with 200?): the walk stays open here and goes on next run"))
            return PageOutcome("failed")
        self.pager_last[source.name] = max([self.pager_last.get(source.name, 0), *listing.pages])
        items = [i for i in listing.items if i.id not in seen and i.url]
        self._report_unaddressed(source, url, page, [i for i in listing.items if not i.url])
        seen.update(i.id for i in items)
        if not items:
            return PageOutcome("end")
        given_up = self.given_up.get(source.name, set())
        regular = [i for i in items if not i.pinned] or items
        settled = all(self._too_old(i) or i.id in given_up or self.state.known_before(source.name, i.id, settle_below)
                      for i in regular)
        todo = [i for i in items if not self.state.known(source.name, i.id) and not self._too_old(i)
                and i.id not in given_up]
        rep.given_up += sum(1 for i in items if i.id in given_up)
        rep.skipped_known += len(items) - len(todo)
        await self._process_page_items(source, page, len(items), todo)
        new = sum(1 for i in todo if not i.pinned)
        days = [i.date[:10] for i in regular if i.date and not i.pinned]
        oldest = min(days) if days else None
        if settled:
            return PageOutcome("complete", new, len(regular), oldest)
        if listing.pages and max(listing.pages) <= page:
            return PageOutcome("end", new, len(regular), oldest)
        return PageOutcome("open", new, len(regular), oldest)

    async def _process_page_items(self, source: BoardSource, page: int, listed: int, todo: list[ListItem]) -> None:
        """Fetch and write the page's ``todo`` items; then one progress line with what became of them."""
        rep = self.report.of(source.name)
        written, errors = rep.new + rep.updated, rep.errors
        await self.process_items(source, [(i.id, i.url or "", None) for i in todo])
        failed = rep.errors - errors
        self.progress.message(f"{source.name}: list page {page}: {listed} items, {len(todo)} not yet written: "
                              f"{rep.new + rep.updated - written} written, {failed} failed")

    def _note_first_page(self, source: BoardSource, url: str, found: bool) -> None:
        """Count the runs in a row whose first list page held no item; an empty first page is an error
        (``no_items``), and :attr:`CrawlSettings.broken_after` of them in a row make the source
        ``source_broken``."""
        rep = self.report.of(source.name)
        rep.no_items_runs = self.state.note_list_items(source.name, found, self._now())
        if found:
            return
        kind: SourceStatus = "source_broken" if rep.no_items_runs >= self.settings.broken_after else "no_items"
        rep.status = kind
        hint = "the board's markup changed (item selector no longer matches), a login or WAF page was served, " \
            "or the board was emptied"
        check = f"scraper sources check --source {source.name}"
        if self.settings.sources_path is not None:
            check += f" --sources {self.settings.sources_path}"
        self._error(source, url, kind, f"list page 1 held no items ({rep.no_items_runs} runs in a row): {hint}; "
                    f"check it with: scraper listing {url} (or {check})")

    def _report_unaddressed(self, source: BoardSource, url: str, page: int, unaddressed: list[ListItem]) -> None:
        if unaddressed:
            self._error(source, url, "no_view_url", (
                f"list page {page}: {len(unaddressed)} items have no view URL (javascript: links such as "
                f"id {unaddressed[0].id!r}); set items.view_url in the source to crawl them"))

    async def _refresh(self, source: BoardSource) -> None:
        """Re-check the source's ``--refresh`` newest written items this run has not fetched yet, in batches of
        :data:`REFRESH_BATCH`."""
        known = [k for k in self.state.newest(source.name, self.settings.refresh)
                 if (source.name, k.item_id) not in self.fetched]
        for start in range(0, len(known), REFRESH_BATCH):
            await self.process_items(source, [(k.item_id, k.url, k) for k in known[start:start + REFRESH_BATCH]])

    async def _recheck(self, source: BoardSource) -> None:
        """Re-check ``--recheck`` known items of the source this run has not fetched yet: the recent ones
        (published in the last ``recent_days``) and, in rotation, those checked longest ago
        (:meth:`StateBase.due_for_recheck`), in batches of :data:`REFRESH_BATCH`."""
        if self.settings.recheck <= 0:
            return
        now = datetime.fromisoformat(self.settings.now) if self.settings.now else datetime.now(KST)
        recent_from = (now.astimezone(KST) - timedelta(days=self.settings.recent_days)).date().isoformat()
        fetched = [item for name, item in self.fetched if name == source.name]
        due = self.state.due_for_recheck(source.name, self.settings.recheck, recent_from, exclude=fetched)
        for start in range(0, len(due), REFRESH_BATCH):
            await self.process_items(source, [(k.item_id, k.url, k) for k in due[start:start + REFRESH_BATCH]])

    async def process_item(self, source: BoardSource, item_id: str, url: str, prior: ItemState | None) -> None:
        """Fetch, extract and write one view page (``prior``: its state, for a conditional GET); failures become
        lines in errors.jsonl."""
        await self.process_items(source, [(item_id, url, prior)])

    async def process_items(self, source: BoardSource, items: list[tuple[str, str, ItemState | None]]) -> None:
        """Fetch and extract ``(item_id, url, prior)`` items at once, then write what is new or changed as one
        batch, in the order given (see the module docstring); failures become lines in errors.jsonl."""
        first: dict[str, tuple[str, str, ItemState | None]] = {}
        for item in items:  # an item once in a batch (the first of two with one id)
            first.setdefault(item[0], item)
        items = list(first.values())
        if not items:
            return
        self.progress.queued(len(items))
        sampled = [self.settings.learn and self._learning(source.name).wants_sample(item_id) for item_id, _, _ in items]
        touches: list[Seen] = []
        ready = await asyncio.gather(*(self._prepare(source, item_id, url, prior, sample, touches)
                                       for (item_id, url, prior), sample in zip(items, sampled, strict=True)))
        await self._write_batch(source, [r for r in ready if r is not None], touches)

    async def _prepare(self, source: BoardSource, item_id: str, url: str, prior: ItemState | None, sample: bool,
                       touches: list[Seen]) -> _Ready | None:
        """Fetch and extract one view page: its :class:`_Ready` when a record may have to be written; ``None``
        when the page is unchanged (added to ``touches``) or failed (an error line)."""
        try:
            return await self._fetch_and_extract(source, item_id, url, prior, sample, touches)
        finally:
            self.progress.item_done()

    async def _fetch_and_extract(self, source: BoardSource, item_id: str, url: str, prior: ItemState | None,
                                 sample: bool, touches: list[Seen]) -> _Ready | None:
        rep = self.report.of(source.name)
        self.fetched.add((source.name, item_id))
        validators = {"etag": prior.etag or "", "last_modified": prior.last_modified or ""} if prior else None
        earlier = self.state.warc_payload(source.name, item_id) if self.archive is not None else None
        result = await self.fetcher.fetch(url, validators=validators, user_agent=source.overrides.user_agent,
                                          earlier=earlier)
        place = result.archived
        if result.ok and place is not None and not place.revisit and place.payload_digest:
            self.payloads.append((source.name, item_id, place.payload_digest, place.record_id, place.target_uri,
                                  place.date))
        if result.outcome == "unchanged":
            touches.append(Seen(source.name, item_id, self._now(), run=self.run_id))
            rep.unchanged += 1
            self._sample_lost(source.name, sample)
            return None
        if not result.ok:
            self._item_error(source, item_id, url, result.outcome, result.message)
            self._sample_lost(source.name, sample)
            return None
        hint = learn_headline([s for i, s in self._known_samples(source.name) if i != item_id]) \
            if self.settings.learn else None
        outcome = await self.extractor.run(ExtractJob(
            result.content, result.final_url or url, result.content_type, source.profile, self.settings.now, hint,
            sample))
        if isinstance(outcome, ExtractFailed):
            self._item_error(source, item_id, url, outcome.kind, outcome.message)
            self._sample_lost(source.name, sample)
            return None
        known = self.state.get(source.name, item_id)
        etag, modified = result.headers.get("etag"), result.headers.get("last-modified")
        # the page's hash before the template too: a template learned later is no change
        if known and outcome.page_hash in (known.content_hash, known.page_hash):  # unchanged: no attachment downloads
            touches.append(Seen(source.name, item_id, self._now(), etag, modified, run=self.run_id))
            rep.unchanged += 1
            self._sample_lost(source.name, sample)
            return None
        return _Ready(item_id, url, outcome.record, outcome.page_hash, sample, outcome.sample, known, etag, modified,
                      result.archived)

    async def _finish(self, source: BoardSource, ready: _Ready, record: Record | None) -> Record | None:
        """``record`` (learned already) with its attachments read (``--attachments``); ``None`` after an error line
        (or for no record)."""
        if record is None:
            return None
        try:
            return await enrich_with_attachments(self.fetcher, record, self.settings.attachments)
        except ScraperError as exc:
            self._item_error(source, ready.item_id, ready.url, exc.kind, exc.message)
        except Exception as exc:  # the per-item boundary: one odd page never stops a cron run
            self._item_error(source, ready.item_id, ready.url, "internal_error", f"{type(exc).__name__}: {exc}")
        return None

    async def _write_batch(self, source: BoardSource, ready: list[_Ready], touches: list[Seen]) -> None:
        """Learn and apply templates in order, read attachments, then write the records that are new or changed:
        pending in one transaction, appended and fsynced, committed in one transaction with the ``touches``."""
        learned = await self._learned(source, ready) if self.settings.learn else list[Record | None](
            r.record for r in ready)
        if self.settings.attachments.enabled:
            learned = list(await asyncio.gather(*(self._finish(source, r, record)
                                                  for r, record in zip(ready, learned, strict=True))))
        rep = self.report.of(source.name)
        now = self._now()
        writes: list[tuple[_Ready, Record, str]] = []
        kept: list[tuple[str, PageSample]] = []
        for r, maybe in zip(ready, learned, strict=True):
            if maybe is None:
                continue
            record = maybe
            digest = r.page_hash if record is r.record else content_hash(record)
            if r.sample is not None:
                kept.append((r.item_id, r.sample))
            if r.known and r.known.content_hash == digest:
                touches.append(Seen(source.name, r.item_id, now, r.etag, r.last_modified, r.page_hash, self.run_id))
                rep.unchanged += 1
                continue
            writes.append((r, record, digest))
        paths = [partition_path(self.settings.out_dir, source.name, record.published) for _, record, _ in writes]
        walk = self.walk_ids.get(source.name, 0)
        revisions = self.state.begin_writes([
            PendingWrite(source.name, r.item_id, record.url or r.url, record.id, digest, str(path), now,
                         record.published, walk, self.run_id)
            for (r, record, digest), path in zip(writes, paths, strict=True)])
        lines = []
        for (r, record, digest), path, revision in zip(writes, paths, revisions, strict=True):
            data = record.model_dump(mode="json")
            data.update(source=source.name, item_id=r.item_id, revision=revision, content_hash=digest, fetched_at=now,
                        organization=record.organization or (None if self.generic else source.organization))
            if r.archived is not None:
                data["warc"] = r.archived.as_json()
            lines.append((path, data))
        archived = [(data, r.archived) for (r, _, _), (_, data) in zip(writes, lines, strict=True) if r.archived]
        if lines:  # in a thread of this process: the files' fsyncs do not stall the other sources' fetches
            await asyncio.to_thread(self._append, lines, archived)
        self.state.commit_writes([Seen(source.name, r.item_id, now, r.etag, r.last_modified, r.page_hash, self.run_id)
                                  for r, _, _ in writes], touches)
        for r, _, _ in writes:
            if r.known:
                rep.updated += 1
            else:
                rep.new += 1
        if self.archive is not None and self.payloads:
            payloads, self.payloads = self.payloads, []
            await asyncio.to_thread(self.archive.sync)  # the rows name records that are on disk
            self.state.remember_warc_payloads(payloads)
        if kept:  # after the batch's commit: samples lost to a crash cost nothing
            self.state.add_template_samples(source.name, [(i, s.model_dump_json()) for i, s in kept], MAX_SAMPLES)

    def _append(self, lines: list[tuple[Path, dict[str, Any]]], archived: list[tuple[dict[str, Any], Archived]]
                ) -> None:
        """Append a batch's lines; first (``--warc``) its records as metadata records, fsynced, so no line points
        at WARC bytes a crash could lose."""
        if self.archive is not None:
            for data, place in archived:
                self.archive.metadata(data, place)
            self.archive.sync()
        append_records(lines)

    def _learning(self, source: str) -> SourceLearning:
        """The source's learning state, its samples read from the state on first use."""
        if source not in self.learning:
            kept: list[tuple[str, PageSample]] = []
            for item_id, text in self.state.template_samples(source):
                try:
                    kept.append((item_id, PageSample.model_validate_json(text)))
                except ValueError:  # a sample this version cannot read only helps less
                    continue
            self.learning[source] = SourceLearning(kept)
        return self.learning[source]

    def _known_samples(self, source: str) -> list[tuple[str, PageSample]]:
        """The source's learning samples ``(item_id, sample)``, oldest first."""
        return self._learning(source).samples

    def _sample_lost(self, source: str, sampled: bool) -> None:
        if sampled:
            self._learning(source).lost()

    async def _learned(self, source: BoardSource, ready: list[_Ready]) -> list[Record | None]:
        """The batch's records filtered by the templates learned in list order: a sampled page learns from the
        source's samples before it (in worker processes, all of the batch's at once) and its template filters
        it and the pages after it; a page whose bytes gave no sample is left as it is. ``None`` for a record
        that failed (an error line)."""
        learning = self._learning(source.name)
        learn_from = learning.plan([(r.item_id, r.sample, r.sampled) for r in ready])
        with_sample = [r for r in ready if r.sample is not None]
        learned = await asyncio.gather(*(self.extractor.call(learn_for_page, r.sample, others)
                                         for r, others in zip(with_sample, learn_from, strict=True)),
                                       return_exceptions=True)
        templates = dict(zip((r.item_id for r in with_sample), learned, strict=True))
        out: list[Record | None] = []
        for r in ready:
            try:
                if r.sample is not None:
                    found = templates[r.item_id]
                    if isinstance(found, BaseException):
                        raise found
                    template = learning.settle(found, r.record)
                elif r.sampled:  # the bytes are no page: neither learned from nor filtered
                    out.append(r.record)
                    continue
                else:
                    template = learning.template
                out.append(r.record if template is None else apply_learned(r.record, template))
            except Exception as exc:  # the per-item boundary
                self._item_error(source, r.item_id, r.url, "internal_error", f"{type(exc).__name__}: {exc}")
                out.append(None)
        return out
