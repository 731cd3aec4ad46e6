"""``scraper crawl`` against a replay of a real board (강진군 보도자료 list and view pages from
../shared/corpus/real/gov) on a real HTTP server on 127.0.0.1, with a real SQLite state file."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from scripted_server import ScriptedServer

from scraper.config import CrawlSettings, FetchSettings
from scraper.crawl.run import run_crawl
from scraper.report import RunReport
from scraper.sources.boards import load_sources

GOV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real" / "gov"
LIST_PATH = "/www/government/news/press"
NOW = "2025-12-11T09:00:00+09:00"


def _need_corpus() -> None:
    if not GOV.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared corpus missing at {GOV} (required in CI)")
        pytest.skip(f"../shared corpus not found at {GOV} (a user's clone without shared data)")


class Board:
    """The replayed board: the real list page for every page number, the real view page for every idx."""

    def __init__(self, view_delay: float = 0.0) -> None:
        _need_corpus()
        self.list_html = (GOV / "002-gangjin-gun-list.html").read_bytes()
        self.view_html = (GOV / "001-gangjin-gun-view.html").read_bytes()
        self.view_delay = view_delay
        self.changed: set[str] = set()
        self.missing: set[str] = set()

    def respond(self, path: str) -> dict[str, Any] | None:
        parts = urlsplit(path)
        if parts.path != LIST_PATH:
            return None
        query = parse_qs(parts.query)
        html = {"Content-Type": "text/html; charset=utf-8"}
        if query.get("mode") == ["view"]:
            idx = query["idx"][0]
            if idx in self.missing:
                return {"status": 404, "headers": html, "body": "없는 게시물"}
            body = self.view_html
            if idx in self.changed:
                body = body.replace("*사진설명 :".encode(), "일부 내용이 수정되었습니다.<br><br>*사진설명 :".encode())
            return {"status": 200, "headers": html, "body": body, "delay": self.view_delay}
        return {"status": 200, "headers": html, "body": self.list_html}


def _source_toml(srv: ScriptedServer, path: Path) -> Path:
    shipped = load_sources()["gangjin-press"]
    rules = shipped.items
    path.write_text(
        "[[source]]\n"
        f'name = "{shipped.name}"\norganization = "{shipped.organization}"\nkind = "{shipped.kind}"\n'
        f'list_url = "{srv.url(LIST_PATH)}"\nprofile = "{shipped.profile}"\n'
        "[source.paging]\n" f'method = "get"\nparam = "{shipped.paging.param}"\n'
        "[source.items]\n" f"item = {json.dumps(rules.item)}\nlink = {json.dumps(rules.link)}\n"
        f"title = {json.dumps(rules.title)}\ndate = {json.dumps(rules.date)}\nid_param = \"{rules.id_param}\"\n",
        encoding="utf-8",
    )
    return path


def _records(out: Path) -> list[dict[str, Any]]:
    lines = []
    for file in sorted(out.rglob("*.jsonl")):
        if file.name != "errors.jsonl":
            lines += [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
    return lines


def _run(srv: ScriptedServer, tmp: Path, refresh: int = 0, workers: int | None = None) -> RunReport:
    shipped = load_sources()["gangjin-press"]
    source = shipped.model_copy(update={"list_url": srv.url(LIST_PATH)})
    settings = CrawlSettings(out_dir=tmp / "out", state_path=tmp / "state.sqlite", max_pages=3, now=NOW,
                             refresh=refresh, **({} if workers is None else {"workers": workers}))
    return asyncio.run(run_crawl([source], settings, FetchSettings(min_delay=0.0)))


def _wait_for_view_requests(srv: ScriptedServer, count: int, timeout: float = 30) -> None:
    """Wait until the server has been asked for ``count`` view pages."""
    deadline = time.monotonic() + timeout
    while sum("mode=view" in p for p in srv.paths()) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def _cli(tmp: Path, sources: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(tmp / "out"),
            "--state", str(tmp / "state.sqlite"), "--delay", "0", "--now", NOW, *extra]


def test_first_run_writes_every_item_and_a_rerun_reads_only_the_first_list_page(tmp_path: Path) -> None:
    board = Board()
    with ScriptedServer({}, board.respond) as srv:
        first = _run(srv, tmp_path)
        records = _records(tmp_path / "out")
        srv.log.clear()
        second = _run(srv, tmp_path)
        paths = [p for p in srv.paths() if p != "/robots.txt"]
    assert first.sources["gangjin-press"].new == 15 and first.exit_code == 0
    assert len(records) == 15 and len({r["url"] for r in records}) == 15
    assert {r["revision"] for r in records} == {1}
    assert {r["title"] for r in records} == {"“새로 열린 기차 타고 강진 가자”"}
    assert {r["published"] for r in records} == {"2025-12-10"}
    assert all(r["source"] == "gangjin-press" and r["organization"] == "강진군" for r in records)
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.jsonl")) == [
        "gangjin-press/2025/12/10.jsonl"]
    assert second.sources["gangjin-press"].new == 0 and len(_records(tmp_path / "out")) == 15
    assert paths == [f"{LIST_PATH}?page=1"]


def test_a_changed_view_page_gives_exactly_one_new_revision(tmp_path: Path) -> None:
    board = Board()
    with ScriptedServer({}, board.respond) as srv:
        _run(srv, tmp_path)
        board.changed.add("647620")
        changed = _run(srv, tmp_path, refresh=15)
        again = _run(srv, tmp_path, refresh=15)
    records = _records(tmp_path / "out")
    revised = [r for r in records if r["revision"] == 2]
    assert changed.sources["gangjin-press"].updated == 1 and changed.sources["gangjin-press"].unchanged == 14
    assert again.sources["gangjin-press"].updated == 0
    assert len(records) == 16 and len(revised) == 1
    assert "idx=647620" in revised[0]["url"] and "일부 내용이 수정되었습니다." in revised[0]["body"]


def test_kill_9_mid_run_then_rerun_writes_every_item_exactly_once(tmp_path: Path) -> None:
    board = Board(view_delay=0.15)
    with ScriptedServer({}, board.respond) as srv:
        sources = _source_toml(srv, tmp_path / "sources.toml")
        for wait_for in (3, 8):  # two kills at different points of the run
            proc = subprocess.Popen(_cli(tmp_path, sources), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while len(_records(tmp_path / "out")) < wait_for and time.monotonic() < deadline:
                time.sleep(0.02)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        board.view_delay = 0.0
        rerun = subprocess.run(_cli(tmp_path, sources), capture_output=True, timeout=120, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()
    counts = Counter(r["url"] for r in _records(tmp_path / "out"))
    assert len(counts) == 15 and set(counts.values()) == {1}


def test_a_second_run_on_the_same_state_exits_at_once_on_the_lock(tmp_path: Path) -> None:
    board = Board(view_delay=0.2)
    with ScriptedServer({}, board.respond) as srv:
        sources = _source_toml(srv, tmp_path / "sources.toml")
        first = subprocess.Popen(_cli(tmp_path, sources), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_for_view_requests(srv, 2)  # the first crawl is reading view pages (records come a list page at once)
        started = time.monotonic()
        second = subprocess.run(_cli(tmp_path, sources), capture_output=True, timeout=60, check=False)
        took = time.monotonic() - started
        assert first.wait(timeout=60) == 0
    assert second.returncode == 3 and "another crawl is running" in second.stderr.decode()
    assert took < 10
    assert len(_records(tmp_path / "out")) == 15


def test_a_broken_view_page_is_one_error_line_and_the_crawl_goes_on(tmp_path: Path) -> None:
    board = Board()
    board.missing.add("647620")
    with ScriptedServer({}, board.respond) as srv:
        sources = _source_toml(srv, tmp_path / "sources.toml")
        proc = subprocess.run(_cli(tmp_path, sources, "--summary", str(tmp_path / "summary.json")),
                              capture_output=True, timeout=120, check=False)
    assert proc.returncode == 1
    errors = [json.loads(line) for line in (tmp_path / "out" / "gangjin-press" / "errors.jsonl").read_text(
        encoding="utf-8").splitlines()]
    assert len(errors) == 1 and "idx=647620" in errors[0]["url"] and errors[0]["error"]["kind"] == "http_status"
    assert len(_records(tmp_path / "out")) == 14
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["sources"]["gangjin-press"]["new"] == 14 and summary["sources"]["gangjin-press"]["errors"] == 1
    assert "gangjin-press: 2 list pages, 14 new, 0 updated, 0 unchanged, 1 errors" in proc.stderr.decode()


def test_unknown_source_is_a_configuration_error(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--source", "no-such-board", "--out",
                           str(tmp_path)], capture_output=True, timeout=60, check=False)
    assert proc.returncode == 2 and "unknown source" in proc.stderr.decode()


ARTICLE = ("<html><head><meta charset='utf-8'><title>한빛구 도서관 야간 개방 - 새솔일보</title></head><body>"
           "<h1>한빛구 도서관 야간 개방</h1><p class='date'>입력 2024.03.05 14:22</p><div class='article-body'>"
           "<p>구립도서관 3곳이 평일 밤 10시까지 문을 연다고 한빛구가 5일 밝혔다.</p>"
           "<p>열람실 좌석은 앱으로 예약할 수 있다.</p></div></body></html>")


def test_one_article_by_plain_utm_and_mobile_urls_is_one_record(tmp_path: Path) -> None:
    listing = ("<html><body><ul class='list'>"
               "<li><a href='/news/articleView.html?idxno=5'>한빛구 도서관 야간 개방</a></li>"
               "<li><a href='/news/articleView.html?idxno=5&utm_source=kakao&utm_medium=share'>"
               "한빛구 도서관 야간 개방</a></li>"
               "<li><a href='/m/news/articleView.html?idxno=5'>한빛구 도서관 야간 개방</a></li>"
               "</ul></body></html>")
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes = {
        "/news/list.html": [{"status": 200, "headers": html, "body": listing}],
        "/news/articleView.html?idxno=5": [{"status": 200, "headers": html, "body": ARTICLE}],
        "/news/articleView.html?idxno=5&utm_source=kakao&utm_medium=share": [
            {"status": 200, "headers": html, "body": ARTICLE}],
        "/m/news/articleView.html?idxno=5": [
            {"status": 301, "headers": {"Location": "/news/articleView.html?idxno=5"}, "body": ""}],
    }
    with ScriptedServer(routes) as srv:
        argv = [sys.executable, "-m", "scraper", "crawl", "--start", srv.url("/news/list.html"), "--out",
                str(tmp_path / "out"), "--state", str(tmp_path / "state.sqlite"), "--delay", "0"]
        first = subprocess.run(argv, capture_output=True, timeout=60, check=False)
        second = subprocess.run(argv, capture_output=True, timeout=60, check=False)
    records = _records(tmp_path / "out")
    assert first.returncode == 0 and second.returncode == 0, first.stderr.decode()
    assert len(records) == 1
    assert records[0]["title"] == "한빛구 도서관 야간 개방"
    assert records[0]["published"] == "2024-03-05T14:22:00+09:00"


def test_demo_board_crawl_reads_release_fields_without_a_profile(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[1] / "scripts" / "demo_board.py"
    proc = subprocess.run([sys.executable, str(demo), "--out", str(tmp_path)], capture_output=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    records = {r["url"].rsplit("=", 1)[1]: r for r in _records(tmp_path)}
    assert sorted(records) == ["9001", "9102", "9103", "9104"]
    spring = records["9104"]
    assert spring["title"] == "한빛구, 2024년 봄꽃축제 교통통제 안내"
    assert spring["published"] == "2024-03-18T10:30:00+09:00"
    assert spring["kind"] == "press_release" and spring["organization"] == "한빛구"
    assert spring["department"] == "교통행정과"  # not the page manager's 홍보담당관 언론팀
    assert spring["contact"] == {"name": "박도윤", "phone": "02-123-4567", "email": None}
    assert spring["body"][0].startswith("한빛구는 4월 5일부터 7일까지")
    assert records["9001"]["title"] == "보도자료 게시판 이용 안내"
    assert "hanbit-press: 1 list pages, 0 new" in proc.stderr.decode()  # the second run
    assert "rebuilt" not in proc.stderr.decode()  # a healthy state file is not "rebuilt" from the output


def test_an_unexpected_failure_on_one_page_is_recorded_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scraper.crawl.extraction as crawl_module  # what a worker runs; patched here, so in-process (--workers 0)

    real = crawl_module.extract_page

    def flaky(data: bytes, **kwargs: Any) -> Any:
        if "idx=647620" in (kwargs.get("url") or ""):
            raise ValueError("a library bug on one odd page")
        return real(data, **kwargs)

    monkeypatch.setattr(crawl_module, "extract_page", flaky)
    board = Board()
    with ScriptedServer({}, board.respond) as srv:
        report = _run(srv, tmp_path, workers=0)
    errors = (tmp_path / "out" / "gangjin-press" / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert report.sources["gangjin-press"].new == 14 and report.exit_code == 1
    assert len(errors) == 1 and json.loads(errors[0])["error"] == {
        "kind": "internal_error", "message": "ValueError: a library bug on one odd page"}


def test_bad_flags_are_usage_or_configuration_errors_before_any_work(tmp_path: Path) -> None:
    base = [sys.executable, "-m", "scraper", "crawl", "--start", "http://127.0.0.1:9/list"]
    cases = {
        "--since": ["--since", "2024/03/20", "--out", str(tmp_path / "a")],
        "--now": ["--now", "garbage", "--out", str(tmp_path / "b")],
        "--extra-ca": ["--extra-ca", str(tmp_path / "missing.pem"), "--out", str(tmp_path / "c")],
    }
    for flag, extra in cases.items():
        proc = subprocess.run([*base, *extra], capture_output=True, timeout=60, check=False)
        assert proc.returncode == 2 and flag in proc.stderr.decode(), (flag, proc.stderr.decode())
    (tmp_path / "afile").write_text("x")
    proc = subprocess.run([*base, "--out", str(tmp_path / "afile" / "out")], capture_output=True, timeout=60,
                          check=False)
    assert proc.returncode == 2 and "cannot write in" in proc.stderr.decode()


def test_items_without_a_view_url_are_reported_not_silently_dropped(tmp_path: Path) -> None:
    listing = ("<html><body><table><tbody>"
               + "".join(f"<tr><td><a href=\"javascript:fn_view('{n}')\">한빛구 소식 {n}번째 안내</a></td>"
                         f"<td>2024.03.0{n}</td></tr>" for n in range(1, 4))
               + "</tbody></table></body></html>")
    routes = {"/list.do": [{"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}, "body": listing}]}
    with ScriptedServer(routes) as srv:
        proc = subprocess.run([sys.executable, "-m", "scraper", "crawl", "--start", srv.url("/list.do"), "--out",
                               str(tmp_path / "out"), "--delay", "0"], capture_output=True, timeout=60, check=False)
    assert proc.returncode == 1
    errors = [json.loads(line) for f in (tmp_path / "out").rglob("errors.jsonl")
              for line in f.read_text(encoding="utf-8").splitlines()]
    assert [e["error"]["kind"] for e in errors] == ["no_view_url"]
    assert "3 items have no view URL" in errors[0]["error"]["message"]


def test_one_output_folder_takes_one_crawl_even_with_two_state_files(tmp_path: Path) -> None:
    board = Board(view_delay=0.2)
    with ScriptedServer({}, board.respond) as srv:
        sources = _source_toml(srv, tmp_path / "sources.toml")
        first_argv = _cli(tmp_path, sources)
        first = subprocess.Popen(first_argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_view_requests(srv, 2)
        other_state = [*first_argv]
        other_state[other_state.index("--state") + 1] = str(tmp_path / "other.sqlite")
        second = subprocess.run(other_state, capture_output=True, timeout=60, check=False)
        assert first.wait(timeout=60) == 0
    assert second.returncode == 3 and "another crawl is running" in second.stderr.decode()
    assert len(_records(tmp_path / "out")) == 15


class DeepBoard(Board):
    """Three distinct list pages (the real list with its ids shifted by 100,000 per page) over the real view;
    the real pager's links past page 3 point to page 3, as a three-page board's pager would."""

    def respond(self, path: str) -> dict[str, Any] | None:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == LIST_PATH and query.get("mode") != ["view"]:
            page = int(query.get("page", ["1"])[0])
            if page > 3:
                return {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"},
                        "body": "<html><body><ul id='news'></ul></body></html>"}
            html = self.list_html.decode("utf-8")
            shifted = re.sub(r"idx=(\d+)", lambda m: f"idx={int(m.group(1)) + 100000 * (page - 1)}", html)
            shifted = re.sub(r"page=(\d+)", lambda m: f"page={min(int(m.group(1)), 3)}", shifted)
            return {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"},
                    "body": shifted.encode("utf-8")}
        return super().respond(path)


def test_a_walk_killed_on_page_2_is_resumed_and_nothing_is_lost(tmp_path: Path) -> None:
    board = DeepBoard(view_delay=0.1)
    with ScriptedServer({}, board.respond) as srv:
        sources = _source_toml(srv, tmp_path / "sources.toml")
        proc = subprocess.Popen(_cli(tmp_path, sources), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(_records(tmp_path / "out")) < 18 and time.monotonic() < deadline:  # into list page 2
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        board.view_delay = 0.0
        rerun = subprocess.run(_cli(tmp_path, sources), capture_output=True, timeout=120, check=False)
        again = subprocess.run(_cli(tmp_path, sources), capture_output=True, timeout=120, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()
    counts = Counter(r["url"] for r in _records(tmp_path / "out"))
    assert len(counts) == 45 and set(counts.values()) == {1}
    assert "gangjin-press: 1 list pages, 0 new" in again.stderr.decode()


def test_a_first_walk_stops_at_max_pages_and_is_not_backfilled(tmp_path: Path) -> None:
    board = DeepBoard()
    with ScriptedServer({}, board.respond) as srv:
        sources = _source_toml(srv, tmp_path / "sources.toml")
        first = subprocess.run([*_cli(tmp_path, sources), "--max-pages", "2"], capture_output=True, timeout=120,
                               check=False)
        second = subprocess.run([*_cli(tmp_path, sources), "--max-pages", "2"], capture_output=True, timeout=120,
                                check=False)
    assert first.returncode == 0 and second.returncode == 0
    assert len(_records(tmp_path / "out")) == 30
    assert "gangjin-press: 1 list pages, 0 new" in second.stderr.decode()


def test_a_lost_or_corrupt_state_file_never_duplicates_records(tmp_path: Path) -> None:
    board = Board()
    with ScriptedServer({}, board.respond) as srv:
        sources = _source_toml(srv, tmp_path / "sources.toml")
        assert subprocess.run(_cli(tmp_path, sources), capture_output=True, timeout=120, check=False).returncode == 0
        (tmp_path / "state.sqlite").write_bytes(b"this is not an SQLite database" * 100)
        corrupt = subprocess.run(_cli(tmp_path, sources), capture_output=True, timeout=120, check=False)
        for leftover in tmp_path.glob("state.sqlite*"):
            leftover.unlink()  # the user moves the broken state aside
        rebuilt = subprocess.run(_cli(tmp_path, sources), capture_output=True, timeout=120, check=False)
    assert corrupt.returncode == 2 and "is not a SQLite database" in corrupt.stderr.decode()
    assert rebuilt.returncode == 0, rebuilt.stderr.decode()
    assert "state rebuilt from 15 records" in rebuilt.stderr.decode()
    assert "0 new, 0 updated" in rebuilt.stderr.decode()  # after a rebuild the board is verified again
    records = _records(tmp_path / "out")
    assert len(records) == 15 and {r["item_id"] for r in records} == {r["url"].split("idx=")[1].split("&")[0]
                                                                     for r in records}


TEMPLATE_PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "template"
TEMPLATE_TITLES = {1: "동네 도서관 야간 개장 시작", 2: "하천 산책로 자전거 구간 분리",
                   3: "전통시장 주차장 무료 시간 늘린다"}


def _template_routes(shown: list[list[int]]) -> dict[str, list[dict[str, Any]]]:
    """A small news board whose view pages (fixtures/template/page-N.html) share chrome inside the article
    container, at addresses no bundled profile claims (the generic path reads them): the list page shows the
    items of ``shown[i]`` on its i-th request (the last one repeats)."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    lists = [{"status": 200, "headers": html, "body": "<html><body><ul class='list'>" + "".join(
        f"<li><a href='/dongne/view.php?no={n}'>{TEMPLATE_TITLES[n]}</a></li>" for n in items)
        + "</ul></body></html>"} for items in shown]
    routes: dict[str, list[dict[str, Any]]] = {"/news/list.html": lists}
    for n in TEMPLATE_TITLES:
        page = (TEMPLATE_PAGES / f"page-{n}.html").read_bytes()
        routes[f"/dongne/view.php?no={n}"] = [{"status": 200, "headers": html, "body": page}]
    return routes


