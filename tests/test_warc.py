"""The archive feed (``--warc DIR``) on a real HTTP server on 127.0.0.1, real WARC files and real processes: every
fetch kept as WARC/1.1 (response as received, request, revisit for a 304, the extracted record as metadata), each
JSONL record pointing at its exact response, files rotated, warcio's checker passing on every file, and a
``kill -9`` anywhere leaving every file readable up to its last whole record and no line pointing into a cut one."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import io
import json
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from growing_board import GrowingBoard, all_once, board_sources, crawl
from scripted_server import ScriptedServer
from warcio.archiveiterator import ArchiveIterator

from scraper.archive.warc import IDENTICAL, NOT_MODIFIED, WarcWriter
from scraper.config import FetchSettings, WarcSettings
from scraper.fetch.client import Fetcher

KILL_AT = Path(__file__).with_name("kill_at.py")
NOW = "2025-06-01T09:00:00+09:00"
WARCIO = Path(sys.executable).with_name("warcio")
NAME = re.compile(r"^scraper-\d{14}-(\d{5})-" + re.escape(socket.gethostname()) + r"\.warc\.gz$")


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def read_warc(path: Path) -> list[dict[str, Any]]:
    """Every record of ``path``: type, WARC headers, HTTP status line and headers, raw payload, offset."""
    out = []
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        for rec in records:
            http = rec.http_headers
            out.append({"type": rec.rec_type, "warc": dict(rec.rec_headers.headers), "offset": records.offset,
                        "status": http.get_statuscode() if http and rec.rec_type != "request" else None,
                        "http": list(http.headers) if http else [], "payload": rec.raw_stream.read()})
    return out


def at(folder: Path, place: dict[str, Any]) -> dict[str, Any]:
    """The one record at ``place`` (a ``warc`` key): its bytes read from offset for length, parsed alone."""
    data = (folder / place["filename"]).read_bytes()[place["offset"]:place["offset"] + place["length"]]
    found = []
    for rec in ArchiveIterator(io.BytesIO(data)):
        found.append({"type": rec.rec_type, "warc": dict(rec.rec_headers.headers), "payload": rec.raw_stream.read()})
    assert len(found) == 1
    return found[0]


def jsonl(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for f in sorted(out.rglob("*.jsonl")) if f.name != "errors.jsonl"
            for line in f.read_text(encoding="utf-8").splitlines()]


def warcio_check(files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(WARCIO), "check", "-v", *map(str, files)], capture_output=True, text=True,
                          timeout=120, check=False)


def test_a_fetch_is_archived_as_received_gzip_and_chunked_with_its_request(tmp_path: Path) -> None:
    page = ("<!DOCTYPE html><html><body><p>" + "강진군 보도자료 " * 300 + "</p></body></html>").encode()
    packed = gzip.compress(page, mtime=0)
    routes = {
        "/robots.txt": [{"status": 200, "headers": {"Content-Type": "text/plain"}, "body": "User-agent: *\n"}],
        "/old": [{"status": 301, "headers": {"Location": "/view", "Content-Type": "text/html"}, "body": "moved"}],
        "/view": [{"status": 200, "body": packed, "chunked": 700, "headers": {
            "Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip", "ETag": '"v1"'}}],
    }

    async def fetch_twice(writer: WarcWriter, srv: ScriptedServer) -> list[Any]:
        async with Fetcher(FetchSettings(polite=False), recorder=writer) as fetcher:
            first = await fetcher.fetch(srv.url("/old"))
            second = await fetcher.fetch(srv.url("/view"), validators={"etag": '"v1"'})
            gone = await fetcher.fetch(srv.url("/gone"))
        return [first, second, gone]

    with ScriptedServer(routes, conditional=True) as srv, \
            WarcWriter(WarcSettings(folder=tmp_path, operator="archive@example.kr")) as writer:
        first, second, gone = asyncio.run(fetch_twice(writer, srv))
    assert first.ok and first.content == page and second.outcome == "unchanged" and gone.outcome == "http_status"
    [file] = writer.files
    assert NAME.match(file.name) and NAME.match(file.name).group(1) == "00000"  # type: ignore[union-attr]
    records = read_warc(file)
    kinds = [(r["type"], r["warc"].get("WARC-Target-URI", "").replace(srv.url(""), "")) for r in records]
    assert kinds == [("warcinfo", ""), ("response", "/robots.txt"), ("request", "/robots.txt"),
                     ("response", "/old"), ("request", "/old"), ("response", "/view"), ("request", "/view"),
                     ("revisit", "/view"), ("request", "/view"), ("response", "/gone"), ("request", "/gone")]
    info = records[0]["payload"].decode()
    assert "software: korean-press-scraper/" in info and "operator: archive@example.kr" in info
    assert "format: WARC File Format 1.1" in info and "conformsTo: http://iipc.github.io/" in info
    view = records[5]
    assert view["warc"]["WARC-Type"] == "response" and view["status"] == "200"
    assert view["payload"] == packed  # the bytes as sent: gzip kept, chunk framing removed
    headers = {k.lower(): v for k, v in view["http"]}
    assert headers["content-encoding"] == "gzip" and "transfer-encoding" not in headers
    assert view["warc"]["WARC-Payload-Digest"] == sha1_digest(packed)
    assert view["warc"]["WARC-IP-Address"] == "127.0.0.1"
    assert records[6]["warc"]["WARC-Concurrent-To"] == view["warc"]["WARC-Record-ID"]
    assert records[6]["payload"] == b"" and records[6]["http"][0][0].lower() == "host"
    assert first.archived is not None and first.archived.record_id == view["warc"]["WARC-Record-ID"]
    assert at(tmp_path, first.archived.as_json())["payload"] == packed
    revisit = records[7]["warc"]
    assert revisit["WARC-Profile"] == NOT_MODIFIED and revisit["WARC-Refers-To-Target-URI"] == srv.url("/view")
    assert second.archived is not None and second.archived.record_id == revisit["WARC-Record-ID"]
    assert records[3]["status"] == "301" and records[3]["payload"] == b"moved"
    assert records[9]["status"] == "404" and records[9]["payload"] == b"not found"
    check = warcio_check([file])
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") == 10  # every record but the revisit (no payload to check)


def _crawl_warc(tmp: Path, sources: Path, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return crawl(tmp, sources, "--now", NOW, "--max-pages", "10", "--workers", "0", "--warc", str(tmp / "warc"),
                 *extra)


def test_a_crawl_archives_every_fetch_and_each_record_points_at_its_response(tmp_path: Path) -> None:
    board = GrowingBoard(25)
    with ScriptedServer({}, board.respond, conditional=True) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        done = _crawl_warc(tmp_path, sources, "--warc-operator", "test")
        assert done.returncode == 0, done.stderr.decode()
        [first] = sorted((tmp_path / "warc").iterdir())
        first_bytes = first.read_bytes()
        again = _crawl_warc(tmp_path, sources, "--recheck", "10")
        assert again.returncode == 0, again.stderr.decode()
    files = sorted((tmp_path / "warc").iterdir())
    assert len(files) == 2 and files[0] == first and first.read_bytes() == first_bytes  # a new file per run
    assert all(NAME.match(f.name) for f in files)
    records = read_warc(first)
    responses = [r for r in records if r["type"] == "response"]
    paths = sorted(r["warc"]["WARC-Target-URI"].replace(srv.url(""), "") for r in responses)
    assert paths == sorted(["/robots.txt", *(f"/board/list.do?page={n}" for n in range(1, 5)),
                            *(f"/board/view.do?id={n}" for n in range(1, 26))])
    requests = {r["warc"]["WARC-Concurrent-To"] for r in records if r["type"] == "request"}
    assert requests == {r["warc"]["WARC-Record-ID"] for r in responses}
    lines = jsonl(tmp_path / "out")
    assert len(lines) == 25
    metadata = {r["warc"]["WARC-Refers-To"]: r for r in records if r["type"] == "metadata"}
    assert len(metadata) == 25
    for line in lines:
        place = line["warc"]
        assert sorted(place) == ["filename", "length", "offset", "payload_digest", "record_id"]
        response = at(tmp_path / "warc", place)
        assert response["type"] == "response" and response["warc"]["WARC-Record-ID"] == place["record_id"]
        assert response["warc"]["WARC-Target-URI"] == line["url"]
        assert response["payload"] == board.view(int(line["item_id"])).encode()  # the page's exact bytes
        assert place["payload_digest"] == sha1_digest(response["payload"])
        meta = metadata[place["record_id"]]
        assert meta["warc"]["Content-Type"] == "application/json" and json.loads(meta["payload"]) == line
    revisits = [r for r in read_warc(files[1]) if r["type"] == "revisit"]
    assert len(revisits) == 10 and {r["warc"]["WARC-Profile"] for r in revisits} == {NOT_MODIFIED}
    by_url = {r["warc"]["WARC-Target-URI"]: r["warc"] for r in responses}
    for revisit in revisits:  # each 304 refers to the first run's capture of its page
        earlier = by_url[revisit["warc"]["WARC-Target-URI"]]
        assert revisit["warc"]["WARC-Refers-To"] == earlier["WARC-Record-ID"]
        assert revisit["warc"]["WARC-Refers-To-Date"] == earlier["WARC-Date"]
        assert revisit["warc"]["WARC-Payload-Digest"] == earlier["WARC-Payload-Digest"]
    check = warcio_check(files)
    assert check.returncode == 0 and "digest fail" not in check.stdout, check.stdout


def test_files_rotate_at_the_size_given_each_with_its_warcinfo(tmp_path: Path) -> None:
    board = GrowingBoard(25)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        done = _crawl_warc(tmp_path, sources, "--warc-max-size", "8000", "--warc-prefix", "scraper")
        assert done.returncode == 0, done.stderr.decode()
    files = sorted((tmp_path / "warc").iterdir())
    assert len(files) >= 5
    serials = [NAME.match(f.name).group(1) for f in files]  # type: ignore[union-attr]
    assert serials == [f"{n:05d}" for n in range(len(files))]
    for file in files:
        records = read_warc(file)
        assert records[0]["type"] == "warcinfo" and [r["type"] for r in records[1:]].count("warcinfo") == 0
    assert all(f.stat().st_size < 8000 + 3000 for f in files)  # rotated once over the size (one record past it)
    for line in jsonl(tmp_path / "out"):
        assert at(tmp_path / "warc", line["warc"])["warc"]["WARC-Target-URI"] == line["url"]
    assert warcio_check(files).returncode == 0


def _whole_records(path: Path) -> tuple[list[int], bool]:
    """Offsets of the whole records warcio reads in ``path`` (each read to its end), and whether they fill the
    file (``False``: a cut record follows the last whole one; warcio reads up to it and stops)."""
    offsets: list[int] = []
    end = 0
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        for rec in records:
            rec.raw_stream.read()
            offsets.append(records.offset)
            records.read_to_end(rec)
            end = offsets[-1] + records.get_record_length()
    return offsets, end == path.stat().st_size


@pytest.mark.parametrize(("point", "count"), [
    ("warc", 40),      # between two WARC records, inside the second list page's fetches
    ("warc_cut", 50),  # inside a record's write: the file ends with half a record
    ("begin", 2),      # a batch pending, its metadata not yet written
    ("open", 3),       # metadata written and fsynced, the JSONL lines partly appended
])
def test_a_kill_9_leaves_every_file_readable_and_no_line_pointing_into_a_cut_record(
        tmp_path: Path, point: str, count: int) -> None:
    board = GrowingBoard(35)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "s.toml")
        argv = ["crawl", "--sources", str(sources), "--out", str(tmp_path / "out"), "--state",
                str(tmp_path / "state.sqlite"), "--delay", "0", "--now", NOW, "--max-pages", "10", "--workers", "0",
                "--warc", str(tmp_path / "warc")]
        killed = subprocess.run([sys.executable, str(KILL_AT), point, str(count), str(tmp_path / "pids"), "--",
                                 *argv], capture_output=True, timeout=180, check=False)
        assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
        [cut] = sorted((tmp_path / "warc").iterdir())
        offsets, clean = _whole_records(cut)
        assert clean == (point != "warc_cut") and len(offsets) >= 10
        size = cut.stat().st_size
        described = {r["warc"]["WARC-Refers-To"] for r in read_warc(cut) if r["type"] == "metadata"}
        for line in jsonl(tmp_path / "out"):  # what was written before the kill points at whole records
            assert line["warc"]["record_id"] in described  # its metadata record went in before the line
            assert line["warc"]["filename"] == cut.name and line["warc"]["offset"] in offsets
            assert line["warc"]["offset"] + line["warc"]["length"] <= size
            assert at(tmp_path / "warc", line["warc"])["warc"]["WARC-Target-URI"] == line["url"]
        cut_bytes = cut.read_bytes()
        done = _crawl_warc(tmp_path, sources)
        assert done.returncode == 0, done.stderr.decode()
    all_once(tmp_path, 35)
    files = sorted((tmp_path / "warc").iterdir())
    assert len(files) == 2 and files[0] == cut and cut.read_bytes() == cut_bytes  # never appended to
    for line in jsonl(tmp_path / "out"):
        assert at(tmp_path / "warc", line["warc"])["warc"]["WARC-Target-URI"] == line["url"]
    check = warcio_check(files)  # the cut file too: readable up to its last whole record
    assert check.returncode == 0, check.stdout + check.stderr


def test_extract_url_with_warc_archives_the_page_and_points_at_it(tmp_path: Path) -> None:
    board = GrowingBoard(3)
    with ScriptedServer({}, board.respond) as srv:
        proc = subprocess.run([sys.executable, "-m", "scraper", "extract", srv.url("/board/view.do?id=2"), "--warc",
                               str(tmp_path / "w"), "--format", "jsonl"], capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(proc.stdout)
    assert record["title"] == "한빛구 소식 2호 발표"
    response = at(tmp_path / "w", record["warc"])
    assert response["payload"] == board.view(2).encode()
    [file] = sorted((tmp_path / "w").iterdir())
    kinds = [r["type"] for r in read_warc(file)]
    assert kinds == ["warcinfo", "response", "request", "response", "request", "metadata"]
    assert warcio_check([file]).returncode == 0


def test_a_page_fetched_again_with_the_same_payload_is_a_revisit_referring_to_its_first_response(
        tmp_path: Path) -> None:
    board = GrowingBoard(12)
    with ScriptedServer({}, board.respond) as srv:  # no 304s: every re-check reads the whole page
        sources = board_sources(srv, tmp_path / "s.toml")
        assert _crawl_warc(tmp_path, sources).returncode == 0
        board.revised = {12}  # one post corrected: its page changes, the others are served byte for byte again
        again = _crawl_warc(tmp_path, sources, "--recheck", "6")
        assert again.returncode == 0, again.stderr.decode()
    first, second = sorted((tmp_path / "warc").iterdir())
    responses = {r["warc"]["WARC-Target-URI"]: r for r in read_warc(first) if r["type"] == "response"}
    later = [r for r in read_warc(second) if r["type"] in ("response", "revisit")]
    revisits = [r for r in later if r["type"] == "revisit"]
    rechecked = {r["warc"]["WARC-Target-URI"] for r in later if "view.do" in r["warc"]["WARC-Target-URI"]}
    assert len(rechecked) == 6 and srv.url("/board/view.do?id=12") in rechecked
    assert {r["warc"]["WARC-Target-URI"] for r in revisits} == rechecked - {srv.url("/board/view.do?id=12")}
    for revisit in revisits:
        earlier = responses[revisit["warc"]["WARC-Target-URI"]]["warc"]
        assert revisit["warc"]["WARC-Profile"] == IDENTICAL
        assert revisit["warc"]["WARC-Refers-To"] == earlier["WARC-Record-ID"]
        assert revisit["warc"]["WARC-Payload-Digest"] == earlier["WARC-Payload-Digest"]
        assert revisit["warc"]["WARC-Refers-To-Date"] == earlier["WARC-Date"] and revisit["payload"] == b""
    [changed] = [r for r in later if r["warc"]["WARC-Target-URI"] == srv.url("/board/view.do?id=12")]
    assert changed["type"] == "response" and changed["payload"] == board.view(12).encode()
    [updated] = [line for line in jsonl(tmp_path / "out") if line["revision"] == 2]
    assert at(tmp_path / "warc", updated["warc"])["payload"] == board.view(12).encode()
    assert warcio_check([first, second]).returncode == 0
