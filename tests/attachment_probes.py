"""Readers that misbehave on purpose, run by the attachment worker in tests of its time and memory caps."""

from __future__ import annotations

import time


def spin(data: bytes) -> None:
    """Never finishes (busy loop): the worker must be killed at the time cap."""
    while True:
        time.monotonic()


def hog(data: bytes) -> None:
    """Asks for 4 GiB: the worker's address-space cap must stop it."""
    blocks = [bytearray(256 * 1024 * 1024) for _ in range(16)]
    del blocks
