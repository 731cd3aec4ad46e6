"""Crawl walks on a growing board (real HTTP server on 127.0.0.1, real SQLite): whatever happens between
runs — a kill, more new posts than --max-pages holds, --since moved back, a failed view page — every post
ends up written exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from growing_board import GrowingBoard, all_once, board_sources, crawl, written
from scripted_server import ScriptedServer


def test_a_killed_walk_then_new_posts_loses_nothing(tmp_path: Path) -> None:
    board = GrowingBoard(45)
    board.view_delay = 0.1
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(tmp_path / "out"),
                "--state", str(tmp_path / "state.sqlite"), "--delay", "0", "--max-pages", "10"]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while sum(written(tmp_path).values()) < 25 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        board.view_delay, board.n = 0.0, 62
        for _ in range(2):
            assert crawl(tmp_path, sources, "--max-pages", "10").returncode == 0
    all_once(tmp_path, 62)


def test_more_new_posts_than_max_pages_are_read_over_the_next_runs(tmp_path: Path) -> None:
    board = GrowingBoard(10)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources).returncode == 0
        board.n = 50
        assert crawl(tmp_path, sources, "--max-pages", "2").returncode == 0
        board.n = 70
        for _ in range(2):
            assert crawl(tmp_path, sources, "--max-pages", "5").returncode == 0
        for _ in range(3):
            assert crawl(tmp_path, sources, "--max-pages", "1").returncode == 0
        board.n = 100
        for _ in range(4):
            assert crawl(tmp_path, sources, "--max-pages", "1").returncode == 0
        assert crawl(tmp_path, sources, "--max-pages", "5").returncode == 0
        last = crawl(tmp_path, sources, "--max-pages", "5")
    all_once(tmp_path, 100)
    assert "tb: 1 list pages, 0 new" in last.stderr.decode()


def test_since_moved_back_reads_the_older_posts(tmp_path: Path) -> None:
    board = GrowingBoard(50)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources, "--since", "2024-01-31").returncode == 0
        assert sorted(written(tmp_path), key=int)[0] == "30"
        assert crawl(tmp_path, sources, "--since", "2024-01-05").returncode == 0
        assert sorted(written(tmp_path), key=int)[0] == "4"
        assert crawl(tmp_path, sources).returncode == 0  # no --since at all: the whole board
    all_once(tmp_path, 50)


def test_a_failed_view_page_is_retried_on_later_runs_wherever_it_moved(tmp_path: Path) -> None:
    board = GrowingBoard(10)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources).returncode == 0
        board.n, board.broken = 40, {12}
        assert crawl(tmp_path, sources).returncode == 1
        board.broken = set()
        assert crawl(tmp_path, sources).returncode == 0
    all_once(tmp_path, 40)


def test_an_older_state_file_put_back_does_not_duplicate_records(tmp_path: Path) -> None:
    board = GrowingBoard(25)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources).returncode == 0
        backup = (tmp_path / "state.sqlite").read_bytes()
        for extra in tmp_path.glob("state.sqlite-*"):
            extra.unlink()
        time.sleep(1.1)  # file times have one-second resolution on some file systems
        board.n = 30
        assert crawl(tmp_path, sources).returncode == 0
        for extra in tmp_path.glob("state.sqlite*"):
            extra.unlink()
        (tmp_path / "state.sqlite").write_bytes(backup)  # the user restores yesterday's state file
        assert crawl(tmp_path, sources).returncode == 0
    all_once(tmp_path, 30)


def test_walk_flags_are_checked() -> None:
    for flags in (["--start", "notaurl"], ["--max-pages", "0"], ["--refresh", "-1"], ["--delay", "-1"],
                  ["--host-concurrency", "0"]):
        proc = subprocess.run([sys.executable, "-m", "scraper", "crawl", *flags], capture_output=True, timeout=60,
                              check=False)
        assert proc.returncode == 2 and flags[0] in proc.stderr.decode(), flags
