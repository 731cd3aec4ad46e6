"""Appending a batch of records to their JSONL partitions (every file written, then every file fsynced), and
error lines.

The crawl writes the new records of one list page at once (``scraper.crawl.items``): one open, one write and
one fsync per partition file instead of per record. The lines of one file keep their order; a file's last line
cut by a crash is removed first (:func:`scraper.sinks.jsonl.repair_tail`), as for a single append.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scraper.crawl.clock import now_kst
from scraper.models import ErrorRecord
from scraper.names import safe_name
from scraper.report import RunReport
from scraper.sinks.jsonl import append_line, dumps, repair_tail


def append_records(lines: Sequence[tuple[Path, dict[str, Any]]]) -> None:
    """Append each ``(path, record)`` as one JSON line to its file (folders made as needed), in order; returns
    once every file written is fsynced."""
    by_file: dict[Path, list[str]] = {}
    for path, obj in lines:
        by_file.setdefault(path, []).append(dumps(obj) + "\n")
    handles = []
    try:
        for path, texts in by_file.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            repair_tail(path)
            handle = path.open("ab")
            handles.append(handle)
            handle.write("".join(texts).encode("utf-8"))
            handle.flush()
        for handle in handles:
            os.fsync(handle.fileno())
    finally:
        for handle in handles:
            handle.close()


def write_error(out_dir: Path, report: RunReport, source: str, url: str | None, kind: str, message: str) -> None:
    """Append one error line ``{url, error: {kind, message}, source, time}`` to ``out_dir/<source>/errors.jsonl``
    (``time`` in KST) and count it in ``report``."""
    line = {**ErrorRecord.of(url, kind, message).model_dump(mode="json"), "source": source, "time": now_kst()}
    append_line(out_dir / safe_name(source) / "errors.jsonl", line)
    report.of(source).errors += 1
