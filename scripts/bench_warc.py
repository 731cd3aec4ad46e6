#!/usr/bin/env python3
"""WARC benchmark (a script, not a test): the archive feed on the synthetic board of ../shared/bench/crawl/site.py.

Phases (politeness off, robots ignored, a fresh state and output folder for each crawl):

- ``crawl`` and ``crawl --warc``: the same first crawl without and with WARC capture, alternated ``--repeat``
  times: wall seconds, pages/s (200 responses / wall), peak RSS of the crawler's process tree;
- ``read``: every capture of the crawl's WARC files read with FastWARC and with warcio (in this process):
  captures/s;
- ``warc extract``: ``scraper warc extract`` of the files with ``--workers 1`` and ``--workers 2``: records/s and
  peak RSS, and on the first file alone (fewer records: memory flat in the number of records?);
- ``trafilatura``: our extraction and trafilatura's ``bare_extraction`` (with metadata) on the same view pages
  of the WARC, in this process, one after the other: pages/s;
- ``corpus`` (``scripts/warc_corpus.py``): the real pages of ../shared/corpus/real/{news,gov} captured to a WARC
  by ``scraper extract --warc`` through a loopback proxy, re-extracted by ``scraper warc extract`` and by
  trafilatura in the same run: pages/s and body F1 against the gold (../shared/bench/evaluate.py's scoring).

Usage: python scripts/bench_warc.py [--items 10000] [--hosts 10] [--repeat 1] [--warc-max-size BYTES]
       [--workers N] [--bind ports|ips] [--json FILE] [--no-corpus | --corpus-only | --crawl-only]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import warc_corpus  # noqa: E402
from bench_crawl import _requests, _sample, _start_site, _stats  # noqa: E402
from crawlbench_sources import write_sources  # noqa: E402


def _measure(cmd: list[str], out_file: Path | None = None) -> dict[str, Any]:
    """Run ``cmd``, sampling the peak RSS (MiB) of its process tree; wall seconds, exit code, stderr's tail."""
    started = time.perf_counter()
    sink = out_file.open("wb") if out_file else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE, text=True)
        peak, cpu = 0, dict[int, float]()
        while proc.poll() is None:
            peak = max(peak, _sample(proc.pid, cpu))
            time.sleep(0.05)
    finally:
        if out_file:
            sink.close()  # type: ignore[union-attr]
    return {"wall_s": time.perf_counter() - started, "rc": proc.returncode, "peak_rss_mb": peak / 1024,
            "cpu_s": sum(cpu.values()), "stderr_tail": (proc.stderr.read() if proc.stderr else "")[-300:]}


def _crawl(args: argparse.Namespace, work: Path, hosts: list[str], name: str, warc: bool) -> dict[str, Any]:
    out = work / f"out-{name}"
    cmd = [args.scraper, "crawl", "--sources", str(work / "sources.toml"), "--out", str(out), "--delay", "0",
           "--ignore-robots", "--max-pages", "1000", "--host-concurrency", "4", "--no-learn",
           *(["--workers", str(args.workers)] if args.workers is not None else []),
           *(["--warc", str(work / f"capture-{name}"), "--warc-max-size", str(args.warc_max_size)] if warc else [])]
    _stats(hosts[0], reset=True)
    row = _measure(cmd)
    ok, total, _ = _requests(_stats(hosts[0]))
    row.update(phase=name, warc=warc, pages=ok, requests=total, pages_per_s=ok / row["wall_s"])
    if warc:
        files = sorted((work / f"capture-{name}").iterdir())
        row.update(warc_files=len(files), warc_mb=sum(f.stat().st_size for f in files) / 1e6)
    print(f"  {name}: {row['wall_s']:.1f} s, {row['pages_per_s']:.0f} pages/s, {row['peak_rss_mb']:.0f} MB, "
          f"exit {row['rc']}", file=sys.stderr, flush=True)
    return row


def _read_speed(files: list[Path]) -> dict[str, float]:
    from scraper.archive.read import READERS, iter_captures

    speeds = {}
    for reader in READERS:
        started, count = time.perf_counter(), 0
        for path in files:
            count += sum(1 for _ in iter_captures(path, reader=reader))
        speeds[reader] = count / (time.perf_counter() - started)
        print(f"  read {reader}: {count} captures, {speeds[reader]:.0f}/s", file=sys.stderr, flush=True)
    return speeds


def _extractors(files: list[Path], limit: int) -> dict[str, Any]:
    """Ours and trafilatura's pages/s on the same decoded view pages of ``files`` (at most ``limit``)."""
    import trafilatura

    from scraper.archive.read import decoded_body, iter_captures
    from scraper.fetch.decode import decode_html
    from scraper.pipeline import extract_page

    pages: list[tuple[str, bytes, str | None]] = []
    for path in files:
        for capture in iter_captures(path):
            if capture.kind == "response" and "view.do" in capture.url and capture.status == 200:
                pages.append((capture.url, decoded_body(capture, 1 << 26), capture.header("content-type")))
            if len(pages) >= limit:
                break
    texts = [decode_html(data, ctype, url=url).text for url, data, ctype in pages]
    started = time.perf_counter()
    for url, data, ctype in pages:
        extract_page(data, url=url, content_type=ctype)
    ours = len(pages) / (time.perf_counter() - started)
    started = time.perf_counter()
    for (url, _, _), text in zip(pages, texts, strict=True):
        trafilatura.bare_extraction(text, url=url, with_metadata=True)
    theirs = len(pages) / (time.perf_counter() - started)
    print(f"  extraction on {len(pages)} WARC pages: ours {ours:.0f}/s, trafilatura {theirs:.0f}/s",
          file=sys.stderr, flush=True)
    return {"pages": len(pages), "ours_per_s": ours, "trafilatura_per_s": theirs}


