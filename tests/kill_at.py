"""Run ``scraper`` and ``kill -9`` it at an exact point of a batched write (tests only).

``python tests/kill_at.py POINT N PIDS_FILE -- crawl ...``: runs the CLI in this process with ``POINT`` watched;
at its ``N``-th call this process writes the ids of its child processes (the extraction workers) to
``PIDS_FILE`` and sends itself SIGKILL. ``POINT`` is one of

- ``begin``: :meth:`StateStore.begin_writes` has returned (the batch is pending, nothing appended yet);
- ``open``: a partition file is about to be opened for appending (the batch's files before it are written);
- ``fsync``: ``os.fsync`` has returned (one more partition file of the batch is on disk);
- ``commit``: :meth:`StateStore.commit_writes` is about to run (every record appended and fsynced);
- ``warc``: one more WARC record has been written (``--warc``; not yet fsynced);
- ``warc_cut``: the ``N``-th WARC record is half written (the process dies inside its write).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any


def _children() -> list[int]:
    pids: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return pids


def main() -> int:
    point, count, pids_file = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    args = sys.argv[sys.argv.index("--") + 1:]
    calls = 0

    def hit() -> None:
        nonlocal calls
        calls += 1
        if calls == count:
            pids_file.write_text(" ".join(map(str, _children())))
            os.kill(os.getpid(), signal.SIGKILL)

    from scraper.sinks.state import StateBase as StateStore

    if point == "fsync":
        real_fsync = os.fsync

        def fsync(fd: Any) -> None:
            real_fsync(fd)
            hit()

        os.fsync = fsync
    elif point == "open":
        import pathlib

        real_open = pathlib.Path.open

        def path_open(self: pathlib.Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if mode == "ab" and self.name != "errors.jsonl":
                hit()
            return real_open(self, mode, *args, **kwargs)

        pathlib.Path.open = path_open  # type: ignore[method-assign,assignment]
    elif point == "begin":
        real_begin = StateStore.begin_writes

        def begin_writes(self: StateStore, writes: Any) -> list[int]:
            revisions = real_begin(self, writes)
            if writes:
                hit()
            return revisions

        StateStore.begin_writes = begin_writes  # type: ignore[method-assign]
    elif point == "commit":
        real_commit = StateStore.commit_writes

        def commit_writes(self: StateStore, commits: Any, touches: Any = ()) -> None:
            if commits:
                hit()
            real_commit(self, commits, touches)

        StateStore.commit_writes = commit_writes  # type: ignore[method-assign]
    elif point in ("warc", "warc_cut"):
        from scraper.archive.warc import WarcWriter

        real_put = WarcWriter._put
        puts = 0

        class HalfWrite:
            """A file whose next write stops halfway, and the process with it."""

            def __init__(self, file: Any) -> None:
                self.file = file

            def write(self, data: bytes) -> int:
                self.file.write(data[: len(data) // 2])
                pids_file.write_text(" ".join(map(str, _children())))
                os.kill(os.getpid(), signal.SIGKILL)
                return 0

        def put(self: WarcWriter, record: Any) -> Any:
            nonlocal puts
            puts += 1
            if point == "warc_cut" and puts == count:
                self._file = HalfWrite(self._file)  # type: ignore[assignment]
            place = real_put(self, record)
            if point == "warc":
                hit()
            return place

        WarcWriter._put = put  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown point {point}")
    from scraper.cli import main as cli

    return cli(args)


if __name__ == "__main__":
    raise SystemExit(main())
