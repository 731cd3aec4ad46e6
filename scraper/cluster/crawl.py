"""A crawl on Ray (``scraper crawl --ray [ADDRESS]``): the sources' hosts sharded onto crawl actors by rendezvous
hashing (:mod:`scraper.cluster.shard`), each actor running the ordinary crawl (:func:`scraper.crawl.run.run_crawl`)
for the sources of its hosts, against the shared PostgreSQL state and into the shared output folder; the driver
merges the actors' reports into one.

What runs where: an actor owns its hosts' robots.txt cache, delay, ``Retry-After`` and validators (its own
fetcher), walks their list pages, fetches their view pages and extracts them (in its own process, or in
``--workers`` processes beside it) and writes their records. Exactly once in effect: each actor keeps the
crawl's order (write the records, then mark them seen, per batch) against the shared state, so an actor killed
mid-batch leaves pending writes that the next run over its sources settles (:mod:`scraper.crawl.reconcile`);
Ray restarts a killed actor and calls its crawl again (``MAX_RESTARTS``), and the state's host leases
(:mod:`scraper.crawl.shared`) keep two actors or two drivers off one host: a dead actor's hosts are taken over
when their lease expires (``--lease-seconds``). A SQLite state is refused: actors on other machines could not share it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import Any

from scraper.cluster.ray_env import connect
from scraper.cluster.shard import shard
from scraper.config import CrawlSettings, FetchSettings
from scraper.crawl.run import run_crawl
from scraper.errors import ConfigError
from scraper.fetch.politeness import host_key
from scraper.report import RunReport
from scraper.sources.board import BoardSource

MAX_RESTARTS = 2
"""Times Ray restarts a crawl actor that died (``ray.kill``, a lost machine) and calls its crawl again."""


class CrawlActor:
    """A Ray actor crawling the sources of its hosts (one ``run_crawl`` per call)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def pid(self) -> int:
        """The actor's process id (tests tell which process made a request)."""
        return os.getpid()

    def crawl(self, sources: list[BoardSource], settings: CrawlSettings, fetch_settings: FetchSettings,
              generic: bool = False) -> RunReport:
        """One crawl run over ``sources``; its report."""
        return asyncio.run(run_crawl(sources, settings, fetch_settings, generic=generic))


def assign(sources: Sequence[BoardSource], actors: Sequence[str]) -> dict[str, list[BoardSource]]:
    """The sources each actor crawls: every source goes with its list page's host (``host:port``), every host to
    its rendezvous owner; actors with no host are left out. Raises ``ValueError`` when ``actors`` is empty."""
    by_host: dict[str, list[BoardSource]] = {}
    for source in sources:
        by_host.setdefault(host_key(source.list_url), []).append(source)
    shards = shard(by_host, actors)
    return {actor: [s for host in hosts for s in by_host[host]] for actor, hosts in shards.items() if hosts}


def own_hosts(settings: CrawlSettings, sources: Sequence[BoardSource]) -> CrawlSettings:
    """``settings`` for the actor crawling ``sources``: every host of its shard leased at once (the shard already
    keeps the other actors off them; ``lease_hosts`` is for crawls that compete for one set of hosts)."""
    hosts = len({host_key(s.list_url) for s in sources})
    return settings.model_copy(update={"lease_hosts": max(settings.lease_hosts, hosts)})


def merge_reports(reports: Sequence[RunReport], sources_path: str | None) -> RunReport:
    """One report of the actors' ``reports``: their sources (each crawled by one actor), requests and notes."""
    merged = RunReport(sources_path=sources_path)
    for report in reports:
        merged.sources.update(report.sources)
        merged.requests += report.requests
        merged.notes += report.notes
    return merged


def actor_names(count: int) -> list[str]:
    """The names of ``count`` crawl actors: ``crawl-0`` ... (stable, so hosts keep their actor between runs)."""
    return [f"crawl-{n}" for n in range(count)]


def start_actors(ray: Any, names: Sequence[str], cpus: float = 1.0) -> dict[str, Any]:
    """One crawl actor per name, restarted by Ray when it dies; ``{name: handle}``."""
    remote = ray.remote(CrawlActor).options(num_cpus=cpus, max_restarts=MAX_RESTARTS,
                                            max_task_retries=MAX_RESTARTS)
    return {name: remote.remote(name) for name in names}


def crawl_on_ray(sources: list[BoardSource], settings: CrawlSettings, fetch_settings: FetchSettings, *,
                 address: str | None = None, actors: int | None = None, generic: bool = False) -> RunReport:
    """Crawl ``sources`` on ``actors`` Ray actors (default: one per CPU of the cluster) of the cluster at
    ``address`` (:func:`~scraper.cluster.ray_env.connect`). Raises :class:`ConfigError` without a PostgreSQL
    state or when Ray is missing; an actor's failure that outlives its restarts is raised as Ray gives it."""
    if settings.state_url is None:
        raise ConfigError("a Ray crawl needs a state all machines share: --state postgresql://user@host/db")
    ray = connect(address)
    count = actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
    plan = assign(sources, actor_names(count))
    cpus = min(1.0, float(ray.cluster_resources().get("CPU", 1)) / max(1, len(plan)))  # never more than there are
    handles = start_actors(ray, list(plan), cpus)
    try:
        refs = [handles[name].crawl.remote(mine, own_hosts(settings, mine), fetch_settings, generic)
                for name, mine in plan.items()]
        reports: list[RunReport] = ray.get(refs)
    finally:
        for handle in handles.values():
            ray.kill(handle, no_restart=True)
    return merge_reports(reports, str(settings.sources_path) if settings.sources_path else None)


__all__ = ["MAX_RESTARTS", "CrawlActor", "actor_names", "assign", "crawl_on_ray", "merge_reports", "own_hosts",
           "start_actors"]
