"""The state in an embedded SQLite file (stdlib ``sqlite3``, WAL mode): the single-machine default.

A state file written before a column or table existed gets it when opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scraper.sinks.state.store import Row, StateBase

SCHEMA = """
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

_ADDED_COLUMNS = {
    "items": (("published", "TEXT"), ("walk", "INTEGER NOT NULL DEFAULT 0"), ("page_hash", "TEXT"),
              ("last_checked_run", "INTEGER NOT NULL DEFAULT 0")),
    "walks": (("cut", "INTEGER NOT NULL DEFAULT 0"), ("reached", "TEXT"),
              ("failed_runs", "INTEGER NOT NULL DEFAULT 0")),
}
"""Columns added after the first state files were written (added to an older file when it is opened)."""


class StateStore(StateBase):
    """The SQLite state file at ``path`` (its folder is created); use as a context manager. Raises
    ``sqlite3.DatabaseError`` when the file is no SQLite database or is damaged."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.location = str(path)
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        for table, added in _ADDED_COLUMNS.items():
            columns = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            for name, kind in added:
                if name not in columns:  # state files written before the column existed
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        self.db.execute("CREATE INDEX IF NOT EXISTS items_by_check ON items (source, last_checked_run)")

    def quick_check(self) -> bool:
        """True when SQLite's ``PRAGMA quick_check`` finds the file sound (a damaged page, index or free list
        is found; O(file size), well under a second for a state of 100,000 items). Raises
        ``sqlite3.DatabaseError`` when the file cannot even be read."""
        rows = self.db.execute("PRAGMA quick_check").fetchall()
        return [tuple(row) for row in rows] == [("ok",)]

    def close(self) -> None:
        """Close the database (safe to call twice)."""
        self.db.close()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self.db.execute(sql, params).rowcount

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return [tuple(row) for row in self.db.execute(sql, params).fetchall()]

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.db.executemany(sql, rows)

    def _many_returning(self, sql: str, rows: Sequence[Sequence[Any]]) -> list[Row]:
        return [tuple(self.db.execute(sql, row).fetchone()) for row in rows]

    @contextmanager
    def _tx(self) -> Iterator[None]:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            yield
