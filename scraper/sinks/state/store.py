"""The state's queries, shared by both backends (:class:`StateBase`); a backend supplies the connection.

One row per (source, item id): the canonical URL, content hash, HTTP validators (ETag, Last-Modified),
first/last seen times and the revision last written. Writing an item is two-phase so that ``kill -9``
at any moment neither loses nor duplicates a record:

1. :meth:`StateBase.begin_writes` stores the intended revisions and output paths as *pending*;
2. the sink appends the records and fsyncs them;
3. :meth:`StateBase.commit_writes` makes the pending revisions the items' revisions.

Steps 1 and 3 take a batch (a crawl writes the new records of one list page at once: one transaction, one
fsync each, instead of two per record); every item of a batch is pending on its own, so a kill between
two appends of one batch is settled item by item (:meth:`StateBase.recover`).

Each item also keeps ``last_checked_run``, the id of the run (``runs.id``) that last fetched its view page,
written or found unchanged: the crawl's rotating re-checks (``--recheck``) take the items checked longest
ago (:meth:`StateBase.due_for_recheck`).

A source's recent view pages, as learning samples (``scraper.extract.template.PageSample`` JSON, not
the pages), are kept in ``template_samples`` for the crawl to learn the site's template from. The samples
are only a help: they are written after the item's commit and losing one loses nothing.

On open, :meth:`StateBase.recover` settles what a crash left pending: a record found in its output
file is committed, otherwise the pending mark is dropped and the item is processed again. With several
crawl processes sharing one PostgreSQL state, each settles only the sources it holds the host lease of
(``recover(..., sources=...)``): another live process's pending writes are not a crash's.

The SQL is written once, with ``?`` placeholders and the few dialect words as class attributes
(:attr:`StateBase.GREATEST`, :attr:`StateBase.ORDER`); :class:`~scraper.sinks.state.sqlite.StateStore` and
:class:`~scraper.sinks.state.postgres.PostgresState` run it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from scraper.sinks.state.model import ItemRevision, ItemState, PendingWrite, Seen, WalkState

Row = tuple[Any, ...]
_ITEM = "source, item_id, url, content_hash, etag, last_modified, revision, record_id, page_hash"

TABLES: dict[str, tuple[str, ...]] = {
    "items": ("source", "item_id", "url", "content_hash", "etag", "last_modified", "first_seen", "last_seen",
              "revision", "record_id", "pending_revision", "pending_hash", "pending_path", "published", "walk",
              "page_hash", "last_checked_run"),
    "walks": ("source", "resume_page", "resume_until", "since", "walk_id", "settle_below", "open", "cut", "reached",
              "failed_runs"),
    "failures": ("source", "item_id", "url", "attempts", "last_error"),
    "template_samples": ("seq", "source", "item_id", "sample"),
    "warc_payloads": ("source", "item_id", "digest", "record_id", "target_uri", "date"),
    "source_health": ("source", "no_items_runs", "last_items"),
    "runs": ("id", "started", "finished", "summary"),
}
"""Every table of the state and its columns, the same in both backends (``scraper state migrate`` copies them)."""


class StateBase:
    """The incremental-crawl state; use as a context manager. Times are ISO 8601 strings (KST).

    A backend implements :meth:`_run`, :meth:`_rows`, :meth:`_many`, :meth:`_many_returning`, :meth:`_tx` and
    :meth:`close`; every
    statement outside :meth:`_tx` is committed on its own."""

    GREATEST = "MAX"
    """The SQL function of the larger of two values (SQLite ``MAX``, PostgreSQL ``GREATEST``)."""
    ORDER = "rowid"
    """The column giving the items' insertion order (SQLite ``rowid``, PostgreSQL ``seq``)."""
    location = ""
    """Where the state lives, for messages (a file path or a URL without its password)."""

    # --- what a backend provides -------------------------------------------------------------------------------
    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement; returns its row count."""
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Execute one query; returns its rows."""
        raise NotImplementedError

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute one statement for each parameter row."""
        raise NotImplementedError

    def _many_returning(self, sql: str, rows: Sequence[Sequence[Any]]) -> list[Row]:
        """Execute one statement ending in ``RETURNING`` one column for each parameter row; its row of each."""
        raise NotImplementedError

    def _tx(self) -> AbstractContextManager[None]:
        """One write transaction (SQLite ``BEGIN IMMEDIATE``); committed on exit, rolled back on an error."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        raise NotImplementedError

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- items ---------------------------------------------------------------------------------------------
    def get(self, source: str, item_id: str) -> ItemState | None:
        """The stored state of an item, or ``None`` when it was never written."""
        row = self._one(f"SELECT {_ITEM} FROM items WHERE source = ? AND item_id = ? AND revision > 0",
                        (source, item_id))
        return ItemState(*row) if row else None

    def known(self, source: str, item_id: str) -> bool:
        """True when the item was written at least once."""
        return self.get(source, item_id) is not None

    def newest(self, source: str, limit: int) -> list[ItemState]:
        """The ``limit`` most recently published written items of a source (for ``--refresh`` revisits);
        items without a publication date rank by when they were first seen."""
        rows = self._rows(
            f"SELECT {_ITEM} FROM items WHERE source = ? AND revision > 0 "
            "ORDER BY COALESCE(published, first_seen) DESC, first_seen DESC, item_id LIMIT ?", (source, limit))
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
        order = "ORDER BY last_checked_run, COALESCE(published, first_seen) DESC, item_id LIMIT ?"
        limit = budget + len(skip)
        recent = [ItemState(*row) for row in self._rows(
            f"SELECT {_ITEM} FROM items WHERE source = ? AND revision > 0 AND published >= ? {order}",
            (source, recent_from, limit)) if row[1] not in skip][:budget]
        older = [ItemState(*row) for row in self._rows(
            f"SELECT {_ITEM} FROM items WHERE source = ? AND revision > 0 "
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
        return {(str(s), str(i)): int(r) for s, i, r in self._rows("SELECT source, item_id, revision FROM items")}

    def written_in_run(self, run_id: int, before: dict[tuple[str, str], int]) -> list[ItemRevision]:
        """The items run ``run_id`` wrote a record of (new, or a revision above the one in ``before``, a
        :meth:`revisions` of the run's start), committed ones only, in the state's order."""
        rows = self._rows(
            "SELECT source, item_id, record_id, revision, published FROM items "
            f"WHERE last_checked_run = ? AND revision > 0 ORDER BY {self.ORDER}", (run_id,))
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
        if not writes:
            return []
        with self._tx():
            rows = self._many_returning(
                "INSERT INTO items (source, item_id, url, first_seen, last_seen, revision, record_id, "
                "pending_revision, pending_hash, pending_path, published, walk, last_checked_run) "
                "VALUES (?, ?, ?, ?, ?, 0, ?, 1, ?, ?, ?, ?, ?) ON CONFLICT (source, item_id) DO UPDATE SET "
                "pending_revision = items.revision + 1, pending_hash = excluded.pending_hash, "
                "pending_path = excluded.pending_path, record_id = excluded.record_id, "
                "published = COALESCE(excluded.published, items.published) RETURNING pending_revision",
                [(w.source, w.item_id, w.url, w.now, w.now, w.record_id, w.content_hash, w.path, w.published, w.walk,
                  w.run) for w in writes])
        return [int(row[0]) for row in rows]

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
        with self._tx():
            if commits:
                self._many(
                    "UPDATE items SET revision = pending_revision, content_hash = pending_hash, "
                    "last_seen = ?, etag = ?, last_modified = ?, pending_revision = NULL, pending_hash = NULL, "
                    f"pending_path = NULL, page_hash = COALESCE(?, page_hash), "
                    f"last_checked_run = {self.GREATEST}(last_checked_run, ?) "
                    "WHERE source = ? AND item_id = ? AND pending_revision IS NOT NULL",
                    [(c.now, c.etag, c.last_modified, c.page_hash, c.run, c.source, c.item_id) for c in commits])
            if touches:
                self._many(
                    "UPDATE items SET last_seen = ?, etag = COALESCE(?, etag), "
                    "last_modified = COALESCE(?, last_modified), page_hash = COALESCE(?, page_hash), "
                    f"last_checked_run = {self.GREATEST}(last_checked_run, ?) WHERE source = ? AND item_id = ?",
                    [(t.now, t.etag, t.last_modified, t.page_hash, t.run, t.source, t.item_id) for t in touches])
            forget = [(c.source, c.item_id) for c in (*commits, *touches) if c.page_hash is not None]
            if forget:
                self._many("DELETE FROM failures WHERE source = ? AND item_id = ?", forget)

    def recover(self, has_record: Callable[[Path, str, int, str], bool], sources: Collection[str] | None = None
                ) -> tuple[int, int]:
        """Settle writes a crash left pending: ``(committed, dropped)``; only those of ``sources`` when given
        (a shared state: the sources this process holds the host lease of), else all.

        ``has_record(path, record_id, revision, url)`` tells whether the output file holds that record.
        """
        committed = dropped = 0
        for source, item_id, revision, path, record_id, url in self._pending(sources):
            if path and record_id and has_record(Path(path), record_id, revision, url):
                self._run(
                    "UPDATE items SET revision = pending_revision, content_hash = pending_hash, "
                    "pending_revision = NULL, pending_hash = NULL, pending_path = NULL "
                    "WHERE source = ? AND item_id = ?", (source, item_id))
                committed += 1
            else:
                self._run(
                    "UPDATE items SET pending_revision = NULL, pending_hash = NULL, pending_path = NULL "
                    "WHERE source = ? AND item_id = ?", (source, item_id))
                dropped += 1
        if sources is None:
            self._run("DELETE FROM items WHERE revision = 0 AND pending_revision IS NULL")
        else:
            self._many("DELETE FROM items WHERE source = ? AND revision = 0 AND pending_revision IS NULL",
                       [(s,) for s in sources])
        return committed, dropped

    def _pending(self, sources: Collection[str] | None) -> Iterator[Row]:
        query = ("SELECT source, item_id, pending_revision, pending_path, record_id, url FROM items "
                 "WHERE pending_revision IS NOT NULL")
        if sources is None:
            yield from self._rows(query)
            return
        for source in sources:
            yield from self._rows(query + " AND source = ?", (source,))

    def import_item(self, source: str, item_id: str, url: str, record: dict[str, object]) -> bool:
        """Learn an item from a record already in the output (state rebuild); the highest revision wins.
        Returns True when the state changed (the record was new to it)."""
        revision = int(str(record.get("revision") or 1))
        seen = str(record.get("fetched_at") or "")
        published = record.get("published")
        content_hash, record_id = record.get("content_hash"), record.get("id")
        return self._run(
            "INSERT INTO items (source, item_id, url, content_hash, first_seen, last_seen, revision, record_id, "
            "published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, item_id) DO UPDATE SET "
            "revision = excluded.revision, content_hash = excluded.content_hash, last_seen = excluded.last_seen "
            "WHERE excluded.revision > items.revision",
            (source, item_id, url, None if content_hash is None else str(content_hash), seen, seen, revision,
             None if record_id is None else str(record_id), published if isinstance(published, str) else None)) > 0

    def has_items(self, source: str) -> bool:
        """True when at least one item of ``source`` was written."""
        return self._one("SELECT 1 FROM items WHERE source = ? AND revision > 0 LIMIT 1", (source,)) is not None

    def known_before(self, source: str, item_id: str, settle_below: int) -> bool:
        """True when the item was first written by a walk numbered below ``settle_below``."""
        row = self._one("SELECT walk FROM items WHERE source = ? AND item_id = ? AND revision > 0", (source, item_id))
        return row is not None and int(row[0]) < settle_below

    def set_page_hash(self, source: str, item_id: str, page_hash: str) -> None:
        """Remember the hash of the page before its attachments were read (see ``ItemState.page_hash``)."""
        self._run("UPDATE items SET page_hash = ? WHERE source = ? AND item_id = ?", (page_hash, source, item_id))

    def oldest_published(self, source: str) -> str | None:
        """The earliest ``published`` of the source's written items (ISO 8601), or ``None``."""
        row = self._one("SELECT MIN(published) FROM items WHERE source = ? AND revision > 0", (source,))
        return str(row[0]) if row and row[0] else None

    # --- walks -----------------------------------------------------------------------------------------------
    def get_walk(self, source: str) -> WalkState:
        """The walk state of ``source`` (walk 0, closed, for a new source)."""
        row = self._one(
            "SELECT resume_page, resume_until, since, walk_id, settle_below, open, cut, reached, failed_runs "
            "FROM walks WHERE source = ?", (source,))
        if row is None:
            return WalkState()
        return WalkState(row[0], row[1], row[2], int(row[3]), int(row[4]), bool(row[5]), bool(row[6]), row[7],
                         int(row[8]))

    def save_walk(self, source: str, walk: WalkState) -> None:
        """Save a source's walk state (before each list page, and when the walk ends)."""
        columns = TABLES["walks"]
        self._run(
            f"INSERT INTO walks ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT (source) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in columns[1:])}",
            (source, walk.resume_page, walk.resume_until, walk.since, walk.walk_id, walk.settle_below,
             int(walk.open), int(walk.cut), walk.reached, walk.failed_runs))

    def since_moved_back(self, source: str, since: str | None) -> bool:
        """True when this run's ``since`` reaches further back than the last finished walk's (older items
        that were skipped as too old must now be read)."""
        if not self.has_items(source):
            return False
        old = self.get_walk(source).since
        return old is not None and (since is None or since < old)

    # --- failures --------------------------------------------------------------------------------------------
    def record_failure(self, source: str, item_id: str, url: str, error: str) -> None:
        """Remember an item that could not be written, to be tried again on the next runs."""
        self._run(
            "INSERT INTO failures (source, item_id, url, attempts, last_error) VALUES (?, ?, ?, 1, ?) "
            "ON CONFLICT (source, item_id) DO UPDATE SET attempts = failures.attempts + 1, "
            "last_error = excluded.last_error", (source, item_id, url, error))

    def clear_failure(self, source: str, item_id: str) -> None:
        """Forget a failure once the item was written (or found unchanged)."""
        self._run("DELETE FROM failures WHERE source = ? AND item_id = ?", (source, item_id))

    def given_up(self, source: str, max_attempts: int) -> set[str]:
        """Ids of the source's items that failed ``max_attempts`` times or more: no longer tried."""
        rows = self._rows("SELECT item_id FROM failures WHERE source = ? AND attempts >= ?", (source, max_attempts))
        return {str(row[0]) for row in rows}

    def attempts(self, source: str, item_id: str) -> int:
        """How many times the item has failed so far (0 when it never did or was written since)."""
        row = self._one("SELECT attempts FROM failures WHERE source = ? AND item_id = ?", (source, item_id))
        return int(row[0]) if row else 0

    def forget_given_up(self, source: str, max_attempts: int) -> int:
        """Give the source's given-up items their tries back (``crawl --retry-given-up``): they are tried again
        this run wherever they sit on the board; returns how many."""
        return self._run("UPDATE failures SET attempts = 0 WHERE source = ? AND attempts >= ?", (source, max_attempts))

    def failures(self, source: str, max_attempts: int) -> list[tuple[str, str]]:
        """``(item_id, url)`` of items that failed fewer than ``max_attempts`` times."""
        rows = self._rows("SELECT item_id, url FROM failures WHERE source = ? AND attempts < ? ORDER BY item_id",
                          (source, max_attempts))
        return [(str(a), str(b)) for a, b in rows]

    def note_list_items(self, source: str, found: bool, now: str) -> int:
        """Record whether the source's first list page held items this run; returns the runs in a row it held
        none (0 when it held some)."""
        if found:
            self._run(
                "INSERT INTO source_health (source, no_items_runs, last_items) VALUES (?, 0, ?) "
                "ON CONFLICT (source) DO UPDATE SET no_items_runs = 0, last_items = excluded.last_items",
                (source, now))
            return 0
        self._run(
            "INSERT INTO source_health (source, no_items_runs) VALUES (?, 1) "
            "ON CONFLICT (source) DO UPDATE SET no_items_runs = source_health.no_items_runs + 1", (source,))
        row = self._one("SELECT no_items_runs FROM source_health WHERE source = ?", (source,))
        return int(row[0]) if row else 0

    # --- template samples and WARC payloads ------------------------------------------------------------------
    def template_samples(self, source: str) -> list[tuple[str, str]]:
        """``(item_id, sample JSON)`` of the source's kept learning samples, oldest first."""
        rows = self._rows("SELECT item_id, sample FROM template_samples WHERE source = ? ORDER BY seq", (source,))
        return [(str(a), str(b)) for a, b in rows]

    def add_template_sample(self, source: str, item_id: str, sample_json: str, keep: int) -> None:
        """Keep ``sample_json`` as the item's learning sample (the newest; an older one of the item is
        replaced) and drop the source's oldest beyond ``keep``; one transaction."""
        self.add_template_samples(source, [(item_id, sample_json)], keep)

    def add_template_samples(self, source: str, samples: Sequence[tuple[str, str]], keep: int) -> None:
        """:meth:`add_template_sample` for ``(item_id, sample JSON)`` pairs, oldest first; one transaction."""
        with self._tx():
            for item_id, sample_json in samples:
                self._run("DELETE FROM template_samples WHERE source = ? AND item_id = ?", (source, item_id))
                self._run("INSERT INTO template_samples (source, item_id, sample) VALUES (?, ?, ?)",
                          (source, item_id, sample_json))
            self._run(
                "DELETE FROM template_samples WHERE source = ? AND seq NOT IN "
                "(SELECT seq FROM template_samples WHERE source = ? ORDER BY seq DESC LIMIT ?)", (source, source, keep))

    def warc_payload(self, source: str, item_id: str) -> dict[str, str] | None:
        """The last archived full response of an item (``crawl --warc``): ``{digest, record_id, target_uri,
        date}`` (``sha1:...``, ``<urn:uuid:...>``, URL, WARC-Date), or ``None``. A page fetched again with the same
        payload digest is archived as a revisit referring to it."""
        row = self._one("SELECT digest, record_id, target_uri, date FROM warc_payloads WHERE source = ? AND "
                        "item_id = ?", (source, item_id))
        return dict(zip(("digest", "record_id", "target_uri", "date"), row, strict=True)) if row else None

    def remember_warc_payloads(self, rows: Sequence[tuple[str, str, str, str, str, str]]) -> None:
        """Store ``(source, item_id, digest, record_id, target_uri, date)`` rows (see :meth:`warc_payload`); one
        transaction, after the WARC records are on disk (a row lost to a crash only costs a full record)."""
        if not rows:
            return
        with self._tx():
            self._many(
                "INSERT INTO warc_payloads VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, item_id) DO UPDATE SET "
                "digest = excluded.digest, record_id = excluded.record_id, target_uri = excluded.target_uri, "
                "date = excluded.date", rows)

    # --- runs ------------------------------------------------------------------------------------------------
    def last_finished_timestamp(self) -> float:
        """POSIX time when the last run recorded in this state finished (0 when none did)."""
        row = self._one("SELECT MAX(finished) FROM runs")
        if not row or not row[0]:
            return 0.0
        try:
            return datetime.fromisoformat(str(row[0])).timestamp()
        except ValueError:
            return 0.0

    def start_run(self, now: str) -> int:
        """Log the start of a run; returns its id."""
        row = self._one("INSERT INTO runs (started) VALUES (?) RETURNING id", (now,))
        return int(row[0]) if row else 0

    def finish_run(self, run_id: int, now: str, summary_json: str) -> None:
        """Log the end of a run with its JSON summary."""
        self._run("UPDATE runs SET finished = ?, summary = ? WHERE id = ?", (now, summary_json, run_id))
