"""Unattended operation (cron): nothing fails silently. Each test first reproduces a failure that used to pass
unseen — an emptied or redesigned board, an item failing forever, history that could never be backfilled, a
damaged state database, Ctrl-C — on a real HTTP server (127.0.0.1), real SQLite files and ``scraper crawl``
run as a subprocess."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from growing_board import GrowingBoard, all_once, board_sources, crawl, written
from scripted_server import ScriptedServer

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00 ")


def summary(tmp: Path, sources: Path, *extra: str) -> tuple[subprocess.CompletedProcess[bytes], dict[str, Any]]:
    """One crawl run and its ``--summary`` JSON's entry for the source ``tb``."""
    proc = crawl(tmp, sources, "--summary", str(tmp / "summary.json"), *extra)
    return proc, json.loads((tmp / "summary.json").read_text(encoding="utf-8"))["sources"]["tb"]


def errors(tmp: Path) -> list[dict[str, Any]]:
    path = tmp / "out" / "tb" / "errors.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def view_requests(srv: ScriptedServer, post: int) -> int:
    return sum(1 for path in srv.paths() if path == f"/board/view.do?id={post}")


def test_a_redesigned_board_is_no_items_then_source_broken_and_recovers(tmp_path: Path) -> None:
    board = GrowingBoard(12)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        first, report = summary(tmp_path, sources)
        assert first.returncode == 0 and report["status"] == "ok" and report["new"] == 12
        board.redesigned = True
        runs = [summary(tmp_path, sources) for _ in range(3)]
        board.redesigned, board.n = False, 13
        healed, after = summary(tmp_path, sources)
    assert [proc.returncode for proc, _ in runs] == [1, 1, 1]
    assert [r["status"] for _, r in runs] == ["no_items", "no_items", "source_broken"]
    assert [r["no_items_runs"] for _, r in runs] == [1, 2, 3]
    assert [e["error"]["kind"] for e in errors(tmp_path)] == ["no_items", "no_items", "source_broken"]
    assert "list page 1 held no items (3 runs in a row)" in errors(tmp_path)[-1]["error"]["message"]
    last_stderr = runs[-1][0].stderr.decode()
    assert "SOURCE BROKEN: tb: no list items for 3 runs in a row" in last_stderr
    assert healed.returncode == 0 and after["status"] == "ok" and after["no_items_runs"] == 0 and after["new"] == 1


def test_a_failing_item_deep_on_the_board_is_given_up_after_five_runs(tmp_path: Path) -> None:
    board = GrowingBoard(15)  # page 1: posts 15..6, page 2: 5..1
    board.broken = {3}
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        runs = [summary(tmp_path, sources) for _ in range(7)]
        list_reads = sum(1 for path in srv.paths() if path.startswith("/board/list.do"))
        tries = view_requests(srv, 3)
        board.broken = set()
        retried, report = summary(tmp_path, sources, "--retry-given-up")
    assert [proc.returncode for proc, _ in runs] == [1, 1, 1, 1, 1, 0, 0]
    assert tries == 5
    assert list_reads == 3 + 6  # the first walk reads pages 1-3 (3: empty, the end); later runs stop at page 1
    assert "given up after 5 runs" in errors(tmp_path)[-1]["error"]["message"]
    assert len(errors(tmp_path)) == 5
    assert retried.returncode == 0 and report["new"] == 1
    all_once(tmp_path, 15)


def test_a_failing_item_on_the_first_page_is_given_up_and_the_page_settles(tmp_path: Path) -> None:
    board = GrowingBoard(15)
    board.broken = {12}
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        runs = [summary(tmp_path, sources) for _ in range(7)]
        tries = view_requests(srv, 12)
    assert [proc.returncode for proc, _ in runs] == [1, 1, 1, 1, 1, 0, 0]
    assert tries == 5
    assert runs[-1][1]["given_up"] == 1 and runs[-1][1]["list_pages"] == 1 and runs[-1][1]["errors"] == 0
    assert "1 given up" in runs[-1][0].stderr.decode()


