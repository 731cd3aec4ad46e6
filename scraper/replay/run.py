"""Running a re-extraction as units of work (:mod:`scraper.replay.units`) on a runner (this process, a local
process pool, or Ray: :mod:`scraper.cluster.replay`), with lines written in the plan's order, so every runner
and any number of workers give the lines of a one-process run, byte for byte, in the same order.

A unit extracts its records and the revisits whose payload it holds itself; a revisit whose payload may be in
an earlier unit of its file is *deferred*: its place among the unit's lines is kept and the driver resolves it
there, against the responses of the earlier units, as a whole-file read would. Revisits whose payload is in no
earlier record of their file are resolved last, against every file, as before (:mod:`scraper.replay.extract`).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from itertools import repeat
from pathlib import Path
from typing import IO, Any

from scraper.archive.read import iter_captures, read_capture_at
from scraper.fetch.exchange import Archived
from scraper.replay.extract import (
    Counts,
    ReplayJob,
    _emit,
    _skip_reason,
    emit_late_revisit,
    job_filters,
    replay_in_order,
)
from scraper.replay.parts import Deferred, Parts, UnitResult
from scraper.replay.units import Unit, default_unit_bytes

Runner = Callable[[list[Unit], ReplayJob, Parts], Generator[Unit, None, None]]
"""Runs ``units`` (those not finished yet, in plan order) and yields each one, in the same order, once its lines
and marker are in the parts folder."""


def replay_unit(unit: Unit, job: ReplayJob, out: IO[str]) -> UnitResult:
    """Re-extract the captures of ``unit`` to ``out``, one JSON line each (see :mod:`scraper.replay.extract`);
    revisits it cannot resolve alone are deferred. Raises ``OSError`` for a file that cannot be read."""
    result = UnitResult()
    path = Path(unit.path)
    lines = 0
    for capture in iter_captures(path, reader=job.reader, filters=job_filters(job), start=unit.start,
                                 end=unit.end):
        reason = _skip_reason(capture, job, result.counts)
        if reason is not None:
            result.counts.skip(reason)
            continue
        if capture.kind == "response":
            result.ids[capture.place.record_id] = capture.place
            if capture.place.payload_digest:
                result.digests.setdefault(capture.place.payload_digest, capture.place)
            _emit(capture, capture, job, out, result.counts)
            lines += 1
            continue
        hit = result.ids.get(capture.refers_to or "")
        local = result.digests.get(capture.refers_to_digest or "")
        if hit is None and unit.start == 0:  # the file's first unit: its responses are all that came before
            hit = local
        if hit is None:
            result.deferred.append(Deferred(lines, capture.place, capture.refers_to, capture.refers_to_digest, local))
            continue
        _emit(capture, read_capture_at(path, hit, job.reader), job, out, result.counts)
        lines += 1
    return result


def run_unit(unit: Unit, job: ReplayJob) -> tuple[dict[str, Any], bytes]:
    """One unit's result (as JSON) and lines (UTF-8): the unit of work of a runner that returns values (Ray)."""
    out = io.StringIO()
    result = replay_unit(unit, job, out)
    return result.as_json(), out.getvalue().encode("utf-8")


