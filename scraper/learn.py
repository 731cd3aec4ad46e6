"""A host's template learned from the pages at hand and applied to their records (pipeline layer).

``scraper extract A B C`` groups its records by host (:func:`host_key`) and, for a host with two or more
different pages, learns a :class:`~scraper.extract.template.SiteTemplate` from them
(:func:`learn_and_apply`); ``scraper crawl`` keeps a rolling sample of each source's recent view pages in
its state and learns from it plus the page at hand (:func:`learn_for_page`). Extraction stays pure: this
module only filters finished records, never changes how one page is read.

Kind of page: several pages of ONE host sharing a layout (news article views, a gov board's views).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from scraper.errors import DecodeError, ScraperError
from scraper.extract.article import headline_place
from scraper.extract.markup import parse_guarded
from scraper.extract.template import PageSample, SiteTemplate, apply_template, learn_from_samples, sample_page
from scraper.fetch.decode import decode_html
from scraper.models import ErrorRecord, Record
from scraper.pipeline import extract_text
from scraper.sources.profile import SiteProfile

TEMPLATE_WARNING = "template_applied"
"""Record warning: the body lost paragraphs the host's learned template marks as chrome."""
MAX_SAMPLES = 8
"""Pages of a source a crawl keeps to learn from (the newest ones)."""
MIN_KNOWN = 2
"""Other pages a crawl must know before it learns (with the page at hand, three pages: a line must recur
on two of them, and an article's own lead quoted in a teaser box of one other page is not enough)."""

Result = Record | ErrorRecord


def host_key(record: Record) -> str | None:
    """The host a record's page belongs to, for grouping: of its canonical URL, else its URL; lower case,
    a leading ``www.`` dropped. ``None`` when the record has neither (a file given without ``--url`` whose
    page names no canonical or ``og:url`` address).

    >>> host_key(Record(id="x", url="http://WWW.Sporbiz.co.kr/news/1", body=["본문"], extractor="generic"))
    'sporbiz.co.kr'
    """
    url = record.canonical_url or record.url
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    return host or None


def article_key(record: Record) -> str:
    """What article a record shows, for :attr:`PageSample.key`: 16 hex digits of SHA-256 over its body
    paragraphs joined by newlines (one article by two addresses gives one key)."""
    return hashlib.sha256("\n".join(record.body).encode("utf-8")).hexdigest()[:16]


def page_sample(data: bytes, content_type: str | None, record: Record) -> PageSample | None:
    """The learning sample of the page ``data`` (raw bytes) that gave ``record``; ``None`` when the bytes
    do not decode as a page (then the page neither learns nor is filtered). A page read by the generic path
    also records where it proves its headline (:func:`~scraper.extract.article.headline_place`)."""
    try:
        text = decode_html(data, content_type).text
    except DecodeError:
        return None
    tree = parse_guarded(text)[1]  # one parse serves the sample and the headline place (both only read it)
    sample = sample_page(tree, key=article_key(record))
    place = headline_place(tree, record.url) if record.extractor.startswith("generic") else None
    return sample.model_copy(update={"headline": place, "html": text})


MIN_AGREEING = 2
"""Pages of a host that must show their headline at one place before that place is learned."""


def learn_headline(samples: Sequence[PageSample]) -> str | None:
    """The headline place (CSS selector) a host's pages agree on: the most common place among the pages
    that prove theirs, shown by at least :data:`MIN_AGREEING` different articles and by half of those pages;
    else ``None``.

    >>> learn_headline([PageSample(headline="div.v > h3.tit", key=k) for k in "ab"] + [PageSample(key="c")])
    'div.v > h3.tit'
    """
    counts: Counter[str] = Counter()
    seen: set[tuple[str, str | None]] = set()
    for sample in samples:
        if sample.headline and (sample.headline, sample.key) not in seen:
            seen.add((sample.headline, sample.key))
            counts[sample.headline] += 1
    if not counts:
        return None
    place, count = counts.most_common(1)[0]
    return place if count >= MIN_AGREEING and count * 2 >= sum(counts.values()) else None


def reread_with_headline(record: Record, sample: PageSample, hint: str, *, now: str | None,
                         profiles: tuple[SiteProfile, ...] | None) -> Record:
    """``record`` with headline, deck, dates and authors read again from its page with the host's learned
    headline place (``hint``), when the page proved no headline of its own and the place gave one
    (warning ``headline_learned``); else ``record`` unchanged. Body, images and attachments are kept."""
    if sample.headline is not None or sample.html is None or not record.extractor.startswith("generic"):
        return record
    try:
        again = extract_text(sample.html, url=record.url, now=now, profiles=profiles, headline_hint=hint)
    except ScraperError:
        return record
    if "headline_learned" not in again.warnings or again.title == record.title:
        return record
    fields = ("title", "subtitle", "published", "modified", "authors", "dateline")
    warnings = [*record.warnings, "headline_learned"]
    return record.model_copy(update={**{name: getattr(again, name) for name in fields}, "warnings": warnings})


def apply_learned(record: Record, template: SiteTemplate) -> Record:
    """``record`` with its body filtered by ``template`` and warning ``template_applied`` when that dropped
    a paragraph; the same object when nothing changed. A body read from an attachment
    (``body_source="attachment"``) is not the page's text and is left as it is."""
    if record.body_source != "page":
        return record
    stripped = apply_template(record, template)
    if stripped is record:
        return record
    warnings = record.warnings if TEMPLATE_WARNING in record.warnings else [*record.warnings, TEMPLATE_WARNING]
    return stripped.model_copy(update={"warnings": warnings})


