"""The state's records as Python values: a source's walk, an item, a pending write, a seen item, a revision."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WalkState:
    """A source's list walk. Walks are numbered (``walk_id``); an item remembers the walk that first wrote
    it, and items of walks numbered below ``settle_below`` are *settled* (read by a completed walk).
    ``open``: the walk was cut short and goes on at ``resume_page`` (no deeper than ``resume_until``);
    ``since`` is the day bound it used; ``cut``: the walk was closed by the first walk's depth bound
    (``--max-pages``) before it reached the board's last page or ``since``, so older history was never read,
    and ``reached`` is the day of the oldest regular item it read; ``failed_runs``: runs in a row the open walk
    stopped at its failing list page ``resume_page``."""

    resume_page: int | None = None
    resume_until: int | None = None
    since: str | None = None
    walk_id: int = 0
    settle_below: int = 0
    open: bool = False
    cut: bool = False
    reached: str | None = None
    failed_runs: int = 0


@dataclass(frozen=True)
class ItemState:
    """What the state knows of one item."""

    source: str
    item_id: str
    url: str
    content_hash: str | None
    etag: str | None
    last_modified: str | None
    revision: int
    record_id: str | None
    page_hash: str | None = None
    """Content hash of the page as extracted, before its attachments were read and before the learned
    template filtered it (``--refresh`` compares it)."""


@dataclass(frozen=True)
class PendingWrite:
    """One record about to be appended (:meth:`StateStore.begin_writes`): the item, its record's id and content
    hash, the output file it goes to, and for a new item its ``published`` day and the ``walk`` that wrote it."""

    source: str
    item_id: str
    url: str
    record_id: str
    content_hash: str
    path: str
    now: str
    published: str | None = None
    walk: int = 0
    run: int = 0
    """Id of the run writing it (``last_checked_run`` of a new item)."""


@dataclass(frozen=True)
class Seen:
    """An item whose view page was fetched: after its record was appended (:meth:`StateStore.commit_writes`
    ``commits``) or found unchanged (``touches``). ``None`` validators keep the stored ones for a touch;
    ``page_hash`` is :attr:`ItemState.page_hash` (``None``: keep it); ``run`` becomes ``last_checked_run``."""

    source: str
    item_id: str
    now: str
    etag: str | None = None
    last_modified: str | None = None
    page_hash: str | None = None
    run: int = 0


@dataclass(frozen=True)
class ItemRevision:
    """An item's committed revision (0: none written yet), its record's id and its ``published`` day."""

    source: str
    item_id: str
    record_id: str | None
    revision: int
    published: str | None
