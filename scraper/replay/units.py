"""The units of work of a re-extraction (``scraper warc extract``): byte ranges of WARC files cut at record
boundaries, so one big file spreads over several workers (local processes or Ray tasks).

A :class:`Unit` is ``(path, start, end)``: the records that *start* in ``[start, end)`` of one file. ``start`` is
always a record's first byte (FastWARC gives each record's offset in the file as stored, gzip member or not) and
``end`` the next unit's ``start`` or the file's size, so the units of a file hold each of its records exactly
once and a record's length (to the next record's offset) is the same as in a whole-file read. The plan depends
only on the files and the unit size, never on the number of workers, so it can be kept and resumed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fastwarc.warc import ArchiveIterator

MIN_UNIT_BYTES = 256 * 1024
MAX_UNIT_BYTES = 64 * 1024 * 1024
UNITS_PER_WORKER = 4
"""The default plan: about 4 units per worker (so a slow unit does not leave the others idle), each between
256 KiB and 64 MiB of WARC file."""


@dataclass(frozen=True)
class Unit:
    """One unit of work: the records of ``path`` starting at byte offsets ``start <= offset < end``; ``index``:
    its place in the plan (outputs are written in this order); ``file``: the place of its file among the files
    given (a file given twice is read twice, as by a whole-file run)."""

    index: int
    file: int
    path: str
    start: int
    end: int

    def as_json(self) -> dict[str, str | int]:
        """The unit as a JSON object (the plan file of a resumable run)."""
        return {"index": self.index, "file": self.file, "path": self.path, "start": self.start, "end": self.end}


def record_offsets(path: Path) -> list[int]:
    """The byte offset of every record of the WARC file at ``path`` (any type), in file order; headers only are
    parsed. Raises ``OSError`` for a file that cannot be read."""
    with path.open("rb") as handle:
        return [record.stream_pos for record in ArchiveIterator(handle, parse_http=False)]


def cut_points(offsets: Sequence[int], size: int, unit_bytes: int) -> list[tuple[int, int]]:
    """The ``(start, end)`` ranges of a file of ``size`` bytes whose records start at ``offsets``: each range
    starts at a record and runs until the first record at least ``unit_bytes`` after its start (the last one to
    ``size``); a file with no records is one range.

    >>> cut_points([0, 100, 250, 400, 900], 1000, 200)
    [(0, 250), (250, 900), (900, 1000)]
    >>> cut_points([0, 100], 150, 10_000)
    [(0, 150)]
    >>> cut_points([], 0, 10)
    [(0, 0)]
    """
    ranges: list[tuple[int, int]] = []
    start = 0
    for offset in offsets:
        if offset - start >= unit_bytes:
            ranges.append((start, offset))
            start = offset
    ranges.append((start, size))
    return ranges


def plan_units(files: Sequence[Path], unit_bytes: int) -> list[Unit]:
    """Every file of ``files`` (in order) cut into units of about ``unit_bytes`` bytes at record boundaries
    (a record larger than that is a unit of its own). Raises ``OSError`` for a file that cannot be read."""
    units: list[Unit] = []
    for number, path in enumerate(files):
        size = path.stat().st_size
        offsets = record_offsets(path) if size > unit_bytes else []
        for start, end in cut_points(offsets, size, unit_bytes):
            units.append(Unit(len(units), number, str(path), start, end))
    return units


def default_unit_bytes(total_bytes: int, workers: int) -> int:
    """The unit size for ``workers`` workers reading ``total_bytes`` of WARC files: about
    :data:`UNITS_PER_WORKER` units per worker, within ``[MIN_UNIT_BYTES, MAX_UNIT_BYTES]``; one worker reads
    whole files (up to the maximum).

    >>> default_unit_bytes(100 * 1024 * 1024, 2)
    13107200
    >>> default_unit_bytes(1000, 2)
    262144
    >>> default_unit_bytes(10 * 1024 * 1024, 1) == MAX_UNIT_BYTES
    True
    """
    if workers <= 1:
        return MAX_UNIT_BYTES
    wanted = -(-total_bytes // (workers * UNITS_PER_WORKER))
    return max(MIN_UNIT_BYTES, min(MAX_UNIT_BYTES, wanted))


__all__ = ["MAX_UNIT_BYTES", "MIN_UNIT_BYTES", "Unit", "cut_points", "default_unit_bytes", "plan_units",
           "record_offsets"]
