"""Attachments re-extracted from a WARC: a board on 127.0.0.1 whose releases link real HWP/HWPX files (one behind
a redirect, one answered 404, one answered with an HTML page) crawled with ``--attachments --warc``; ``scraper warc
extract`` reads each attachment from its capture and gives the live records field by field (text, media type,
errors, body taken from the attachment); ``--no-attachments`` and a crawl without ``--attachments`` leave them
unread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from growing_board import GrowingBoard, board_sources, crawl
from scripted_server import ScriptedServer

NOW = "2025-06-01T09:00:00+09:00"
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real" / "attachments"
BOOKKEEPING = ("item_id", "revision", "content_hash", "fetched_at")
HWP_NAME = "2024년 1분기 해외직접투자 보도자료.hwp"


def _sample(name: str) -> bytes:
    path = SAMPLES / name
    if not path.is_file():
        reason = f"real attachment samples not found at {SAMPLES} (../shared next to the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI=true requires them")
        pytest.skip(reason)
    return path.read_bytes()


class AttachedBoard(GrowingBoard):
    """The growing board whose post i links ``/files/down.do?id=i``: an HWPX (1), an HWP behind a 302 (2), a 404
    (3), an HTML login page (4); the others link nothing. Posts 1 and 2 only point to their file (첨부파일 참조)."""

    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.hwpx = _sample("moef_fdi_2024q1_press.hwpx")
        self.hwp = _sample("moef_fdi_2024q1_press.hwp")

    def respond(self, path: str) -> dict[str, Any] | None:
        parts = urlsplit(path)
        octet = {"Content-Type": "application/octet-stream"}
        if parts.path == "/files/down.do":
            post = int(parse_qs(parts.query)["id"][0])
            if post == 1:
                disposition = 'attachment; filename="' + "보도자료.hwpx".encode("euc-kr").decode("latin-1") + '"'
                return {"status": 200, "headers": {**octet, "Content-Disposition": disposition}, "body": self.hwpx}
            if post == 2:
                return {"status": 302, "headers": {"Location": "/files/store/2.hwp"}, "body": b""}
            if post == 3:
                return {"status": 404, "headers": {"Content-Type": "text/html"}, "body": "없음"}
            return {"status": 200, "headers": {"Content-Type": "text/html"}, "body": "<html><body>로그인</body></html>"}
        if parts.path == "/files/store/2.hwp":
            return {"status": 200, "headers": octet, "body": self.hwp}
        return super().respond(path)

    def view(self, post: int) -> str:
        page = super().view(post)
        if post > 4:
            return page
        if post <= 2:
            page = page.replace("주민 누구나 참여할 수 있다.</p>", "</p><p>※ 자세한 내용은 첨부파일 참조</p>").replace(
                f"<p>한빛구는 {post}번째 소식을 발표했다고 밝혔다. ", "<p>")
        name = "내려받기" if post == 1 else HWP_NAME if post == 2 else f"붙임{post}.hwp"
        files = f"<div class='file'><ul><li><a href='/files/down.do?id={post}'>{name}</a></li></ul></div>"
        return page.replace("</div></div></body>", f"</div>{files}</div></body>")


def scraper(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scraper", *argv], capture_output=True, text=True, timeout=300,
                          check=False)


def _records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for f in sorted(out.rglob("*.jsonl")) if f.name != "errors.jsonl"
            for line in f.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One crawl of 6 posts with --attachments --warc, one without --attachments (its own state and WARC)."""
    tmp = tmp_path_factory.mktemp("warc-attachments")
    board = AttachedBoard(6)
    runs: dict[str, Any] = {}
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp / "s.toml")
        for name, extra in (("with", ("--attachments",)), ("without", ())):
            done = crawl(tmp / name, sources, "--now", NOW, "--workers", "0", "--no-learn", "--warc",
                         str(tmp / name / "warc"), *extra)
            assert done.returncode == 0, done.stderr.decode()
            runs[name] = {"records": _records(tmp / name / "out"), "files": sorted((tmp / name / "warc").iterdir())}
    runs["sources"] = sources
    return runs


def _replay(crawled: dict[str, Any], run: str, *extra: str) -> list[dict[str, Any]]:
    proc = scraper("warc", "extract", *map(str, crawled[run]["files"]), "--source", "tb", "--sources",
                   str(crawled["sources"]), "--now", NOW, *extra)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def _same(live: list[dict[str, Any]], again: list[dict[str, Any]]) -> None:
    by_place = {line["warc"]["record_id"]: line for line in again}
    assert len(again) == len(live) == 6
    for record in live:
        other = by_place[record["warc"]["record_id"]]
        for key in sorted(set(record) | set(other)):
            if key not in BOOKKEEPING:
                assert other.get(key) == record.get(key), (record["url"], key)


def test_attachments_are_read_from_their_captures_as_the_crawl_read_them(crawled: dict[str, Any]) -> None:
    live = crawled["with"]["records"]
    by_post = {int(r["url"].rsplit("=", 1)[1]): r for r in live}
    assert by_post[1]["body_source"] == "attachment" and by_post[1]["attachments"][0]["name"] == "보도자료.hwpx"
    assert by_post[2]["body_source"] == "attachment"
    assert by_post[2]["attachments"][0]["media_type"] == "application/x-hwp"
    assert "150.9억 달러" in by_post[2]["attachments"][0]["text"]
    assert by_post[3]["attachments"][0]["error"] == "download failed: http_status: HTTP 404"
    assert by_post[4]["attachments"][0]["error"].startswith("not_a_document")
    again = _replay(crawled, "with")
    _same(live, again)


def test_no_attachments_and_a_crawl_without_them_leave_them_unread(crawled: dict[str, Any]) -> None:
    plain = crawled["without"]["records"]
    assert all(a["text"] is None and a["error"] is None for r in plain for a in r["attachments"])
    _same(plain, _replay(crawled, "without"))
    unread = _replay(crawled, "with", "--no-attachments")
    assert all(a["text"] is None and a["error"] is None for r in unread for a in r["attachments"])
    assert sum(len(r["attachments"]) for r in unread) == 4
