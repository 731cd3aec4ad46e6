"""Re-extraction from WARC files (``scraper warc extract``): the captures of any WARC/1.0 or 1.1 file through
today's extraction rules, one JSON line per capture, each with a ``warc`` key naming the record it came from.

A ``response`` is extracted from its payload (content coding undone); a ``revisit`` from the payload it refers
to (``WARC-Refers-To``, or the same ``WARC-Payload-Digest``) among the responses of the files given, found in the
same file before it or, after every file is read, in any of them; a revisit whose payload is in none of them
(a 304 ``server-not-modified``, or an earlier crawl's file not given) is skipped and counted. Skipped silently
and counted: requests and other record types, robots.txt, statuses other than 200, payloads that are no page
(not HTML, XML or plain text), truncated records, the captures of records' attachments. Pages that give no
record give an error line, as for ``scraper extract``.

A record's attachments are read from their captures (:mod:`scraper.replay.attachments`); with a ``source``, its
templates are learned as the crawl learned them (:mod:`scraper.replay.learning`).

Many files, or parts of one, are read at once as units of work by :mod:`scraper.replay.run` (local processes
or Ray), with the lines of a one-process run: memory stays flat in the number of records (one page at a time,
plus a map of payload digests to record places for revisits). Learning reads the files one after the other in
one process (:func:`replay_in_order`). A record's attachment URLs are known to the unit (or file) that wrote the
record: an HTML page captured at such a URL in a later unit is extracted there instead of skipped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from scraper.archive.read import Capture, CodingError, Filters, Reader, decoded_body, iter_captures, read_capture_at
from scraper.config import MAX_PAGE_BYTES
from scraper.errors import ScraperError
from scraper.extract.template import PageSample
from scraper.fetch.coding import TooLarge
from scraper.fetch.exchange import Archived
from scraper.fetch.outcome import HTML_TYPES
from scraper.learn import page_sample
from scraper.models import ErrorRecord, Record
from scraper.normalize.dates import KST
from scraper.pipeline import extract_page
from scraper.replay.attachments import ArchiveFetcher, FetchIndex, enrich_from_archive
from scraper.replay.learning import ReplayLearner
from scraper.sources.board import BoardSource
from scraper.sources.boards import source_for_url
from scraper.sources.profile import SiteProfile


@dataclass(frozen=True)
class ReplayJob:
    """What to do with each capture: ``filters`` (host, URL glob), ``reader`` (``fastwarc`` or ``warcio``),
    ``now`` (relative dates; ``None``: each capture's ``WARC-Date``), ``profiles`` (``None``: the bundled ones,
    ``()``: the generic path only), ``source`` (a board: its host only, its list pages skipped, its profile and
    organization used, its name put in ``source``), ``revisits`` (extract revisit records too), ``attachments``
    and ``learner``."""

    filters: Filters = field(default_factory=Filters)
    reader: Reader = "fastwarc"
    now: str | None = None
    profiles: tuple[SiteProfile, ...] | None = None
    source: BoardSource | None = None
    revisits: bool = True
    attachments: FetchIndex | None = None
    """The files' responses by URL (:func:`~scraper.replay.attachments.build_index`): a record's attachments
    are read from their captures, as ``crawl --attachments`` read them; ``None``: left unread."""
    learner: ReplayLearner | None = None
    """With a ``source``: its templates learned as the crawl learned them (:mod:`scraper.replay.learning`); the
    files are then read one after the other, in one process."""


@dataclass
class Counts:
    """What became of the captures: ``records`` and ``errors`` written, the others skipped by reason."""

    records: int = 0
    errors: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    attachment_urls: set[str] = field(default_factory=set)
    """The attachment URLs of the records written so far: their captures (fetched after their page) are
    skipped as ``attachment``, an HTML error page sent for a file too."""

    def skip(self, reason: str) -> None:
        """Count one capture skipped for ``reason``."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add(self, other: Counts) -> None:
        """Add ``other``'s counts to these."""
        self.records += other.records
        self.errors += other.errors
        for reason, n in other.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + n


