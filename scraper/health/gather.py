"""State file + output folder -> :class:`~scraper.health.model.HealthReport` (reads files, writes nothing).

The report's time ``now`` is an argument: the 30-day window ends on its KST day.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast, get_args

from scraper.config import LINKS_FOLDER, CrawlSettings
from scraper.health.links import LinkGroups, read_groups
from scraper.health.model import (
    STATUS_ORDER,
    WINDOW_DAYS,
    HealthReport,
    LinksHealth,
    Republished,
    RunHealth,
    RunRef,
    SourceHealth,
    SourceStatus,
)
from scraper.health.output import OutputScan, SourceTally
from scraper.health.state import RunRow, StateReader
from scraper.normalize.dates import KST

_REPORTED = set(get_args(SourceStatus)) - {"never_run"}
_FAILED = {"failed", "no_items", "source_broken"}
"""Statuses that are no success: a run whose list page held no item did not collect anything."""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=KST)


def _entries(run: RunRow) -> dict[str, dict[str, Any]]:
    """The run summary's source entries (``{name: counts}``), or none."""
    sources = (run.summary or {}).get("sources")
    if not isinstance(sources, dict):
        return {}
    return {str(name): entry for name, entry in sources.items() if isinstance(entry, dict)}


def entry_status(entry: dict[str, Any]) -> tuple[SourceStatus, bool]:
    """A summary entry's status and whether the crawl reported it (older summaries: derived from
    ``source_error``).

    >>> entry_status({"source_error": "list page 1: http_status: 404"})
    ('failed', False)
    >>> entry_status({"status": "source_broken", "no_items_runs": 3})
    ('source_broken', True)
    """
    status = entry.get("status")
    if isinstance(status, str) and status in _REPORTED:
        return cast(SourceStatus, status), True  # one of the Literal's values: checked above
    return ("failed" if entry.get("source_error") else "ok"), False


def _succeeded(entry: dict[str, Any]) -> bool:
    return not entry.get("source_error") and entry_status(entry)[0] not in _FAILED


@dataclass
class _Latest:
    """A source's latest run entry and latest success while the runs are read, oldest first."""

    run: RunRow
    entry: dict[str, Any]
    success: RunRow | None = None


@dataclass
class _Runs:
    """One pass over the ``runs`` table: each source's latest entry and success, and the newest runs."""

    latest: dict[str, _Latest] = field(default_factory=dict)
    newest: deque[RunRow] = field(default_factory=lambda: deque(maxlen=HealthReport.RUNS_SHOWN))

    def read(self, runs: Iterable[RunRow]) -> _Runs:
        for run in runs:
            self.newest.append(run)
            for name, entry in _entries(run).items():
                known = self.latest.get(name)
                success = run if _succeeded(entry) else (known.success if known else None)
                self.latest[name] = _Latest(run, entry, success)
        return self


def run_health(run: RunRow) -> RunHealth:
    """One run's row: times, duration and the totals of its summary."""
    started, finished = _time(run.started), _time(run.finished)
    duration = (finished - started).total_seconds() if started and finished else None
    summary = run.summary or {}
    found = summary.get("totals")
    totals: dict[str, Any] = found if isinstance(found, dict) else {}
    entries = _entries(run)
    failed = sorted(name for name, entry in entries.items() if not _succeeded(entry))
    return RunHealth(
        id=run.id, started=run.started, finished=run.finished,
        duration_seconds=duration if duration is not None and duration >= 0 else None,
        requests=_int(summary.get("requests")), new=_int(totals.get("new")), updated=_int(totals.get("updated")),
        unchanged=_int(totals.get("unchanged")), errors=_int(totals.get("errors")),
        list_pages=_int(totals.get("list_pages")), sources=len(entries), failed_sources=failed,
        summary_readable=run.readable)


def _per_day(first_seen: list[tuple[str, str]], days: list[str]) -> dict[str, list[int]]:
    """Items first seen on each day of ``days`` (KST), per source."""
    index = {day: i for i, day in enumerate(days)}
    counts: dict[str, list[int]] = {}
    for source, seen in first_seen:
        moment = _time(seen)
        slot = index.get(moment.astimezone(KST).date().isoformat()) if moment else None
        if slot is not None:
            counts.setdefault(source, [0] * len(days))[slot] += 1
    return counts


def _from_runs(latest: _Latest | None) -> dict[str, Any]:
    """The fields of a source that its latest run entry gives."""
    if latest is None:
        return {}
    entry, run, success = latest.entry, latest.run, latest.success
    status, reported = entry_status(entry)
    error = entry.get("source_error")
    return {"status": status, "status_reported": reported,
            "last_run": RunRef(id=run.id, started=run.started, finished=run.finished),
            "last_error": error if isinstance(error, str) else None,
            "last_success": (success.finished or success.started) if success else None,
            "last_success_run": success.id if success else None,
            "no_items_runs": _int(entry.get("no_items_runs")) or 0, "given_up": _int(entry.get("given_up"))}