def _replay(args: argparse.Namespace, work: Path, files: list[Path], workers: int, label: str) -> dict[str, Any]:
    out = work / f"replay-{label}.jsonl"
    row = _measure([args.scraper, "warc", "extract", *map(str, files), "--no-revisits", "--url", "*view.do*",
                    "--workers", str(workers)], out)
    records = sum(1 for _ in out.open(encoding="utf-8"))
    row.update(phase=f"warc extract {label}", workers=workers, records=records, records_per_s=records / row["wall_s"])
    print(f"  warc extract {label}: {records} records, {row['records_per_s']:.0f}/s, {row['peak_rss_mb']:.0f} MB",
          file=sys.stderr, flush=True)
    return row


def _crawl_table(args: argparse.Namespace, rows: list[dict[str, Any]], work: Path) -> None:
    """The crawls side by side, and the capture overhead (mean pages/s with --warc against without)."""
    print(f"WARC benchmark: {args.items} items / {args.hosts} hosts, politeness off, --no-learn; work dir {work}")
    print("| crawl | wall s | pages/s | peak RSS MB | WARC files | WARC MB | exit |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['phase']} | {row['wall_s']:.1f} | {row['pages_per_s']:.0f} | {row['peak_rss_mb']:.0f} | "
              f"{row.get('warc_files', '-')} | {row.get('warc_mb', 0):.0f} | {row['rc']} |")
    plain = [r["pages_per_s"] for r in rows if not r["warc"]]
    warc = [r["pages_per_s"] for r in rows if r["warc"]]
    print(f"capture overhead: {100 * (1 - (sum(warc) / len(warc)) / (sum(plain) / len(plain))):.1f}% fewer pages/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="crawls with and without --warc, alternated")
    parser.add_argument("--warc-max-size", type=int, default=50_000_000, help="WARC rotation size of the crawl")
    parser.add_argument("--workers", type=int, default=None, help="crawl --workers (default: the crawl's)")
    parser.add_argument("--port-base", type=int, default=8800)
    parser.add_argument("--bind", default="ips", choices=["ips", "ports"])
    parser.add_argument("--extract-limit", type=int, default=2000, help="pages for the trafilatura comparison")
    parser.add_argument("--json", type=Path, help="write the rows as JSON here")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--no-corpus", action="store_true", help="skip the real-corpus F1 phase")
    chosen.add_argument("--corpus-only", action="store_true", help="only the real-corpus F1 phase")
    chosen.add_argument("--crawl-only", action="store_true", help="only the crawls with and without --warc")
    parser.add_argument("--scraper", default=str(Path(sys.executable).with_name("scraper")))
    args = parser.parse_args()
    if args.corpus_only:
        warc_corpus.report(warc_corpus.run(args.scraper))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-warc-"))
    rows: list[dict[str, Any]] = []
    site, hosts = _start_site(argparse.Namespace(items=args.items, hosts=args.hosts, port_base=args.port_base,
                                                 bind=args.bind), 0)
    try:
        write_sources(str(work / "sources.toml"), hosts, [f"기관{i + 1}" for i in range(len(hosts))])
        for n in range(args.repeat):
            rows.append(_crawl(args, work, hosts, f"plain-{n}", warc=False))
            rows.append(_crawl(args, work, hosts, f"warc-{n}", warc=True))
    finally:
        site.terminate()
        site.wait()
    if args.crawl_only:
        _crawl_table(args, rows, work)
        return
    files = sorted((work / "capture-warc-0").iterdir())
    speeds = _read_speed(files)
    compare = _extractors(files, args.extract_limit)
    replays = [_replay(args, work, files, 1, "1 worker"), _replay(args, work, files, 2, "2 workers"),
               _replay(args, work, files[:1], 1, "first file, 1 worker")]
    _crawl_table(args, rows, work)
    print(f"reading captures: FastWARC {speeds['fastwarc']:.0f}/s, warcio {speeds['warcio']:.0f}/s "
          f"({speeds['fastwarc'] / speeds['warcio']:.1f}x)")
    print(f"extraction of {compare['pages']} WARC view pages in one process: ours {compare['ours_per_s']:.0f} pages/s, "
          f"trafilatura {compare['trafilatura_per_s']:.0f} pages/s "
          f"({compare['ours_per_s'] / compare['trafilatura_per_s']:.1f}x)")
    print("| warc extract | records | wall s | records/s | peak RSS MB | exit |")
    print("|---|---|---|---|---|---|")
    for row in replays:
        print(f"| {row['phase']} | {row['records']} | {row['wall_s']:.1f} | {row['records_per_s']:.0f} | "
              f"{row['peak_rss_mb']:.0f} | {row['rc']} |")
    corpus = None if args.no_corpus else warc_corpus.run(args.scraper)
    if corpus is not None:
        warc_corpus.report(corpus)
    if args.json:
        args.json.write_text(json.dumps({"crawls": rows, "read": speeds, "extractors": compare, "replays": replays,
                                         "corpus": corpus},
                                        ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