def run_unit_into(unit: Unit, job: ReplayJob, folder: Path) -> Unit:
    """One unit's lines and marker written into the parts ``folder`` (the unit of work of a local process)."""
    parts = Parts(folder)
    scratch = parts.part(unit).with_name(parts.part(unit).name + ".tmp")
    with scratch.open("w", encoding="utf-8") as out:
        result = replay_unit(unit, job, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(scratch, parts.part(unit))
    parts.save(unit, result)
    return unit


def local_runner(workers: int) -> Runner:
    """A runner of ``workers`` local processes (1: this process)."""

    def run(units: list[Unit], job: ReplayJob, parts: Parts) -> Generator[Unit, None, None]:
        if workers <= 1 or len(units) <= 1:
            for unit in units:
                yield run_unit_into(unit, job, parts.folder)
            return
        pool = ProcessPoolExecutor(max_workers=workers)
        try:
            yield from pool.map(run_unit_into, units, repeat(job), repeat(parts.folder))
        finally:
            pool.shutdown(cancel_futures=True)

    return run


class Assembler:
    """Writes the units' lines to ``out`` in plan order, resolving deferred revisits in place and the others
    last; counts everything written or skipped."""

    def __init__(self, files: Sequence[Path], job: ReplayJob, out: IO[str]) -> None:
        self.job, self.out = job, out
        self.names = {f.name: f for f in files}
        self.counts = Counts()
        self.ids: dict[str, Archived] = {}
        self.digests: dict[str, Archived] = {}
        self.file: int | None = None
        self.file_ids: dict[str, Archived] = {}
        self.file_digests: dict[str, Archived] = {}
        self.pending: list[tuple[Path, Archived]] = []

    def add(self, unit: Unit, result: UnitResult, part: IO[str]) -> None:
        """Write ``unit``'s lines (read from ``part``) with its deferred revisits in their places."""
        if unit.file != self.file:
            self._end_file()
            self.file = unit.file
        path = Path(unit.path)
        copied = 0
        for deferred in result.deferred:
            for _ in range(deferred.line - copied):
                self.out.write(part.readline())
            copied = deferred.line
            hit = (self.file_ids.get(deferred.refers_to or "") or self.file_digests.get(deferred.digest or "")
                   or deferred.fallback)
            if hit is None:
                self.pending.append((path, deferred.place))
                continue
            capture = read_capture_at(path, deferred.place, self.job.reader)
            if capture is not None:
                _emit(capture, read_capture_at(path, hit, self.job.reader), self.job, self.out, self.counts)
        shutil.copyfileobj(part, self.out)
        self.counts.add(result.counts)
        self.file_ids.update(result.ids)
        for digest, place in result.digests.items():
            self.file_digests.setdefault(digest, place)

    def _end_file(self) -> None:
        self.ids.update(self.file_ids)
        self.digests.update(self.file_digests)
        self.file_ids, self.file_digests = {}, {}

    def finish(self) -> Counts:
        """Resolve the revisits left against every file's responses; the counts of the whole run."""
        self._end_file()
        for path, place in self.pending:
            capture = read_capture_at(path, place, self.job.reader)
            if capture is None:
                continue
            earlier = self.ids.get(capture.refers_to or "") or self.digests.get(capture.refers_to_digest or "")
            emit_late_revisit(capture, earlier, self.names, self.job, self.out, self.counts)
        return self.counts


def replay_files(files: Sequence[Path], job: ReplayJob, out: IO[str], workers: int = 1, *,
                 runner: Runner | None = None, parts: Path | None = None, unit_bytes: int | None = None) -> Counts:
    """Re-extract every file of ``files`` (in order) to ``out`` as units of about ``unit_bytes`` bytes (default:
    :func:`~scraper.replay.units.default_unit_bytes` for ``workers``) run by ``runner`` (default: ``workers``
    local processes). ``parts``: the folder keeping each finished unit (a rerun skips those; default a temporary
    folder). Raises ``OSError`` for a file that cannot be read, ``ConfigError`` for a parts folder of another
    job. With ``job.learner`` (learning needs each source's captures in order) the files are read one after the
    other in this process (:func:`~scraper.replay.extract.replay_in_order`), whatever the runner."""
    if job.learner is not None:
        return replay_in_order(files, job, out)
    with ExitStack() as stack:
        folder = parts or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="scraper-warc-")))
        store = Parts(folder)
        size = unit_bytes or default_unit_bytes(sum(f.stat().st_size for f in files), workers)
        units = store.plan(files, job, size)
        todo = [u for u in units if not store.done(u)]
        finished = (runner or local_runner(workers))(todo, job, store)
        stack.callback(finished.close)
        waiting = {u.index for u in todo}
        assembler = Assembler(files, job, out)
        for unit in units:
            if unit.index in waiting:
                next(finished)
            with store.part(unit).open(encoding="utf-8") as part:
                assembler.add(unit, store.load(unit), part)
            if parts is None:
                store.part(unit).unlink()
        return assembler.finish()
    raise AssertionError("unreachable")  # pragma: no cover (mypy: ExitStack may swallow exceptions)


__all__ = ["Assembler", "Runner", "local_runner", "replay_files", "replay_unit", "run_unit", "run_unit_into"]
