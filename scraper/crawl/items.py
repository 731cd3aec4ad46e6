"""``ItemPipeline``: the fetch -> extract -> learn -> write -> mark of a batch of view pages, for one crawl run.

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

The list pages, the walk and which known items are re-checked are :mod:`scraper.crawl.crawler`'s.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.archive.warc import WarcWriter
from scraper.attachments.enrich import enrich_with_attachments
from scraper.config import CrawlSettings
from scraper.crawl.clock import now_kst
from scraper.crawl.extraction import ExtractFailed, ExtractJob, ExtractorPool, content_hash
from scraper.crawl.learning import SourceLearning
from scraper.crawl.output import append_records, write_error
from scraper.crawl.progress import Progress
from scraper.errors import ScraperError
from scraper.extract.template import PageSample
from scraper.fetch.client import Fetcher
from scraper.fetch.exchange import Archived
from scraper.learn import MAX_SAMPLES, apply_learned, learn_for_page, learn_headline
from scraper.models import Record
from scraper.report import RunReport
from scraper.sinks.jsonl import partition_path
from scraper.sinks.state import ItemState, PendingWrite, Seen, StateBase
from scraper.sources.board import BoardSource

Item = tuple[str, str, ItemState | None]
"""One view page to process: ``(item_id, url, prior)``, ``prior`` its state for a conditional GET (or ``None``)."""


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


class ItemPipeline:
    """One crawl run's processing of view pages, batch by batch, for every source (see the module docstring)."""

    def __init__(self, settings: CrawlSettings, fetcher: Fetcher, state: StateBase, report: RunReport,
                 progress: Progress, *, generic: bool = False, extractor: ExtractorPool | None = None,
                 run_id: int = 0, archive: WarcWriter | None = None) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.state = state
        self.report = report
        self.progress = progress
        self.generic = generic
        """A ``--start`` crawl (no source file): records get no organization of the source's."""
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
        self.walk_ids: dict[str, int] = {}
        """Per source, the id of its open walk (set by the crawler): each pending write names it."""
        self.learning: dict[str, SourceLearning] = {}
        """Per source, its samples and template this run (:mod:`scraper.crawl.learning`)."""
        self.fetched: set[tuple[str, str]] = set()
        """``(source, item_id)`` of every view page this run has fetched: ``--refresh`` never re-reads them."""

    def _now(self) -> str:
        return self.settings.now or now_kst()

    def error(self, source: BoardSource, url: str | None, kind: str, message: str) -> None:
        """One line in the source's errors.jsonl, counted in the run's report."""
        write_error(self.settings.out_dir, self.report, source.name, url, kind, message)

    def item_error(self, source: BoardSource, item_id: str, url: str, kind: str, message: str) -> None:
        """An item that failed: its failure remembered in the state (tried again on later runs, up to
        ``CrawlSettings.max_attempts``) and an error line."""
        self.state.record_failure(source.name, item_id, url, f"{kind}: {message}")
        tries = self.state.attempts(source.name, item_id)
        if tries >= self.settings.max_attempts:
            message += (f"; given up after {tries} runs that tried it (it no longer fails the run; "
                        "crawl --retry-given-up tries it again)")
        self.error(source, url, kind, message)

    async def process(self, source: BoardSource, items: list[tuple[str, str, ItemState | None]]) -> None:
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
            self.item_error(source, item_id, url, result.outcome, result.message)
            self._sample_lost(source.name, sample)
            return None
        hint = learn_headline([s for i, s in self._known_samples(source.name) if i != item_id]) \
            if self.settings.learn else None
        outcome = await self.extractor.run(ExtractJob(
            result.content, result.final_url or url, result.content_type, source.profile, self.settings.now, hint,
            sample))
        if isinstance(outcome, ExtractFailed):
            self.item_error(source, item_id, url, outcome.kind, outcome.message)
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
            self.item_error(source, ready.item_id, ready.url, exc.kind, exc.message)
        except Exception as exc:  # the per-item boundary: one odd page never stops a cron run
            self.item_error(source, ready.item_id, ready.url, "internal_error", f"{type(exc).__name__}: {exc}")
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
                self.item_error(source, r.item_id, r.url, "internal_error", f"{type(exc).__name__}: {exc}")
                out.append(None)
        return out
