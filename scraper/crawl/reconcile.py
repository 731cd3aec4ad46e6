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
from scraper.sinks.state import StateStore, WalkState


def has_record(path: Path, record_id: str, revision: int, url: str) -> bool:
    """True when the JSONL file at ``path`` holds that revision of the record (a cut last line is removed first)."""
    repair_tail(path)
    return file_has_record(path, record_id, revision, url)


def open_state(path: Path) -> StateStore:
    """Open the state file; raises ``ConfigError`` when it is not a readable SQLite database."""
    try:
        return StateStore(path)
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"state file {path} is not a readable SQLite database ({exc}); move it aside: the next "
                          "run rebuilds the state from the records in the output folder") from exc


def rebuild_from_output(state: StateStore, source: str, out_dir: Path) -> int:
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


def _import_records(state: StateStore, source: str, path: Path) -> int:
    count = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and obj.get("item_id") and obj.get("source") == source:
            count += state.import_item(source, str(obj["item_id"]), str(obj.get("url") or ""), obj)
    return count
