#!/usr/bin/env python3
"""Crawl benchmark (a script, not a test): ``scraper crawl`` on the synthetic local board of
../shared/bench/crawl/site.py (default 10,000 items on 10 hosts), politeness off.

Phases, against one state file (a fresh output folder each):

- ``first``: empty state, every item fetched and written;
- ``rerun``: site unchanged, no re-checks (one list request per source);
- ``rerun-recheck``: site unchanged, ``--recheck N``: what a no-change run with rotating re-checks costs;
- ``mutate-N``: the site restarted with ``--mutate K`` (K items revised, list pages unchanged), crawled with
  ``--recheck N`` run after run until all K revisions are written (at most the rotation's bound + 1 runs);
- ``mutate-refresh``: the same mutated site from the state as it was before, one run with ``--refresh``
  every item (the old way to catch every revision: a conditional GET of every item each run).

Prints wall seconds, pages/s (200 responses / wall), requests by kind and 304s from the site's counters,
records written (and those with the revision's text), peak RSS of the crawler's process tree (its workers
included) and the crawler's CPU seconds.

Usage: python scripts/bench_crawl.py [--items 10000] [--hosts 10] [--mutate 100] [--recheck 100] [--workers N]
       [--bind ports|ips] [--no-learn] [--phases first,rerun,...]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SITE = HERE.parents[1] / "shared" / "bench" / "crawl" / "site.py"
MUTATION_MARK = "일부 내용이 수정되었습니다"
sys.path.insert(0, str(HERE))
from crawlbench_sources import write_sources  # noqa: E402


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _sample(pid: int, cpu: dict[int, float]) -> int:
    """Resident memory (KiB) of ``pid``'s process tree; remembers each process's latest CPU seconds in ``cpu``."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            cpu[p] = (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            continue
    return total


def _stats(base: str, reset: bool = False) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/__bench/stats{'?reset=1' if reset else ''}", timeout=30) as resp:
        result: dict[str, Any] = json.loads(resp.read())
        return result


