#!/usr/bin/env python3
"""Scale-out benchmark (a script, not a test): WARC re-extraction and crawls on 1 vs 2 CPUs, locally and on Ray,
on the synthetic board of ../shared/bench/crawl/site.py (politeness off, robots ignored).

Phases:

- ``capture``: one single-process crawl of the site with ``--warc`` (one WARC file: the units of work then cut
  one big file);
- ``warc extract``: the file's view pages re-extracted on a local pool of 1 and 2 processes and on Ray with 1 and
  2 CPUs (a Ray cluster started for each, its start not timed): records/s, and whether every output is the
  1-process output byte for byte;
- ``crawl --ray``: a fresh crawl of the site by 1 and 2 Ray actors (Ray on 2 CPUs, started here; a throwaway
  PostgreSQL from tests/pg.py, a fresh database each; extraction in the actors), and the single-process crawl
  (extraction in its process too) on the same kind of state:
  wall seconds, pages/s.

Ray starts its workers at nice 15 (``RAY_worker_niceness``); on a machine shared with other jobs that alone halves
their share of the CPU, so this script sets it to 0, as for the local processes (``--ray-nice N`` to change).

Usage: python scripts/bench_cluster.py [--items 2000] [--hosts 4] [--bind ports|ips] [--ray-nice 0] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from bench_crawl import _requests, _start_site, _stats  # noqa: E402
from crawlbench_sources import write_sources  # noqa: E402

RAY_REPLAY = """
import io, json, sys, time
from pathlib import Path
import ray
from scraper.cluster.replay import ray_runner
from scraper.replay.extract import ReplayJob
from scraper.archive.read import Filters
from scraper.replay.run import replay_files
cpus, files, out = int(sys.argv[1]), [Path(f) for f in sys.argv[3:]], Path(sys.argv[2])
ray.init(num_cpus=cpus, include_dashboard=False, logging_level="warning", log_to_driver=False)
started = time.perf_counter()
with out.open("w", encoding="utf-8") as handle:
    replay_files(files, ReplayJob(Filters(globs=("*view.do*",)), revisits=False), handle, workers=cpus,
                 runner=ray_runner())
