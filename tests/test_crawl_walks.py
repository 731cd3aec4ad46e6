"""Crawl walks on a growing board (real HTTP server on 127.0.0.1, real SQLite): whatever happens between
runs — a kill, more new posts than --max-pages holds, --since moved back, a failed view page — every post
ends up written exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scripted_server import ScriptedServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
PER_PAGE = 10


class GrowingBoard:
    """Posts 1..n, newest first, 10 a page plus a pinned 공지 row; post i is dated 2024-01-01 + i days."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.view_delay = 0.0
        self.broken: set[int] = set()

    def respond(self, path: str) -> dict[str, Any] | None:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/board/list.do":
            return {"status": 200, "headers": HTML, "body": self.list_page(int(query.get("page", ["1"])[0]))}
        if parts.path == "/board/view.do":
            post = int(query["id"][0])
            if post in self.broken:
                return {"status": 404, "headers": HTML, "body": "없음"}
            return {"status": 200, "headers": HTML, "body": self.view(post), "delay": self.view_delay}
        return None

    def day(self, post: int) -> str:
        return (date(2024, 1, 1) + timedelta(days=post)).isoformat()

    def list_page(self, page: int) -> str:
        newest = self.n - (page - 1) * PER_PAGE
        posts = [p for p in range(newest, newest - PER_PAGE, -1) if p >= 1]
        rows = ["<tr class='notice'><td>공지</td><td class='subject'><a href='/board/view.do?id=1'>이용 안내</a></td>"
                f"<td>{self.day(1)}</td></tr>"]
        rows += [f"<tr><td>{p}</td><td class='subject'><a href='/board/view.do?id={p}'>한빛구 소식 {p}호 발표"
                 f"</a></td><td>{self.day(p)}</td></tr>" for p in posts]
        return f"<html><body><table class='board-list'><tbody>{''.join(rows)}</tbody></table></body></html>"

    def view(self, post: int) -> str:
        return ("<html><head><meta charset='utf-8'><title>보도자료 | 한빛구청</title></head><body>"
                f"<div class='board_view'><h3 class='title'>한빛구 소식 {post}호 발표</h3>"
                f"<dl><dt>등록일</dt><dd>{self.day(post)}</dd></dl><div class='view_cont'>"
                f"<p>한빛구는 {post}번째 소식을 발표했다고 밝혔다. 주민 누구나 참여할 수 있다.</p>"
                "</div></div></body></html>")


def _sources(srv: ScriptedServer, path: Path) -> Path:
    path.write_text(
        "[[source]]\nname = \"tb\"\norganization = \"한빛구\"\n"
        f"list_url = \"{srv.url('/board/list.do')}\"\n"
        "[source.paging]\nmethod = \"get\"\nparam = \"page\"\n"
        "[source.items]\nitem = \"table.board-list tbody tr\"\nlink = [\"td.subject a\"]\n"
        "date = [\"td:nth-child(3)\"]\npinned = \"tr.notice\"\nid_param = \"id\"\n", encoding="utf-8")
    return path


def _crawl(tmp: Path, sources: Path, *extra: str) -> subprocess.CompletedProcess[bytes]:
    argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(tmp / "out"),
            "--state", str(tmp / "state.sqlite"), "--delay", "0", *extra]
    return subprocess.run(argv, capture_output=True, timeout=180, check=False)


def _written(tmp: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for file in (tmp / "out").rglob("*.jsonl"):
        if file.name != "errors.jsonl":
            counts.update(json.loads(line)["item_id"] for line in file.read_text(encoding="utf-8").splitlines())
    return counts


def _all_once(tmp: Path, n: int) -> None:
    counts = _written(tmp)
    missing = sorted(set(map(str, range(1, n + 1))) - set(counts), key=int)
    assert sorted(counts, key=int) == [str(i) for i in range(1, n + 1)], missing
    assert set(counts.values()) == {1}


def test_a_killed_walk_then_new_posts_loses_nothing(tmp_path: Path) -> None:
    board = GrowingBoard(45)
    board.view_delay = 0.1
    with ScriptedServer({}, board.respond) as srv:
        sources = _sources(srv, tmp_path / "s.toml")
        argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(tmp_path / "out"),
                "--state", str(tmp_path / "state.sqlite"), "--delay", "0", "--max-pages", "10"]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while sum(_written(tmp_path).values()) < 25 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        board.view_delay, board.n = 0.0, 62
        for _ in range(2):
            assert _crawl(tmp_path, sources, "--max-pages", "10").returncode == 0
    _all_once(tmp_path, 62)


