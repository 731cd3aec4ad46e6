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
    """What one list page gave: its :data:`PageStatus`, the ``new`` items written and its ``size`` in
    regular items."""

    status: PageStatus
    new: int = 0
    size: int = 0


@dataclass
class WalkPlan:
    """One source's walk: its number, which earlier walks' items count as settled (``settle_below``), the
    page to jump to once the known pages above it are passed (``resume``), a depth bound (``until``, the
    first walk's ``max_pages``) and the day bound ``since``."""

    walk_id: int
    settle_below: int
    resume: int | None
    until: int | None
    since: str | None
    cut: bool = False
    """The board's history below the first walk's depth bound was never read (see ``WalkState.cut``)."""

    @classmethod
    def open(cls, old: WalkState, *, first: bool, since_moved_back: bool, since: str | None, max_pages: int,
             backfill: bool = False, oldest: str | None = None) -> WalkPlan:
        """Go on with the open walk ``old``, or begin a new one. ``first``: the source has no written item;
        ``since_moved_back``: this run's ``since`` reaches further back than the last walk's. A *backfill*
        walk settles nothing (only items older than ``since`` end it, or the board's last page), reads
        ``max_pages`` list pages a run and goes on over later runs until it gets there; it begins when
        ``since`` moved back, with ``backfill`` (``crawl --backfill``), or when ``since`` is earlier than the
        ``oldest`` item written (ISO 8601) while the history below the first walk's depth bound was never
        read (``old.cut``). An open backfill walk is continued, not begun again."""
        history_missing = old.cut and since is not None and (oldest is None or oldest[:10] > since)
        backfilling = old.open and old.settle_below == 0
        if since_moved_back or ((backfill or history_missing) and not backfilling):
            return cls(old.walk_id + (0 if old.open else 1), 0, None, None, since, old.cut)
        if old.open:
            return cls(old.walk_id, old.settle_below, old.resume_page, old.resume_until, since, old.cut)
        walk_id = old.walk_id + 1
        return cls(walk_id, walk_id, None, max_pages if first else None, since, old.cut)

    def saved(self, page: int) -> WalkState:
        """The state to save before reading ``page`` (a kill then leaves the walk open)."""
        resume = self.resume if self.resume and self.resume > page else page
        return WalkState(resume, self.until, self.since, self.walk_id, self.settle_below, open=True, cut=self.cut)

    def next_page(self, page: int, outcome: PageOutcome, new_total: int, page_size: int) -> int:
        """The next page: the saved resume page (shifted down by the new items seen since) once a page holds
        nothing new, else ``page + 1``."""
        if outcome.new == 0 and self.resume and self.resume > page + 1:
            target = self.resume + (new_total // page_size if page_size else 0)
            self.resume = None
            return max(page + 1, target)
        return page + 1

    def finished(self, status: PageStatus, next_page: int) -> WalkState:
        """The walk's state at the end of the run: closed (complete, end, or the first walk's depth reached)
        or open at ``next_page``, the first page not read yet (or the list page that failed). A walk closed
        by the depth bound leaves ``cut`` set; one that reached the board's last page, or (settling nothing)
        items older than ``since``, clears it."""
        depth_reached = self.until is not None and next_page > self.until and status not in ("complete", "end")
        done = status in ("complete", "end") or depth_reached
        bottom = status == "end" or (status == "complete" and self.settle_below == 0)
        cut = depth_reached or (self.cut and not bottom)
        resume = None if done else max(next_page, self.resume or 0)
        return WalkState(resume, None if done else self.until, self.since, self.walk_id, self.settle_below,
                         open=not done, cut=cut)
