"""``Crawler``: one run's walk of each source's list pages, and the fetch -> extract -> write -> mark of each item.

Order of one item (the crash-safety contract): extract, mark the write pending in state, append the
record to its JSONL partition and fsync, then commit it in state. ``kill -9`` anywhere in between is
settled by :mod:`scraper.crawl.reconcile` on the next run: nothing lost, nothing written twice.

Learning (``CrawlSettings.learn``, ``--no-learn`` to turn off): each source keeps a rolling sample of its
newest view pages' lines in the state (``scraper.learn``); a new record is filtered by the template learned
from that sample and its own page once ``MIN_KNOWN`` other pages are known, and a page that proves no
headline of its own is read with the headline place the source's recent pages agree on. The sample is
updated after the item's commit, outside its transaction: a crash there only loses one sample.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from typing import Any

from scraper.attachments.enrich import enrich_with_attachments
from scraper.config import CrawlSettings
from scraper.crawl.clock import now_kst
from scraper.crawl.plan import PageOutcome, PageStatus, WalkPlan
from scraper.errors import ScraperError
from scraper.extract.listing import parse_listing
from scraper.extract.listitem import ListItem
from scraper.extract.template import PageSample, SiteTemplate
from scraper.fetch.client import Fetcher, FetchResult
from scraper.fetch.decode import decode_html
from scraper.learn import MAX_SAMPLES, apply_learned, learn_for_page, learn_headline, page_sample
from scraper.models import Record
from scraper.names import safe_name
from scraper.pipeline import extract_page
from scraper.report import RunReport, SourceStatus
from scraper.sinks.jsonl import append_line, partition_path
from scraper.sinks.state import ItemState, StateStore
from scraper.sources.board import BoardSource


class Progress:
    """What a run tells as it goes: lines of news (a list page read, a state rebuilt), and items queued and
    done, for a progress bar that counts items with an ETA. This base class ignores all of it."""

    def message(self, text: str) -> None:
        """One line of progress."""

    def queued(self, count: int) -> None:
        """``count`` more view pages are to be fetched."""

    def item_done(self) -> None:
        """One queued view page is done (written, unchanged or failed)."""


def content_hash(record: Record) -> str:
    """SHA-256 of the fields that make an article's content (not fetch times or ids)."""
    keys = ("title", "subtitle", "published", "modified", "authors", "body", "images")
    include: dict[str, Any] = {key: True for key in keys}
    include["attachments"] = {"__all__": {"name", "url", "size"}}  # read text (--attachments) left out
    payload = json.dumps(record.model_dump(mode="json", include=include), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


RESAMPLE_EVERY = 8
"""Once a source's sample is full, one page in this many is sampled and its template learned again."""
REFRESH_BATCH = 50
"""Items ``--refresh`` re-checks at once (the fetcher's per-host gates still space the requests)."""


class Crawler:
    """One crawl run over many sources sharing one fetcher, one state file and one output folder."""

    def __init__(self, settings: CrawlSettings, fetcher: Fetcher, state: StateStore, report: RunReport,
                 progress: Progress | None = None, *, generic: bool = False) -> None:
        self.settings = settings
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
        self.samples: dict[str, list[tuple[str, PageSample]]] = {}
        self.templates: dict[str, SiteTemplate | None] = {}
        self.since_sample: dict[str, int] = {}
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
        todo = [(i, u) for i, u in failed if not self.state.known(source.name, i)]
        await asyncio.gather(*(self.process_item(source, item_id, url, None) for item_id, url in todo))

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
        self.progress.queued(len(todo))
        await asyncio.gather(*(self.process_item(source, i.id, i.url or "", None) for i in todo))
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
        :data:`REFRESH_BATCH` (a task per item at once would hold every item's page in memory)."""
        known = [k for k in self.state.newest(source.name, self.settings.refresh)
                 if (source.name, k.item_id) not in self.fetched]
        for start in range(0, len(known), REFRESH_BATCH):
            batch = known[start:start + REFRESH_BATCH]
            await asyncio.gather(*(self.process_item(source, k.item_id, k.url, k) for k in batch))

    async def process_item(self, source: BoardSource, item_id: str, url: str, prior: ItemState | None) -> None:
        """Fetch, extract and write one view page; failures become lines in errors.jsonl."""
        try:
            await self._process_item(source, item_id, url, prior)
        finally:
            self.progress.item_done()

    async def _process_item(self, source: BoardSource, item_id: str, url: str, prior: ItemState | None) -> None:
        rep = self.report.of(source.name)
        self.fetched.add((source.name, item_id))
        validators = {"etag": prior.etag or "", "last_modified": prior.last_modified or ""} if prior else None
        result = await self.fetcher.fetch(url, validators=validators, user_agent=source.overrides.user_agent)
        if result.outcome == "unchanged":
            self.state.touch(source.name, item_id, self._now())
            rep.unchanged += 1
            return
        if not result.ok:
            self._item_error(source, item_id, url, result.outcome, result.message)
            return
        try:
            hint = learn_headline([s for i, s in self._known_samples(source.name) if i != item_id]) \
                if self.settings.learn else None
            record = extract_page(result.content, url=result.final_url or url, profile=source.profile,
                                  content_type=result.content_type, now=self.settings.now,
                                  headline_hint=hint)
            known = self.state.get(source.name, item_id)
            page_hash = content_hash(record)  # before the template too: a template learned later is no change
            if known and page_hash in (known.content_hash, known.page_hash):  # unchanged: no attachment downloads
                self.state.touch(source.name, item_id, self._now(), result.headers.get("etag"),
                                 result.headers.get("last-modified"))
                rep.unchanged += 1
                return
            sample = None
            if self.settings.learn:
                record, sample = self._learned(source.name, item_id, record, result)
            record = await enrich_with_attachments(self.fetcher, record, self.settings.attachments)
        except ScraperError as exc:
            self._item_error(source, item_id, url, exc.kind, exc.message)
            return
        except Exception as exc:  # the per-item boundary: one odd page never stops a cron run
            self._item_error(source, item_id, url, "internal_error", f"{type(exc).__name__}: {exc}")
            return
        self._write(source, item_id, url, record, result, known)
        self.state.set_page_hash(source.name, item_id, page_hash)
        self.state.clear_failure(source.name, item_id)
        if sample is not None:  # after the item's commit: a sample lost to a crash costs nothing
            self._keep_sample(source.name, item_id, sample)

    def _known_samples(self, source: str) -> list[tuple[str, PageSample]]:
        """The source's learning samples ``(item_id, sample)``, oldest first (read from the state once)."""
        if source not in self.samples:
            kept: list[tuple[str, PageSample]] = []
            for item_id, text in self.state.template_samples(source):
                try:
                    kept.append((item_id, PageSample.model_validate_json(text)))
                except ValueError:  # a sample this version cannot read only helps less
                    continue
            self.samples[source] = kept
        return self.samples[source]

    def _learned(self, source: str, item_id: str, record: Record, result: FetchResult
                 ) -> tuple[Record, PageSample | None]:
        """``record`` filtered by the template learned from its page and the source's other recent pages
        (once ``MIN_KNOWN`` of them are known), and its page's sample (``None``: the bytes are no page, or
        no sample was taken). Until ``MAX_SAMPLES`` pages are known every page is sampled and learned
        from; after that every :data:`RESAMPLE_EVERY`-th page is, and the pages between are filtered by the
        template learned then (learning costs about as much as extracting a page)."""
        others = [s for i, s in self._known_samples(source) if i != item_id]
        if len(others) >= MAX_SAMPLES and self.since_sample.get(source, 0) < RESAMPLE_EVERY - 1 \
                and source in self.templates:
            self.since_sample[source] = self.since_sample.get(source, 0) + 1
            template = self.templates[source]  # the source's template, learned at its last sampled page
            return (record if template is None else apply_learned(record, template)), None
        sample = page_sample(result.content, result.content_type, record)
        if sample is None:
            return record, None
        template = learn_for_page(sample, others)
        self.templates[source], self.since_sample[source] = template, 0
        return (record if template is None else apply_learned(record, template)), sample

    def _keep_sample(self, source: str, item_id: str, sample: PageSample) -> None:
        """Make ``sample`` the item's (newest) learning sample, keeping the newest ``MAX_SAMPLES``."""
        kept = [(i, s) for i, s in self._known_samples(source) if i != item_id] + [(item_id, sample)]
        self.samples[source] = kept[-MAX_SAMPLES:]
        self.state.add_template_sample(source, item_id, sample.model_dump_json(), MAX_SAMPLES)

    def _write(self, source: BoardSource, item_id: str, url: str, record: Record, result: FetchResult,
               prior: ItemState | None) -> None:
        """Append the record (``prior``: the item's state before this fetch) unless its content is unchanged."""
        rep = self.report.of(source.name)
        now = self._now()
        digest = content_hash(record)
        etag, modified = result.headers.get("etag"), result.headers.get("last-modified")
        if prior and prior.content_hash == digest:
            self.state.touch(source.name, item_id, now, etag, modified)
            rep.unchanged += 1
            return
        path = partition_path(self.settings.out_dir, source.name, record.published)
        revision = self.state.begin_write(source.name, item_id, record.url or url, record.id, digest, str(path), now,
                                          published=record.published, walk=self.walk_ids.get(source.name, 0))
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