def _bodies(out: Path) -> dict[str, dict[str, Any]]:
    return {r["url"].rsplit("=", 1)[1]: r for r in _records(out)}


def test_a_crawl_learns_the_source_template_and_strips_chrome_from_the_third_page_on(tmp_path: Path) -> None:
    from scraper.sinks.state import StateStore
    from scraper.sources.board import start_source

    with ScriptedServer(_template_routes([[1, 2], [1, 2, 3]])) as srv:
        source = start_source(srv.url("/news/list.html"))
        settings = CrawlSettings(out_dir=tmp_path / "out", state_path=tmp_path / "state.sqlite", now=NOW)
        first = asyncio.run(run_crawl([source], settings, FetchSettings(min_delay=0.0), generic=True))
        second = asyncio.run(run_crawl([source], settings, FetchSettings(min_delay=0.0), generic=True))
    assert first.sources[source.name].new == 2 and second.sources[source.name].new == 1
    records = _bodies(tmp_path / "out")
    # pages 1 and 2: one other page known at most, nothing learned
    assert [len(records[n]["body"]) for n in ("1", "2")] == [10, 10]
    assert records["1"]["body"][0] == "글자 크기 크게 작게 바로 듣기" and records["1"]["warnings"] == []
    # page 3, on the next run: the two pages kept in the state file and itself
    assert records["3"]["body"] == [
        "한빛시가 전통시장 공영주차장의 무료 주차 시간을 30분에서 1시간으로 늘린다고 7일 밝혔다. "
        "장을 보는 손님의 부담을 줄이려는 것이다.",
        "무료 시간 연장은 다음 달 1일부터 시내 전통시장 다섯 곳의 주차장에 적용된다. "
        "시장 상인회는 손님이 늘어날 것으로 기대하고 있다.",
        "시 관계자는 \"주차 문제로 시장을 찾지 않던 손님이 돌아오길 바란다\"고 말했다.",
        "※ 이 기사는 한빛시 보도자료를 바탕으로 썼습니다.",
    ]
    assert records["3"]["warnings"] == ["template_applied"]
    with StateStore(tmp_path / "state.sqlite") as state:
        kept = state.template_samples(source.name)
    assert sorted(item for item, _ in kept) == sorted(r["item_id"] for r in records.values())
    assert all("<" not in sample and "글자 크기 크게 작게 바로 듣기" in sample for _, sample in kept)  # lines