def distinct_articles(samples: Sequence[PageSample]) -> int:
    """How many different articles ``samples`` show: equal keys count once, each keyless sample once."""
    return len({s.key for s in samples if s.key is not None}) + sum(1 for s in samples if s.key is None)


def learn_and_apply(results: Sequence[tuple[Result, PageSample | None]], *, now: str | None = None,
                    profiles: tuple[SiteProfile, ...] | None = None) -> list[Result]:
    """Filter each record by the template learned from its host's pages, in the order given; a record
    whose page proved no headline of its own is read again at the headline place the host's other pages
    agree on (:func:`learn_headline`, :func:`reread_with_headline`; ``now`` and ``profiles`` as for the
    first reading).

    ``results``: ``(record or error record, sample of its page or None)`` per source. Records are grouped
    by :func:`host_key`; a host whose samples show two or more different articles gets a template learned
    from all of them (the record's own page included: that is what keeps an article's lead quoted in a
    teaser box on another page of the host from being taken for chrome). Error records, records without a
    host or a sample, and hosts with one article pass through unchanged.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (result, sample) in enumerate(results):
        if isinstance(result, Record) and sample is not None and (host := host_key(result)):
            groups[host].append(index)
    out = [result for result, _ in results]
    for members in groups.values():
        samples = [sample for index in members if (sample := results[index][1]) is not None]
        if distinct_articles(samples) < 2:
            continue
        template = learn_from_samples(samples)
        hint = learn_headline(samples)
        for index in members:
            record, sample = out[index], results[index][1]
            if isinstance(record, Record) and sample is not None:
                if hint is not None:
                    record = reread_with_headline(record, sample, hint, now=now, profiles=profiles)
                out[index] = apply_learned(record, template)
    return out


def learn_for_page(sample: PageSample, known: Sequence[PageSample]) -> SiteTemplate | None:
    """The template for a crawled page: learned from its ``sample`` and the source's ``known`` samples
    (other items, newest last), or ``None`` while fewer than ``MIN_KNOWN`` of them show an article other
    than this page's."""
    others = [s for s in known if s.key is None or s.key != sample.key]
    if distinct_articles(others) < MIN_KNOWN:
        return None
    return learn_from_samples([sample, *others])


# One source's learning during a crawl run (scraper.crawl) and its replay from WARC files (scraper.replay): which
# pages are sampled, and the template each record is filtered by; see scraper/crawl/learning.py.
RESAMPLE_EVERY = 8
"""Once a source's sample is full, one page in this many is sampled and its template learned again."""
RESAMPLE_MAX = 64
"""The longest interval between two sampled pages, reached while relearning keeps giving the same template."""


@dataclass
class SourceLearning:
    """The learning state of one source in one run; ``samples``: ``(item_id, sample)``, oldest first."""

    samples: list[tuple[str, PageSample]]
    template: SiteTemplate | None = None
    learning: bool = False
    """A page of this run was chosen to be sampled: from the batch holding it on, ``template`` is learned."""
    every: int = RESAMPLE_EVERY
    since: int = 0
    """Pages planned since the last page chosen to be sampled."""
    planned: int = 0
    """Pages chosen to be sampled whose batch is not written yet."""

    def wants_sample(self, item_id: str) -> bool:
        """Whether the page of ``item_id`` is to be sampled (asked in list order, before it is fetched)."""
        others = sum(1 for i, _ in self.samples if i != item_id) + self.planned
        if others >= MAX_SAMPLES and self.learning and self.since < self.every - 1:
            self.since += 1
            return False
        self.learning, self.since = True, 0
        self.planned += 1
        return True

    def lost(self) -> None:
        """A page chosen to be sampled gave no sample (unchanged, failed): the next page planned is sampled."""
        self.planned = max(0, self.planned - 1)
        self.since = self.every - 1

    def plan(self, sampled: list[tuple[str, PageSample | None, bool]]) -> list[list[PageSample]]:
        """For a batch's pages in list order (``(item_id, sample or None, sample asked for)``), what each page
        with a sample learns from: the source's samples before it in list order (not its own); the samples are
        updated as if the pages had been read one after the other. Call :meth:`settle` next."""
        learn_from = []
        for item_id, sample, asked in sampled:
            if asked:
                self.planned = max(0, self.planned - 1)
            if sample is None:
                if asked:
                    self.since = self.every - 1
                continue
            others = [(i, s) for i, s in self.samples if i != item_id]
            learn_from.append([s for _, s in others])
            self.samples = [*others, (item_id, sample)][-MAX_SAMPLES:]
        return learn_from

    def settle(self, template: SiteTemplate | None, record: Record) -> SiteTemplate | None:
        """Take ``template``, learned at the next sampled page in list order (whose record is ``record``); it
        filters that page and the pages after it. When it filters that page as the last template did (the
        site's chrome has not changed), the resampling interval doubles; else it is reset."""
        old = self.template
        same = template is not None and old is not None and \
            apply_template(record, template).body == apply_template(record, old).body
        self.every = min(self.every * 2, RESAMPLE_MAX) if same else RESAMPLE_EVERY
        self.template = template
        return template
