"""Host leases in a PostgreSQL state: several crawl processes (on several machines) share the hosts of one run
so that no host ever gets requests from two processes at once, and a crashed process's hosts are taken over.

Table ``host_leases (host, owner, token, expires_at, finished_at)``, one row per politeness key
(``scraper.fetch.politeness.host_key``: ``host:port``). All times are the database server's clock
(``now()``), so the machines' clocks never matter.

- :meth:`HostLeases.claim` takes the first host of the given ones that is free (``expires_at`` passed) and not
  finished since this process's round began (``finished_at < round_start``), with ``SELECT ... FOR UPDATE SKIP
  LOCKED`` (two processes claiming at once get different hosts), and gives it a fresh random token and
  ``expires_at = now() + ttl``.
- A background thread (its own connection) renews every held lease each ``ttl / 3`` seconds: ``UPDATE ... WHERE
  token = ? AND expires_at > now()``. A renewal that finds the lease expired or taken marks it lost.
- :meth:`Lease.check` is called before each request to the host (``HostGate.guard``): it raises
  :class:`LeaseLost` once the lease is lost or when no renewal succeeded for ``2 * ttl / 3`` seconds (the
  process's own monotonic clock, started before the renewal was sent: the lease is then still valid in the
  database for ``ttl / 3`` at least, more than a request takes when ``ttl / 3`` exceeds the fetch timeout).
- :meth:`HostLeases.release` marks the host finished and lets it expire ``delay`` seconds later (the host's
  politeness delay), so the next process's first request is no closer than that to this one's last.
A killed process holds its hosts until their ``expires_at``; then any process takes them over.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from scraper.sinks.state.postgres import connect


class LeaseLost(BaseException):  # a BaseException: it passes the crawl's per-item ``except Exception``
    """The host's lease expired or was taken by another process: stop sending the host requests."""


@dataclass
class Lease:
    """One held host lease (``token`` identifies this holding); ``ttl`` in seconds."""

    host: str
    token: str
    ttl: float
    renewed: float = field(default_factory=time.monotonic)
    """Monotonic time just before the last successful claim or renewal was sent."""
    lost: bool = False

    def check(self) -> None:
        """Raise :class:`LeaseLost` when the lease is lost or no renewal succeeded for ``2 * ttl / 3`` seconds."""
        if self.lost or time.monotonic() - self.renewed > 2 * self.ttl / 3:
            self.lost = True
            raise LeaseLost(f"the lease of host {self.host} was lost")


class HostLeases:
    """The host leases of one crawl process in the PostgreSQL state at ``url``; use as a context manager
    (starts and stops the renewal thread). ``ttl``: seconds a lease lasts unrenewed. ``owner`` names the
    process in the table (for people reading it). Raises ``psycopg.OperationalError`` when the server cannot
    be reached."""

    def __init__(self, url: str, ttl: float, owner: str) -> None:
        self.url, self.ttl, self.owner = url, ttl, owner
        self.db = connect(url)
        self.round_start: Any = self.db.execute("SELECT now()").fetchone()[0]  # type: ignore[index]
        """When this process's round began (server clock): hosts finished before it are crawled again."""
        self.held: dict[str, Lease] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew_loop, name="host-lease-renewal", daemon=True)

    def __enter__(self) -> HostLeases:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        with self._lock:
            for lease in list(self.held.values()):  # given back at once: not finished, free for the others
                self.db.execute("UPDATE host_leases SET expires_at = now(), owner = NULL, token = NULL "
                                "WHERE host = %s AND token = %s", (lease.host, lease.token))
            self.held.clear()
        self.db.close()

    def claim(self, hosts: list[str]) -> Lease | None:
        """Lease the first of ``hosts`` that is free and not finished in this round, or ``None``."""
        token = secrets.token_hex(16)
        started = time.monotonic()
        with self._lock, self.db.transaction():
            self.db.execute("INSERT INTO host_leases (host) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                            (hosts,))
            row = self.db.execute(
                "SELECT host FROM host_leases WHERE host = ANY(%s) AND expires_at < now() AND finished_at < %s "
                "ORDER BY host LIMIT 1 FOR UPDATE SKIP LOCKED", (hosts, self.round_start)).fetchone()
            if row is None:
                return None
            self.db.execute("UPDATE host_leases SET owner = %s, token = %s, "
                            "expires_at = now() + make_interval(secs => %s) WHERE host = %s",
                            (self.owner, token, self.ttl, row[0]))
            lease = self.held[row[0]] = Lease(str(row[0]), token, self.ttl, started)
        return lease

    def unfinished(self, hosts: list[str]) -> bool:
        """True while one of ``hosts`` is not finished in this round (another process may be crawling it, or
        may have died holding it: it is claimed once its lease expires)."""
        with self._lock:
            row = self.db.execute("SELECT COUNT(*) FROM host_leases WHERE host = ANY(%s) AND finished_at >= %s",
                                  (hosts, self.round_start)).fetchone()
        return row is None or int(row[0]) < len(set(hosts))

    def release(self, lease: Lease, delay: float, finished: bool = True) -> None:
        """Give the host back: finished in this round (unless ``finished`` is false), free ``delay`` seconds
        from now (its politeness delay). A lease lost meanwhile is left to its new holder."""
        with self._lock:
            self.held.pop(lease.host, None)
            self.db.execute(
                "UPDATE host_leases SET owner = NULL, token = NULL, expires_at = now() + make_interval(secs => %s), "
                "finished_at = CASE WHEN %s THEN now() ELSE finished_at END WHERE host = %s AND token = %s",
                (delay, finished, lease.host, lease.token))

    def _renew_loop(self) -> None:
        db = connect(self.url)
        try:
            while not self._stop.wait(self.ttl / 3):
                with self._lock:
                    leases = list(self.held.values())
                for lease in leases:
                    started = time.monotonic()
                    try:
                        renewed = db.execute(
                            "UPDATE host_leases SET expires_at = now() + make_interval(secs => %s) "
                            "WHERE host = %s AND token = %s AND expires_at > now()",
                            (self.ttl, lease.host, lease.token)).rowcount
                    except Exception:  # the server unreachable: the lease runs out on its own (Lease.check)
                        continue
                    if renewed:
                        lease.renewed = started
                    else:
                        lease.lost = True
        finally:
            db.close()
