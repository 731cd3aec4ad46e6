"""Template learning replayed from WARC files (``scraper warc extract --source NAME``): each source's view pages
sampled, its templates learned and its records filtered as the crawl that wrote the files did (``scraper.crawl``,
:class:`~scraper.learn.SourceLearning`), so the records equal a default (learning) crawl's.

The crawl works a list page at a time: it reads list page N, fetches that page's new items at once, then learns
and writes them in list order, before it reads list page N+1. A WARC file of the crawl holds the same order: list
page N's response, the responses of its items (in the order they arrived), then list page N+1's. So
:class:`ReplayLearner` keeps the captures after a list page of the source until the next one (a *batch*), and
then replays the crawl's steps for the batch's items in list order: which pages are sampled
(:meth:`SourceLearning.wants_sample`), which were lost (a capture with a status other than 200, or no page), the
headline place learned from the samples before the batch, the templates learned at the sampled pages and applied
to them and the pages after them. Lines are written in file order, as without learning.

Limits (the archive does not hold the crawl's state): a run is the files whose names share
``PREFIX-YYYYMMDDhhmmss`` (one writer's files); a new run keeps the source's samples (the crawl keeps them in its
state) and starts its template and resampling interval afresh, as the crawl does. Items are matched to their list
row by URL (through the batch's redirect captures); captures in a batch that match no row (re-checks of known
items, ``--refresh``, retried failures) are replayed as batches of their own, 50 at a time, in file order; an
item whose fetch got no response at all (a failure record, no capture) is not known to have been tried. A batch
cut by file rotation (``--warc-max-size``) is replayed as two. The records equal the crawl's for a crawl from an
empty state (every listed item new); later runs' re-checks are replayed from the captures alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin

from scraper.archive.read import Capture, CodingError, decoded_body
from scraper.config import MAX_PAGE_BYTES
from scraper.errors import ScraperError
from scraper.extract.listing import parse_listing
from scraper.extract.template import PageSample
from scraper.fetch.coding import TooLarge
from scraper.fetch.decode import decode_html
from scraper.learn import SourceLearning, apply_learned, learn_for_page, learn_headline
from scraper.models import Record
from scraper.sources.board import BoardSource

LOOSE_BATCH = 50
"""Captures matching no list row replayed at once (the crawl's ``REFRESH_BATCH``)."""
REDIRECTS = (301, 302, 303, 307, 308)
MAX_HOPS = 10
"""Redirect hops followed from a list row's URL to its page (the fetcher's ``max_redirects``)."""
_RUN_RE = re.compile(r"^(.+-\d{14})-\d{5}-")


def run_key(filename: str) -> str:
    """The run a WARC file belongs to: ``PREFIX-YYYYMMDDhhmmss`` of our names, ``""`` for other tools' files.

    >>> run_key("scraper-20261201150405-00003-arch-1.warc.gz"), run_key("CC-MAIN-2024.warc.gz")
    ('scraper-20261201150405', '')
    """
    found = _RUN_RE.match(filename)
    return found.group(1) if found else ""


class Pages(Protocol):
    """How the replay reads and writes one page (``scraper.replay.extract``)."""

    def read(self, capture: Capture, referred: Capture | None, hint: str | None, sample: bool
             ) -> tuple[Record, PageSample | None]:
        """``capture``'s record (read with headline place ``hint``) and, with ``sample``, its learning sample.
        Raises ``ScraperError``, ``CodingError`` or ``TooLarge`` for a capture that gives no record."""
        ...

    def write(self, capture: Capture, result: Record | Exception) -> None:
        """Write ``capture``'s line: the record (attachments read next), or the error."""
        ...

    def skip(self, capture: Capture, reason: str) -> None:
        """Count ``capture`` as skipped for ``reason``, with no line."""
        ...


@dataclass
class _Entry:
    capture: Capture
    referred: Capture | None
    result: Record | Exception | None = None


@dataclass
class ReplayLearner:
    """One source's learning across the files of a re-extraction, in file order (see the module docstring)."""

    source: BoardSource
    learning: SourceLearning = field(default_factory=lambda: SourceLearning([]))
    run: str | None = None
    seen: set[str] = field(default_factory=set)
    """Item ids listed on the run's list pages so far (the crawl's walk takes each id once)."""
    rows: dict[str, str] = field(default_factory=dict)
    """The current list page's new rows: view URL -> item id, in list order."""
    failed: set[str] = field(default_factory=set)
    """URLs of the batch whose captures gave no page (a status other than 200, truncated, no HTML)."""
    redirects: dict[str, str] = field(default_factory=dict)
    """The batch's redirect captures: URL -> the URL it sent the crawl on to."""
    entries: list[_Entry] = field(default_factory=list)

    def start_file(self, filename: str) -> None:
        """A new file begins: a new run starts with the samples kept and the rest of the learning afresh."""
        key = run_key(filename)
        if self.run is not None and key != self.run:
            self.learning = SourceLearning(self.learning.samples)
            self.seen = set()
        self.run = key

    def list_page(self, capture: Capture, pages: Pages) -> None:
        """A list page of the source: the batch before it is replayed, and its rows start the next one."""
        self.flush(pages)
        try:
            text = decode_html(decoded_body(capture, MAX_PAGE_BYTES), capture.header("content-type"),
                               url=capture.url).text
        except (ScraperError, CodingError, TooLarge):
            return  # the crawl could not read it either: it fetched none of its items
        items = [i for i in parse_listing(text, capture.url, self.source).items if i.id not in self.seen and i.url]
        self.seen.update(i.id for i in items)
        self.rows = {i.url or "": i.id for i in items}

    def skipped(self, capture: Capture, reason: str, pages: Pages) -> None:
        """A capture the replay skips (``reason`` as counted): a list page starts a batch; a capture that gave
        the crawl no page (a status other than 200, truncated, no HTML) loses its item's sample."""
        location = capture.header("location")
        if reason == "list_page":
            self.list_page(capture, pages)
        elif capture.status in REDIRECTS and location:
            self.redirects[capture.url] = urljoin(capture.url, location)
        elif reason in ("status", "truncated", "not_html"):
            self.failed.add(capture.url)

    def add(self, capture: Capture, referred: Capture | None) -> None:
        """A page capture of the batch (``referred``: the response a revisit refers to, or itself)."""
        self.entries.append(_Entry(capture, referred))

    def flush(self, pages: Pages) -> None:
        """Replay the batch held and write its lines in file order. A capture that is an attachment of one
        of the batch's records (an HTML page a server sent for a file) is skipped as ``attachment``."""
        entries, rows, failed, redirects = self.entries, self.rows, self.failed, self.redirects
        self.entries, self.rows, self.failed, self.redirects = [], {}, set(), {}
        by_url = {e.capture.url: e for e in entries}
        listed = []
        for url, item_id in rows.items():
            final = _follow(url, redirects)
            if final in by_url or final in failed or final != url:  # a redirect to nothing captured: lost
                listed.append((item_id, by_url.get(final)))
        self._replay(listed, pages.read)
        matched = {id(e) for _, e in listed if e is not None}
        files = _attachment_urls(e for _, e in listed)
        loose = [e for e in entries if id(e) not in matched]
        for start in range(0, len(loose), LOOSE_BATCH):
            batch = [e for e in loose[start:start + LOOSE_BATCH] if e.capture.url not in files]
            self._replay([(e.capture.url, e) for e in batch], pages.read)
            files |= _attachment_urls(batch)
        for entry in entries:
            if entry.result is None:
                pages.skip(entry.capture, "attachment")
            else:
                pages.write(entry.capture, entry.result)

    def _replay(self, batch: list[tuple[str, _Entry | None]],
                read: Callable[[Capture, Capture | None, str | None, bool], tuple[Record, PageSample | None]]
                ) -> None:
        """The crawl's ``ItemPipeline.process`` and ``_learned`` for one batch (``scraper.crawl.items``)."""
        if not batch:
            return
        learning = self.learning
        asked = [learning.wants_sample(item_id) for item_id, _ in batch]
        known = list(learning.samples)
        ready: list[tuple[str, _Entry, Record, PageSample | None, bool]] = []
        for (item_id, entry), sampled in zip(batch, asked, strict=True):
            if entry is None:
                if sampled:
                    learning.lost()
                continue
            hint = learn_headline([s for i, s in known if i != item_id])
            try:
                record, sample = read(entry.capture, entry.referred, hint, sampled)
            except (ScraperError, CodingError, TooLarge) as exc:
                entry.result = exc
                if sampled:
                    learning.lost()
                continue
            if sample is not None and sample.html is not None:
                sample = sample.model_copy(update={"html": None})  # as the crawl's workers hand it on
            ready.append((item_id, entry, record, sample, sampled))
        learn_from = iter(learning.plan([(i, s, a) for i, _, _, s, a in ready]))
        for _item_id, entry, record, sample, sampled in ready:
            try:
                if sample is not None:
                    template = learning.settle(learn_for_page(sample, next(learn_from)), record)
                elif sampled:  # the bytes are no page: neither learned from nor filtered
                    entry.result = record
                    continue
                else:
                    template = learning.template
                entry.result = record if template is None else apply_learned(record, template)
            except Exception as exc:  # the per-item boundary, as in the crawl
                entry.result = exc


def _follow(url: str, redirects: dict[str, str]) -> str:
    """Where the redirect captures sent ``url`` (at most :data:`MAX_HOPS` hops).

    >>> _follow("http://a/1", {"http://a/1": "http://a/2", "http://a/2": "http://a/3"})
    'http://a/3'
    """
    for _ in range(MAX_HOPS):
        if url not in redirects:
            break
        url = redirects[url]
    return url


def _attachment_urls(entries: Iterable[_Entry | None]) -> set[str]:
    """The attachment URLs of the entries' records."""
    return {a.url for e in entries if e is not None and isinstance(e.result, Record) for a in e.result.attachments
            if a.url}


__all__ = ["LOOSE_BATCH", "Pages", "ReplayLearner", "run_key"]