def _from_output(tally: SourceTally | None) -> dict[str, Any]:
    """The fields of a source that its output files give."""
    if tally is None:
        return {}
    return {"error_kinds": dict(tally.error_kinds.most_common()),
            "error_kinds_30_days": dict(tally.error_kinds_window.most_common()),
            "errors_total": tally.errors_total, "recent_errors": list(reversed(tally.recent_errors)),
            "records": tally.records, "extractors": dict(tally.extractors.most_common()),
            "warnings": dict(tally.warnings.most_common()), "profile_missed": tally.warnings["profile_missed"],
            "profile_missed_rate": tally.warnings["profile_missed"] / tally.records if tally.records else None,
            "attachments": tally.attachments, "attachment_failures": tally.attachment_failures,
            "recent_attachment_failures": list(reversed(tally.recent_attachment_failures)),
            "unreadable_lines": tally.unreadable_lines}


def _republished(groups: LinkGroups, release_sources: dict[str, str]) -> dict[str, list[Republished]]:
    """Each source's releases with copies, most copies first (then by release id)."""
    by_source: dict[str, list[Republished]] = {}
    for release_id, release in groups.releases.items():
        source = release_sources.get(release_id)
        if source is not None:
            by_source.setdefault(source, []).append(release)
    return {name: sorted(found, key=lambda r: (-r.republished_by, r.release_id)) for name, found in by_source.items()}


def _links_health(folder: Path, groups: LinkGroups, release_sources: dict[str, str]) -> LinksHealth:
    return LinksHealth(dir=str(folder), found=groups.found, releases=len(groups.releases),
                       republished_by=sum(r.republished_by for r in groups.releases.values()),
                       unmatched_releases=sum(1 for r in groups.releases if r not in release_sources),
                       unreadable_lines=groups.unreadable_lines)


def window(now: datetime) -> list[str]:
    """The report's days: the :data:`~scraper.health.model.WINDOW_DAYS` KST days ending on ``now``'s, oldest first.

    >>> window(datetime(2025, 12, 11, 9, 0, tzinfo=KST))[::29]
    ['2025-11-12', '2025-12-11']
    """
    today = now.astimezone(KST).date()
    return [(today - timedelta(days=n)).isoformat() for n in range(WINDOW_DAYS - 1, -1, -1)]


def gather_health(state_path: Path, out_dir: Path, now: datetime, links_dir: Path | None = None) -> HealthReport:
    """Read the state file (read-only), the output folder and the link output ``links_dir`` (default
    ``OUT/_links``; nothing found there is no error); raises :class:`~scraper.health.state.StateUnreadable`
    when the state cannot be read."""
    days = window(now)
    start = datetime.fromisoformat(days[0]).replace(tzinfo=KST)
    max_attempts = CrawlSettings.model_fields["max_attempts"].get_default()
    with StateReader(state_path) as state:
        runs = _Runs().read(state.runs())
        runs_total = state.run_count()
        items = state.item_counts()
        per_day = _per_day(state.first_seen_since((start - timedelta(days=1)).date().isoformat()), days)
        failures = state.failure_counts(max_attempts)
    links_dir = out_dir / LINKS_FOLDER if links_dir is None else links_dir
    groups = read_groups(links_dir)
    scan = OutputScan(out_dir, start, groups.releases)
    tallies = scan.tallies
    republished = _republished(groups, scan.release_sources)
    sources = []
    for name in sorted(set(runs.latest) | set(items) | set(tallies)):
        new = per_day.get(name, [0] * len(days))
        retrying, given_up = failures.get(name, (0, 0))
        linked = republished.get(name, [])
        sources.append(SourceHealth(name=name, items=items.get(name, 0), new_per_day=new, new_30_days=sum(new),
                                    failing_items=retrying, given_up_items=given_up, republished=linked,
                                    republished_releases=len(linked),
                                    republished_by=sum(r.republished_by for r in linked),
                                    **_from_runs(runs.latest.get(name)), **_from_output(tallies.get(name))))
    sources.sort(key=lambda s: (STATUS_ORDER[s.status], s.name))
    return HealthReport(
        generated=now.astimezone(KST).replace(microsecond=0).isoformat(), out_dir=str(out_dir),
        state_path=str(state_path), days=days, broken=[s.name for s in sources if s.status == "source_broken"],
        sources=sources, runs=[run_health(run) for run in reversed(runs.newest)], runs_total=runs_total,
        links=_links_health(links_dir, groups, scan.release_sources))