@dataclass
class FileResult:
    """One file's outcome: its counts, the responses by payload digest and record id (for revisits in other
    files) and the revisits it could not resolve itself."""

    counts: Counts
    payloads: dict[str, Archived]
    pending: list[Capture]


def kst(warc_date: str) -> str | None:
    """A ``WARC-Date`` (UTC) as ISO 8601 in KST, to the second; ``None`` when it is no date.

    >>> kst("2026-12-01T15:24:08.920351Z")
    '2026-12-02T00:24:08+09:00'
    """
    try:
        when = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(KST).replace(microsecond=0).isoformat()


def replay_in_order(files: Sequence[Path], job: ReplayJob, out: IO[str]) -> Counts:
    """Re-extract every file of ``files`` one after the other in this process, straight to ``out`` (what learning
    needs: each source's captures in the crawl's order; :func:`scraper.replay.run.replay_files` takes this path
    when ``job.learner`` is set); revisits whose payload is in another file are resolved last. Raises ``OSError``
    for a file that cannot be read."""
    total = Counts()
    payloads: dict[str, Archived] = {}
    pending: list[Capture] = []
    for path in files:
        result = replay_file(path, job, out)
        total.add(result.counts)
        payloads.update(result.payloads)
        pending += result.pending
    folders = {f.name: f for f in files}
    for capture in pending:
        earlier = payloads.get(capture.refers_to or "") or payloads.get(capture.refers_to_digest or "")
        emit_late_revisit(capture, earlier, folders, job, out, total)
    if job.learner is not None:
        job.learner.flush(_Pages(job, out, total))
    return total


def replay_file(path: Path, job: ReplayJob, out: IO[str]) -> FileResult:
    """Re-extract one file's captures to ``out``, one JSON line each; see the module docstring."""
    counts = Counts()
    payloads: dict[str, Archived] = {}
    pending: list[Capture] = []
    learner, pages = job.learner, _Pages(job, out, counts)
    if learner is not None:
        learner.start_file(path.name)
    for capture in iter_captures(path, reader=job.reader, filters=job_filters(job)):
        reason = _skip_reason(capture, job, counts)
        if reason is not None:
            counts.skip(reason)
            if learner is not None:
                learner.skipped(capture, reason, pages)
            continue
        if capture.kind == "response":
            payloads[capture.place.record_id] = capture.place
            if capture.place.payload_digest:
                payloads.setdefault(capture.place.payload_digest, capture.place)
            _emit(capture, capture, job, out, counts)
            continue
        earlier = payloads.get(capture.refers_to or "") or payloads.get(capture.refers_to_digest or "")
        if earlier is None:
            pending.append(capture)
            continue
        _emit(capture, read_capture_at(path, earlier, job.reader), job, out, counts)
    if learner is not None:
        learner.flush(pages)
    return FileResult(counts, payloads, pending)


def emit_late_revisit(capture: Capture, earlier: Archived | None, files: dict[str, Path], job: ReplayJob,
                      out: IO[str], counts: Counts) -> None:
    """A revisit resolved after every file was read: extracted from ``earlier`` (its payload's response, found in
    ``files``, name -> path), or counted as ``revisit_not_found`` when no file held it."""
    if earlier is None:
        counts.skip("revisit_not_found")
        return
    _emit(capture, read_capture_at(files[earlier.filename], earlier, job.reader), job, out, counts)


def job_filters(job: ReplayJob) -> Filters:
    """The job's filters, with its source's host added when it names a source and no host."""
    filters = job.filters
    if job.source is not None:
        host = urlsplit(job.source.list_url).hostname or ""
        filters = Filters(hosts=(*filters.hosts, host) if not filters.hosts else filters.hosts, globs=filters.globs)
    return filters


