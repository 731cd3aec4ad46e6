#!/usr/bin/env python3
"""Crawl benchmark (a script, not a test): ``scraper crawl`` on the synthetic local board of
../shared/bench/crawl/site.py (default 10,000 items on 10 hosts), politeness off.

Runs three phases against one state file: first (empty state), rerun (site unchanged), and mutate
(site restarted with ``--mutate K``, crawl with ``--refresh``). Prints wall seconds, pages/s (200
responses / wall), peak RSS of the crawler process tree, requests by kind from the site's counters, and
records written.

Usage: python scripts/bench_crawl.py [--items 10000] [--hosts 10] [--mutate 100] [--bind ports|ips]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE.parents[1] / "shared" / "bench" / "crawl" / "site.py"
sys.path.insert(0, str(HERE))
from crawlbench_sources import write_sources  # noqa: E402


def _rss_tree_kb(pid: int) -> int:
    """Resident memory (KiB) of ``pid`` and its children, from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _stats(base: str, reset: bool = False) -> dict:
    with urllib.request.urlopen(f"{base}/__bench/stats{'?reset=1' if reset else ''}", timeout=10) as resp:
        return json.loads(resp.read())


def _start_site(args: argparse.Namespace, mutate: int) -> tuple[subprocess.Popen, list[str]]:
    cmd = [sys.executable, str(SITE), "serve", "--items", str(args.items), "--hosts", str(args.hosts), "--seed", "1",
           "--port-base", str(args.port_base), "--bind", args.bind, "--mutate", str(mutate), "--log", "/dev/null"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    info = json.loads(proc.stdout.readline())
    return proc, info["hosts"]


def _crawl(args: argparse.Namespace, work: Path, phase: str, extra: list[str]) -> dict:
    out = work / f"out-{phase}"
    cmd = [args.scraper, "crawl", "--sources", str(work / "sources.toml"), "--out", str(out), "--state",
           str(work / "state.sqlite"), "--delay", "0", "--ignore-robots", "--max-pages", "1000",
           "--host-concurrency", str(args.host_concurrency), *(["--no-learn"] if args.no_learn else []), *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _rss_tree_kb(proc.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    records = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in out.rglob("*.jsonl")
                  if f.name != "errors.jsonl") if out.exists() else 0
    return {"phase": phase, "rc": proc.returncode, "wall_s": wall, "peak_rss_mb": peak / 1024, "records": records,
            "stderr_tail": (proc.stderr.read() if proc.stderr else "")[-300:]}


def _requests(stats: dict) -> tuple[int, int, int]:
    """(list + view 200 responses, all requests, 304s) from the site's counters."""
    by_kind = stats.get("kinds") or {}
    ok = total = not_modified = 0
    for statuses in by_kind.values():
        for status, count in statuses.items():
            total += count
            ok += count if str(status) == "200" else 0
            not_modified += count if str(status) == "304" else 0
    return ok, total, not_modified


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--mutate", type=int, default=100)
    parser.add_argument("--port-base", type=int, default=8800)
    parser.add_argument("--bind", default="ips", choices=["ips", "ports"])
    parser.add_argument("--host-concurrency", type=int, default=4)
    parser.add_argument("--no-learn", action="store_true", help="crawl without learning each source's template")
    parser.add_argument("--scraper", default=str(Path(sys.executable).with_name("scraper")))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    rows = []
    for phase, mutate, extra in (("first", 0, []), ("rerun", 0, []),
                                 ("mutate", args.mutate, ["--refresh", str(args.items)])):
        site, hosts = _start_site(args, mutate)
        try:
            if phase == "first":
                write_sources(str(work / "sources.toml"), hosts, [f"기관{i + 1}" for i in range(len(hosts))])
            _stats(hosts[0], reset=True)
            row = _crawl(args, work, phase, extra)
            row["site_stats"] = _stats(hosts[0])
        finally:
            site.terminate()
            site.wait()
        rows.append(row)
    print(f"scraper crawl on {args.items} items / {args.hosts} hosts, politeness off "
          f"(--delay 0, --host-concurrency {args.host_concurrency}); work dir {work}")
    print("| phase | wall s | pages/s | requests | 304 | records | peak RSS MB | exit |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        ok, total, not_modified = _requests(row["site_stats"])
        print(f"| {row['phase']} | {row['wall_s']:.1f} | {ok / row['wall_s']:.0f} | {total} | {not_modified} | "
              f"{row['records']} | {row['peak_rss_mb']:.0f} | {row['rc']} |")
    (work / "bench.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
