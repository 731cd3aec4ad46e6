"""``scraper crawl --links DIR``: a run's new and updated records linked into the index in DIR, as
``scraper links --out DIR`` links them, once the run's records are all committed.

The run hands over the items it wrote (:class:`~scraper.sinks.state.ItemRevision`: source, item id, record id,
revision, published day); their records are read back from the crawl's output files (the line of that id and
revision in the source's partition file of that day, or in its ``undated.jsonl``), added to the index and
linked; ``links.jsonl``, ``groups.jsonl`` and ``records.jsonl`` (this run's records, articles with
``derived_from``) are written again into DIR (:func:`scraper.links.run.link_and_write`).

Linking never touches the crawl's output or state and never raises: a failure (an index that is no SQLite
database, a full disk, a locked index) becomes the ``error`` of the run report's ``links`` object, a
``LINKING FAILED`` line and exit code 1; the records stay written, and ``scraper links --out DIR OUT`` links them
later (it skips what the index holds already). A run stopped before its end (Ctrl-C, a kill) links nothing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scraper.links.index import LinkIndex
from scraper.links.match import WINDOW_DAYS
from scraper.links.run import LinkRun, link_and_write, read_records
from scraper.report import RunReport
from scraper.sinks.jsonl import partition_path
from scraper.sinks.state import ItemRevision


def run_records(out_dir: Path, items: Sequence[ItemRevision]) -> tuple[list[dict[str, Any]], int]:
    """The records of ``items`` read back from the output folder, in file then line order, and how many items
    had no record line there (0 unless the output was changed by hand)."""
    wanted = {(i.source, i.record_id, i.revision) for i in items if i.record_id}
    files = dict.fromkeys(path for i in items for path in (partition_path(out_dir, i.source, i.published),
                                                           partition_path(out_dir, i.source, None)))
    found: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    for path in files:
        if path.is_file():
            for record in read_records([path], LinkRun()):
                key = (record.get("source"), record.get("id"), record.get("revision"))
                if key in wanted:
                    found.setdefault(key, record)
    return list(found.values()), len(items) - len(found)


def link_run(folder: Path, out_dir: Path, items: Sequence[ItemRevision], report: RunReport,
             window_days: int = WINDOW_DAYS) -> None:
    """Link the run's records (``items``, read from ``out_dir``) into the index in ``folder`` and set
    ``report.links``: ``{"dir", "records", "missing", "indexed", "skipped", "links", "index_records", "seconds",
    "error"}`` (records read back, items without a record line, records added or changed in the index,
    records skipped as unchanged or without a body, links found, records in the index after, seconds taken,
    ``null`` or the failure). Never raises but ``KeyboardInterrupt`` / ``SystemExit``."""
    started = time.perf_counter()
    summary = LinkRun()
    result: dict[str, Any] = {"dir": str(folder), "records": 0, "missing": 0, "indexed": 0, "skipped": 0, "links": 0,
                              "index_records": None, "seconds": None, "error": None}
    try:
        records, result["missing"] = run_records(out_dir, items)
        result["records"] = len(records)
        folder.mkdir(parents=True, exist_ok=True)
        with LinkIndex(folder / "links.sqlite") as index:
            link_and_write(index, folder, records, summary, window_days)
            result["index_records"] = len(index)
    except Exception as exc:  # after the records' commit: a failure here loses nothing, it is reported
        result["error"] = f"{type(exc).__name__}: {exc}"
    result.update(indexed=summary.added, skipped=summary.skipped, links=summary.links,
                  seconds=round(time.perf_counter() - started, 2))
    report.links = result
