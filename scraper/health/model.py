"""The health report as values (pydantic, frozen); ``report.json`` is its JSON form (keys: :mod:`scraper.health`)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

SourceStatus = Literal["ok", "failed", "no_items", "source_broken", "never_run"]
"""A source's status in its latest run (``never_run``: no finished run had it)."""

STATUS_ORDER: dict[str, int] = {"source_broken": 0, "failed": 1, "no_items": 2, "ok": 3, "never_run": 4}
"""How the report orders sources: the loudest trouble first."""

WINDOW_DAYS = 30
"""Days of the new-items chart (ending on the report's day)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class RunRef(_Frozen):
    """Which run a value comes from."""

    id: int
    started: str
    finished: str | None = None


class ErrorLine(_Frozen):
    """One line of a source's ``errors.jsonl``."""

    time: str | None = None
    url: str | None = None
    kind: str
    message: str = ""


class AttachmentFailure(_Frozen):
    """An attachment of a record that could not be read (the attachment's ``error``)."""

    record_url: str | None = None
    name: str | None = None
    url: str | None = None
    error: str


class Republished(_Frozen):
    """A release with news copies linked to it (a line of the link output's ``groups.jsonl``)."""

    release_id: str
    url: str | None = None
    title: str | None = None
    organization: str | None = None
    republished_by: int = 0


class LinksHealth(_Frozen):
    """What the report read of the link output."""

    dir: str
    found: bool = False
    releases: int = 0
    republished_by: int = 0
    unmatched_releases: int = 0
    unreadable_lines: int = 0


class SourceHealth(_Frozen):
    """Everything the report says about one source (the JSON keys are documented in :mod:`scraper.health`)."""

    name: str
    status: SourceStatus = "never_run"
    status_reported: bool = False
    last_run: RunRef | None = None
    last_error: str | None = None
    last_success: str | None = None
    last_success_run: int | None = None
    no_items_runs: int = 0
    given_up: int | None = None
    items: int = 0
    new_per_day: list[int] = Field(default_factory=list)
    new_30_days: int = 0
    failing_items: int = 0
    given_up_items: int = 0
    error_kinds: dict[str, int] = Field(default_factory=dict)
    error_kinds_30_days: dict[str, int] = Field(default_factory=dict)
    errors_total: int = 0
    recent_errors: list[ErrorLine] = Field(default_factory=list)
    records: int = 0
    extractors: dict[str, int] = Field(default_factory=dict)
    warnings: dict[str, int] = Field(default_factory=dict)
    profile_missed: int = 0
    profile_missed_rate: float | None = None
    attachments: int = 0
    attachment_failures: int = 0
    recent_attachment_failures: list[AttachmentFailure] = Field(default_factory=list)
    unreadable_lines: int = 0
    republished_releases: int = 0
    republished_by: int = 0
    republished: list[Republished] = Field(default_factory=list)


class RunHealth(_Frozen):
    """One row of the ``runs`` table with the totals of its summary."""

    id: int
    started: str
    finished: str | None = None
    duration_seconds: float | None = None
    requests: int | None = None
    new: int | None = None
    updated: int | None = None
    unchanged: int | None = None
    errors: int | None = None
    list_pages: int | None = None
    sources: int = 0
    failed_sources: list[str] = Field(default_factory=list)
    summary_readable: bool = True


class HealthReport(_Frozen):
    """The whole report."""

    RUNS_SHOWN: ClassVar[int] = 100

    schema_version: int = 1
    generated: str
    out_dir: str
    state_path: str
    days: list[str]
    broken: list[str] = Field(default_factory=list)
    sources: list[SourceHealth] = Field(default_factory=list)
    runs: list[RunHealth] = Field(default_factory=list)
    runs_total: int = 0
    links: LinksHealth | None = None
