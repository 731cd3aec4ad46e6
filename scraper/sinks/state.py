"""Incremental-crawl state in an embedded SQLite file (stdlib ``sqlite3``, WAL mode).

One row per (source, item id): the canonical URL, content hash, HTTP validators (ETag, Last-Modified),
first/last seen times and the revision last written. Writing an item is two-phase so that ``kill -9``
at any moment neither loses nor duplicates a record:

1. :meth:`StateStore.begin_writes` stores the intended revisions and output paths as *pending*;
2. the sink appends the records and fsyncs them;
3. :meth:`StateStore.commit_writes` makes the pending revisions the items' revisions.

Steps 1 and 3 take a batch (a crawl writes the new records of one list page at once: one transaction, one
fsync each, instead of two per record); every item of a batch is pending on its own, so a kill between
two appends of one batch is settled item by item (:meth:`StateStore.recover`).

Each item also keeps ``last_checked_run``, the id of the run (``runs.id``) that last fetched its view page,
written or found unchanged: the crawl's rotating re-checks (``--recheck``) take the items checked longest
ago (:meth:`StateStore.due_for_recheck`).

A source's recent view pages, as learning samples (``scraper.extract.template.PageSample`` JSON, not
the pages), are kept in ``template_samples`` for the crawl to learn the site's template from; a state
file written before that table existed gets it when opened. The samples are only a help: they are
written after the item's commit and losing one loses nothing.

On open, :meth:`StateStore.recover` settles what a crash left pending: a record found in its output
file is committed, otherwise the pending mark is dropped and the item is processed again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    source TEXT NOT NULL,
    item_id TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT,
    etag TEXT,
    last_modified TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    record_id TEXT,
    pending_revision INTEGER,
    pending_hash TEXT,
    pending_path TEXT,
    published TEXT,
    walk INTEGER NOT NULL DEFAULT 0,
    page_hash TEXT,
    last_checked_run INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, item_id)
);
CREATE TABLE IF NOT EXISTS walks (
    source TEXT PRIMARY KEY,
    resume_page INTEGER,
    resume_until INTEGER,
    since TEXT,
    walk_id INTEGER NOT NULL DEFAULT 0,
    settle_below INTEGER NOT NULL DEFAULT 0,
    open INTEGER NOT NULL DEFAULT 0,
    cut INTEGER NOT NULL DEFAULT 0,
    reached TEXT,
    failed_runs INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS failures (
    source TEXT NOT NULL,
    item_id TEXT NOT NULL,
    url TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    last_error TEXT,
    PRIMARY KEY (source, item_id)
);
CREATE TABLE IF NOT EXISTS template_samples (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    item_id TEXT NOT NULL,
    sample TEXT NOT NULL,
    UNIQUE (source, item_id)
);
CREATE TABLE IF NOT EXISTS warc_payloads (
    source TEXT NOT NULL,
    item_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    record_id TEXT NOT NULL,
    target_uri TEXT NOT NULL,
    date TEXT NOT NULL,
    PRIMARY KEY (source, item_id)
);
CREATE TABLE IF NOT EXISTS source_health (
    source TEXT PRIMARY KEY,
    no_items_runs INTEGER NOT NULL DEFAULT 0,
    last_items TEXT
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    summary TEXT
);
"""


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


