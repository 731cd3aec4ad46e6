"""The archive feed's harder fetches on real sockets on 127.0.0.1: robots.txt redirect hops each archived as their
own request/response pair (and the policy read from the last hop), and fetches that got no response at all
(connection refused, connection closed before any response, read timeout) archived as ``metadata`` records of
their URL, one per attempt; ``warcio check`` passes on the file and ``warc extract`` skips them."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from scripted_server import ScriptedServer
from test_warc import read_warc, warcio_check

from scraper.archive.warc import WarcWriter
from scraper.config import FetchSettings, WarcSettings
from scraper.fetch.client import Fetcher

TEXT = {"Content-Type": "text/plain"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_robots_redirect_hops_are_archived_each_as_its_own_pair(tmp_path: Path) -> None:
    routes = {
        "/robots.txt": [{"status": 301, "headers": {"Location": "/r2", **TEXT}, "body": "moved"}],
        "/r2": [{"status": 302, "headers": {"Location": "/robots-real.txt", **TEXT}, "body": ""}],
        "/robots-real.txt": [{"status": 200, "headers": TEXT, "body": "User-agent: *\nDisallow: /private\n"}],
        "/page": [{"status": 200, "headers": HTML, "body": "<html><body><p>본문</p></body></html>"}],
    }

    async def run(writer: WarcWriter, srv: ScriptedServer) -> list[Any]:
        async with Fetcher(FetchSettings(polite=False), recorder=writer) as fetcher:
            return [await fetcher.fetch(srv.url("/page")), await fetcher.fetch(srv.url("/private"))]

    with ScriptedServer(routes) as srv, WarcWriter(WarcSettings(folder=tmp_path)) as writer:
        page, private = asyncio.run(run(writer, srv))
    assert page.ok and private.outcome == "robots_disallowed"  # the policy of the last hop
    [file] = writer.files
    records = read_warc(file)
    kinds = [(r["type"], r["warc"].get("WARC-Target-URI", "").replace(srv.url(""), ""), r["status"])
             for r in records]
    assert kinds == [("warcinfo", "", None), ("response", "/robots.txt", "301"), ("request", "/robots.txt", None),
                     ("response", "/r2", "302"), ("request", "/r2", None),
                     ("response", "/robots-real.txt", "200"), ("request", "/robots-real.txt", None),
                     ("response", "/page", "200"), ("request", "/page", None)]
    assert records[1]["payload"] == b"moved"
    check = warcio_check([file])
    assert check.returncode == 0, check.stdout + check.stderr


class Closer:
    """A TCP server on 127.0.0.1 that accepts each connection and closes it before any response."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _failures(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """``(target URI, payload)`` of every failure record."""
    return [(r["warc"]["WARC-Target-URI"], r["payload"].decode()) for r in records
            if r["type"] == "metadata" and r["warc"].get("Content-Type") == "application/warc-fields"]


def test_fetches_without_any_response_are_archived_as_failures(tmp_path: Path) -> None:
    refused = f"http://127.0.0.1:{_free_port()}/board/view.do?id=1"
    closer = Closer()
    closed = f"http://127.0.0.1:{closer.port}/board/view.do?id=2"
    routes = {"/slow": [{"status": 200, "headers": HTML, "body": "<html>늦음</html>", "delay": 3}]}
    settings = FetchSettings(polite=False, obey_robots=False, attempts=2, backoff_base=0.01, backoff_cap=0.02,
                             read_timeout=0.5)

    async def run(writer: WarcWriter, srv: ScriptedServer) -> list[Any]:
        async with Fetcher(settings, recorder=writer) as fetcher:
            return [await fetcher.fetch(refused), await fetcher.fetch(closed), await fetcher.fetch(srv.url("/slow"))]

    with ScriptedServer(routes) as srv, WarcWriter(WarcSettings(folder=tmp_path)) as writer:
        results = asyncio.run(run(writer, srv))
    closer.sock.close()
    assert [r.outcome for r in results] == ["network", "network", "timeout"]
    [file] = writer.files
    records = read_warc(file)
    failures = _failures(records)
    assert [url for url, _ in failures] == [refused, refused, closed, closed, srv.url("/slow"), srv.url("/slow")]
    assert all(r["type"] in ("warcinfo", "metadata") for r in records)  # no response was ever received
    refused_fields = failures[0][1]
    assert refused_fields.startswith("fetch-status: 0\r\nfetch-error: network\r\nerror-message: ")
    assert refused_fields.endswith("\r\nhttp-method: GET\r\n")
    assert "fetch-error: network" in failures[2][1] and "fetch-error: timeout" in failures[4][1]
    check = warcio_check([file])
    assert check.returncode == 0, check.stdout + check.stderr
    replay = subprocess.run([sys.executable, "-m", "scraper", "warc", "extract", str(file)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert replay.returncode == 0 and replay.stdout == ""
    assert replay.stderr == "scraper warc extract: 0 records, 0 errors; skipped: none\n"


def test_index_and_wacz_of_a_file_that_is_no_warc_give_one_line_errors(tmp_path: Path) -> None:
    """``scraper warc index`` and ``wacz`` on random bytes named ``.warc.gz`` (a damaged download), and to an
    output that cannot be written: exit 1 and one line naming the problem, not warcio's traceback."""
    from support import run_cli

    junk = tmp_path / "random.warc.gz"
    junk.write_bytes(bytes(range(7, 256)) * 40)
    for args in (("index", str(junk)), ("wacz", str(junk), "--out", str(tmp_path / "x.wacz"))):
        proc = run_cli("warc", *args)
        err = proc.stderr.decode("utf-8", "replace")
        assert (proc.returncode, b"Traceback" in proc.stderr) == (1, False), err
        assert err.startswith(f"scraper warc {args[0]}: not a readable WARC file") and err.count("\n") == 1
    proc = run_cli("warc", "index", str(junk), "--out", str(tmp_path / "no" / "dir" / "x.cdxj"))
    assert (proc.returncode, b"Traceback" in proc.stderr) == (1, False), proc.stderr.decode("utf-8", "replace")
