#!/usr/bin/env python3
"""kill -9 soak test of ``scraper crawl``: a board of M press releases served on 127.0.0.1, crawled by real
``python -m scraper crawl`` subprocesses that are killed with SIGKILL at N moments spread over the crawl (each
kill followed by a rerun on the same output folder and SQLite state file), then run to completion. Then checks:

* lost: items on the board with no record (every item, the pinned 공지 row too, must have exactly one);
* duplicated: records whose ``(source, item_id, revision)`` was written more than once;
* partial lines: lines of any JSONL file (records and errors.jsonl) that do not parse, or a file whose last
  line has no newline;
* also: error lines, records whose title is not their item's, items the state still marks pending, and
  SQLite ``PRAGMA integrity_check``.

Kill moments come from ``--seed``: two in three are "after the board has served K view pages in all" (K spread
over the whole crawl) plus a random 0-40 ms, one in three "T seconds after the process started" (start-up,
recovery and the first list page). A kill that finds the process already finished is counted as missed.

    python scripts/soak_kill.py --kills 20 --items 300          # prints the counts as JSON; exit 1 if any is off
    python scripts/soak_kill.py --kills 50 --items 1000 --seed 7 --keep /tmp/soak

Stdlib only (besides the project itself, run as a subprocess).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
VIEW_TEMPLATE = (ROOT / "fixtures" / "board" / "view.html").read_text(encoding="utf-8")
SOURCE = "soak-board"
PINNED_ID = 1
FIRST_ID = 100000
NOW = "2024-03-20T12:00:00+09:00"
PROGRAMS = ["청년 월세 지원", "봄꽃축제 교통통제", "주말 진료", "하천 정비", "도서관 야간 개방", "무더위 쉼터 운영",
            "전통시장 장보기 행사", "어르신 건강검진", "공공 와이파이 확충", "안심 귀갓길 조성"]
DEPTS = ["청년정책과", "교통행정과", "보건소", "환경과", "문화체육과", "복지정책과", "지역경제과"]
SURNAMES = ["김", "이", "박", "최", "정", "강", "조", "윤"]
GIVEN = ["민수", "서연", "지훈", "하은", "도윤", "수빈", "현우", "지민"]


class Board:
    """``items`` press releases, newest first, ``per_page`` a list page, and a pinned 공지 row on every page."""

    def __init__(self, items: int, per_page: int, seed: int) -> None:
        self.ids = [FIRST_ID + items - 1 - i for i in range(items)]  # newest first
        self.per_page = per_page
        self.seed = seed
        self.lock = threading.Lock()
        self.view_requests = 0
        self.list_requests = 0

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.ids) // self.per_page))

    def all_ids(self) -> list[int]:
        return [PINNED_ID, *self.ids]

    def fields(self, item: int) -> dict[str, str]:
        rng = random.Random(self.seed * 1_000_003 + item)
        if item == PINNED_ID:
            title = "보도자료 게시판 이용 안내"
        else:
            title = f"한빛구, {rng.choice(PROGRAMS)} 안내 (제{item}호)"
        offset = (FIRST_ID + len(self.ids) - item) // 25  # about 25 releases a day, over several days
        day = 19 - offset % 19
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        return {"title": title, "dept": rng.choice(DEPTS), "contact": name,
                "phone": f"02-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                "date": f"2024-03-{day:02d} {9 + item % 9:02d}:{item % 60:02d}"}

    def view(self, item: int) -> bytes:
        rng = random.Random(self.seed * 7_919 + item)
        data = self.fields(item)
        paragraphs = [
            f"한빛구는 {data['title']} 사항을 {rng.randint(1, 28)}일 밝혔다. "
            f"이번 사업은 주민 {rng.randint(50, 900)}명을 대상으로 {rng.randint(2, 12)}개월 동안 진행된다.",
            f"구는 올해 {rng.randint(2, 90)}억 원의 예산을 들여 관련 시설을 정비하고 안내 인력을 늘린다고 설명했다.",
            f"신청은 {rng.randint(1, 12)}월 {rng.randint(1, 28)}일부터 구 누리집과 동 주민센터에서 받는다.",
            f"자세한 사항은 한빛구 {data['dept']}({data['phone']})로 문의하면 된다. "
            f"문서번호 {item}-{rng.randint(1, 9999)}.",
        ]
        body = "\n".join(f"      <p>{html.escape(p)}</p>" for p in paragraphs)
        page = VIEW_TEMPLATE.replace("{body}", body)
        return page.format(**{k: html.escape(v) for k, v in data.items()}).encode("utf-8")

    def list_page(self, page: int) -> bytes:
        start = (page - 1) * self.per_page
        rows = [self._row(PINNED_ID, "공지", pinned=True)]
        rows += [self._row(item, str(item - FIRST_ID + 1)) for item in self.ids[start:start + self.per_page]]
        pager = " ".join(f"<strong>{n}</strong>" if n == page else f'<a href="?page={n}">{n}</a>'
                         for n in range(1, self.pages + 1))
        return (
            '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>보도자료 | 한빛구청</title></head>'
            '<body><div id="contents"><table class="board-list"><thead><tr><th>번호</th><th>제목</th><th>담당부서</th>'
            f'<th>등록일</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f'<div class="paging">{pager}</div></div></body></html>'
        ).encode()

    def _row(self, item: int, number: str, pinned: bool = False) -> str:
        data = self.fields(item)
        return (f'<tr{" class=notice" if pinned else ""}><td>{number}</td><td class="subject">'
                f'<a href="/board/view.do?nttId={item}">{html.escape(data["title"])}</a></td>'
                f'<td>{data["dept"]}</td><td>{data["date"][:10]}</td></tr>')

    def handler(self) -> type[BaseHTTPRequestHandler]:
        board = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                if parts.path == "/robots.txt":
                    self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
                elif parts.path == "/board/list.do":
                    with board.lock:
                        board.list_requests += 1
                    try:
                        page = int(query.get("page", ["1"])[0])
                    except ValueError:
                        page = 1
                    self._send(200, board.list_page(page))
                elif parts.path == "/board/view.do" and query.get("nttId", [""])[0].isdigit():
                    item = int(query["nttId"][0])
                    if item not in (PINNED_ID, *board.ids):
                        self._send(404, "없는 게시물".encode())
                        return
                    time.sleep(0.002 + (item * 7919 % 11) / 1000)  # 2-12 ms, as a modest server
                    with board.lock:
                        board.view_requests += 1
                    self._send(200, board.view(item))
                else:
                    self._send(404, "없는 페이지".encode())

            def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the crawler was killed mid-response
                    pass

        return Handler


def sources_toml(base: str, path: Path) -> Path:
    path.write_text(
        "[[source]]\n"
        f'name = "{SOURCE}"\norganization = "한빛구"\nkind = "press_release"\n'
        f'list_url = "{base}/board/list.do"\n'
        '[source.paging]\nmethod = "get"\nparam = "page"\n'
        '[source.items]\nitem = "table.board-list tbody tr"\nlink = ["td.subject a"]\ntitle = ["td.subject a"]\n'
        'date = ["td:nth-child(4)"]\npinned = "tr.notice"\nid_param = "nttId"\n',
        encoding="utf-8",
    )
    return path


def crawl_command(work: Path, sources: Path) -> list[str]:
    return [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(work / "out"),
            "--state", str(work / "state.sqlite"), "--delay", "0", "--max-pages", "100000", "--now", NOW]


def _spawn(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    with log.open("ab") as handle:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=handle)


def kill_plan(kills: int, items: int, seed: int) -> list[tuple[str, float]]:
    """``("views", K)``: kill once the board has served K view pages in all (plus a random 0-40 ms);
    ``("time", T)``: kill T seconds after the process started. The view counts are spread over the crawl."""
    rng = random.Random(seed)
    span = range(1, max(2, items - items // 10))  # the last tenth of the board is left for the completion run
    wanted = sum(1 for k in range(kills) if k % 3 != 2)
    by_views = sorted(rng.sample(span, k=min(wanted, len(span))))
    plan: list[tuple[str, float]] = []
    for k in range(kills):
        if k % 3 == 2 or not by_views:
            plan.append(("time", rng.uniform(0.05, 2.5)))
        else:
            plan.append(("views", float(by_views.pop(0))))
    return plan


def run_soak(kills: int, items: int, seed: int, work: Path, per_page: int = 20, timeout: float = 600.0,
             progress: bool = False) -> dict[str, Any]:
    """Serve the board, kill and rerun the crawl ``kills`` times, run it to completion; returns the counts."""
    board = Board(items, per_page, seed)
    server = ThreadingHTTPServer(("127.0.0.1", 0), board.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    started = time.monotonic()
    log = work / "crawl.log"
    rng = random.Random(seed + 1)
    landed = missed = 0
    moments: list[str] = []
    try:
        sources = sources_toml(f"http://127.0.0.1:{server.server_address[1]}", work / "sources.toml")
        command = crawl_command(work, sources)
        for kind, value in kill_plan(kills, items, seed):
            proc = _spawn(command, log)
            spawned = time.monotonic()
            if kind == "time":
                deadline = spawned + value
                while time.monotonic() < deadline and proc.poll() is None:
                    time.sleep(0.005)
            else:
                value = max(value, board.view_requests + 1)  # at least one view page into this run
                deadline = spawned + timeout
                while board.view_requests < value and proc.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.002)
                time.sleep(rng.uniform(0.0, 0.04))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                landed += 1
            else:
                missed += 1
            proc.wait()
            moments.append(f"{kind}={value:g}@{time.monotonic() - spawned:.2f}s/{board.view_requests}views")
            if progress:
                print(f"[soak] kill {len(moments)}: {moments[-1]} (rc {proc.returncode})", file=sys.stderr)
        final = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=timeout, check=False)
        again = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=timeout, check=False)
    finally:
        server.shutdown()
        server.server_close()
    counts = check_output(work, board)
    counts.update({
        "items": items + 1, "kills": kills, "kills_landed": landed, "kills_missed": missed, "seed": seed,
        "final_exit": final.returncode, "rerun_exit": again.returncode,
        "rerun_new": _new_count(again.stderr.decode("utf-8", "replace")),
        "view_requests": board.view_requests, "list_requests": board.list_requests,
        "seconds": round(time.monotonic() - started, 1), "kill_moments": moments,
    })
    if final.returncode != 0:
        counts["final_stderr"] = final.stderr.decode("utf-8", "replace")[-2000:]
    return counts


def _new_count(stderr: str) -> int | None:
    """New items the completion rerun wrote, from its progress line ``soak-board: N list pages, K new``."""
    for line in stderr.splitlines():
        if line.startswith(f"{SOURCE}:") and " new" in line:
            try:
                return int(line.rsplit(",", 1)[1].split()[0])
            except (IndexError, ValueError):
                return None
    return None


def check_output(work: Path, board: Board) -> dict[str, Any]:
    """Lost, duplicated, partial lines (and the other checks in the module docstring) of the output folder."""
    out = work / "out"
    partial = errors = 0
    records: list[dict[str, Any]] = []
    files = sorted(out.rglob("*.jsonl"))
    for file in files:
        data = file.read_bytes()
        if data and not data.endswith(b"\n"):
            partial += 1
        for line in data.splitlines():
            try:
                obj = json.loads(line)
            except ValueError:
                partial += 1
                continue
            if file.name == "errors.jsonl":
                errors += 1
            else:
                records.append(obj)
    by_item = Counter(str(r.get("item_id")) for r in records)
    keys = Counter((r.get("source"), str(r.get("item_id")), r.get("revision")) for r in records)
    expected = {str(i) for i in board.all_ids()}
    titles = {str(i): board.fields(i)["title"] for i in board.all_ids()}
    state = sqlite3.connect(work / "state.sqlite")
    try:
        pending = state.execute("SELECT COUNT(*) FROM items WHERE pending_revision IS NOT NULL").fetchone()[0]
        known = state.execute("SELECT COUNT(*) FROM items WHERE source = ?", (SOURCE,)).fetchone()[0]
        integrity = state.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        state.close()
    return {
        "records": len(records),
        "lost": len(expected - set(by_item)),
        "duplicated": sum(n - 1 for n in keys.values() if n > 1),
        "partial_lines": partial,
        "items_with_several_records": sum(1 for n in by_item.values() if n > 1),
        "unknown_items": len(set(by_item) - expected),
        "wrong_titles": sum(1 for r in records if titles.get(str(r.get("item_id"))) != r.get("title")),
        "error_lines": errors,
        "state_items": known,
        "state_pending": pending,
        "state_integrity": integrity,
        "jsonl_files": len(files),
    }


def failures(counts: dict[str, Any]) -> list[str]:
    """What is off in ``counts`` (empty: the soak passed)."""
    bad = [f"{key}={counts[key]}" for key in ("lost", "duplicated", "partial_lines", "items_with_several_records",
                                              "unknown_items", "wrong_titles", "error_lines", "state_pending")
           if counts[key]]
    if counts["records"] != counts["items"]:
        bad.append(f"records={counts['records']} for {counts['items']} items")
    if counts["state_items"] != counts["items"]:
        bad.append(f"state_items={counts['state_items']}")
    if counts["state_integrity"] != "ok":
        bad.append(f"state_integrity={counts['state_integrity']}")
    if counts["final_exit"] != 0 or counts["rerun_exit"] != 0:
        bad.append(f"exit codes {counts['final_exit']}/{counts['rerun_exit']}")
    if counts["rerun_new"] not in (0, None):
        bad.append(f"rerun_new={counts['rerun_new']}")
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs during the crawl (default 20)")
    parser.add_argument("--items", type=int, default=300, help="press releases on the board (default 300)")
    parser.add_argument("--per-page", type=int, default=20, help="items per list page (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments and the board (default 1)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds one crawl run may take")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each kill moment to stderr")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="soak-kill-"))
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    try:
        counts = run_soak(args.kills, args.items, args.seed, work, args.per_page, args.timeout, args.verbose)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    bad = failures(counts)
    counts["ok"] = not bad
    counts["problems"] = bad
    print(json.dumps(counts, ensure_ascii=False, indent=1))
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
