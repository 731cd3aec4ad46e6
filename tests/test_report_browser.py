"""The report page in a real headless browser (chromium), built from real crawls: the replayed 강진군 board
of ``test_crawl`` with one failing view page, an empty board and a board whose list page is gone, all served
on 127.0.0.1 and crawled by ``scraper crawl`` on two days; then ``scraper report``, and the page served on
127.0.0.1 and loaded by chromium: a screenshot that is no blank PNG, the chart's bars in the DOM chromium
built, no console message at all (the page has no script; a CSP violation or error would be one) and no
request but the page's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from browser import WINDOW, chromium, finish, launch, png, png_size_and_content_rows
from scripted_server import ScriptedServer
from selectolax.lexbor import LexborHTMLParser
from test_crawl import LIST_PATH, Board

from scraper.sources.boards import load_sources

DAY1, DAY2, REPORT_AT = "2025-12-09T09:00:00+09:00", "2025-12-10T09:00:00+09:00", "2025-12-11T09:00:00+09:00"
HTML = {"Content-Type": "text/html; charset=utf-8"}


class Boards(Board):
    """The replayed board, plus ``/empty/list`` (a list page without items) and ``/gone/list`` (404)."""

    def respond(self, path: str) -> dict[str, Any] | None:
        if path.startswith("/empty/list"):
            return {"status": 200, "headers": HTML, "body": "<html><body><ul id='news'></ul></body></html>"}
        if path.startswith("/gone/list"):
            return {"status": 404, "headers": HTML, "body": "없는 페이지"}
        return super().respond(path)


def _sources(srv: ScriptedServer, path: Path) -> Path:
    shipped = load_sources()["gangjin-press"]
    rules = shipped.items
    text = ""
    for name, list_path in (("gangjin-press", LIST_PATH), ("empty-board", "/empty/list"),
                            ("gone-board", "/gone/list")):
        text += (f'[[source]]\nname = "{name}"\norganization = "{shipped.organization}"\nkind = "{shipped.kind}"\n'
                 f'list_url = "{srv.url(list_path)}"\nprofile = "{shipped.profile}"\n'
                 f'[source.paging]\nmethod = "get"\nparam = "{shipped.paging.param}"\n'
                 f"[source.items]\nitem = {json.dumps(rules.item)}\nlink = {json.dumps(rules.link)}\n"
                 f"title = {json.dumps(rules.title)}\ndate = {json.dumps(rules.date)}\n"
                 f'id_param = "{rules.id_param}"\n')
    path.write_text(text, encoding="utf-8")
    return path


def _scraper(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "scraper", *args], capture_output=True, timeout=120, check=False)


def _crawled_report(tmp: Path) -> Path:
    """Two crawl runs (day 1: one view page fails; day 2: it is back), then ``scraper report``: the page."""
    board = Boards()
    board.missing.add("647620")
    out = tmp / "out"
    with ScriptedServer({}, board.respond) as srv:
        sources = _sources(srv, tmp / "sources.toml")
        for now in (DAY1, DAY2):
            crawl = _scraper("crawl", "--sources", str(sources), "--out", str(out), "--delay", "0", "--now", now)
            assert crawl.returncode == 1, crawl.stderr.decode()  # gone-board fails on both runs
            board.missing.clear()
    report = _scraper("report", "--out", str(out), "--now", REPORT_AT)
    assert report.returncode == 0, report.stderr.decode()
    return out / "report"


def test_the_report_page_in_headless_chromium(tmp_path: Path) -> None:
    binary = chromium()
    folder = _crawled_report(tmp_path)
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    sources = {s["name"]: s for s in data["sources"]}
    gangjin = sources["gangjin-press"]
    per_day = {day: n for day, n in zip(data["days"], gangjin["new_per_day"], strict=True) if n}
    assert per_day == {"2025-12-09": 14, "2025-12-10": 1} and gangjin["items"] == 15
    assert gangjin["error_kinds"] == {"http_status": 1} and gangjin["status"] == "ok"
    assert gangjin["records"] == 15 and gangjin["extractors"] == {"ybmodule": 15}
    assert sources["gone-board"]["status"] == "failed" and sources["gone-board"]["last_success"] is None
    empty = sources["empty-board"]
    assert empty["items"] == 0 and empty["status"] == "no_items" and empty["status_reported"]
    assert empty["error_kinds"] == {"no_items": 2} and empty["no_items_runs"] == 2
    assert [r["new"] for r in data["runs"]] == [1, 14]

    page = (folder / "index.html").read_bytes()
    with ScriptedServer({"/index.html": [{"status": 200, "headers": HTML, "body": page}]}) as srv:
        shot = launch(binary, srv.url("/index.html"), tmp_path / "profile-shot", f"--screenshot={tmp_path / 's.png'}",
                      f"--window-size={WINDOW[0]},{WINDOW[1]}")
        dom = launch(binary, srv.url("/index.html"), tmp_path / "profile-dom", "--dump-dom")
        _, shot_console = finish(shot)
        html, dom_console = finish(dom)
        requested = srv.paths()
    assert shot_console == [] and dom_console == []
    assert requested == ["/index.html", "/index.html"]  # nothing else: no favicon, no asset
    width, height, busy = png_size_and_content_rows((tmp_path / "s.png").read_bytes())
    assert (width, height) == WINDOW and busy > 300, busy
    tree = LexborHTMLParser(html)
    bars = {s: len(tree.css(f'svg.chart[data-source="{s}"] rect.bar')) for s in sources}
    assert bars == {"gangjin-press": 2, "empty-board": 0, "gone-board": 0}
    assert [b.attributes["data-count"] for b in tree.css('svg.chart[data-source="gangjin-press"] rect.bar')] == [
        "14", "1"]
    assert tree.css_first("h1") is not None and tree.css_first("h1").text() == "Crawl health"


def test_the_console_check_sees_errors_and_blocked_loads(tmp_path: Path) -> None:
    """The check above would catch a page that logs: a script error and a fetch the page's CSP blocks."""
    binary = chromium()
    bad = ("<!DOCTYPE html><html><head><meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
           "script-src 'unsafe-inline'\"></head><body><script>undefinedFunction()</script>"
           "<img src='http://192.0.2.1/x.png'></body></html>")
    with ScriptedServer({"/bad.html": [{"status": 200, "headers": HTML, "body": bad}]}) as srv:
        _, console = finish(launch(binary, srv.url("/bad.html"), tmp_path / "profile", "--dump-dom"))
    assert any("undefinedFunction" in m for m in console), console
    assert any("Content Security Policy" in m for m in console), console


def test_the_png_check_tells_blank_from_drawn() -> None:
    assert png_size_and_content_rows(png(40, 30, lambda x, y: (250, 250, 250))) == (40, 30, 0)
    drawn = png(40, 30, lambda x, y: (0, 0, 255) if 10 <= x < 20 and y < 5 else (255, 255, 255))
    assert png_size_and_content_rows(drawn) == (40, 30, 5)
    with pytest.raises(AssertionError):
        png_size_and_content_rows(b"GIF89a")
