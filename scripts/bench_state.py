#!/usr/bin/env python3
"""State benchmark (a script, not a test): the PostgreSQL state against the SQLite file.

1. ``writes``: what the state costs per item: ``begin_writes`` + ``commit_writes`` of batches of 20 items (one
   list page's batch, as the crawl writes them), SQLite (WAL, ``synchronous=FULL``) vs PostgreSQL (a throwaway
   local cluster with PostgreSQL's durable defaults: fsync, synchronous commit; TCP on 127.0.0.1); µs per item,
   median of ``--repeat`` runs.
2. ``crawl``: ``scraper crawl`` on the synthetic site ../shared/bench/crawl/site.py (``--items`` on ``--hosts``),
   politeness off (``--delay 0``): 1 process on a SQLite state, 1 process on the PostgreSQL state, and 2
   processes started together on one PostgreSQL state and one output folder; wall seconds and pages/s (200
   responses / wall) from the site's counters, and the records written.

Usage: python scripts/bench_state.py [--items 2000] [--hosts 4] [--batches 250] [--workers 1] [--phases writes,crawl]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]
from bench_crawl import _requests, _start_site, _stats  # noqa: E402
from crawlbench_sources import write_sources  # noqa: E402
from pg import PgServer, bindir  # noqa: E402

from scraper.sinks.state import PendingWrite, Seen, StateBase, open_store, parse_state  # noqa: E402

NOW = "2025-01-01T09:00:00+09:00"


def _writes(state: StateBase, batches: int, tag: str) -> float:
    """µs per item of ``batches`` batches of 20 new items written (begin + commit)."""
    started = time.perf_counter()
    for b in range(batches):
        writes = [PendingWrite(f"src-{tag}", f"{b}-{i}", f"http://h/v?id={b}-{i}", f"rec-{b}-{i}", "hash",
                               f"/out/{tag}.jsonl", NOW, "2025-01-01", 1, 1) for i in range(20)]
        state.begin_writes(writes)
        state.commit_writes([Seen(w.source, w.item_id, NOW, '"e"', None, "p", 1) for w in writes])
    return (time.perf_counter() - started) / (batches * 20) * 1e6


def bench_writes(args: argparse.Namespace, work: Path, pg_url: str) -> list[str]:
    rows = []
    for name, spec in (("SQLite file", str(work / "writes.sqlite")), ("PostgreSQL", pg_url)):
        with open_store(parse_state(spec)) as state:
            times = [_writes(state, args.batches, f"{name[:2]}{r}") for r in range(args.repeat)]
        rows.append(f"| {name} | {statistics.median(times):.0f} | {min(times):.0f} | {max(times):.0f} |")
    return ["| state | µs per item (median) | min | max |", "|---|---|---|---|", *rows]


def _crawl_cmd(args: argparse.Namespace, work: Path, out: Path, state: str, processes: int) -> list[str]:
    lease_hosts = args.lease_hosts or -(-args.hosts // processes)  # default: the hosts shared out evenly
    return [args.scraper, "crawl", "--sources", str(work / "sources.toml"), "--out", str(out), "--state", state,
            "--delay", "0", "--ignore-robots", "--max-pages", "1000", "--host-concurrency", "4", "--no-learn",
            "--workers", str(args.workers), "--lease-hosts", str(lease_hosts)]


def _records(out: Path) -> int:
    return sum(len(f.read_text(encoding="utf-8").splitlines()) for f in out.rglob("*.jsonl")
               if f.name != "errors.jsonl")


def bench_crawl(args: argparse.Namespace, work: Path, server: PgServer) -> list[str]:
    site, hosts = _start_site(args, 0)
    rows = []
    try:
        write_sources(str(work / "sources.toml"), hosts, [f"기관{i + 1}" for i in range(len(hosts))])
        for label, processes, postgres in (("1 process, SQLite", 1, False), ("1 process, PostgreSQL", 1, True),
                                           ("2 processes, PostgreSQL", 2, True)):
            out = work / f"out-{processes}-{int(postgres)}"
            state = server.new_database() if postgres else str(work / f"crawl-{processes}.sqlite")
            _stats(hosts[0], reset=True)
            started = time.perf_counter()
            procs = [subprocess.Popen(_crawl_cmd(args, work, out, state, processes), stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True) for _ in range(processes)]
            codes = [p.wait() for p in procs]
            wall = time.perf_counter() - started
            ok, total, _ = _requests(_stats(hosts[0]))
            rows.append(f"| {label} | {wall:.1f} | {ok / wall:.0f} | {total} | {_records(out)} | {codes} |")
            print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        site.terminate()
        site.wait()
    return ["| crawl | wall s | pages/s | requests | records | exit |", "|---|---|---|---|---|---|", *rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--batches", type=int, default=250, help="batches of 20 items per writes run")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="extraction processes of each crawl process")
    parser.add_argument("--lease-hosts", type=int, default=0,
                        help="--lease-hosts of each process (default: hosts / processes, rounded up)")
    parser.add_argument("--port-base", type=int, default=8800)
    parser.add_argument("--bind", default="ips", choices=["ips", "ports"])
    parser.add_argument("--phases", default="writes,crawl")
    parser.add_argument("--scraper", default=str(Path(sys.executable).with_name("scraper")))
    args = parser.parse_args()
    found = bindir()
    if found is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
    work = Path(tempfile.mkdtemp(prefix="bench-state-"))
    server = PgServer(found, work)
    server.start(durable=True)
    try:
        phases = args.phases.split(",")
        if "writes" in phases:
            print(f"state writes: {args.batches} batches of 20 new items, begin_writes + commit_writes, "
                  f"{args.repeat} runs; PostgreSQL 127.0.0.1 TCP, fsync on")
            print("\n".join(bench_writes(args, work, server.new_database())))
        if "crawl" in phases:
            print(f"scraper crawl on {args.items} items / {args.hosts} hosts, politeness off, --workers "
                  f"{args.workers}, --lease-hosts {args.lease_hosts or 'hosts / processes'}")
            print("\n".join(bench_crawl(args, work, server)))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