def _start_site(args: argparse.Namespace, mutate: int) -> tuple[subprocess.Popen[str], list[str]]:
    cmd = [sys.executable, str(SITE), "serve", "--items", str(args.items), "--hosts", str(args.hosts), "--seed", "1",
           "--port-base", str(args.port_base), "--bind", args.bind, "--mutate", str(mutate), "--log", "/dev/null"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    info = json.loads(proc.stdout.readline())
    return proc, list(info["hosts"])


def _crawl(args: argparse.Namespace, work: Path, phase: str, extra: list[str], state: Path) -> dict[str, Any]:
    out = work / f"out-{phase}"
    cmd = [args.scraper, "crawl", "--sources", str(work / "sources.toml"), "--out", str(out), "--state", str(state),
           "--delay", "0", "--ignore-robots", "--max-pages", "1000", "--host-concurrency", str(args.host_concurrency),
           *(["--no-learn"] if args.no_learn else []), *(["--workers", str(args.workers)] if args.workers is not None
                                                         else []), *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, cpu = 0, dict[int, float]()
    while proc.poll() is None:
        peak = max(peak, _sample(proc.pid, cpu))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    records = mutated = 0
    for f in out.rglob("*.jsonl") if out.exists() else []:
        if f.name != "errors.jsonl":
            for line in f.read_text(encoding="utf-8").splitlines():
                records += 1
                mutated += MUTATION_MARK in line
    return {"phase": phase, "rc": proc.returncode, "wall_s": wall, "peak_rss_mb": peak / 1024,
            "cpu_s": sum(cpu.values()), "records": records, "mutated": mutated,
            "stderr_tail": (proc.stderr.read() if proc.stderr else "")[-300:]}


def _requests(stats: dict[str, Any]) -> tuple[int, int, int]:
    """(list + view 200 responses, all requests, 304s) from the site's counters."""
    ok = total = not_modified = 0
    for statuses in (stats.get("kinds") or {}).values():
        for status, count in statuses.items():
            total += count
            ok += count if str(status) == "200" else 0
            not_modified += count if str(status) == "304" else 0
    return ok, total, not_modified


def _phase(args: argparse.Namespace, work: Path, hosts: list[str], phase: str, extra: list[str], state: Path
           ) -> dict[str, Any]:
    _stats(hosts[0], reset=True)
    row = _crawl(args, work, phase, extra, state)
    row["site_stats"] = _stats(hosts[0])
    ok, total, not_modified = _requests(row["site_stats"])
    print(f"  {phase}: {row['wall_s']:.1f} s, {ok / row['wall_s']:.0f} pages/s, {total} requests ({not_modified} 304), "
          f"{row['records']} records ({row['mutated']} revised), {row['peak_rss_mb']:.0f} MB, exit {row['rc']}",
          file=sys.stderr, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--mutate", type=int, default=100)
    parser.add_argument("--recheck", type=int, default=100, help="--recheck budget per source per run")
    parser.add_argument("--workers", type=int, default=None, help="--workers (default: the crawl's default)")
    parser.add_argument("--port-base", type=int, default=8800)
    parser.add_argument("--bind", default="ips", choices=["ips", "ports"])
    parser.add_argument("--host-concurrency", type=int, default=4)
    parser.add_argument("--no-learn", action="store_true", help="crawl without learning each source's template")
    parser.add_argument("--phases", default="first,rerun,rerun-recheck,mutate,mutate-refresh")
    parser.add_argument("--scraper", default=str(Path(sys.executable).with_name("scraper")))
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    work = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    state, rows = work / "state.sqlite", []
    per_source = math.ceil(args.items / args.hosts)
    bound = math.ceil(per_source / max(1, args.recheck // 2)) if args.recheck else 0
    site, hosts = _start_site(args, 0)
    try:
        write_sources(str(work / "sources.toml"), hosts, [f"기관{i + 1}" for i in range(len(hosts))])
        rows.append(_phase(args, work, hosts, "first", [], state))
        if "rerun" in phases:
            rows.append(_phase(args, work, hosts, "rerun", [], state))
        shutil.copy(state, work / "state-before-mutate.sqlite")
        if "rerun-recheck" in phases and args.recheck:
            rows.append(_phase(args, work, hosts, "rerun-recheck", ["--recheck", str(args.recheck)], state))
    finally:
        site.terminate()
        site.wait()
    site, hosts = _start_site(args, args.mutate)
    try:
        if "mutate" in phases and args.recheck:
            caught = 0
            for run in range(1, bound + 2):
                row = _phase(args, work, hosts, f"mutate-{run}", ["--recheck", str(args.recheck)], state)
                rows.append(row)
                caught += row["mutated"]
                if caught >= args.mutate:
                    break
        if "mutate-refresh" in phases:
            rows.append(_phase(args, work, hosts, "mutate-refresh", ["--refresh", str(per_source)],
                               work / "state-before-mutate.sqlite"))
    finally:
        site.terminate()
        site.wait()
    print(f"scraper crawl on {args.items} items / {args.hosts} hosts, politeness off (--delay 0, --host-concurrency "
          f"{args.host_concurrency}, workers {'default' if args.workers is None else args.workers}); --recheck "
          f"{args.recheck} (rotation bound {bound} runs), --mutate {args.mutate}; work dir {work}")
    print("| phase | wall s | pages/s | requests | 304 | records | revised | peak RSS MB | CPU s | exit |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    caught = 0
    for row in rows:
        ok, total, not_modified = _requests(row["site_stats"])
        if row["phase"].startswith("mutate-") and row["phase"] != "mutate-refresh":
            caught += row["mutated"]
        print(f"| {row['phase']} | {row['wall_s']:.1f} | {ok / row['wall_s']:.0f} | {total} | {not_modified} | "
              f"{row['records']} | {row['mutated']} | {row['peak_rss_mb']:.0f} | {row['cpu_s']:.1f} | {row['rc']} |")
    if "mutate" in phases and args.recheck:
        runs = sum(1 for r in rows if r["phase"].startswith("mutate-") and r["phase"] != "mutate-refresh")
        print(f"--recheck {args.recheck}: {caught} of {args.mutate} revisions caught in {runs} runs (bound {bound})")
    (work / "bench.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
