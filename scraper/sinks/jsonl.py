"""JSONL output partitioned by source and publication date, written crash-safely.

Layout: ``<out>/<source>/<YYYY>/<MM>/<DD>.jsonl`` (``<out>/<source>/undated.jsonl`` without a date) and
``<out>/<source>/errors.jsonl``. One JSON object per line, UTF-8, Hangul unescaped. Every append is
flushed and fsynced before it returns, so a record the state marks as written is on disk; a line cut by
a crash (no trailing newline) is removed by :func:`repair_tail` before the file is appended to again.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scraper.names import safe_name


def partition_path(out_dir: Path, source: str, published: str | None) -> Path:
    """Where a record goes: ``out/<source>/<YYYY>/<MM>/<DD>.jsonl`` by its KST publication date.

    >>> partition_path(Path("output"), "gwangju", "2025-12-05T16:40:00+09:00").as_posix()
    'output/gwangju/2025/12/05.jsonl'
    >>> partition_path(Path("output"), "gwangju", None).as_posix()
    'output/gwangju/undated.jsonl'
    """
    base = out_dir / safe_name(source)
    if published and re.match(r"\d{4}-\d{2}-\d{2}", published):
        return base / published[:4] / published[5:7] / f"{published[8:10]}.jsonl"
    return base / "undated.jsonl"


def dumps(obj: dict[str, Any]) -> str:
    """One JSONL line (no newline): compact, UTF-8, Hangul unescaped."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def repair_tail(path: Path) -> bool:
    """Cut a partial last line (a write interrupted by a crash); True when something was removed."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - 1))
        if handle.read(1) == b"\n":
            return False
        data_start = max(0, size - 1_048_576)
        handle.seek(data_start)
        tail = handle.read()
        cut = tail.rfind(b"\n")
        new_size = data_start + cut + 1 if cut >= 0 else (0 if data_start == 0 else size)
        handle.truncate(new_size)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def append_line(path: Path, obj: dict[str, Any]) -> None:
    """Append one JSON line to ``path`` (folders made as needed), then flush and fsync."""
    path.parent.mkdir(parents=True, exist_ok=True)
    repair_tail(path)
    data = (dumps(obj) + "\n").encode("utf-8")
    with path.open("ab") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def file_has_record(path: Path, record_id: str, revision: int, url: str | None = None) -> bool:
    """True when ``path`` holds a line with this ``id``, ``revision`` (and ``url``, if given); crash recovery."""
    if not path.exists():
        return False
    needle = f'"id":{json.dumps(record_id)}'
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if needle in line:
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if obj.get("id") == record_id and obj.get("revision") == revision and url in (None, obj.get("url")):
                    return True
    return False


def read_objects(path: Path) -> Iterator[dict[str, Any] | None]:
    """The JSON objects of a JSONL file in order, ``None`` for each non-blank line that is no JSON object (and
    once for a file that cannot be read); blank lines skipped. Undecodable bytes are replaced, never raised."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except ValueError:
                    yield None
                    continue
                yield value if isinstance(value, dict) else None
    except OSError:
        yield None
