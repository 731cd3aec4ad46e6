"""``run_crawl``: one crawl run over many sources, holding the locks, the state file, one fetcher and the
extraction workers (started on the first page to extract, stopped when the run ends, however it ends)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from scraper.archive.warc import WarcWriter
from scraper.config import CrawlSettings, FetchSettings
from scraper.crawl.clock import now_kst
from scraper.crawl.crawler import Crawler, Progress
from scraper.crawl.extraction import ExtractorPool
from scraper.crawl.reconcile import has_record, open_state, rebuild_from_output
from scraper.crawl.shared import crawl_shared
from scraper.fetch.client import Fetcher
from scraper.report import RunReport
from scraper.sinks.lock import RunLock
from scraper.sinks.state import ItemRevision, StateBase
from scraper.sources.board import BoardSource

AfterRun = Callable[[Sequence[ItemRevision], RunReport], None]
"""Called once a run's records are all committed and the run is finished, inside its locks, with the items it
wrote (new or revised) and its report (``crawl --links`` links them); it must not raise (a failure is a line
of the report), and its report changes are saved with the run."""


async def run_crawl(sources: list[BoardSource], settings: CrawlSettings, fetch_settings: FetchSettings,
                    *, generic: bool = False, progress: Progress | None = None,
                    after_run: AfterRun | None = None) -> RunReport:
    """Crawl ``sources`` once (all at the same time; each host politely; with a PostgreSQL state, the hosts this
    process leases, see :mod:`scraper.crawl.shared`). Raises ``AlreadyRunning`` when
    another crawl holds the state file's or the output folder's lock, ``ConfigError`` when the state file is
    no SQLite database; a damaged state database is moved aside and rebuilt (``RunReport.notes`` says so)."""
    report = RunReport(sources_path=str(settings.sources_path) if settings.sources_path else None)
    progress = progress or Progress()
    out_lock = settings.out_dir / ".crawl"  # one crawl per output folder too: two state files, one folder
    shared = settings.state_url is not None  # hosts leased in the database instead (scraper.crawl.shared)
    state_lock = contextlib.nullcontext() if shared else RunLock(settings.state_path, "state file")
    folder_lock = contextlib.nullcontext() if shared else RunLock(out_lock, "output folder")
    with state_lock, folder_lock:
        state, damaged = open_state(settings.state_url or settings.state_path, now_kst())
        with state:
            if damaged:
                report.notes.append(f"the state file {settings.state_path} was damaged (SQLite quick_check failed): "
                                    f"moved to {damaged}; a new state was rebuilt from the output folder")
            await _run(state, sources, settings, fetch_settings, report, progress, generic, after_run)
    return report


async def _run(state: StateBase, sources: list[BoardSource], settings: CrawlSettings, fetch_settings: FetchSettings,
               report: RunReport, progress: Progress, generic: bool, after_run: AfterRun | None = None) -> None:
    """The run inside its locks: settle the state against the output, then crawl every source at once."""
    if not settings.state_url:  # a shared state is settled per leased host (scraper.crawl.shared)
        state.recover(has_record)
        for source in sources:
            rebuilt = rebuild_from_output(state, source.name, settings.out_dir)
            if rebuilt:
                progress.message(f"{source.name}: state rebuilt from {rebuilt} records already in the output "
                                 "folder")
    run_id = state.start_run(now_kst())  # the real clock, as finish_run: --now is for the records
    before = state.revisions() if after_run else {}
    with _long_lived_objects_frozen():
        await _crawl(state, sources, settings, fetch_settings, report, progress, generic, run_id)
    finished = now_kst()
    state.finish_run(run_id, finished, report.to_json())
    if after_run is not None:  # every record of the run is committed by now
        after_run(state.written_in_run(run_id, before), report)
        state.finish_run(run_id, finished, report.to_json())


@contextmanager
def _long_lived_objects_frozen() -> Iterator[None]:
    """For the run: what is loaded already (modules, profiles, sources) kept out of the garbage collector's walks,
    and the youngest generation collected less often (a crawl makes many short-lived objects per page: about 8%
    of its own process's time); both restored after."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


async def _crawl(state: StateBase, sources: list[BoardSource], settings: CrawlSettings,
                 fetch_settings: FetchSettings, report: RunReport, progress: Progress, generic: bool,
                 run_id: int) -> None:
    with _archive(settings, fetch_settings) as archive:
        async with Fetcher(fetch_settings, recorder=archive) as fetcher, ExtractorPool(settings.workers) as extractor:
            for source in sources:
                if source.overrides.delay_seconds is not None:
                    fetcher.gate(source.list_url).delay = source.overrides.delay_seconds
            crawler = Crawler(settings, fetcher, state, report, progress, generic=generic, extractor=extractor,
                              run_id=run_id, archive=archive)
            if settings.state_url:
                await crawl_shared(crawler, fetcher, state, sources, settings, report, progress)
            else:
                await asyncio.gather(*(crawler.crawl_source(s) for s in sources))
            report.requests = fetcher.requests_made


@contextmanager
def _archive(settings: CrawlSettings, fetch_settings: FetchSettings) -> Iterator[WarcWriter | None]:
    """The run's WARC writer (``--warc DIR``), closed (fsynced) when the run ends however it ends; else ``None``."""
    if settings.warc is None:
        yield None
        return
    info = {"http-header-user-agent": fetch_settings.user_agent,
            "robots": "obey" if fetch_settings.obey_robots else "ignore", "description": "scraper crawl"}
    with WarcWriter(settings.warc, info=info) as writer:
        yield writer