def test_since_earlier_than_a_depth_cut_first_run_backfills_the_history(tmp_path: Path) -> None:
    board = GrowingBoard(60)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources, "--max-pages", "2").returncode == 0
        assert sum(written(tmp_path).values()) == 21  # pages 1-2 and the pinned post 1
        assert crawl(tmp_path, sources, "--since", "2020-01-01", "--max-pages", "10").returncode == 0
        again = crawl(tmp_path, sources, "--since", "2020-01-01", "--max-pages", "10")
    all_once(tmp_path, 60)
    assert "tb: 1 list pages, 0 new" in again.stderr.decode()  # history read: no second backfill


def test_backfill_goes_on_over_later_runs_until_the_last_page(tmp_path: Path) -> None:
    board = GrowingBoard(60)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources, "--max-pages", "2").returncode == 0
        assert crawl(tmp_path, sources, "--backfill", "--max-pages", "2").returncode == 0
        counts = [sum(written(tmp_path).values())]
        for _ in range(4):  # ordinary cron runs go on with the open backfill walk: page 1, then the next old page
            assert crawl(tmp_path, sources, "--max-pages", "2").returncode == 0
            counts.append(sum(written(tmp_path).values()))
        end = crawl(tmp_path, sources, "--max-pages", "2")  # page 1, then the empty page 7: the walk ends
        done = crawl(tmp_path, sources, "--max-pages", "2")
    assert counts == [21, 31, 41, 51, 60]
    all_once(tmp_path, 60)
    assert "tb: 2 list pages, 0 new" in end.stderr.decode()
    assert "tb: 1 list pages, 0 new" in done.stderr.decode()


def _damage(path: Path) -> None:
    """Overwrite the middle pages of an SQLite file with garbage (a disk or copy fault)."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2 - 4096)
        handle.write(b"\xde\xad\xbe\xef" * 2048)


def test_a_damaged_state_database_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    board = GrowingBoard(45)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources, "--max-pages", "10").returncode == 0
        state = tmp_path / "state.sqlite"
        with sqlite3.connect(state) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _damage(state)
        try:
            with sqlite3.connect(state) as db:
                assert db.execute("PRAGMA quick_check").fetchall() != [("ok",)]
        except sqlite3.DatabaseError as exc:
            assert "malformed" in str(exc)
        board.n = 47
        healed = crawl(tmp_path, sources, "--max-pages", "10")
        after = crawl(tmp_path, sources, "--max-pages", "10")
    stderr = healed.stderr.decode()
    assert healed.returncode == 0, stderr
    assert "note: the state file" in stderr and "was damaged (SQLite quick_check failed): moved to" in stderr
    assert len(list(tmp_path.glob("state.sqlite.damaged-*"))) == 1
    all_once(tmp_path, 47)
    assert after.returncode == 0 and "tb: 1 list pages, 0 new" in after.stderr.decode()


def test_ctrl_c_is_one_line_and_the_next_run_resumes(tmp_path: Path) -> None:
    board = GrowingBoard(40)
    board.view_delay = 0.1
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(tmp_path / "out"),
                "--state", str(tmp_path / "state.sqlite"), "--delay", "0", "--max-pages", "10"]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while sum(written(tmp_path).values()) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        board.view_delay = 0.0
        assert crawl(tmp_path, sources, "--max-pages", "10").returncode == 0
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 130
    assert "Traceback" not in err.decode()
    assert lines[-1].endswith("scraper crawl: interrupted; records already written are kept and the next run "
                              "resumes where this one stopped")
    all_once(tmp_path, 40)


def test_cron_log_lines_carry_the_time_and_say_what_became_of_the_items(tmp_path: Path) -> None:
    board = GrowingBoard(14)
    board.broken = {9, 10}
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        proc = crawl(tmp_path, sources)
    lines = proc.stderr.decode().strip().splitlines()
    assert lines and all(STAMP.match(line) for line in lines), lines
    assert any(line.endswith("tb: list page 1: 11 items, 11 not yet written: 9 written, 2 failed") for line in lines)


def test_start_with_source_is_a_usage_error(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "scraper", "crawl", "--start", "http://127.0.0.1:9/list", "--source", "tb",
            "--out", str(tmp_path / "out")]
    proc = subprocess.run(argv, capture_output=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "--start reads one list page with no configured source; it cannot be combined with --source" \
        in proc.stderr.decode()


def test_on_a_terminal_the_progress_bar_counts_items_with_an_eta(tmp_path: Path) -> None:
    """stderr on a pseudo-terminal: tqdm's bar counts view pages (``item``) against a total with an ETA."""
    import fcntl
    import pty
    import struct
    import termios

    board = GrowingBoard(25)
    board.view_delay = 0.02
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a 120-column terminal
        argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(tmp_path / "out"),
                "--state", str(tmp_path / "state.sqlite"), "--delay", "0"]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=120)
        os.close(leader)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert re.search(r"25/25 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+item/s", screen), screen[-500:]
    assert not STAMP.search(screen.splitlines()[-1])  # a terminal gets no timestamps


