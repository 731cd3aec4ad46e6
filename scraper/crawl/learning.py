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

The class lives in :mod:`scraper.learn`, shared with the replay of a crawl's learning from its WARC files
(:mod:`scraper.replay.learning`).
"""

from __future__ import annotations

from scraper.learn import RESAMPLE_EVERY, RESAMPLE_MAX, SourceLearning

__all__ = ["RESAMPLE_EVERY", "RESAMPLE_MAX", "SourceLearning"]
