"""Run one text extraction in a worker subprocess with a time cap (seconds) and a memory cap (bytes).

The worker (``python -m scraper.attachments.worker``) is a fresh interpreter that sets its own
``RLIMIT_AS`` = the memory cap and ``RLIMIT_CPU`` = the time cap + 1 (POSIX ``setrlimit``); the parent
waits at most the time cap for its answer and kills it then. A worker that dies (out of memory,
segfault, killed) or answers garbage gives :class:`UnreadableAttachment`, never a crash or a hang.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from scraper.attachments.base import Extracted, UnreadableAttachment
from scraper.attachments.worker import DEFAULT_READER

_SLOTS = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
"""Workers running at once from one process."""
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True)
class Limits:
    """Caps of one extraction: wall time in seconds (worker start included), address space in bytes."""

    seconds: float = 30.0
    memory_bytes: int = 1024 * 1024 * 1024


def _env(extra_path: tuple[str, ...]) -> dict[str, str]:
    paths = [*extra_path, _PACKAGE_ROOT, os.environ.get("PYTHONPATH", "")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p), "PYTHONIOENCODING": "utf-8"}


def run_worker(data: bytes, limits: Limits, reader: str = DEFAULT_READER,
               extra_path: tuple[str, ...] = ()) -> Extracted:
    """``reader`` (``module:function`` of bytes -> Extracted) applied to ``data`` in a capped worker.

    Raises :class:`UnreadableAttachment`: kind ``timeout``, ``memory``, ``crashed`` or the reader's own.
    Blocking: call it from a thread in async code.
    """
    command = [sys.executable, "-m", "scraper.attachments.worker", "--seconds", str(limits.seconds),
               "--memory", str(limits.memory_bytes), "--reader", reader]
    with _SLOTS:
        try:
            proc = subprocess.run(command, input=data, capture_output=True, timeout=limits.seconds,
                                  env=_env(extra_path), check=False)
        except subprocess.TimeoutExpired as exc:
            raise UnreadableAttachment(f"extraction took over {limits.seconds:g} seconds", kind="timeout") from exc
    try:
        answer = json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        kind = "memory" if b"MemoryError" in proc.stderr else "crashed"
        raise UnreadableAttachment(f"extraction worker died (exit code {proc.returncode})", kind=kind) from exc
    if "error" in answer:
        raise UnreadableAttachment(str(answer.get("message")), kind=str(answer["error"]))
    return Extracted(str(answer["media_type"]), str(answer["text"]))


def extract_limited(data: bytes, limits: Limits | None = None) -> Extracted:
    """:func:`scraper.attachments.read.extract` of ``data`` (bytes) in a capped worker process."""
    return run_worker(data, limits or Limits())