print(json.dumps({"wall_s": time.perf_counter() - started}))
"""


def _replay_local(args: argparse.Namespace, work: Path, files: list[Path], workers: int) -> dict[str, Any]:
    out = work / f"replay-local-{workers}.jsonl"
    started = time.perf_counter()
    with out.open("wb") as sink:
        proc = subprocess.run([args.scraper, "warc", "extract", *map(str, files), "--no-revisits", "--url",
                               "*view.do*", "--workers", str(workers)], stdout=sink, stderr=subprocess.PIPE,
                              check=False)
    return {"phase": f"warc extract, local pool of {workers}", "wall_s": time.perf_counter() - started,
            "rc": proc.returncode, "out": out}


def _replay_ray(work: Path, files: list[Path], cpus: int) -> dict[str, Any]:
    out = work / f"replay-ray-{cpus}.jsonl"
    proc = subprocess.run([sys.executable, "-c", RAY_REPLAY, str(cpus), str(out), *map(str, files)],
                          capture_output=True, text=True, check=False)
    wall = json.loads(proc.stdout.strip().splitlines()[-1])["wall_s"] if proc.returncode == 0 else float("nan")
    return {"phase": f"warc extract, Ray on {cpus} CPU(s)", "wall_s": wall, "rc": proc.returncode, "out": out}


def _crawl(args: argparse.Namespace, work: Path, hosts: list[str], state: str, name: str,
           extra: list[str]) -> dict[str, Any]:
    out = work / f"out-{name}"
    cmd = [args.scraper, "crawl", "--sources", str(work / "sources.toml"), "--out", str(out), "--state", state,
           "--delay", "0", "--ignore-robots", "--max-pages", "1000", "--no-learn", *extra]
    _stats(hosts[0], reset=True)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    ok, total, _ = _requests(_stats(hosts[0]))
    records = sum(1 for f in out.rglob("*.jsonl") if f.name != "errors.jsonl" for _ in f.open(encoding="utf-8"))
    row = {"phase": name, "wall_s": wall, "rc": proc.returncode, "pages": ok, "requests": total,
           "pages_per_s": ok / wall, "records": records, "stderr_tail": proc.stderr[-300:], **_db_load(state, records)}
    print(f"  {name}: {wall:.1f} s, {ok / wall:.0f} pages/s, {records} records, exit {proc.returncode}, "
          f"per record: {row['commits_per_record']:.2f} commits, {row['rows_written_per_record']:.2f} rows written, "
          f"{row['scans_per_record']:.1f} table scans", file=sys.stderr, flush=True)
    return row


def _db_load(state: str, records: int) -> dict[str, float]:
    """The database's load per record: commits and rows inserted + updated + deleted (pg_stat_database), table
    scans, sequential or by index (pg_stat_user_tables: about one per statement that reads a table)."""
    import psycopg

    time.sleep(1.0)  # the statistics collector's flush (PGSTAT_MIN_INTERVAL) after the last backend left
    with psycopg.connect(state, autocommit=True) as db:
        row = db.execute("SELECT xact_commit, tup_inserted + tup_updated + tup_deleted, tup_fetched "
                         "FROM pg_stat_database WHERE datname = current_database()").fetchone()
        calls = db.execute("SELECT sum(calls) FROM pg_stat_user_tables CROSS JOIN LATERAL "
                           "(SELECT seq_scan + coalesce(idx_scan, 0) AS calls) c").fetchone()
    commits, written, _ = row if row else (0, 0, 0)
    scans = float(calls[0] or 0) if calls else 0.0
    per = max(1, records)
    return {"commits_per_record": commits / per, "rows_written_per_record": written / per,
            "scans_per_record": scans / per}


def _replays(args: argparse.Namespace, work: Path, files: list[Path]) -> list[dict[str, Any]]:
    rows = [_replay_local(args, work, files, 1), _replay_local(args, work, files, 2), _replay_ray(work, files, 1),
            _replay_ray(work, files, 2)]
    reference = rows[0]["out"].read_bytes()
    for row in rows:
        data = row.pop("out").read_bytes()
        row.update(records=data.count(b"\n"), identical=data == reference)
        row["records_per_s"] = row["records"] / row["wall_s"]
        print(f"  {row['phase']}: {row['records']} records, {row['records_per_s']:.0f}/s, identical "
              f"{row['identical']}, exit {row['rc']}", file=sys.stderr, flush=True)
    return rows


def _ray_crawls(args: argparse.Namespace, work: Path, hosts: list[str]) -> list[dict[str, Any]]:
    import ray
    from pg import pg_server

    rows = []
    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning", log_to_driver=False)
    address = ray.get_runtime_context().gcs_address
    try:
        with pg_server() as server:
            rows.append(_crawl(args, work, hosts, server.new_database(),
                               "crawl, one process, extraction in it (PostgreSQL state)", ["--workers", "0"]))
            for actors in (1, 2):
                rows.append(_crawl(args, work, hosts, server.new_database(), f"crawl --ray, {actors} actor(s)",
                                   ["--ray", address, "--actors", str(actors)]))
    finally:
        ray.shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--port-base", type=int, default=8850)
    parser.add_argument("--bind", default="ips", choices=["ips", "ports"])
    parser.add_argument("--json", type=Path, help="write the rows as JSON here")
    parser.add_argument("--scraper", default=str(Path(sys.executable).with_name("scraper")))
    parser.add_argument("--ray-nice", type=int, default=0, help="niceness of Ray's worker processes")
    args = parser.parse_args()
    os.environ["RAY_worker_niceness"] = str(args.ray_nice)  # read by the raylet that ray.init starts
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    site, hosts = _start_site(argparse.Namespace(items=args.items, hosts=args.hosts, port_base=args.port_base,
                                                 bind=args.bind), 0)
    rows: list[dict[str, Any]] = []
    try:
        write_sources(str(work / "sources.toml"), hosts, [f"기관{i}" for i in range(len(hosts))])
        capture = subprocess.run([args.scraper, "crawl", "--sources", str(work / "sources.toml"), "--out",
                                  str(work / "out-capture"), "--delay", "0", "--ignore-robots", "--max-pages", "1000",
                                  "--no-learn", "--warc", str(work / "warc"), "--warc-max-size", str(10**10)],
                                 capture_output=True, text=True, check=False)
        files = sorted((work / "warc").iterdir())
        print(f"capture: exit {capture.returncode}, {len(files)} file(s), "
              f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB", file=sys.stderr, flush=True)
        rows += _replays(args, work, files)
        rows += _ray_crawls(args, work, hosts)
    finally:
        site.terminate()
        site.wait()
    print("\n| phase | wall s | per s | identical / records |\n|---|---|---|---|")
    for row in rows:
        speed = row.get("records_per_s", row.get("pages_per_s", 0.0))
        what = row.get("identical", row.get("records"))
        print(f"| {row['phase']} | {row['wall_s']:.1f} | {speed:.0f} | {what} |")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
