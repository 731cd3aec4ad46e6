"""The crawl's output folder read for the report: per source, its records (``OUT/<source>/**/*.jsonl``) and
its ``errors.jsonl`` lines (``{"url", "error": {"kind", "message"}, "source", "time"}``), tallied in one pass.

Files are only read. A line that is no JSON object (cut by a crash, a foreign file) is counted as unreadable
and skipped; an unreadable file likewise. Lines name their source (``source``); the folder's name is the
fallback.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from scraper.health.links import is_link_output
from scraper.health.model import AttachmentFailure, ErrorLine
from scraper.sinks.jsonl import read_objects

RECENT = 5
"""How many of the newest errors (and attachment failures) a source shows."""


@dataclass
class SourceTally:
    """What a source's output files hold (filled while the files are read)."""

    records: int = 0
    extractors: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    attachments: int = 0
    attachment_failures: int = 0
    recent_attachment_failures: deque[AttachmentFailure] = field(default_factory=lambda: deque(maxlen=RECENT))
    error_kinds: Counter[str] = field(default_factory=Counter)
    error_kinds_window: Counter[str] = field(default_factory=Counter)
    errors_total: int = 0
    recent_errors: deque[ErrorLine] = field(default_factory=lambda: deque(maxlen=RECENT))
    unreadable_lines: int = 0


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _after(time: str | None, start: datetime) -> bool:
    if not time:
        return False
    try:
        moment = datetime.fromisoformat(time)
    except ValueError:
        return False
    return moment.tzinfo is not None and moment >= start


class OutputScan:
    """``OutputScan(out_dir, window_start, releases).tallies``: a :class:`SourceTally` per source name;
    ``release_sources``: the source of each record whose id is in ``releases`` (the linked releases). A folder
    holding a link index (``crawl --links`` into ``OUT/_links``) is no source and is not read."""

    def __init__(self, out_dir: Path, window_start: datetime, releases: Collection[str] = ()) -> None:
        self.window_start = window_start
        self.releases = releases
        self.tallies: dict[str, SourceTally] = {}
        self.release_sources: dict[str, str] = {}
        folders = sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
                         and not is_link_output(p)) if out_dir.is_dir() else []
        for folder in folders:
            for path in sorted(folder.rglob("*.jsonl")):
                if path.name == "errors.jsonl" and path.parent == folder:
                    self._errors(path, folder.name)
                else:
                    self._records(path, folder.name)

    def _tally(self, line: dict[str, Any], folder: str) -> SourceTally:
        name = _text(line.get("source")) or folder
        return self.tallies.setdefault(name, SourceTally())

    def _records(self, path: Path, folder: str) -> None:
        for line in read_objects(path):
            if line is None:
                self.tallies.setdefault(folder, SourceTally()).unreadable_lines += 1
                continue
            tally = self._tally(line, folder)
            tally.records += 1
            record_id = line.get("id")
            if self.releases and isinstance(record_id, str) and record_id in self.releases:
                self.release_sources.setdefault(record_id, _text(line.get("source")) or folder)
            tally.extractors[_text(line.get("extractor")) or "unknown"] += 1
            warnings = line.get("warnings")
            if isinstance(warnings, list):
                tally.warnings.update(w for w in warnings if isinstance(w, str))
            attachments = line.get("attachments")
            for attachment in attachments if isinstance(attachments, list) else []:
                if not isinstance(attachment, dict):
                    continue
                tally.attachments += 1
                error = attachment.get("error")
                if error:
                    tally.attachment_failures += 1
                    tally.recent_attachment_failures.append(AttachmentFailure(
                        record_url=_text(line.get("url")), name=_text(attachment.get("name")),
                        url=_text(attachment.get("url")), error=str(error)))

    def _errors(self, path: Path, folder: str) -> None:
        for line in read_objects(path):
            if line is None:
                self.tallies.setdefault(folder, SourceTally()).unreadable_lines += 1
                continue
            tally = self._tally(line, folder)
            detail = line.get("error")
            error: dict[str, Any] = detail if isinstance(detail, dict) else {}
            kind = _text(error.get("kind")) or "unknown"
            time = _text(line.get("time"))
            tally.errors_total += 1
            tally.error_kinds[kind] += 1
            if _after(time, self.window_start):
                tally.error_kinds_window[kind] += 1
            tally.recent_errors.append(ErrorLine(time=time, url=_text(line.get("url")), kind=kind,
                                                 message=_text(error.get("message")) or ""))
