#!/usr/bin/env python3
"""Demo of the cron job without network: serve the bundled board (fixtures/board) on 127.0.0.1 and run
``scraper crawl`` on it twice. The first run writes every press release under output/demo-crawl/, the
second (same state file) writes nothing and reads only the first list page.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BOARD = ROOT / "fixtures" / "board"
OUT = ROOT / "output" / "demo-crawl"


def _view(data: dict[str, object]) -> bytes:
    page = (BOARD / "view.html").read_text(encoding="utf-8")
    body = "\n".join(f"      <p>{html.escape(p)}</p>" for p in data["body"])  # type: ignore[union-attr]
    fields = {k: html.escape(str(v)) for k, v in data.items() if k != "body"}
    return page.replace("{body}", body).format(**fields).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    """The board: /board/list.do (any page) and /board/view.do?nttId=N."""

    views = json.loads((BOARD / "views.json").read_text(encoding="utf-8"))

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/board/list.do":
            self._send(200, (BOARD / "list.html").read_bytes())
        elif parts.path == "/board/view.do" and parse_qs(parts.query).get("nttId", [""])[0] in self.views:
            self._send(200, _view(self.views[parse_qs(parts.query)["nttId"][0]]))
        else:
            self._send(404, "없는 페이지".encode())

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _sources(base: str, out: Path) -> Path:
    path = out / "sources.toml"
    path.write_text(
        "[[source]]\n"
        'name = "hanbit-press"\norganization = "한빛구"\nkind = "press_release"\n'
        f'list_url = "{base}/board/list.do"\n'
        '[source.paging]\nmethod = "get"\nparam = "page"\n'
        '[source.items]\nitem = "table.board-list tbody tr"\nlink = ["td.subject a"]\n'
        'date = ["td:nth-child(4)"]\npinned = "tr.notice"\nid_param = "nttId"\n',
        encoding="utf-8",
    )
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: output/demo-crawl)")
    out = parser.parse_args().out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources = _sources(base, out)
    cmd = [sys.executable, "-m", "scraper", "crawl", "--sources", str(sources), "--out", str(out),
           "--state", str(out / "state.sqlite"), "--delay", "0.2", "--summary"]
    status = 0
    for run in (1, 2):
        print(f"[demo] crawl run {run}: scraper crawl --sources {sources} --out {out}", file=sys.stderr, flush=True)
        proc = subprocess.run([*cmd, str(out / f"summary-{run}.json")], check=False)
        status = status or proc.returncode
    server.shutdown()
    for file in sorted(out.rglob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            print(f"  {file.relative_to(out)}: {rec['published']:<25} {rec['title']}  "
                  f"[{rec['department']}, {(rec.get('contact') or {}).get('name')}]")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