def _skip_reason(capture: Capture, job: ReplayJob, counts: Counts) -> str | None:
    """Why ``capture`` is not extracted, or ``None``."""
    if capture.kind == "revisit" and not job.revisits:
        return "revisit"
    if capture.kind == "revisit" and not (capture.refers_to or capture.refers_to_digest):
        return "revisit_not_modified"
    if urlsplit(capture.url).path == "/robots.txt":
        return "robots_txt"
    if capture.url in counts.attachment_urls:
        return "attachment"
    if capture.kind == "response" and capture.status != 200:
        return "status"
    if capture.truncated:
        return "truncated"
    content_type = (capture.header("content-type") or "").split(";")[0].strip().lower()
    if capture.kind == "response" and content_type not in HTML_TYPES:
        return "not_html"
    if job.source is not None and source_for_url(capture.url, {job.source.name: job.source}) is not None:
        return "list_page"
    return None


def _emit(capture: Capture, referred: Capture | None, job: ReplayJob, out: IO[str], counts: Counts) -> None:
    """Extract ``referred``'s payload as ``capture``'s page and write its line (a record or an error); with
    learning, the page joins its batch (:class:`~scraper.replay.learning.ReplayLearner`) and is written then."""
    if job.learner is not None:
        job.learner.add(capture, referred)
        return
    pages = _Pages(job, out, counts)
    result: Record | Exception
    try:
        result = pages.read(capture, referred, None, False)[0]
    except Exception as exc:  # the per-capture boundary: one odd page never stops a re-extraction
        result = exc
    pages.write(capture, result)


@dataclass
class _Pages:
    """How one capture is read and written (:class:`~scraper.replay.learning.Pages`), to ``out``."""

    job: ReplayJob
    out: IO[str]
    counts: Counts

    def read(self, capture: Capture, referred: Capture | None, hint: str | None, sample: bool
             ) -> tuple[Record, PageSample | None]:
        """``referred``'s payload as ``capture``'s record (and its learning sample, with ``sample``)."""
        if referred is None or referred.kind != "response":
            raise ScraperError("the record a revisit refers to holds no response", url=capture.url, kind="input")
        body = decoded_body(referred, MAX_PAGE_BYTES)
        job = self.job
        content_type = referred.header("content-type")
        record = extract_page(body, url=capture.url, content_type=content_type, now=job.now or kst(capture.date),
                              profile=job.source.profile if job.source else None, profiles=job.profiles,
                              headline_hint=hint)
        return record, page_sample(body, content_type, record) if sample else None

    def skip(self, capture: Capture, reason: str) -> None:
        """Count ``capture`` as skipped for ``reason`` (no line)."""
        self.counts.skip(reason)

    def write(self, capture: Capture, result: Record | Exception) -> None:
        """``capture``'s line: the record with its attachments read (``job.attachments``), or the error."""
        job, counts = self.job, self.counts
        line: dict[str, Any]
        try:
            if isinstance(result, Exception):
                raise result
            record = result
            if job.attachments is not None and record.attachments:
                record = enrich_from_archive(record, ArchiveFetcher(job.attachments, job.reader))
            counts.attachment_urls.update(a.url for a in record.attachments if a.url)
            line = record.model_dump(mode="json")
            line["fetched_at"] = kst(capture.date)
            if job.source is not None:
                line.update(source=job.source.name, organization=record.organization or job.source.organization)
            counts.records += 1
        except (ScraperError, CodingError, TooLarge) as exc:
            kind, message = (exc.kind, exc.message) if isinstance(exc, ScraperError) else ("network", str(exc))
            line = ErrorRecord.of(capture.url, kind, message).model_dump(mode="json")
            counts.errors += 1
        except Exception as exc:  # the per-capture boundary: one odd page never stops a re-extraction
            line = ErrorRecord.of(capture.url, "internal_error", f"{type(exc).__name__}: {exc}").model_dump(mode="json")
            counts.errors += 1
        line["warc"] = capture.place.as_json()
        self.out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


__all__ = ["Counts", "ReplayJob", "emit_late_revisit", "job_filters", "kst", "replay_file", "replay_in_order"]
