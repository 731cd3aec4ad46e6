"""One source's learning during a crawl run: which pages are sampled, and the template each record is filtered by.

A source keeps its newest :data:`~scraper.learn.MAX_SAMPLES` page samples (``scraper.learn``, stored in the
state). Until that many are known (or planned), every page is sampled; then one page in :attr:`every`: the
pages between are filtered by the template learned at the last sampled one. Learning a template costs more
than extracting a page, so while the relearned template filters its page as the last one would have (a site
whose chrome does not change) the interval doubles, up to :data:`RESAMPLE_MAX`; one that filters it otherwise
brings it back to :data:`RESAMPLE_EVERY`.

Everything here is decided in list order: :meth:`SourceLearning.wants_sample` before the pages are fetched,
:meth:`SourceLearning.plan` and :meth:`SourceLearning.settle` when their batch is written. So the records do
not depend on which page arrived first, and the templates of one batch can be learned at once, in worker
processes: each sampled page learns from the samples before it in list order.
"""

from __future__ import annotations

from dataclasses import dataclass

from scraper.extract.template import PageSample, SiteTemplate, apply_template
from scraper.learn import MAX_SAMPLES
from scraper.models import Record

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
