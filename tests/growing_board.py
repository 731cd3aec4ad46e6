"""A synthetic growing board on a real HTTP server (127.0.0.1) and the crawl run against it as a subprocess,
shared by the crawl-walk tests and the unattended-operation tests."""

from __future__ import annotations

import json
import subprocess
import sys
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
        self.redesigned = False
        """List pages in a markup the source's item selector no longer matches (a board redesign)."""
        self.pager = False
        """List pages carry a pager (links to pages 1..last), as most real boards do."""
        self.blocked: set[int] = set()
        """List pages answered 200 with no rows (a rate limit or WAF page deep in the board)."""
        self.failing: set[int] = set()
        """List pages answered 500."""
        self.revised: set[int] = set()
        """Posts whose view page was corrected (an extra paragraph, a new ETag); their list rows do not change."""
        self.chrome = False
        """View pages carry chrome lines inside the article container (learning drops them from the 3rd on)."""

    def respond(self, path: str) -> dict[str, Any] | None:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/board/list.do":
            page = int(query.get("page", ["1"])[0])
            if page in self.failing:
                return {"status": 500, "headers": HTML, "body": "서버 오류"}
            if page in self.blocked:
                blocked = "<html><body><p>요청이 많아 잠시 차단되었습니다.</p></body></html>"
                return {"status": 200, "headers": HTML, "body": blocked}
            return {"status": 200, "headers": HTML, "body": self.list_page(page)}
        if parts.path == "/board/view.do":
            post = int(query["id"][0])
            if post in self.broken:
                return {"status": 404, "headers": HTML, "body": "없음"}
            headers = {**HTML, "ETag": f'"{post}-{int(post in self.revised)}"'}
            return {"status": 200, "headers": headers, "body": self.view(post), "delay": self.view_delay}
        return None

    def day(self, post: int) -> str:
        return (date(2024, 1, 1) + timedelta(days=post)).isoformat()

    def list_page(self, page: int) -> str:
        newest = self.n - (page - 1) * PER_PAGE
        posts = [p for p in range(newest, newest - PER_PAGE, -1) if p >= 1]
        rows = ["<tr class='notice'><td>공지</td><td class='subject'><a href='/board/view.do?id=1'>이용 안내</a></td>"
                f"<td>{self.day(1)}</td></tr>"]
        if self.redesigned:
            links = "".join(f"<li><a href='/board/view.do?id={p}'>한빛구 소식 {p}호 발표</a></li>" for p in posts)
            return f"<html><body><ul class='bbs-list'>{links}</ul></body></html>"
        rows += [f"<tr><td>{p}</td><td class='subject'><a href='/board/view.do?id={p}'>한빛구 소식 {p}호 발표"
                 f"</a></td><td>{self.day(p)}</td></tr>" for p in posts]
        last = max(1, -(-self.n // PER_PAGE))
        pager = "".join(f"<a href='/board/list.do?page={n}'>{n}</a>" for n in range(1, last + 1)) if self.pager else ""
        return (f"<html><body><table class='board-list'><tbody>{''.join(rows)}</tbody></table>"
                f"<div class='paging'>{pager}</div></body></html>")

    def view(self, post: int) -> str:
        return ("<html><head><meta charset='utf-8'><title>보도자료 | 한빛구청</title></head><body>"
                f"<div class='board_view'><h3 class='title'>한빛구 소식 {post}호 발표</h3>"
                f"<dl><dt>등록일</dt><dd>{self.day(post)}</dd></dl><div class='view_cont'>"
                + ("<div class='tool-x'><p>한빛구 소식은 매주 화요일 누리집과 소식지로 전해 드립니다.</p></div>"
                   if self.chrome else "")
                + f"<p>한빛구는 {post}번째 소식을 발표했다고 밝혔다. 주민 누구나 참여할 수 있다.</p>"
                + (f"<p>{post}번째 소식의 일부 내용이 수정되었습니다.</p>" if post in self.revised else "")
                + ("<div class='box-q'><p>소식에 관한 문의는 한빛구청 홍보담당관 소식팀으로 해 주세요.</p></div>"
                   if self.chrome else "")
                + "</div></div></body></html>")


def board_sources(srv: ScriptedServer, path: Path) -> Path:
    path.write_text(
        "[[source]]\nname = \"tb\"\norganization = \"한빛구\"\n"
        f"list_url = \"{srv.url('/board/list.do')}\"\n"
        "[source.paging]\nmethod = \"get\"\nparam = \"page\"\n"
        "[source.items]\nitem = \"table.board-list tbody tr\"\nlink = [\"td.subject a\"]\n"
        "date = [\"td:nth-child(3)\"]\npinned = \"tr.notice\"\nid_param = \"id\"\n", encoding="utf-8")
    return path


def crawl(tmp: Path, sources: Path, *extra: str) -> subprocess.CompletedProcess[bytes]:
    argv = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(tmp / "out"),
            "--state", str(tmp / "state.sqlite"), "--delay", "0", *extra]
    return subprocess.run(argv, capture_output=True, timeout=180, check=False)


def written(tmp: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for file in (tmp / "out").rglob("*.jsonl"):
        if file.name != "errors.jsonl":
            counts.update(json.loads(line)["item_id"] for line in file.read_text(encoding="utf-8").splitlines())
    return counts


def all_once(tmp: Path, n: int) -> None:
    counts = written(tmp)
    missing = sorted(set(map(str, range(1, n + 1))) - set(counts), key=int)
    assert sorted(counts, key=int) == [str(i) for i in range(1, n + 1)], missing
    assert set(counts.values()) == {1}
