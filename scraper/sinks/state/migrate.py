"""``scraper state migrate``: copy a SQLite state file into a PostgreSQL database, every table, row for row."""

from __future__ import annotations

from pathlib import Path

from scraper.errors import ConfigError
from scraper.sinks.state.postgres import PostgresState
from scraper.sinks.state.sqlite import StateStore
from scraper.sinks.state.store import TABLES

SERIALS = {"template_samples": "seq", "runs": "id"}
"""Tables whose id column is copied as it is; its sequence then goes on after the largest id."""


def target_rows(target: PostgresState) -> dict[str, int]:
    """Rows in each table of ``target`` (``host_leases`` included)."""
    return {table: int(target._rows(f"SELECT COUNT(*) FROM {table}")[0][0])
            for table in (*TABLES, "host_leases")}


def migrate(source: Path, target_url: str, *, force: bool = False) -> dict[str, int]:
    """Copy every table of the SQLite state file ``source`` into the PostgreSQL database at ``target_url`` in
    one transaction; returns the rows copied per table. Items keep their order (SQLite ``rowid`` becomes
    ``seq``); a run or sample keeps its id. Raises ``ConfigError`` when ``source`` is no file, or when the
    target holds rows already and ``force`` is false (with ``force`` they are deleted first); a crash leaves
    the target as it was (the copy is one transaction)."""
    if not source.is_file():
        raise ConfigError(f"no SQLite state file at {source}")
    with StateStore(source) as old, PostgresState(target_url) as new:
        held = {table: n for table, n in target_rows(new).items() if n}
        if held and not force:
            listed = ", ".join(f"{table} {n}" for table, n in held.items())
            raise ConfigError(f"the PostgreSQL state {new.location} is not empty ({listed} rows); migrate into an "
                              "empty database, or pass --force to replace what it holds")
        counts: dict[str, int] = {}
        with new.db.transaction():
            if held:
                new.db.execute(f"TRUNCATE {', '.join((*TABLES, 'host_leases'))} RESTART IDENTITY")
            for table, columns in TABLES.items():
                counts[table] = _copy(old, new, table, columns)
            for table, column in SERIALS.items():
                new.db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                               f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)")
        return counts


def _copy(old: StateStore, new: PostgresState, table: str, columns: tuple[str, ...]) -> int:
    order = "rowid" if table == "items" else columns[0]
    rows = old.db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
    count = 0
    with new.db.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
