"""The crawl state file read for the report: opened read-only (``file:...?mode=ro``), never written.

The schema is :mod:`scraper.sinks.state`'s. Older state files may lack tables the crawl added later
(``runs``, ``failures``); those read as empty. A file that is missing, no SQLite database, or has no
``items`` table is :class:`StateUnreadable`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class StateUnreadable(Exception):
    """The state file cannot be read as a crawl state; ``message`` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RunRow:
    """One row of the ``runs`` table; ``summary`` is the parsed ``RunReport.to_json()`` (``None`` when the
    run wrote none, i.e. it is still running or was killed), ``readable`` false when it is no JSON object."""

    id: int
    started: str
    finished: str | None
    summary: dict[str, Any] | None
    readable: bool = True


def _summary(text: str | None) -> tuple[dict[str, Any] | None, bool]:
    if text is None:
        return None, True
    try:
        value = json.loads(text)
    except ValueError:
        return None, False
    return (value, True) if isinstance(value, dict) else (None, False)


class StateReader:
    """``with StateReader(path) as state:`` the read-only queries the report needs."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise StateUnreadable(f"no state file at {path} (run `scraper crawl` first, or pass --state)")
        self.path = path
        try:
            self.db, tables = self._open("?mode=ro")
        except sqlite3.OperationalError as exc:
            # A reader that may not create the WAL index (-shm) beside a state no crawl has open (no -wal
            # file): nothing can change under it, so it is read as immutable.
            if path.with_name(path.name + "-wal").exists():
                raise StateUnreadable(f"{path} is not a readable SQLite database ({exc})") from exc
            try:
                self.db, tables = self._open("?mode=ro&immutable=1")
            except sqlite3.Error as again:
                raise StateUnreadable(f"{path} is not a readable SQLite database ({again})") from again
        except sqlite3.Error as exc:
            raise StateUnreadable(f"{path} is not a readable SQLite database ({exc})") from exc
        if "items" not in tables:
            self.db.close()
            raise StateUnreadable(f"{path} is an SQLite database but no crawl state (it has no items table)")
        self.tables = tables

    def _open(self, query: str) -> tuple[sqlite3.Connection, set[str]]:
        db = sqlite3.connect(self.path.resolve().as_uri() + query, uri=True, timeout=10)
        try:
            return db, {str(row[0]) for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.Error:
            db.close()
            raise

    def __enter__(self) -> StateReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StateUnreadable(f"cannot read {self.path} ({exc})") from exc

    def run_count(self) -> int:
        """How many runs the state records."""
        return int(self._rows("SELECT COUNT(*) FROM runs")[0][0]) if "runs" in self.tables else 0

    def runs(self, batch: int = 500) -> Iterator[RunRow]:
        """Every run, oldest first, read in batches (a state of years of cron runs is never all in memory)."""
        if "runs" not in self.tables:
            return
        last = -1
        while True:
            rows = self._rows("SELECT id, started, finished, summary FROM runs WHERE id > ? ORDER BY id LIMIT ?",
                              (last, batch))
            for run_id, started, finished, text in rows:
                summary, readable = _summary(text)
                yield RunRow(int(run_id), str(started), None if finished is None else str(finished), summary,
                             readable)
            if len(rows) < batch:
                return
            last = int(rows[-1][0])

    def item_counts(self) -> dict[str, int]:
        """Written items (revision > 0) per source."""
        rows = self._rows("SELECT source, COUNT(*) FROM items WHERE revision > 0 GROUP BY source")
        return {str(source): int(count) for source, count in rows}

    def first_seen_since(self, day: str) -> list[tuple[str, str]]:
        """``(source, first_seen)`` of written items first seen on or after ``day`` (``YYYY-MM-DD``, compared
        as text: a day's margin before the window is the caller's, for times written with another offset)."""
        rows = self._rows("SELECT source, first_seen FROM items WHERE revision > 0 AND first_seen >= ?", (day,))
        return [(str(source), str(seen)) for source, seen in rows]

    def failure_counts(self, max_attempts: int) -> dict[str, tuple[int, int]]:
        """Per source, from the ``failures`` table: ``(retrying, given_up)``, items that failed fewer than
        ``max_attempts`` times (tried again on the next runs) and items the crawl gave up on."""
        if "failures" not in self.tables:
            return {}
        rows = self._rows("SELECT source, SUM(attempts < ?), SUM(attempts >= ?) FROM failures GROUP BY source",
                          (max_attempts, max_attempts))
        return {str(source): (int(retrying or 0), int(given_up or 0)) for source, retrying, given_up in rows}