def test_more_new_posts_than_max_pages_are_read_over_the_next_runs(tmp_path: Path) -> None:
    board = GrowingBoard(10)
    with ScriptedServer({}, board.respond) as srv:
        sources = _sources(srv, tmp_path / "s.toml")
        assert _crawl(tmp_path, sources).returncode == 0
        board.n = 50
        assert _crawl(tmp_path, sources, "--max-pages", "2").returncode == 0
        board.n = 70
        for _ in range(2):
            assert _crawl(tmp_path, sources, "--max-pages", "5").returncode == 0
        for _ in range(3):
            assert _crawl(tmp_path, sources, "--max-pages", "1").returncode == 0
        board.n = 100
        for _ in range(4):
            assert _crawl(tmp_path, sources, "--max-pages", "1").returncode == 0
        assert _crawl(tmp_path, sources, "--max-pages", "5").returncode == 0
        last = _crawl(tmp_path, sources, "--max-pages", "5")
    _all_once(tmp_path, 100)
    assert "tb: 1 list pages, 0 new" in last.stderr.decode()


def test_since_moved_back_reads_the_older_posts(tmp_path: Path) -> None:
    board = GrowingBoard(50)
    with ScriptedServer({}, board.respond) as srv:
        sources = _sources(srv, tmp_path / "s.toml")
        assert _crawl(tmp_path, sources, "--since", "2024-01-31").returncode == 0
        assert sorted(_written(tmp_path), key=int)[0] == "30"
        assert _crawl(tmp_path, sources, "--since", "2024-01-05").returncode == 0
        assert sorted(_written(tmp_path), key=int)[0] == "4"
        assert _crawl(tmp_path, sources).returncode == 0  # no --since at all: the whole board
    _all_once(tmp_path, 50)


def test_a_failed_view_page_is_retried_on_later_runs_wherever_it_moved(tmp_path: Path) -> None:
    board = GrowingBoard(10)
    with ScriptedServer({}, board.respond) as srv:
        sources = _sources(srv, tmp_path / "s.toml")
        assert _crawl(tmp_path, sources).returncode == 0
        board.n, board.broken = 40, {12}
        assert _crawl(tmp_path, sources).returncode == 1
        board.broken = set()
        assert _crawl(tmp_path, sources).returncode == 0
    _all_once(tmp_path, 40)


def test_an_older_state_file_put_back_does_not_duplicate_records(tmp_path: Path) -> None:
    board = GrowingBoard(25)
    with ScriptedServer({}, board.respond) as srv:
        sources = _sources(srv, tmp_path / "s.toml")
        assert _crawl(tmp_path, sources).returncode == 0
        backup = (tmp_path / "state.sqlite").read_bytes()
        for extra in tmp_path.glob("state.sqlite-*"):
            extra.unlink()
        time.sleep(1.1)  # file times have one-second resolution on some file systems
        board.n = 30
        assert _crawl(tmp_path, sources).returncode == 0
        for extra in tmp_path.glob("state.sqlite*"):
            extra.unlink()
        (tmp_path / "state.sqlite").write_bytes(backup)  # the user restores yesterday's state file
        assert _crawl(tmp_path, sources).returncode == 0
    _all_once(tmp_path, 30)


def test_walk_flags_are_checked() -> None:
    for flags in (["--start", "notaurl"], ["--max-pages", "0"], ["--refresh", "-1"], ["--delay", "-1"],
                  ["--host-concurrency", "0"]):
        proc = subprocess.run([sys.executable, "-m", "scraper", "crawl", *flags], capture_output=True, timeout=60,
                              check=False)
        assert proc.returncode == 2 and flags[0] in proc.stderr.decode(), flags
