"""The state in a PostgreSQL database (psycopg 3, imported only here): one state shared by crawl processes on
several machines (``crawl --state postgresql://user@host/db``; ``pip install 'korean-press-scraper[cluster]'``).

The tables and their meaning are those of the SQLite file (:mod:`scraper.sinks.state.sqlite`), plus
``items.seq`` (insertion order, SQLite's ``rowid``) and ``host_leases`` (:mod:`scraper.sinks.state.leases`).
The connection runs in autocommit mode: every statement outside a transaction commits on its own, as in the
SQLite backend. The schema is created on first open, under an advisory lock (processes starting together).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from scraper.sinks.state.sqlite import SCHEMA as SQLITE_SCHEMA
from scraper.sinks.state.store import Row, StateBase

if TYPE_CHECKING:
    import psycopg

_POSTGRES_ONLY = """
ALTER TABLE items ADD COLUMN IF NOT EXISTS seq BIGSERIAL;
CREATE INDEX IF NOT EXISTS items_by_check ON items (source, last_checked_run);
CREATE INDEX IF NOT EXISTS items_pending ON items (source) WHERE pending_revision IS NOT NULL;
CREATE TABLE IF NOT EXISTS host_leases (
    host TEXT PRIMARY KEY,
    owner TEXT,
    token TEXT,
    expires_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    finished_at TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);
"""
SCHEMA = (SQLITE_SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
          .replace("INTEGER", "BIGINT") + _POSTGRES_ONLY)
"""The SQLite file's tables in PostgreSQL's types (64-bit integers, serial ids), plus what only the shared
state needs: ``items.seq`` (insertion order), two indexes and the host leases."""

_SCHEMA_LOCK = 0x5C4A5E  # pg_advisory_xact_lock key: one process creates the tables at a time


def redacted(url: str) -> str:
    """``url`` without its password, for messages.

    >>> redacted("postgresql://crawl:s3cret@db.example:5432/state")
    'postgresql://crawl:***@db.example:5432/state'
    """
    return re.sub(r"^([a-z]+://[^:/@]*):[^@/]*@", r"\1:***@", url)


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit psycopg connection to ``url``. Raises ``ImportError`` without psycopg and
    ``psycopg.OperationalError`` when the server cannot be reached."""
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)


class PostgresState(StateBase):
    """The state in the PostgreSQL database at ``url`` (tables created when missing); use as a context manager.
    Raises ``psycopg.OperationalError`` when the server cannot be reached."""

    GREATEST = "GREATEST"
    ORDER = "seq"

    def __init__(self, url: str) -> None:
        self.url = url
        self.location = redacted(url)
        self.db = connect(url)
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            for statement in filter(str.strip, SCHEMA.split(";")):
                self.db.execute(statement)

    def close(self) -> None:
        """Close the connection (safe to call twice)."""
        self.db.close()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self.db.execute(_pg(sql), params).rowcount

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = self.db.execute(_pg(sql), params)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.db.cursor() as cursor:
            cursor.executemany(_pg(sql), rows)

    def _many_returning(self, sql: str, rows: Sequence[Sequence[Any]]) -> list[Row]:
        found: list[Row] = []
        with self.db.cursor() as cursor:  # pipelined: one round trip for the batch
            cursor.executemany(_pg(sql), rows, returning=True)
            while True:
                found.extend(tuple(row) for row in cursor.fetchall())
                if not cursor.nextset():
                    return found

    @contextmanager
    def _tx(self) -> Iterator[None]:
        with self.db.transaction():
            yield


_PLACEHOLDERS: dict[str, str] = {}


def _pg(sql: str) -> str:
    """The shared SQL (``?`` placeholders, no literal ``?`` or ``%``) in psycopg's ``%s`` style (cached)."""
    converted = _PLACEHOLDERS.get(sql)
    if converted is None:
        converted = _PLACEHOLDERS[sql] = sql.replace("?", "%s")
    return converted
