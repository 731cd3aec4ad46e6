#!/usr/bin/env python3
"""Benchmark of the fetcher (a script, not a test): N small pages from local servers on H host:port pairs.

Servers run in a separate process (asyncio, keep-alive HTTP/1.1) so that they do not share the
client's interpreter. Prints pages/second and peak memory for politeness off and on.

Usage: python scripts/bench_fetch.py [--pages 2000] [--hosts 20] [--polite-delay 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import time

import httpx

from scraper.config import FetchSettings
from scraper.fetch.client import Fetcher

BODY = ("<html><head><meta charset='utf-8'><title>보도자료</title></head><body>"
        + "<p>한빛구는 5일 하천 정비를 시작한다고 밝혔다.</p>" * 20 + "</body></html>").encode()


async def _serve(ports: list[int], ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                status, body = (b"404 Not Found", b"") if path == b"/robots.txt" else (b"200 OK", BODY)
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n"
                             b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    for port in ports:
        await asyncio.start_server(handle, "127.0.0.1", port, backlog=512)
    ready.set()
    await asyncio.Event().wait()


def _server_process(ports: list[int], ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    asyncio.run(_serve(ports, ready))


async def _raw_httpx(urls: list[str], concurrency: int) -> float:
    """The ceiling: bare httpx GETs with the same concurrency and pool (no robots, gates or retries)."""
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as client:

        async def one(url: str) -> None:
            async with gate:
                (await client.get(url)).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(u) for u in urls))
        return time.perf_counter() - started


async def _run(urls: list[str], settings: FetchSettings) -> tuple[float, int]:
    started = time.perf_counter()
    async with Fetcher(settings) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(u) for u in urls))
    elapsed = time.perf_counter() - started
    return elapsed, sum(r.ok for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--polite-delay", type=float, default=0.05, help="per-host delay (s) of the polite run")
    parser.add_argument("--base-port", type=int, default=28100)
    parser.add_argument("--concurrency", type=int, default=20,
                        help="requests in flight (default 20, one per host; httpcore's pool scan grows with it)")
    args = parser.parse_args()
    ports = [args.base_port + i for i in range(args.hosts)]
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=_server_process, args=(ports, ready), daemon=True)
    server.start()
    ready.wait(10)
    urls = [f"http://127.0.0.1:{ports[i % len(ports)]}/news/{i}" for i in range(args.pages)]
    try:
        print(f"{args.pages} pages from {args.hosts} local host:port pairs, {len(BODY)} bytes each")
        print("| run | seconds | pages/s | ok | peak RSS MB |")
        print("|---|---|---|---|---|")
        elapsed = asyncio.run(_raw_httpx(urls, args.concurrency))
        print(f"| bare httpx (ceiling) | {elapsed:.2f} | {args.pages / elapsed:.0f} | - | - |")
        off = FetchSettings(polite=False, obey_robots=False, max_concurrency=args.concurrency)
        elapsed, ok = asyncio.run(_run(urls, off))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| politeness off | {elapsed:.2f} | {args.pages / elapsed:.0f} | {ok} | {rss:.0f} |")
        polite_pages = min(args.pages, args.hosts * 40)
        on = FetchSettings(min_delay=args.polite_delay, max_concurrency=args.concurrency)
        elapsed, ok = asyncio.run(_run(urls[:polite_pages], on))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| politeness on ({args.polite_delay}s/host, robots) | {elapsed:.2f} | {polite_pages / elapsed:.0f} "
              f"| {ok}/{polite_pages} | {rss:.0f} |")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
