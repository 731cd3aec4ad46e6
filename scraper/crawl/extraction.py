"""The crawl's extraction: one view page's bytes -> its record, in worker processes so that every core works.

:func:`run_job` is what a worker runs: :func:`scraper.pipeline.extract_page` (pure), the record's content
hash and, when the crawl asks for it, the page's learning sample (``scraper.learn.page_sample``; without the
page text, which the crawl never reads again). The job carries the page's bytes and names (a profile by
name), the result the record: both cheap to pickle. Nothing in a worker writes anything: records are
written by the main process, in order, in one place (``scraper.crawl.items``).

:class:`ExtractorPool` runs jobs in ``workers`` processes (``CrawlSettings.workers``, ``--workers``), or in
the crawl's own process with ``workers=0``. Workers are started with ``spawn`` (a fresh interpreter: no copy
of the crawl's memory, no lock held by a thread of the parent), ignore SIGINT (Ctrl-C reaches the whole
process group: the crawl stops them itself, after their current page, in :meth:`ExtractorPool.close`), and
exit by themselves when the crawl's process is gone (``kill -9``): no orphan is left behind. A worker that
dies (a crash in a native parser, the OOM killer) is replaced; the pages in hand then are tried once more,
each in a process of its own, and the one that kills that too is an item error (``internal_error``): one
odd page never stops a run, nor takes other pages with it.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from scraper.errors import ScraperError
from scraper.extract.template import PageSample
from scraper.learn import page_sample
from scraper.models import Record
from scraper.pipeline import extract_page


def content_hash(record: Record) -> str:
    """SHA-256 of the fields that make an article's content (not fetch times or ids)."""
    keys = ("title", "subtitle", "published", "modified", "authors", "body", "images")
    include: dict[str, Any] = {key: True for key in keys}
    include["attachments"] = {"__all__": {"name", "url", "size"}}  # read text (--attachments) left out
    payload = json.dumps(record.model_dump(mode="json", include=include), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ExtractJob:
    """One view page to extract: its bytes and what :func:`~scraper.pipeline.extract_page` needs besides;
    ``sample``: also take the page's learning sample."""

    data: bytes
    url: str
    content_type: str | None = None
    profile: str | None = None
    now: str | None = None
    headline_hint: str | None = None
    sample: bool = False


@dataclass(frozen=True)
class Extracted:
    """A page's record, its :func:`content_hash` (as extracted: before a learned template or attachments) and
    its learning sample (``None`` when not asked for, or when the bytes decode as no page)."""

    record: Record
    page_hash: str
    sample: PageSample | None = None


@dataclass(frozen=True)
class ExtractFailed:
    """Why a page gave no record: an error ``kind`` (``no_content``, ``binary``, ..., ``internal_error``) and
    a message. Returned, not raised: an exception with its own constructor does not always survive pickling."""

    kind: str
    message: str


Outcome = Extracted | ExtractFailed
T = TypeVar("T")


def run_job(job: ExtractJob) -> Outcome:
    """Extract one page (in a worker, or in the crawl's process); never raises."""
    try:
        record = extract_page(job.data, url=job.url, profile=job.profile, content_type=job.content_type,
                              now=job.now, headline_hint=job.headline_hint)
        sample = page_sample(job.data, job.content_type, record) if job.sample else None
        if sample is not None and sample.html is not None:
            sample = sample.model_copy(update={"html": None})  # the page text: in memory only, never needed again
        return Extracted(record, content_hash(record), sample)
    except ScraperError as exc:
        return ExtractFailed(exc.kind, exc.message)
    except Exception as exc:  # the per-item boundary: one odd page never stops a cron run
        return ExtractFailed("internal_error", f"{type(exc).__name__}: {exc}")


PARENT_CHECK_SECONDS = 0.5
"""How often a worker looks whether the crawl that started it is still there."""


def _worker_start(parent: int) -> None:
    """Initializer of each worker: ignore SIGINT (the crawl stops its workers itself), exit when the parent
    process is gone (a ``kill -9`` of the crawl leaves no orphan), load the extractor and its profiles before
    the first page arrives, and freeze what is loaded out of the garbage collector's way."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    from scraper.sources import default_profiles

    default_profiles()
    # What is loaded now lives as long as the worker: keep the collector from walking it again and again
    # (pages make many short-lived objects; about 5% of a page's extraction time).
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _ready() -> int:
    return os.getpid()


class ExtractorPool:
    """Runs :func:`run_job` (or ``job_fn``, a module-level function for tests) in ``workers`` processes, or in
    this process for ``workers=0``. Use as ``async with ExtractorPool(n) as pool: outcome = await pool.run(job)``;
    the workers start with the first job, and leaving the block (normally, on an error, on Ctrl-C) stops them
    and waits for them."""

    def __init__(self, workers: int, job_fn: Callable[[Any], Outcome] = run_job) -> None:
        self.workers = max(0, workers)
        self.job_fn = job_fn
        self._executor: Executor | None = None
        self._generation = 0
        self._restart = asyncio.Lock()
        self._isolated = asyncio.Semaphore(max(1, self.workers))
        self._closed = False

    async def __aenter__(self) -> ExtractorPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """Process ids of the running workers (empty in-process)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return sorted(processes)

    def _executor_of(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_start, initargs=(os.getpid(),))

    @staticmethod
    def _submit(executor: Executor, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Submit with SIGINT blocked in this thread: a worker the submit spawns starts with it blocked, so a
        Ctrl-C before its initializer ignores SIGINT cannot kill it mid-start (with a traceback)."""
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            return asyncio.wrap_future(executor.submit(fn, *args))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    async def _start(self) -> None:
        executor = self._executor_of(self.workers)
        self._executor = executor
        self._generation += 1
        await asyncio.gather(*(self._submit(executor, _ready) for _ in range(self.workers)))  # all started now

    async def run(self, job: Any) -> Outcome:
        """The job's outcome; a worker that died on it is replaced and the job tried once more."""
        try:
            return await self.call(self.job_fn, job)
        except BrokenProcessPool as exc:
            return ExtractFailed("internal_error", f"the extraction worker died on this page ({exc})")

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a worker (``fn`` and ``args`` picklable), or here with ``workers=0``. When a worker
        dies (every job it and the others had in hand fails with it), the pool is replaced and each of those
        jobs tried once more in a process of its own; one that kills that one too raises ``BrokenProcessPool``."""
        if not self.workers:
            return fn(*args)
        if self._executor is None and not self._closed:
            await self._replace(self._generation)  # the first page: a run with nothing new starts no worker
        generation = self._generation
        try:
            if self._executor is None:
                raise BrokenProcessPool("the extraction workers were stopped")
            return await asyncio.wrap_future(self._executor.submit(fn, *args))
        except BrokenProcessPool:
            if self._closed:
                raise
        await self._replace(generation)  # for the jobs to come
        async with self._isolated:  # this one again alone, in a process of its own: if it was the one that
            one = self._executor_of(1)  # killed its worker, it kills no other job's worker this time
            try:
                return await self._submit(one, fn, *args)
            finally:
                one.shutdown(wait=True)

    async def _replace(self, generation: int) -> None:
        """Replace a broken pool once (the first job to see it broken does it; the others wait and use the new)."""
        async with self._restart:
            if generation != self._generation or self._closed:
                return
            broken, self._executor = self._executor, None
            if broken is not None:
                broken.shutdown(wait=True, cancel_futures=True)
            await self._start()

    def close(self) -> None:
        """Stop the workers after their current page and wait for them (safe to call twice)."""
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
