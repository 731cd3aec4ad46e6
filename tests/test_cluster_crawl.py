"""A crawl on Ray (``scraper.cluster.crawl``, ``scraper crawl --ray``), Ray started here (``ray.init(num_cpus=2)``)
and a real PostgreSQL state (``conftest.postgres``): four boards on four loopback hosts crawled by two actors give
the single-process crawl's files line for line; every request to a host comes from one actor's process (read
from the kernel's socket table); an actor killed mid-crawl (``ray.kill``) or a driver killed mid-crawl
(``kill -9``), then a rerun: every item written once, none lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from growing_board import GrowingBoard, written
from scripted_server import ScriptedServer

from scraper.cluster.crawl import actor_names, assign, crawl_on_ray, own_hosts, start_actors
from scraper.config import CrawlSettings, FetchSettings
from scraper.fetch.politeness import host_key
from scraper.sources.boards import load_sources

NOW = "2025-06-01T09:00:00+09:00"
HOSTS = 4
POSTS = 15
LEASE = 3.0
"""Seconds a host lease lasts unrenewed: a killed actor's hosts are taken over this long after."""


def pid_of_peer(port: int) -> int | None:
    """The process holding the client end (127.0.0.1:``port``) of a TCP connection, from ``/proc``."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        # the live connection only: a TIME_WAIT entry of an earlier one on the same port has inode 0
        if fields[1] == f"0100007F:{port:04X}" and fields[3] == "01" and fields[9] != "0":
            inode = fields[9]
    if inode is None:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            links = [os.readlink(fd) for fd in (proc / "fd").iterdir()]
        except OSError:
            continue
        if f"socket:[{inode}]" in links:
            return int(proc.name)
    return None


class PidServer(ScriptedServer):
    """The scripted server noting, for each request, the process id of the client that sent it."""

    def __init__(self, board: GrowingBoard) -> None:
        super().__init__({}, board.respond)
        self.pids: set[int | None] = set()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        base: Any = super()._handler()
        server = self

        class Handler(base):  # type: ignore[misc]
            def do_GET(self) -> None:
                server.pids.add(pid_of_peer(self.client_address[1]))
                super().do_GET()

        return Handler


@pytest.fixture
def boards(tmp_path: Path) -> Iterator[tuple[list[PidServer], Path, list[GrowingBoard]]]:
    """Four boards of 15 posts, each on its own server (host), and their sources file."""
    made = [GrowingBoard(POSTS) for _ in range(HOSTS)]
    servers = [PidServer(board) for board in made]
    for server in servers:
        server.__enter__()
    text = "".join(
        f"[[source]]\nname = \"tb{n}\"\norganization = \"한빛구\"\nlist_url = \"{srv.url('/board/list.do')}\"\n"
        "[source.paging]\nmethod = \"get\"\nparam = \"page\"\n"
        "[source.items]\nitem = \"table.board-list tbody tr\"\nlink = [\"td.subject a\"]\n"
        "date = [\"td:nth-child(3)\"]\npinned = \"tr.notice\"\nid_param = \"id\"\n" for n, srv in enumerate(servers))
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    yield servers, path, made
    for server in servers:
        server.__exit__()


def _settings(out: Path, state: str, sources: Path) -> tuple[CrawlSettings, FetchSettings]:
    settings = CrawlSettings(out_dir=out, state_url=state, now=NOW, workers=0, learn=False, max_pages=10,
                             sources_path=sources, lease_seconds=LEASE)
    return settings, FetchSettings(min_delay=0.0)


def _files(out: Path) -> dict[str, str]:
    return {str(f.relative_to(out)): f.read_text(encoding="utf-8") for f in sorted(out.rglob("*.jsonl"))}


def _all_once(out: Path) -> None:
    """Every post of every board written exactly once."""
    counts: Counter[tuple[str, str]] = Counter()
    for file in out.rglob("*.jsonl"):
        if file.name != "errors.jsonl":
            source = file.relative_to(out).parts[0]
            lines = file.read_text(encoding="utf-8").splitlines()
            counts.update((source, json.loads(line)["item_id"]) for line in lines)
    assert counts == {(f"tb{n}", str(i)): 1 for n in range(HOSTS) for i in range(1, POSTS + 1)}


def test_a_ray_crawl_gives_the_single_process_records(ray_cluster: Any, boards: Any, pg_url: str,
                                                      tmp_path: Path) -> None:
    servers, sources_file, _ = boards
    single = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--sources", str(sources_file), "--out",
                             str(tmp_path / "single"), "--now", NOW, "--workers", "0", "--no-learn", "--delay", "0",
                             "--max-pages", "10"], capture_output=True, text=True, timeout=300, check=False)
    assert single.returncode == 0, single.stderr
    for server in servers:
        server.pids.clear()
    sources = list(load_sources(sources_file).values())
    report = crawl_on_ray(sources, *_settings(tmp_path / "ray", pg_url, sources_file), actors=2)
    assert report.exit_code == 0
    assert sorted(report.sources) == [f"tb{n}" for n in range(HOSTS)]
    assert sum(r.new for r in report.sources.values()) == HOSTS * POSTS
    expected = _files(tmp_path / "single")
    assert sum(len(text.splitlines()) for text in expected.values()) == HOSTS * POSTS
    assert _files(tmp_path / "ray") == expected
    plan = assign(sources, actor_names(2))
    owner = {host_key(s.list_url): actor for actor, mine in plan.items() for s in mine}
    pids = {host_key(srv.url("/")): srv.pids for srv in servers}
    assert all(len(p) == 1 and None not in p and os.getpid() not in p for p in pids.values()), (pids, os.getpid())
    by_actor: dict[str, set[int | None]] = {}
    for host, p in pids.items():
        by_actor.setdefault(owner[host], set()).update(p)
    assert all(len(p) == 1 for p in by_actor.values())  # one process per actor
    assert len({pid for p in by_actor.values() for pid in p}) == len(by_actor)  # and one actor per process


def test_an_actor_killed_mid_crawl_then_a_rerun_loses_and_duplicates_nothing(ray_cluster: Any, boards: Any,
                                                                            pg_url: str, tmp_path: Path) -> None:
    _, sources_file, made = boards
    for board in made:
        board.view_delay = 0.05
    sources = list(load_sources(sources_file).values())
    settings, fetch = _settings(tmp_path / "out", pg_url, sources_file)
    plan = assign(sources, actor_names(2))
    handles = start_actors(ray_cluster, list(plan), 0.5)
    refs = [handles[name].crawl.remote(mine, own_hosts(settings, mine), fetch) for name, mine in plan.items()]
    victim = next(iter(handles.values()))
    deadline = time.monotonic() + 120
    while sum(written(tmp_path).values()) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    ray_cluster.kill(victim, no_restart=False)  # Ray restarts it and calls its crawl again
    ray_cluster.get(refs)
    for handle in handles.values():
        ray_cluster.kill(handle, no_restart=True)
    report = crawl_on_ray(sources, settings, fetch, actors=2)
    assert report.exit_code == 0
    _all_once(tmp_path / "out")


def test_a_driver_killed_mid_crawl_then_a_rerun_loses_and_duplicates_nothing(ray_cluster: Any, boards: Any,
                                                                             pg_url: str, tmp_path: Path) -> None:
    _, sources_file, made = boards
    for board in made:
        board.view_delay = 0.05
    address = ray_cluster.get_runtime_context().gcs_address
    argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources_file), "--out", str(tmp_path / "out"),
            "--state", pg_url, "--now", NOW, "--no-learn", "--delay", "0", "--max-pages", "10", "--ray", address,
            "--actors", "2", "--lease-seconds", str(LEASE)]
    driver = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while sum(written(tmp_path).values()) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    driver.send_signal(signal.SIGKILL)
    driver.wait()
    assert 0 < sum(written(tmp_path).values()) < HOSTS * POSTS
    for board in made:
        board.view_delay = 0.0
    again = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    _all_once(tmp_path / "out")


def test_a_ray_crawl_refuses_a_sqlite_state(boards: Any, tmp_path: Path) -> None:
    _, sources_file, _ = boards
    proc = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--sources", str(sources_file), "--out",
                           str(tmp_path / "out"), "--ray"], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert "a Ray crawl needs a state all machines share: --state postgresql://" in proc.stderr
