"""One crawl per state file: an exclusive, non-blocking ``flock`` on ``<state>.lock``.

The lock is held by the open file descriptor, so the kernel releases it when the process dies
(``kill -9`` included): a stale lock file never blocks the next cron run.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from scraper.errors import ScraperError


class AlreadyRunning(ScraperError):
    """Another crawl holds the lock of this state file."""

    kind = "already_running"


class RunLock:
    """``with RunLock(path, "state file"):`` holds the lock of ``path`` (a state file, an output folder) or
    raises :class:`AlreadyRunning` at once, naming what is locked."""

    def __init__(self, state_path: Path, what: str = "state file") -> None:
        self.path = state_path.with_name(state_path.name + ".lock")
        self.what = what
        self._handle: IO[str] | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise AlreadyRunning(f"another crawl is running with this {self.what} (lock {self.path})") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
