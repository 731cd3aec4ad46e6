"""The crawl's extraction workers, batched writes and rotating re-checks, on a real HTTP server on 127.0.0.1
with a real SQLite state file, real output files and real processes: workers give the records the crawl's
own process gives; a ``kill -9`` at any point of a list page's batched write loses and doubles nothing and
leaves no worker behind; ``--recheck`` reaches every known item within its bound, with conditional GETs."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from growing_board import GrowingBoard, all_once, board_sources, crawl, written
from pool_jobs import echo_or_die
from scripted_server import ScriptedServer

from scraper.crawl.extraction import ExtractFailed, ExtractorPool

KILL_AT = Path(__file__).with_name("kill_at.py")
NOW = "2025-06-01T09:00:00+09:00"


def _argv(tmp: Path, sources: Path, *extra: str, out: str = "out", state: str = "state.sqlite") -> list[str]:
    return ["crawl", "--sources", str(sources), "--out", str(tmp / out), "--state", str(tmp / state), "--delay", "0",
            "--now", NOW, "--max-pages", "10", *extra]


def _lines(out: Path) -> dict[str, list[str]]:
    """Every output file (errors.jsonl aside) by its path under ``out``, as its lines."""
    return {f.relative_to(out).as_posix(): f.read_text(encoding="utf-8").splitlines()
            for f in sorted(out.rglob("*.jsonl")) if f.name != "errors.jsonl"}


def _alive(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (a zombie counts as gone)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _wait_gone(pids: list[int], timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _alive(pids)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _view_ids(srv: ScriptedServer) -> list[str]:
    return [parse_qs(urlsplit(p).query)["id"][0] for p in srv.paths() if p.startswith("/board/view.do")]


def test_workers_write_the_same_records_as_the_crawls_own_process(tmp_path: Path) -> None:
    board = GrowingBoard(45)
    board.chrome = True  # two lines recurring on every view page: learning drops them once pages are known
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        for workers in ("0", "2"):
            proc = subprocess.run([sys.executable, "-m", "scraper", *_argv(
                tmp_path, sources, "--workers", workers, out=f"out-{workers}", state=f"state-{workers}.sqlite")],
                capture_output=True, timeout=180, check=False)
            assert proc.returncode == 0, proc.stderr.decode()
    in_process, in_workers = _lines(tmp_path / "out-0"), _lines(tmp_path / "out-2")
    assert in_workers == in_process
    records = [json.loads(line) for lines in in_process.values() for line in lines]
    assert len(records) == 45
    learned = [r for r in records if "template_applied" in r["warnings"]]
    assert len(learned) >= 40  # all but the first pages of the board, read before two others were known
    assert all(not any("홍보담당관 소식팀" in p for p in r["body"]) for r in learned)


@pytest.mark.parametrize(("point", "count"), [
    ("begin", 1),   # the first page's batch pending, nothing appended
    ("open", 5),    # four of its files appended, the others not
    ("fsync", 1),   # its records written, one file fsynced, nothing committed
    ("commit", 1),  # every file fsynced, the commit not begun
    ("fsync", 14),  # inside the second page's batch, the first committed
    ("begin", 3),   # the third page's batch pending
])
def test_a_kill_9_at_any_point_of_a_batched_write_loses_and_doubles_nothing(tmp_path: Path, point: str,
                                                                           count: int) -> None:
    board = GrowingBoard(35)  # a post a day: each record of a page goes to its own partition file
    pids_file = tmp_path / "children"
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        killed = subprocess.run([sys.executable, str(KILL_AT), point, str(count), str(pids_file), "--",
                                 *_argv(tmp_path, sources, "--workers", "2")], capture_output=True, timeout=180,
                                check=False)
        assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
        workers = [int(p) for p in pids_file.read_text().split()]
        assert workers  # the extraction workers were running when the crawl was killed
        assert _wait_gone(workers) == []  # and went away by themselves: no orphan
        for _ in range(2):
            assert crawl(tmp_path, sources, "--now", NOW, "--max-pages", "10").returncode == 0
    all_once(tmp_path, 35)
    db = sqlite3.connect(tmp_path / "state.sqlite")
    rows = db.execute("SELECT COUNT(*), COUNT(pending_revision), MIN(revision), MAX(revision) FROM items").fetchone()
    db.close()
    assert rows == (35, 0, 1, 1)


def test_ctrl_c_on_a_terminal_stops_the_workers_and_the_next_run_goes_on(tmp_path: Path) -> None:
    board = GrowingBoard(40)
    board.view_delay = 0.1
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        proc = subprocess.Popen([sys.executable, "-m", "scraper", *_argv(tmp_path, sources, "--workers", "2")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 60
        while sum(written(tmp_path).values()) < 11 and time.monotonic() < deadline:  # the first page written
            time.sleep(0.02)
        children = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the crawl and its workers at once
        _, err = proc.communicate(timeout=60)
        assert _wait_gone(children) == []
        board.view_delay = 0.0
        assert crawl(tmp_path, sources, "--now", NOW, "--max-pages", "10").returncode == 0
    assert proc.returncode == 130
    assert children and "Traceback" not in err.decode(), err.decode()
    assert err.decode().strip().splitlines()[-1].endswith("the next run resumes where this one stopped")
    all_once(tmp_path, 40)


def _recheck_runs(tmp_path: Path, srv: ScriptedServer, sources: Path, runs: int, budget: int, now: str
                  ) -> list[list[str]]:
    """Run ``runs`` crawls with ``--recheck budget``; the view page ids each one asked for (one list request each,
    every view request conditional)."""
    asked = []
    for _ in range(runs):
        srv.log.clear()
        proc = crawl(tmp_path, sources, "--recheck", str(budget), "--now", now)
        assert proc.returncode == 0, proc.stderr.decode()
        assert [p for p in srv.paths() if p.startswith("/board/list.do")] == ["/board/list.do?page=1"]
        views = [e for e in srv.log if e["path"].startswith("/board/view.do")]
        assert all(e["headers"].get("If-None-Match") for e in views)
        asked.append(_view_ids(srv))
    return asked


def test_recheck_reaches_every_item_within_its_bound_and_catches_every_revision(tmp_path: Path) -> None:
    board = GrowingBoard(40)  # posts dated 2024-01-02 .. 2024-02-10: none recent on NOW
    with ScriptedServer({}, board.respond, conditional=True) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources, "--now", NOW, "--max-pages", "10").returncode == 0
        board.revised = {2, 15, 27, 40}  # corrected on the site; the list pages do not change
        asked = _recheck_runs(tmp_path, srv, sources, 4, 10, NOW)  # bound: 40 items / 10 a run
        srv.log.clear()
        again = crawl(tmp_path, sources, "--now", NOW)  # no --recheck: one list request, as before
        assert again.returncode == 0 and _view_ids(srv) == []
    assert [len(run) for run in asked] == [10, 10, 10, 10]
    assert sorted((i for run in asked for i in run), key=int) == [str(i) for i in range(1, 41)]  # each once
    counts = written(tmp_path)
    assert sorted(i for i, n in counts.items() if n == 2) == ["15", "2", "27", "40"] and len(counts) == 40
    revised = [json.loads(line) for lines in _lines(tmp_path / "out").values() for line in lines
               if json.loads(line)["revision"] == 2]
    assert all("일부 내용이 수정되었습니다." in " ".join(r["body"]) for r in revised) and len(revised) == 4


def test_recheck_reads_recent_items_every_run_and_the_others_in_rotation(tmp_path: Path) -> None:
    board = GrowingBoard(40)
    now = "2024-02-13T09:00:00+09:00"  # the last 7 days from 2024-02-06: posts 36..40 are recent
    with ScriptedServer({}, board.respond, conditional=True) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        assert crawl(tmp_path, sources, "--now", now, "--max-pages", "10").returncode == 0
        asked = _recheck_runs(tmp_path, srv, sources, 7, 10, now)  # bound: 35 older items / (10 // 2) a run
    recent = {"36", "37", "38", "39", "40"}
    assert all(len(run) == 10 and recent <= set(run) for run in asked)
    older = [i for run in asked for i in run if i not in recent]
    assert sorted(older, key=int) == [str(i) for i in range(1, 36)]


def test_a_worker_that_dies_is_replaced_and_only_its_page_fails() -> None:
    async def main() -> tuple[list[object], list[int]]:
        async with ExtractorPool(2, job_fn=echo_or_die) as pool:
            outcomes = await asyncio.gather(*(pool.run(job) for job in ("a", "die", "b", "c")))
            after = await pool.run("d")  # the pool still works
            pids = pool.pids
        return [*outcomes, after], pids

    outcomes, pids = asyncio.run(main())
    assert all(isinstance(o, ExtractFailed) for o in outcomes)
    kinds = [(o.kind, o.message.split(" in ")[0]) for o in outcomes if isinstance(o, ExtractFailed)]
    assert kinds[1][0] == "internal_error" and "the extraction worker died on this page" in kinds[1][1]
    assert [k for i, k in enumerate(kinds) if i != 1] == [("echo", "a"), ("echo", "b"), ("echo", "c"), ("echo", "d")]
    assert len(pids) == 2 and _wait_gone(pids) == []  # the workers are gone once the pool is closed