def test_crawl_no_learn_keeps_the_generic_bodies(tmp_path: Path) -> None:
    with ScriptedServer(_template_routes([[1, 2, 3]])) as srv:
        argv = [sys.executable, "-m", "scraper", "crawl", "--start", srv.url("/news/list.html"), "--out",
                str(tmp_path / "out"), "--state", str(tmp_path / "state.sqlite"), "--delay", "0", "--now", NOW]
        proc = subprocess.run([*argv, "--no-learn"], capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    records = _bodies(tmp_path / "out")
    assert sorted(records) == ["1", "2", "3"]
    assert [len(r["body"]) for r in records.values()] == [10, 10, 10]
    assert all(r["warnings"] == [] for r in records.values())


def test_a_state_file_from_before_the_template_table_still_opens(tmp_path: Path) -> None:
    import sqlite3

    from scraper.sinks.state import StateStore

    path = tmp_path / "state.sqlite"
    with StateStore(path) as state:
        revision = state.begin_write("s", "1", "http://127.0.0.1/v?id=1", "rid", "hash", "out.jsonl", NOW)
        state.commit_write("s", "1", NOW)
        state.db.execute("DROP TABLE template_samples")  # the state file as older versions wrote it
    db = sqlite3.connect(path)
    assert "template_samples" not in {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    with StateStore(path) as state:
        assert revision == 1 and state.known("s", "1")
        assert state.template_samples("s") == []
        for n in range(10):
            state.add_template_sample("s", str(n), f'{{"n": {n}}}', keep=8)
        state.add_template_sample("s", "3", '{"n": 33}', keep=8)
    with StateStore(path) as state:  # reopened: the newest 8 kept, a re-sampled item moved to the newest
        assert state.template_samples("s") == [(str(n), f'{{"n": {n}}}') for n in (2, 4, 5, 6, 7, 8, 9)] + [
            ("3", '{"n": 33}')]


def test_refresh_does_not_re_read_what_the_same_run_just_wrote(tmp_path: Path) -> None:
    board = Board()
    with ScriptedServer({}, board.respond) as srv:
        first = _run(srv, tmp_path, refresh=15)
        views = [p for p in srv.paths() if "mode=view" in p]
    assert first.sources["gangjin-press"].new == 15
    assert len(views) == 15 == len(set(views))
