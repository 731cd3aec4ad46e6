"""``python -m scraper.attachments.worker --seconds S --memory BYTES [--reader MODULE:FUNC]``.

Reads one file's bytes from stdin, sets its own ``RLIMIT_AS`` (bytes) and ``RLIMIT_CPU`` (seconds)
after importing the reader, runs the reader (default :func:`scraper.attachments.read.extract`) and
prints one JSON object on stdout: ``{"media_type", "text"}`` or ``{"error": kind, "message"}``.
Started by :mod:`scraper.attachments.sandbox`; not a user command.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
from typing import Any

DEFAULT_READER = "scraper.attachments.read:extract"


def apply_limits(seconds: float, memory_bytes: int) -> None:
    """Cap this process: address space ``memory_bytes`` (bytes), CPU time ``seconds`` + 1 (POSIX only)."""
    try:
        import resource
    except ImportError:  # Windows: the parent's wall-clock cap still applies
        return
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu = math.ceil(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def run(reader: str, data: bytes, seconds: float, memory_bytes: int) -> dict[str, Any]:
    """The reader's answer for ``data`` as a JSON-ready dict; every failure becomes an ``error`` entry."""
    from scraper.attachments.base import UnreadableAttachment

    module, _, name = reader.partition(":")
    func = getattr(importlib.import_module(module), name)
    apply_limits(seconds, memory_bytes)
    try:
        result = func(data)
        return {"media_type": result.media_type, "text": result.text}
    except UnreadableAttachment as exc:
        return {"error": exc.kind, "message": exc.message}
    except MemoryError:
        return {"error": "memory", "message": f"extraction needed more than {memory_bytes:,} bytes of memory"}
    except Exception as exc:  # any reader failure is a damaged file, never a crash of the caller
        return {"error": "corrupt", "message": f"{type(exc).__name__}: {exc}"}


def main() -> int:
    """Entry point of the worker process."""
    parser = argparse.ArgumentParser(prog="scraper.attachments.worker")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--memory", type=int, default=0)
    parser.add_argument("--reader", default=DEFAULT_READER)
    args = parser.parse_args()
    data = sys.stdin.buffer.read()
    answer = run(args.reader, data, args.seconds, args.memory)
    try:
        payload = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    except MemoryError:
        payload = b'{"error": "memory", "message": "result too large for the memory cap"}'
    sys.stdout.buffer.write(payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
