"""A crawl run on a PostgreSQL state shared with other crawl processes (``crawl --state postgresql://...``).

Every process of a round is started with the same sources (cron on several machines, or a Ray job). The
sources are grouped by host (``host_key`` of their list URL); a process holds at most
``CrawlSettings.lease_hosts`` hosts at once, each under a host lease (:mod:`scraper.sinks.state.leases`), and
for each host it claims it: settles the pending writes of that host's sources only (another live process's
pending writes are not a crash's), rebuilds their state from the output folder when it is lost, crawls them,
releases the host (finished for this round, free after its politeness delay) and claims the next, until every
host is finished in this round. A host leased by a process that died is claimed once its lease expires
(``CrawlSettings.lease_seconds``).

The output folder may be shared by the processes (one machine, or a shared filesystem such as NFS): a
source's files are written only by its host's lease holder, so the folder-wide ``.crawl`` lock is not taken.
"""

from __future__ import annotations

import asyncio
import os
import socket

from scraper.config import CrawlSettings
from scraper.crawl.crawler import Crawler, Progress
from scraper.crawl.reconcile import has_record, rebuild_from_output
from scraper.fetch.client import Fetcher
from scraper.fetch.politeness import host_key
from scraper.report import RunReport
from scraper.sinks.state import StateBase
from scraper.sinks.state.leases import HostLeases, LeaseLost
from scraper.sources.board import BoardSource


async def crawl_shared(crawler: Crawler, fetcher: Fetcher, state: StateBase, sources: list[BoardSource],
                       settings: CrawlSettings, report: RunReport, progress: Progress) -> None:
    """Crawl the hosts of ``sources`` this process gets a lease of, until all are finished in this round."""
    assert settings.state_url is not None
    by_host: dict[str, list[BoardSource]] = {}
    for source in sources:
        by_host.setdefault(host_key(source.list_url), []).append(source)
    hosts = sorted(by_host)
    owner = f"{socket.gethostname()}:{os.getpid()}"
    with HostLeases(settings.state_url, settings.lease_seconds, owner) as leases:
        lanes = max(1, min(settings.lease_hosts, len(hosts)))
        await asyncio.gather(*(_lane(leases, hosts, by_host, crawler, fetcher, state, settings, report, progress)
                               for _ in range(lanes)))


async def _lane(leases: HostLeases, hosts: list[str], by_host: dict[str, list[BoardSource]], crawler: Crawler,
                fetcher: Fetcher, state: StateBase, settings: CrawlSettings, report: RunReport,
                progress: Progress) -> None:
    """One host at a time: claim, settle, crawl, release; wait while other processes hold the rest."""
    while True:
        lease = leases.claim(hosts)
        if lease is None:
            if not leases.unfinished(hosts):
                return
            await asyncio.sleep(min(1.0, settings.lease_seconds / 3))
            continue
        group = by_host[lease.host]
        gate = fetcher.gate(group[0].list_url)
        gate.guard = lease.check
        names = [s.name for s in group]
        state.recover(has_record, sources=names)
        for name in names:
            rebuilt = rebuild_from_output(state, name, settings.out_dir)
            if rebuilt:
                progress.message(f"{name}: state rebuilt from {rebuilt} records already in the output folder")
        outcomes = await asyncio.gather(*(crawler.crawl_source(s) for s in group), return_exceptions=True)
        lost = [o for o in outcomes if isinstance(o, LeaseLost)]
        if lost:
            report.notes.append(f"host {lease.host}: {lost[0]}; its crawl stopped before its next request "
                                "(another process took the host over)")
            leases.release(lease, gate.delay, finished=False)  # forgotten here; the database row is the new holder's
            continue
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        gate.guard = None
        leases.release(lease, gate.delay)
