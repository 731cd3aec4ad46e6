"""Per-host politeness: one gate per host that spaces requests and caps requests in flight.

Many hosts are read at once; one host is read with at most ``per_host_concurrency`` requests in flight
and at least ``delay`` seconds between the starts of two requests (``max(min_delay, Crawl-delay)``).
The clock and sleep are injectable for tests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class HostGate:
    """Spacing and concurrency for one host (``delay`` in seconds)."""

    delay: float
    concurrency: int
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    last_start: float | None = None
    guard: Callable[[], None] | None = None
    """Called just before each request is let through (after the delay); it may raise to stop the host's
    requests (a crawl sharing its hosts with other processes: the host lease was lost)."""
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _slots: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for a free slot and the host's delay, then hold the slot for one request."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self.concurrency))
        async with self._slots:
            async with self._lock:
                if self.last_start is not None:
                    wait = self.last_start + self.delay - self.clock()
                    if wait > 0:
                        await self.sleep(wait)
                if self.guard is not None:
                    self.guard()
                self.last_start = self.clock()
            yield


def host_key(url: str) -> str:
    """The politeness key of a URL: scheme-less ``host:port`` in lower case.

    >>> host_key("https://WWW.Gangjin.go.kr:443/news?idx=1")
    'www.gangjin.go.kr:443'
    """
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"
