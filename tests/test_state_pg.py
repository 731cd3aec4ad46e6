"""The PostgreSQL state end to end: ``--state`` URLs, ``scraper state migrate``, crawls on a real server
started by the suite (``pg.py``) against synthetic boards on 127.0.0.1 (``growing_board.py``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from growing_board import GrowingBoard, all_once, board_sources
from scripted_server import ScriptedServer
from support import run_cli

from scraper.errors import ConfigError
from scraper.sinks.state import parse_state


def crawl(out: Path, sources: Path, state: str, *extra: str) -> subprocess.CompletedProcess[bytes]:
    argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(out),
            "--state", state, "--delay", "0", "--workers", "0", *extra]
    return subprocess.run(argv, capture_output=True, timeout=180, check=False)


@pytest.mark.parametrize("value", ["mysql://u@h/db", "file:///tmp/x.sqlite", "sqlite://relative", "s3://bucket/k"])
def test_an_unknown_state_scheme_is_a_configuration_error(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError):
        parse_state(value)
    result = run_cli("crawl", "--start", "http://127.0.0.1:9/board", "--out", str(tmp_path / "out"), "--state", value)
    assert result.returncode == 2, result.stderr
    assert b"configuration error" in result.stderr and b"--state" in result.stderr
    assert not any(p.name.endswith(":") for p in Path.cwd().iterdir())  # no "mysql:" folder made


def test_a_postgres_url_selects_postgres_and_an_unreachable_server_is_a_configuration_error(tmp_path: Path) -> None:
    with ScriptedServer({}) as srv:
        port = srv.port  # a port that speaks HTTP, not PostgreSQL
    url = f"postgresql://crawl@127.0.0.1:{port}/state"
    result = run_cli("crawl", "--start", "http://127.0.0.1:9/board", "--out", str(tmp_path / "out"), "--state", url)
    assert result.returncode == 2, result.stderr
    assert b"cannot open the PostgreSQL state" in result.stderr
    assert not (Path.cwd() / "postgresql:").exists() and not (tmp_path / "postgresql:").exists()


def test_a_crawl_on_a_postgres_state_writes_once_and_a_rerun_fetches_only_the_new_posts(tmp_path: Path,
                                                                                        pg_url: str) -> None:
    board = GrowingBoard(23)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "sources.toml")
        first = crawl(tmp_path / "out", sources, pg_url)
        assert first.returncode == 0, first.stderr.decode()
        all_once(tmp_path, 23)
        board.n = 26
        srv.log.clear()
        again = crawl(tmp_path / "out", sources, pg_url)
        assert again.returncode == 0, again.stderr.decode()
        views = sorted(p for p in srv.paths() if "view" in p)
    all_once(tmp_path, 26)
    assert views == ["/board/view.do?id=24", "/board/view.do?id=25", "/board/view.do?id=26"]
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT COUNT(*) FROM items WHERE revision = 1").fetchone() == (26,)
        assert db.execute("SELECT COUNT(*) FROM runs WHERE finished IS NOT NULL").fetchone() == (2,)


def test_migrate_copies_every_table_and_a_rerun_makes_the_requests_the_sqlite_rerun_makes(tmp_path: Path,
                                                                                            pg_url: str) -> None:
    board = GrowingBoard(31)
    board.revised = {3}
    a, b = tmp_path / "a", tmp_path / "b"
    with ScriptedServer({}, board.respond, conditional=True) as srv:
        sources = board_sources(srv, tmp_path / "sources.toml")
        first = crawl(a / "out", sources, str(a / "state.sqlite"), "--max-pages", "2", "--recheck", "4")
        assert first.returncode == 0, first.stderr.decode()
        shutil.copytree(a, b)
        moved = run_cli("state", "migrate", str(b / "state.sqlite"), pg_url)
        assert moved.returncode == 0, moved.stderr
        counts = dict(line.split("\t") for line in moved.stdout.decode().splitlines())
        assert counts["items"] == "21" and counts["runs"] == "1" and counts["walks"] == "1"
        assert set(counts) == {"items", "walks", "failures", "template_samples", "warc_payloads", "source_health",
                               "runs"}
        refused = run_cli("state", "migrate", str(b / "state.sqlite"), pg_url)
        assert refused.returncode == 2 and b"not empty" in refused.stderr and b"--force" in refused.stderr
        assert run_cli("state", "migrate", str(b / "state.sqlite"), pg_url, "--force").returncode == 0
        board.n, board.revised = 34, {3, 30}
        requests = []
        for out, state in ((a / "out", str(a / "state.sqlite")), (b / "out", pg_url)):
            srv.log.clear()
            rerun = crawl(out, sources, state, "--max-pages", "2", "--recheck", "4")
            assert rerun.returncode == 0, rerun.stderr.decode()
            requests.append(sorted(p for p in srv.paths() if p != "/robots.txt"))
    assert requests[0] == requests[1]
    views = [p for p in requests[1] if "view" in p]  # the 3 new posts and the 4 re-checks: nothing fetched again
    assert len(views) == 7 and {"/board/view.do?id=32", "/board/view.do?id=34"} <= set(views)
    assert sorted(_lines(a / "out")) == sorted(_lines(b / "out"))


def _lines(out: Path) -> list[str]:
    """Every record line of the output, without the fetch times."""
    import json

    lines = []
    for path in out.rglob("*.jsonl"):
        if path.name != "errors.jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                obj = json.loads(line)
                lines.append(f"{obj['item_id']} {obj['revision']} {obj['content_hash']}")
    return lines
