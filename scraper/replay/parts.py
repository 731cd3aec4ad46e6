"""The parts folder of a re-extraction: the plan, and for each finished unit its output lines and a completion
marker, so a rerun after a kill skips the finished units (``scraper warc extract --parts DIR``).

Layout: ``plan.json`` (the job's fingerprint, the files with their sizes, the units), ``NNNNN.jsonl`` (a unit's
lines, renamed into place once written and fsynced) and ``NNNNN.done.json`` (its :class:`UnitResult`, written
the same way after the lines): a unit is finished when its marker exists, and a marker never points at a part
that is cut.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from scraper.errors import ConfigError
from scraper.fetch.exchange import Archived
from scraper.replay.extract import Counts, ReplayJob
from scraper.replay.units import Unit, plan_units

PLAN_VERSION = 1


@dataclass(frozen=True)
class Deferred:
    """A revisit a unit could not resolve alone (its payload may be in an earlier unit of the same file):
    ``line``, the number of the unit's lines before it; ``place``, the revisit record; ``refers_to`` and
    ``digest``, what it points at; ``fallback``, the unit's own first response of that digest before it."""

    line: int
    place: Archived
    refers_to: str | None
    digest: str | None
    fallback: Archived | None


@dataclass
class UnitResult:
    """A finished unit: its ``counts`` (lines written and captures skipped), its responses by record id
    (``ids``) and by payload digest (``digests``, the first of each) and its ``deferred`` revisits."""

    counts: Counts = field(default_factory=Counts)
    ids: dict[str, Archived] = field(default_factory=dict)
    digests: dict[str, Archived] = field(default_factory=dict)
    deferred: list[Deferred] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The result as a JSON object (the unit's marker)."""
        counts = {"records": self.counts.records, "errors": self.counts.errors, "skipped": self.counts.skipped}
        return {"counts": counts, "ids": {k: asdict(v) for k, v in self.ids.items()},
                "digests": {k: asdict(v) for k, v in self.digests.items()},
                "deferred": [{**asdict(d), "place": asdict(d.place),
                              "fallback": asdict(d.fallback) if d.fallback else None} for d in self.deferred]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UnitResult:
        """The result :meth:`as_json` wrote."""
        deferred = [Deferred(d["line"], Archived(**d["place"]), d["refers_to"], d["digest"],
                             Archived(**d["fallback"]) if d["fallback"] else None) for d in data["deferred"]]
        return cls(Counts(**data["counts"]), {k: Archived(**v) for k, v in data["ids"].items()},
                   {k: Archived(**v) for k, v in data["digests"].items()}, deferred)


def fingerprint(files: Sequence[Path], job: ReplayJob) -> str:
    """A digest of what a re-extraction reads and how: the files (path, size) and the job's options."""
    files_part = [[str(f), f.stat().st_size] for f in files]
    return hashlib.sha256(json.dumps([files_part, repr(job)]).encode("utf-8")).hexdigest()


class Parts:
    """The parts folder at ``folder`` (created when missing); see the module docstring."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def plan(self, files: Sequence[Path], job: ReplayJob, unit_bytes: int) -> list[Unit]:
        """The folder's plan when it holds one for these files and this job (whatever ``unit_bytes``), else a new
        plan, saved. Raises :class:`ConfigError` when the folder holds another job's plan, ``OSError`` for a file
        that cannot be read."""
        digest = fingerprint(files, job)
        path = self.folder / "plan.json"
        if path.exists():
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved.get("version") != PLAN_VERSION or saved.get("fingerprint") != digest:
                raise ConfigError(f"the parts folder {self.folder} holds another re-extraction (other files or "
                                  "options): use an empty folder", url=str(path))
            return [Unit(**u) for u in saved["units"]]
        units = plan_units(files, unit_bytes)
        _write_atomic(path, json.dumps({"version": PLAN_VERSION, "fingerprint": digest,
                                        "units": [u.as_json() for u in units]}).encode("utf-8"))
        return units

    def part(self, unit: Unit) -> Path:
        """The file of ``unit``'s lines."""
        return self.folder / f"{unit.index:05d}.jsonl"

    def marker(self, unit: Unit) -> Path:
        """The completion marker of ``unit``."""
        return self.folder / f"{unit.index:05d}.done.json"

    def done(self, unit: Unit) -> bool:
        """True when ``unit`` is finished (its marker exists)."""
        return self.marker(unit).exists()

    def save(self, unit: Unit, result: UnitResult, lines: bytes | None = None) -> None:
        """Mark ``unit`` finished: its ``lines`` written first (``None``: already in place), then its marker."""
        if lines is not None:
            _write_atomic(self.part(unit), lines)
        _write_atomic(self.marker(unit), json.dumps(result.as_json(), ensure_ascii=False).encode("utf-8"))

    def load(self, unit: Unit) -> UnitResult:
        """The result of finished ``unit``."""
        return UnitResult.from_json(json.loads(self.marker(unit).read_text(encoding="utf-8")))


def _write_atomic(path: Path, data: bytes) -> None:
    """``data`` to ``path`` whole or not at all (a temporary file fsynced, then renamed)."""
    scratch = path.with_name(path.name + ".tmp")
    with scratch.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(scratch, path)


__all__ = ["Deferred", "Parts", "UnitResult", "fingerprint"]
