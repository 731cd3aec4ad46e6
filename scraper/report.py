"""Run summary of a crawl: counts per source and outcome, rendered for cron logs and as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SourceStatus = Literal["ok", "failed", "no_items", "source_broken"]
"""A source's state after a run: ``failed``: a list page or the source failed; ``no_items``: its first list
page held no item; ``source_broken``: that, ``CrawlSettings.broken_after`` runs in a row."""


@dataclass
class SourceReport:
    """Counts for one source in one run."""

    list_pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_known: int = 0
    errors: int = 0
    given_up: int = 0
    """Items on this run's list pages that failed ``max_attempts`` runs and are no longer tried."""
    no_items_runs: int = 0
    """Runs in a row (this one included) whose first list page held no item."""
    status: SourceStatus = "ok"
    """``ok``, ``failed`` (a list page or the source failed), ``no_items`` or ``source_broken`` (no items for
    ``broken_after`` runs in a row)."""
    source_error: str | None = None


@dataclass
class RunReport:
    """All sources of one run; ``exit_code`` is 0 when nothing failed, 1 when some items or sources did."""

    sources: dict[str, SourceReport] = field(default_factory=dict)
    requests: int = 0
    sources_path: str | None = None
    """The sources file or folder the run read (``None``: the bundled boards), for the commands it suggests."""
    notes: list[str] = field(default_factory=list)
    """Things the run did on its own that a user must hear of (a damaged state file moved aside)."""
    links: dict[str, Any] | None = None
    """``crawl --links``: what linking the run's new and updated records did (``scraper.links.crawl``), with an
    ``error`` when it failed; ``None`` when not asked."""

    def of(self, name: str) -> SourceReport:
        """The report of one source (created on first use)."""
        return self.sources.setdefault(name, SourceReport())

    @property
    def exit_code(self) -> int:
        """0 all good, 1 some items or sources failed, or linking them did (``crawl --links``)."""
        failed = any(r.errors or r.source_error or r.status != "ok" for r in self.sources.values())
        return 1 if failed or (self.links and self.links.get("error")) else 0

    def to_json(self) -> str:
        """The summary as a JSON object ``{"sources": {name: counts}, "totals": counts}``."""
        totals = SourceReport()
        for report in self.sources.values():
            for key in ("list_pages", "new", "updated", "unchanged", "skipped_known", "errors", "given_up"):
                setattr(totals, key, getattr(totals, key) + getattr(report, key))
        payload: dict[str, Any] = {"sources": {k: asdict(v) for k, v in self.sources.items()},
                                   "totals": asdict(totals), "requests": self.requests, "notes": self.notes,
                                   "links": self.links}
        for key in ("source_error", "status", "no_items_runs"):
            payload["totals"].pop(key)
        for report in payload["sources"].values():
            if report["source_error"] and report["status"] == "ok":
                report["status"] = "failed"
        return json.dumps(payload, ensure_ascii=False, indent=2)

    def _sources_flag(self) -> str:
        return f" --sources {self.sources_path}" if self.sources_path else ""

    def lines(self) -> list[str]:
        """One human line per source (and one for ``crawl --links``), for stderr."""
        out = [f"note: {note}" for note in self.notes]
        for name, r in self.sources.items():
            line = (f"{name}: {r.list_pages} list pages, {r.new} new, {r.updated} updated, {r.unchanged} unchanged, "
                    f"{r.errors} errors")
            if r.given_up:
                line += f", {r.given_up} given up"
            if r.status == "source_broken":
                line = (f"SOURCE BROKEN: {name}: no list items for {r.no_items_runs} runs in a row; fix or check the "
                        f"source (scraper sources check --source {name}{self._sources_flag()}); " + line)
            elif r.status == "no_items":
                line += f" (no list items: run {r.no_items_runs} in a row)"
            out.append(line + (f" (source failed: {r.source_error})" if r.source_error else ""))
        if self.links is not None:
            out.append(self._links_line(self.links))
        return out

    @staticmethod
    def _links_line(links: dict[str, Any]) -> str:
        if links.get("error"):
            return (f"LINKING FAILED: {links['error']}; the run's records are written and kept; link them later "
                    f"with: scraper links --out {links.get('dir')} <the crawl's output folder>")
        return (f"links: {links.get('records')} records of this run, {links.get('indexed')} indexed, "
                f"{links.get('links')} links found, {links.get('index_records')} records in the index "
                f"{links.get('dir')} ({links.get('seconds')} s)")
