"""Walk planning, as pure functions of the state's values: which list page next, and when a walk ends.

A source is walked newest list page first and stops at the first page whose regular (not pinned) items
are all *settled* (known before the current walk began, or older than ``since``); so an unchanged board
costs one list request per run. A walk cut short (killed, a failed list page, the ``max_pages`` budget)
stays open and the next run goes on with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scraper.sinks.state import WalkState

PageStatus = Literal["complete", "open", "end", "failed", "no_items"]
"""``complete``: the page's regular items are all settled; ``open``: go on; ``end``: the pager's last page or
an empty page after others; ``failed``: the list page could not be read; ``no_items``: the walk's first
page held no item at all (a redesigned board, a login or WAF page served with 200, an emptied board)."""


@dataclass(frozen=True)
class PageOutcome:
    """What one list page gave: its :data:`PageStatus`, the ``new`` items written, its ``size`` in regular
    items and the day of its ``oldest`` regular item (``YYYY-MM-DD``, ``None`` when no row shows a date)."""

    status: PageStatus
    new: int = 0
    size: int = 0
    oldest: str | None = None


@dataclass
class WalkPlan:
    """One source's walk: its number, which earlier walks' items count as settled (``settle_below``), the
    page to jump to once the known pages above it are passed (``resume``), a depth bound (``until``, the
    first walk's ``max_pages``) and the day bound ``since``; what earlier walks left: ``cut`` and
    ``reached`` (see ``WalkState``), and the runs in a row the walk stopped at a failing list page
    (``failed_runs``, at ``failed_at``)."""

    walk_id: int
    settle_below: int
    resume: int | None
    until: int | None
    since: str | None
    cut: bool = False
    reached: str | None = None
    failed_runs: int = 0
    failed_at: int | None = None

    @classmethod
    def open(cls, old: WalkState, *, first: bool, since_moved_back: bool, since: str | None, max_pages: int,
             backfill: bool = False, oldest: str | None = None) -> WalkPlan:
        """Go on with the open walk ``old``, or begin a new one. ``first``: the source has no written item;
        ``since_moved_back``: this run's ``since`` reaches further back than the last walk's. A *backfill*
        walk settles nothing (only items older than ``since`` end it, or the board's last page), reads
        ``max_pages`` list pages a run and goes on over later runs until it gets there; it begins when
        ``since`` moved back, with ``backfill`` (``crawl --backfill``), or when ``since`` is earlier than the
        day the depth-cut walk reached (``old.reached``; ``oldest``, the oldest item written, for a state
        of an earlier version) while the history below it was never read (``old.cut``). An open backfill
        walk is continued, not begun again."""
        reached = old.reached or oldest
        history_missing = old.cut and since is not None and (reached is None or reached[:10] > since)
        backfilling = old.open and old.settle_below == 0
        if since_moved_back or ((backfill or history_missing) and not backfilling):
            return cls(old.walk_id + (0 if old.open else 1), 0, None, None, since, old.cut, old.reached)
        if old.open:
            return cls(old.walk_id, old.settle_below, old.resume_page, old.resume_until, since, old.cut, old.reached,
                       failed_runs=old.failed_runs, failed_at=old.resume_page)
        walk_id = old.walk_id + 1
        return cls(walk_id, walk_id, None, max_pages if first else None, since, old.cut, old.reached)

    def saved(self, page: int) -> WalkState:
        """The state to save before reading ``page`` (a kill then leaves the walk open)."""
        resume = self.resume if self.resume and self.resume > page else page
        return WalkState(resume, self.until, self.since, self.walk_id, self.settle_below, open=True, cut=self.cut,
                         reached=self.reached, failed_runs=self.failed_runs)

    def next_page(self, page: int, outcome: PageOutcome, new_total: int, page_size: int) -> int:
        """The next page: the saved resume page (shifted down by the new items seen since) once a page holds
        nothing new, else ``page + 1``."""
        if outcome.new == 0 and self.resume and self.resume > page + 1:
            target = self.resume + (new_total // page_size if page_size else 0)
            self.resume = None
            return max(page + 1, target)
        return page + 1

    def skips_failed_page(self, status: PageStatus, page: int, max_runs: int) -> bool:
        """True when list page ``page`` (not the first) failed for the ``max_runs``-th run in a row: the walk
        then goes on below it instead of stopping there forever."""
        return status == "failed" and page > 1 and self._failed_runs(page) >= max_runs

    def _failed_runs(self, page: int) -> int:
        return self.failed_runs + 1 if page == self.failed_at else 1

    def finished(self, status: PageStatus, next_page: int, oldest: str | None = None, *,
                 max_failed_runs: int = 5) -> WalkState:
        """The walk's state at the end of the run: closed (complete, end, or the first walk's depth reached)
        or open at ``next_page``, the first page not read yet (or the list page that failed; the page after
        it once it failed ``max_failed_runs`` runs in a row). A walk closed by the depth bound leaves ``cut``
        set, with ``reached`` the day of the oldest regular item it read (``oldest``); one that reached the
        board's last page, or (settling nothing) items older than ``since``, clears it."""
        depth_reached = self.until is not None and next_page > self.until and status not in ("complete", "end")
        done = status in ("complete", "end") or depth_reached
        bottom = status == "end" or (status == "complete" and self.settle_below == 0)
        cut = depth_reached or (self.cut and not bottom)
        reached = (min(d for d in (self.reached, oldest) if d) if (self.reached or oldest) else None) if cut else None
        failed_runs = self._failed_runs(next_page) if status == "failed" else 0
        if self.skips_failed_page(status, next_page, max_failed_runs):
            next_page, failed_runs = next_page + 1, 0
        resume = None if done else max(next_page, self.resume or 0)
        return WalkState(resume, None if done else self.until, self.since, self.walk_id, self.settle_below,
                         open=not done, cut=cut, reached=reached, failed_runs=failed_runs)