class StateStore:
    """The SQLite state file; use as a context manager. Times are ISO 8601 strings (KST)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(_SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(items)")}
        if "published" not in columns:  # state files written before the column existed
            self.db.execute("ALTER TABLE items ADD COLUMN published TEXT")
        if "walk" not in columns:
            self.db.execute("ALTER TABLE items ADD COLUMN walk INTEGER NOT NULL DEFAULT 0")
        if "page_hash" not in columns:
            self.db.execute("ALTER TABLE items ADD COLUMN page_hash TEXT")
        if "last_checked_run" not in columns:
            self.db.execute("ALTER TABLE items ADD COLUMN last_checked_run INTEGER NOT NULL DEFAULT 0")
        self.db.execute("CREATE INDEX IF NOT EXISTS items_by_check ON items (source, last_checked_run)")
        walk_columns = {row[1] for row in self.db.execute("PRAGMA table_info(walks)")}
        for name, kind in (("cut", "INTEGER NOT NULL DEFAULT 0"), ("reached", "TEXT"),
                           ("failed_runs", "INTEGER NOT NULL DEFAULT 0")):
            if name not in walk_columns:  # state files written before the column existed
                self.db.execute(f"ALTER TABLE walks ADD COLUMN {name} {kind}")

    def quick_check(self) -> bool:
        """True when SQLite's ``PRAGMA quick_check`` finds the file sound (a damaged page, index or free list
        is found; O(file size), well under a second for a state of 100,000 items). Raises
        ``sqlite3.DatabaseError`` when the file cannot even be read."""
        rows = self.db.execute("PRAGMA quick_check").fetchall()
        return [tuple(row) for row in rows] == [("ok",)]

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        self.db.close()

    def get(self, source: str, item_id: str) -> ItemState | None:
        """The stored state of an item, or ``None`` when it was never written."""
        row = self.db.execute(
            "SELECT source, item_id, url, content_hash, etag, last_modified, revision, record_id, page_hash FROM items "
            "WHERE source = ? AND item_id = ? AND revision > 0", (source, item_id)).fetchone()
        return ItemState(*row) if row else None

    def known(self, source: str, item_id: str) -> bool:
        """True when the item was written at least once."""
        return self.get(source, item_id) is not None

    def newest(self, source: str, limit: int) -> list[ItemState]:
        """The ``limit`` most recently published written items of a source (for ``--refresh`` revisits);
        items without a publication date rank by when they were first seen."""
        rows = self.db.execute(
            "SELECT source, item_id, url, content_hash, etag, last_modified, revision, record_id, page_hash FROM items "
            "WHERE source = ? AND revision > 0 ORDER BY COALESCE(published, first_seen) DESC, first_seen DESC "
            "LIMIT ?", (source, limit))
        return [ItemState(*row) for row in rows]

    def due_for_recheck(self, source: str, budget: int, recent_from: str, exclude: Sequence[str] = ()
                        ) -> list[ItemState]:
        """Up to ``budget`` written items of ``source`` to re-check this run (``crawl --recheck``), newest first
        within each share: the *recent* ones (published on or after the day ``recent_from``, ``YYYY-MM-DD``)
        and, in rotation, the older ones (or undated) whose view page was fetched longest ago
        (``last_checked_run``). At least half the budget (at least 1) goes to the rotation while it has items;
        the recent items take the rest, and the rotation what they leave. So every item is re-checked within
        ``ceil(older items / max(1, budget // 2))`` runs (fewer while the recent items leave more), and each
        recent one every run while they number at most ``budget - budget // 2``. ``exclude``: item ids not to
        take (fetched already this run)."""
        if budget <= 0:
            return []
        skip = set(exclude)
        columns = "source, item_id, url, content_hash, etag, last_modified, revision, record_id, page_hash"
        order = "ORDER BY last_checked_run, COALESCE(published, first_seen) DESC, item_id LIMIT ?"
        limit = budget + len(skip)
        recent = [ItemState(*row) for row in self.db.execute(
            f"SELECT {columns} FROM items WHERE source = ? AND revision > 0 AND published >= ? {order}",
            (source, recent_from, limit)) if row[1] not in skip][:budget]
        older = [ItemState(*row) for row in self.db.execute(
            f"SELECT {columns} FROM items WHERE source = ? AND revision > 0 "
            f"AND (published IS NULL OR published < ?) {order}", (source, recent_from, limit)) if row[1] not in skip
                 ][:budget]
        rotation = min(len(older), max(1, budget // 2))
        take_recent = min(len(recent), budget - rotation)
        return recent[:take_recent] + older[:budget - take_recent]

    def touch(self, source: str, item_id: str, now: str, etag: str | None = None, last_modified: str | None = None
              ) -> None:
        """Record that an item was seen unchanged (updates last_seen and validators)."""
        self.commit_writes([], [Seen(source, item_id, now, etag, last_modified)])

    def revisions(self) -> dict[tuple[str, str], int]:
        """Every item's committed revision, by (source, item id): taken before a run, to tell what it wrote."""
        return {(str(s), str(i)): int(r) for s, i, r in self.db.execute("SELECT source, item_id, revision FROM items")}

    def written_in_run(self, run_id: int, before: dict[tuple[str, str], int]) -> list[ItemRevision]:
        """The items run ``run_id`` wrote a record of (new, or a revision above the one in ``before``, a
        :meth:`revisions` of the run's start), committed ones only, in the state's order."""
        rows = self.db.execute(
            "SELECT source, item_id, record_id, revision, published FROM items "
            "WHERE last_checked_run = ? AND revision > 0 ORDER BY rowid", (run_id,))
        return [ItemRevision(str(s), str(i), r, int(v), p) for s, i, r, v, p in rows
                if int(v) > before.get((str(s), str(i)), 0)]

    def begin_write(self, source: str, item_id: str, url: str, record_id: str, content_hash: str, path: str,
                    now: str, published: str | None = None, walk: int = 0) -> int:
        """Mark a write as pending and return the revision the record must carry (1 for a new item)."""
        return self.begin_writes([PendingWrite(source, item_id, url, record_id, content_hash, path, now, published,
                                               walk)])[0]

    def begin_writes(self, writes: Sequence[PendingWrite]) -> list[int]:
        """Mark the writes as pending, in one transaction, and return the revision each record must carry (1 for
        a new item). One item must not appear twice in ``writes``."""
        revisions: list[int] = []
        if not writes:
            return revisions
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for w in writes:
                row = self.db.execute("SELECT revision FROM items WHERE source = ? AND item_id = ?",
                                      (w.source, w.item_id)).fetchone()
                revision = (row[0] if row else 0) + 1
                if row is None:
                    self.db.execute(
                        "INSERT INTO items (source, item_id, url, first_seen, last_seen, revision, record_id, "
                        "pending_revision, pending_hash, pending_path, published, walk, last_checked_run) "
                        "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)",
                        (w.source, w.item_id, w.url, w.now, w.now, w.record_id, revision, w.content_hash, w.path,
                         w.published, w.walk, w.run))
                else:
                    self.db.execute(
                        "UPDATE items SET pending_revision = ?, pending_hash = ?, pending_path = ?, record_id = ?, "
                        "published = COALESCE(?, published) WHERE source = ? AND item_id = ?",
                        (revision, w.content_hash, w.path, w.record_id, w.published, w.source, w.item_id))
                revisions.append(revision)
        return revisions

    def commit_write(self, source: str, item_id: str, now: str,
                     etag: str | None = None, last_modified: str | None = None) -> None:
        """Make the pending write the item's current revision (after the record is on disk)."""
        self.commit_writes([Seen(source, item_id, now, etag, last_modified)])

    def commit_writes(self, commits: Sequence[Seen], touches: Sequence[Seen] = ()) -> None:
        """In one transaction: make each pending write of ``commits`` the item's current revision (after the
        records are on disk; its validators replaced), and record the ``touches`` as seen unchanged (validators
        updated where given). An item given with a ``page_hash`` (its page was extracted) keeps it and has its
        failures forgotten."""
        if not commits and not touches:
            return
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "UPDATE items SET revision = pending_revision, content_hash = pending_hash, "
                "last_seen = ?, etag = ?, last_modified = ?, pending_revision = NULL, pending_hash = NULL, "
                "pending_path = NULL, page_hash = COALESCE(?, page_hash), "
                "last_checked_run = MAX(last_checked_run, ?) "
                "WHERE source = ? AND item_id = ? AND pending_revision IS NOT NULL",
                [(c.now, c.etag, c.last_modified, c.page_hash, c.run, c.source, c.item_id) for c in commits])
            self.db.executemany(
                "UPDATE items SET last_seen = ?, etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), "
                "page_hash = COALESCE(?, page_hash), last_checked_run = MAX(last_checked_run, ?) "
                "WHERE source = ? AND item_id = ?",
                [(t.now, t.etag, t.last_modified, t.page_hash, t.run, t.source, t.item_id) for t in touches])
            self.db.executemany("DELETE FROM failures WHERE source = ? AND item_id = ?",
                                [(c.source, c.item_id) for c in (*commits, *touches) if c.page_hash is not None])

    def recover(self, has_record: Callable[[Path, str, int, str], bool]) -> tuple[int, int]:
        """Settle writes a crash left pending: ``(committed, dropped)``.

        ``has_record(path, record_id, revision, url)`` tells whether the output file holds that record.
        """
        committed = dropped = 0
        rows = self.db.execute(
            "SELECT source, item_id, pending_revision, pending_path, record_id, url FROM items "
            "WHERE pending_revision IS NOT NULL").fetchall()
        for source, item_id, revision, path, record_id, url in rows:
            if path and record_id and has_record(Path(path), record_id, revision, url):
                self.db.execute(
                    "UPDATE items SET revision = pending_revision, content_hash = pending_hash, "
                    "pending_revision = NULL, pending_hash = NULL, pending_path = NULL "
                    "WHERE source = ? AND item_id = ?", (source, item_id))
                committed += 1
            else:
                self.db.execute(
                    "UPDATE items SET pending_revision = NULL, pending_hash = NULL, pending_path = NULL "
                    "WHERE source = ? AND item_id = ?", (source, item_id))
                dropped += 1
        self.db.execute("DELETE FROM items WHERE revision = 0 AND pending_revision IS NULL")
        return committed, dropped

    def import_item(self, source: str, item_id: str, url: str, record: dict[str, object]) -> bool:
        """Learn an item from a record already in the output (state rebuild); the highest revision wins.
        Returns True when the state changed (the record was new to it)."""
        revision = int(str(record.get("revision") or 1))
        seen = str(record.get("fetched_at") or "")
        published = record.get("published")
        cursor = self.db.execute(
            "INSERT INTO items (source, item_id, url, content_hash, first_seen, last_seen, revision, record_id, "
            "published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, item_id) DO UPDATE SET "
            "revision = excluded.revision, content_hash = excluded.content_hash, last_seen = excluded.last_seen "
            "WHERE excluded.revision > items.revision",
            (source, item_id, url, record.get("content_hash"), seen, seen, revision, record.get("id"),
             published if isinstance(published, str) else None))
        return cursor.rowcount > 0

    def has_items(self, source: str) -> bool:
        """True when at least one item of ``source`` was written."""
        return self.db.execute("SELECT 1 FROM items WHERE source = ? AND revision > 0 LIMIT 1",
                               (source,)).fetchone() is not None

    def get_walk(self, source: str) -> WalkState:
        """The walk state of ``source`` (walk 0, closed, for a new source)."""
        row = self.db.execute(
            "SELECT resume_page, resume_until, since, walk_id, settle_below, open, cut, reached, failed_runs "
            "FROM walks WHERE source = ?", (source,)).fetchone()
        if row is None:
            return WalkState()
        return WalkState(row[0], row[1], row[2], int(row[3]), int(row[4]), bool(row[5]), bool(row[6]), row[7],
                         int(row[8]))

    def save_walk(self, source: str, walk: WalkState) -> None:
        """Save a source's walk state (before each list page, and when the walk ends)."""
        self.db.execute(
            "INSERT OR REPLACE INTO walks (source, resume_page, resume_until, since, walk_id, settle_below, open, cut, "
            "reached, failed_runs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (source, walk.resume_page, walk.resume_until, walk.since, walk.walk_id, walk.settle_below,
             int(walk.open), int(walk.cut), walk.reached, walk.failed_runs))

    def known_before(self, source: str, item_id: str, settle_below: int) -> bool:
        """True when the item was first written by a walk numbered below ``settle_below``."""
        row = self.db.execute("SELECT walk FROM items WHERE source = ? AND item_id = ? AND revision > 0",
                              (source, item_id)).fetchone()
        return row is not None and int(row[0]) < settle_below

    def record_failure(self, source: str, item_id: str, url: str, error: str) -> None:
        """Remember an item that could not be written, to be tried again on the next runs."""
        self.db.execute(
            "INSERT INTO failures (source, item_id, url, attempts, last_error) VALUES (?, ?, ?, 1, ?) "
            "ON CONFLICT (source, item_id) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error",
            (source, item_id, url, error))

    def set_page_hash(self, source: str, item_id: str, page_hash: str) -> None:
        """Remember the hash of the page before its attachments were read (see ``ItemState.page_hash``)."""
        self.db.execute("UPDATE items SET page_hash = ? WHERE source = ? AND item_id = ?", (page_hash, source, item_id))

    def clear_failure(self, source: str, item_id: str) -> None:
        """Forget a failure once the item was written (or found unchanged)."""
        self.db.execute("DELETE FROM failures WHERE source = ? AND item_id = ?", (source, item_id))

    def given_up(self, source: str, max_attempts: int) -> set[str]:
        """Ids of the source's items that failed ``max_attempts`` times or more: no longer tried."""
        rows = self.db.execute("SELECT item_id FROM failures WHERE source = ? AND attempts >= ?",
                               (source, max_attempts))
        return {str(row[0]) for row in rows}

    def attempts(self, source: str, item_id: str) -> int:
        """How many times the item has failed so far (0 when it never did or was written since)."""
        row = self.db.execute("SELECT attempts FROM failures WHERE source = ? AND item_id = ?",
                              (source, item_id)).fetchone()
        return int(row[0]) if row else 0

    def forget_given_up(self, source: str, max_attempts: int) -> int:
        """Give the source's given-up items their tries back (``crawl --retry-given-up``): they are tried again
        this run wherever they sit on the board; returns how many."""
        return self.db.execute("UPDATE failures SET attempts = 0 WHERE source = ? AND attempts >= ?",
                               (source, max_attempts)).rowcount

    def note_list_items(self, source: str, found: bool, now: str) -> int:
        """Record whether the source's first list page held items this run; returns the runs in a row it held
        none (0 when it held some)."""
        if found:
            self.db.execute(
                "INSERT INTO source_health (source, no_items_runs, last_items) VALUES (?, 0, ?) "
                "ON CONFLICT (source) DO UPDATE SET no_items_runs = 0, last_items = excluded.last_items",
                (source, now))
            return 0
        self.db.execute(
            "INSERT INTO source_health (source, no_items_runs) VALUES (?, 1) "
            "ON CONFLICT (source) DO UPDATE SET no_items_runs = no_items_runs + 1", (source,))
        row = self.db.execute("SELECT no_items_runs FROM source_health WHERE source = ?", (source,)).fetchone()
        return int(row[0])

    def oldest_published(self, source: str) -> str | None:
        """The earliest ``published`` of the source's written items (ISO 8601), or ``None``."""
        row = self.db.execute("SELECT MIN(published) FROM items WHERE source = ? AND revision > 0",
                              (source,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def failures(self, source: str, max_attempts: int) -> list[tuple[str, str]]:
        """``(item_id, url)`` of items that failed fewer than ``max_attempts`` times."""
        rows = self.db.execute("SELECT item_id, url FROM failures WHERE source = ? AND attempts < ?",
                               (source, max_attempts))
        return [(str(a), str(b)) for a, b in rows]

    def template_samples(self, source: str) -> list[tuple[str, str]]:
        """``(item_id, sample JSON)`` of the source's kept learning samples, oldest first."""
        rows = self.db.execute("SELECT item_id, sample FROM template_samples WHERE source = ? ORDER BY seq",
                               (source,))
        return [(str(a), str(b)) for a, b in rows]

    def add_template_sample(self, source: str, item_id: str, sample_json: str, keep: int) -> None:
        """Keep ``sample_json`` as the item's learning sample (the newest; an older one of the item is
        replaced) and drop the source's oldest beyond ``keep``; one transaction."""
        self.add_template_samples(source, [(item_id, sample_json)], keep)

    def add_template_samples(self, source: str, samples: Sequence[tuple[str, str]], keep: int) -> None:
        """:meth:`add_template_sample` for ``(item_id, sample JSON)`` pairs, oldest first; one transaction."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for item_id, sample_json in samples:
                self.db.execute("DELETE FROM template_samples WHERE source = ? AND item_id = ?", (source, item_id))
                self.db.execute("INSERT INTO template_samples (source, item_id, sample) VALUES (?, ?, ?)",
                                (source, item_id, sample_json))
            self.db.execute(
                "DELETE FROM template_samples WHERE source = ? AND seq NOT IN "
                "(SELECT seq FROM template_samples WHERE source = ? ORDER BY seq DESC LIMIT ?)",
                (source, source, keep))

    def warc_payload(self, source: str, item_id: str) -> dict[str, str] | None:
        """The last archived full response of an item (``crawl --warc``): ``{digest, record_id, target_uri,
        date}`` (``sha1:...``, ``<urn:uuid:...>``, URL, WARC-Date), or ``None``. A page fetched again with the same
        payload digest is archived as a revisit referring to it."""
        row = self.db.execute("SELECT digest, record_id, target_uri, date FROM warc_payloads WHERE source = ? AND "
                              "item_id = ?", (source, item_id)).fetchone()
        return dict(zip(("digest", "record_id", "target_uri", "date"), row, strict=True)) if row else None

    def remember_warc_payloads(self, rows: Sequence[tuple[str, str, str, str, str, str]]) -> None:
        """Store ``(source, item_id, digest, record_id, target_uri, date)`` rows (see :meth:`warc_payload`); one
        transaction, after the WARC records are on disk (a row lost to a crash only costs a full record)."""
        if not rows:
            return
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO warc_payloads VALUES (?, ?, ?, ?, ?, ?)", rows)

    def since_moved_back(self, source: str, since: str | None) -> bool:
        """True when this run's ``since`` reaches further back than the last finished walk's (older items
        that were skipped as too old must now be read)."""
        if not self.has_items(source):
            return False
        old = self.get_walk(source).since
        return old is not None and (since is None or since < old)

    def last_finished_timestamp(self) -> float:
        """POSIX time when the last run recorded in this state file finished (0 when none did)."""
        row = self.db.execute("SELECT MAX(finished) FROM runs").fetchone()
        if not row or not row[0]:
            return 0.0
        try:
            return datetime.fromisoformat(str(row[0])).timestamp()
        except ValueError:
            return 0.0

    def start_run(self, now: str) -> int:
        """Log the start of a run; returns its id."""
        cursor = self.db.execute("INSERT INTO runs (started) VALUES (?)", (now,))
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, now: str, summary_json: str) -> None:
        """Log the end of a run with its JSON summary."""
        self.db.execute("UPDATE runs SET finished = ?, summary = ? WHERE id = ?", (now, summary_json, run_id))
