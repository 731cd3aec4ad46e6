"""``Crawler``: one run's walk of each source's list pages (the crawl frontier of a board), newest first.

Each list page's new items go to the run's :class:`~scraper.crawl.items.ItemPipeline` (fetch -> extract ->
write -> mark, as one batch in list order, crash-safe); the walk's progress and completion are planned by
:mod:`scraper.crawl.plan` and kept in the state, so a walk cut short goes on next run.

Re-checks: ``--refresh N`` re-reads the N newest known items every run; ``--recheck N`` re-reads N known items
a run in rotation (``StateBase.due_for_recheck``), with conditional GETs (ETag / Last-Modified).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from scraper.archive.warc import WarcWriter
from scraper.config import CrawlSettings
from scraper.crawl.clock import now_kst
from scraper.crawl.extraction import ExtractorPool, content_hash
from scraper.crawl.items import ItemPipeline
from scraper.crawl.plan import PageOutcome, PageStatus, WalkPlan
from scraper.crawl.progress import Progress
from scraper.errors import ScraperError
from scraper.extract.listing import parse_listing
from scraper.extract.listitem import ListItem
from scraper.fetch.client import Fetcher
from scraper.fetch.decode import decode_html
from scraper.normalize.dates import KST
from scraper.report import RunReport, SourceStatus
from scraper.sinks.state import ItemState, StateBase
from scraper.sources.board import BoardSource

__all__ = ["Crawler", "Progress", "content_hash"]


REFRESH_BATCH = 50
"""Known items re-checked at once (``--refresh``, ``--recheck``, earlier failures): one write batch; the fetcher's
per-host gates still space the requests (a task per item at once would hold every item's page in memory)."""


class Crawler:
    """One crawl run over many sources sharing one fetcher, one state file and one output folder."""

    def __init__(self, settings: CrawlSettings, fetcher: Fetcher, state: StateBase, report: RunReport,
                 progress: Progress | None = None, *, generic: bool = False, extractor: ExtractorPool | None = None,
                 run_id: int = 0, archive: WarcWriter | None = None) -> None:
        self.settings = settings
        self.generic = generic
        self.fetcher = fetcher
        self.state = state
        self.report = report
        self.progress = progress or Progress()
        self.items = ItemPipeline(settings, fetcher, state, report, self.progress, generic=generic,
                                  extractor=extractor, run_id=run_id, archive=archive)
        """Where the view pages found are fetched, extracted and written (:mod:`scraper.crawl.items`)."""
        self.pager_last: dict[str, int] = {}
        """Per source, the last page number the pagers of this run's list pages showed."""
        self.given_up: dict[str, set[str]] = {}
        """Per source, the items that failed ``max_attempts`` times: never fetched again (``--retry-given-up``)."""

    def _now(self) -> str:
        return self.settings.now or now_kst()

    async def _retry_failures(self, source: BoardSource, failed: list[tuple[str, str]]) -> None:
        """Items that failed on earlier runs and were not on this run's list pages (they may have moved
        down the board), up to ``CrawlSettings.max_attempts`` tries each."""
        todo: list[tuple[str, str, ItemState | None]] = [
            (i, u, None) for i, u in failed if not self.state.known(source.name, i)]
        for start in range(0, len(todo), REFRESH_BATCH):
            await self.items.process(source, todo[start:start + REFRESH_BATCH])

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
            self.items.error(source, source.list_url, "internal_error", f"{type(exc).__name__}: {exc}")

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
        self.items.walk_ids[source.name] = walk.walk_id
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
            self.items.error(source, source.page_url(page), "list_page_given_up",
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
            self.items.error(source, url, result.outcome, f"list page {page}: {result.message}")
            return PageOutcome("failed")
        try:
            text = decode_html(result.content, result.content_type, url=result.final_url or url).text
        except ScraperError as exc:
            rep.source_error = f"list page {page}: {exc.kind}: {exc.message}"
            self.items.error(source, url, exc.kind, f"list page {page}: {exc.message}")
            return PageOutcome("failed")
        listing = parse_listing(text, result.final_url or url, None if self.generic else source)
        if page == 1:
            self._note_first_page(source, url, bool(listing.items))
            if not listing.items:
                return PageOutcome("no_items")
        elif not listing.items and self.pager_last.get(source.name, 0) >= page:
            rep.source_error = f"list page {page}: list_page_empty"
            self.items.error(source, url, "list_page_empty", (
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
        await self.items.process(source, [(i.id, i.url or "", None) for i in todo])
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
        self.items.error(source, url, kind, f"list page 1 held no items ({rep.no_items_runs} runs in a row): {hint}; "
                    f"check it with: scraper listing {url} (or {check})")

    def _report_unaddressed(self, source: BoardSource, url: str, page: int, unaddressed: list[ListItem]) -> None:
        if unaddressed:
            self.items.error(source, url, "no_view_url", (
                f"list page {page}: {len(unaddressed)} items have no view URL (javascript: links such as "
                f"id {unaddressed[0].id!r}); set items.view_url in the source to crawl them"))

    async def _refresh(self, source: BoardSource) -> None:
        """Re-check the source's ``--refresh`` newest written items this run has not fetched yet, in batches of
        :data:`REFRESH_BATCH`."""
        known = [k for k in self.state.newest(source.name, self.settings.refresh)
                 if (source.name, k.item_id) not in self.items.fetched]
        for start in range(0, len(known), REFRESH_BATCH):
            await self.items.process(source, [(k.item_id, k.url, k) for k in known[start:start + REFRESH_BATCH]])

    async def _recheck(self, source: BoardSource) -> None:
        """Re-check ``--recheck`` known items of the source this run has not fetched yet: the recent ones
        (published in the last ``recent_days``) and, in rotation, those checked longest ago
        (:meth:`StateBase.due_for_recheck`), in batches of :data:`REFRESH_BATCH`."""
        if self.settings.recheck <= 0:
            return
        now = datetime.fromisoformat(self.settings.now) if self.settings.now else datetime.now(KST)
        recent_from = (now.astimezone(KST) - timedelta(days=self.settings.recent_days)).date().isoformat()
        fetched = [item for name, item in self.items.fetched if name == source.name]
        due = self.state.due_for_recheck(source.name, self.settings.recheck, recent_from, exclude=fetched)
        for start in range(0, len(due), REFRESH_BATCH):
            await self.items.process(source, [(k.item_id, k.url, k) for k in due[start:start + REFRESH_BATCH]])