def test_an_empty_list_page_the_pager_promised_is_a_failure_not_the_end(tmp_path: Path) -> None:
    """Deep paging trips a rate limiter: page 4 comes back 200 with no rows though page 3's pager shows 6
    pages. That is no end of the board: an error, and the walk stays open there."""
    board = GrowingBoard(60)
    board.pager, board.blocked = True, {4}
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        blocked, report = summary(tmp_path, sources, "--max-pages", "10")
        board.blocked = set()
        healed = crawl(tmp_path, sources, "--max-pages", "10")
    assert blocked.returncode == 1 and report["status"] == "failed"
    empty = [e["error"]["message"] for e in errors(tmp_path) if e["error"]["kind"] == "list_page_empty"]
    assert len(empty) == 1 and "list page 4 held no items though the pager showed 6 pages" in empty[0]
    assert healed.returncode == 0
    all_once(tmp_path, 60)


def test_since_below_what_the_first_walk_reached_backfills_despite_an_old_pinned_notice(tmp_path: Path) -> None:
    """The pinned 공지 (post 1, 2024-01-02) is older than anything the depth-cut first walk read (posts 60..41,
    from 2024-02-11): ``--since 2024-01-15`` must still read the posts down to that day."""
    board = GrowingBoard(60)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources, "--max-pages", "2").returncode == 0
        assert crawl(tmp_path, sources, "--since", "2024-01-15", "--max-pages", "10").returncode == 0
    assert sorted(written(tmp_path), key=int) == ["1", *map(str, range(14, 61))]


def test_a_list_page_failing_in_five_runs_is_passed_over(tmp_path: Path) -> None:
    board = GrowingBoard(30)  # page 1: 30..21, page 2: 20..11, page 3: 10..1
    board.failing = {2}
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        runs = [crawl(tmp_path, sources, "--max-pages", "10") for _ in range(6)]
    assert [proc.returncode for proc in runs] == [1, 1, 1, 1, 1, 0]
    assert errors(tmp_path)[-1]["error"]["kind"] == "list_page_given_up"
    message = errors(tmp_path)[-1]["error"]["message"]
    assert "list page 2 failed in 5 runs in a row: the walk goes on below it" in message
    assert sorted(written(tmp_path), key=int) == [*map(str, range(1, 11)), *map(str, range(21, 31))]


@pytest.mark.parametrize("sigint_ignored", [False, True])
def test_sigterm_is_one_line_and_exit_143(tmp_path: Path, sigint_ignored: bool) -> None:
    """``sigint_ignored``: started as ``scraper crawl ... &`` from a script, which ignores SIGINT for it."""
    board = GrowingBoard(40)
    board.view_delay = 0.1
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(tmp_path / "out"),
                "--state", str(tmp_path / "state.sqlite"), "--delay", "0", "--max-pages", "10"]
        ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=ignore)
        deadline = time.monotonic() + 60
        while sum(written(tmp_path).values()) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.terminate()
        _, err = proc.communicate(timeout=60)
        board.view_delay = 0.0
        assert crawl(tmp_path, sources, "--max-pages", "10").returncode == 0
    assert proc.returncode == 143 and "Traceback" not in err.decode()
    assert err.decode().strip().splitlines()[-1].endswith("scraper crawl: terminated (SIGTERM); records already "
                                                          "written are kept and the next run resumes where this "
                                                          "one stopped")
    all_once(tmp_path, 40)
