"""Reconciliation of the state with the output folder: settle what a crash left pending, rebuild a lost state.

The output folder is the truth; the state is an index of it. A record a crash left pending is committed
when its line is in the output file, else dropped and read again; a deleted or replaced state file is
rebuilt from the records, so nothing is ever written twice.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from scraper.errors import ConfigError
from scraper.names import safe_name
from scraper.sinks.jsonl import file_has_record, repair_tail
from scraper.sinks.state import StateBase, StateStore, WalkState, open_store


def has_record(path: Path, record_id: str, revision: int, url: str) -> bool:
    """True when the JSONL file at ``path`` holds that revision of the record (a cut last line is removed first)."""
    repair_tail(path)
    return file_has_record(path, record_id, revision, url)


def open_state(path: Path | str, now: str) -> tuple[StateBase, Path | None]:
    """Open the state: a PostgreSQL URL (``scraper.sinks.state.parse_state``) with :func:`open_store` (raises
    ``ConfigError`` when psycopg is missing or the server cannot be reached); else the SQLite file, checked with
    SQLite's ``PRAGMA quick_check``. Returns the store and, when the file was a damaged database ("database
    disk image is malformed"), where it was moved (``<name>.damaged-<now>``, with its ``-wal`` and ``-shm``
    files): a new state is then begun, and :func:`rebuild_from_output` refills it from the records, as for a
    deleted state file. Raises ``ConfigError`` when the file is no SQLite database at all (perhaps another file
    named by ``--state``): it is left as it is."""
    if isinstance(path, str):
        return open_store(path), None
    try:
        state = StateStore(path)
    except sqlite3.DatabaseError as exc:
        if "malformed" not in str(exc):
            raise ConfigError(f"state file {path} is not a SQLite database ({exc}); check --state, or move the file "
                              "aside: the next run rebuilds the state from the records in the output folder") from exc
        moved = _move_aside(path, now)
        return StateStore(path), moved
    try:
        healthy = state.quick_check()
    except sqlite3.DatabaseError:
        healthy = False
    if healthy:
        return state, None
    state.close()
    moved = _move_aside(path, now)
    return StateStore(path), moved


def _move_aside(path: Path, now: str) -> Path:
    """Rename a damaged state file and its WAL/SHM files to ``<name>.damaged-<now>``; returns the new path."""
    stamp = "".join(ch for ch in now if ch.isdigit())[:14]
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm", ""):
        part = path.with_name(path.name + suffix)
        if part.exists():
            part.rename(target.with_name(target.name + suffix))
    return target


def rebuild_from_output(state: StateBase, source: str, out_dir: Path) -> int:
    """Re-learn written items from the source's JSONL output that the state does not know: all of them when
    the state knows none (a deleted or replaced state file), else those in files changed since the state's
    last finished run (an older state file put back). So nothing is ever written twice. Returns the number
    of records the state did not know."""
    folder = out_dir / safe_name(source)
    if not folder.is_dir():
        return 0
    full = not state.has_items(source)
    newer_than = 0.0 if full else state.last_finished_timestamp()
    count = 0
    for path in sorted(folder.rglob("*.jsonl")):
        if path.name == "errors.jsonl" or path.stat().st_mtime <= newer_than:
            continue
        count += _import_records(state, source, path)
    if count and full:  # the lost state may have held an open walk: verify the board, nothing counts as settled
        state.save_walk(source, WalkState(None, None, None, walk_id=1, settle_below=0, open=True))
    return count


def _import_records(state: StateBase, source: str, path: Path) -> int:
    count = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and obj.get("item_id") and obj.get("source") == source:
            count += state.import_item(source, str(obj["item_id"]), str(obj.get("url") or ""), obj)
    return count
