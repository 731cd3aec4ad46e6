"""Re-extraction from WARC files, CDXJ index and WACZ package (``scraper warc extract|index|wacz``) on WARC files
written by real crawls of a board on 127.0.0.1 (gzip-coded, chunked view pages) and on a hand-made WARC/1.0 file
as other tools write them: the same records as the live crawl, field by field; revisits resolved across files;
both readers and 1 or 2 workers giving the same lines; an index whose offsets are the records' own; a WACZ that
``wacz validate`` accepts."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from growing_board import GrowingBoard, board_sources, crawl
from scripted_server import ScriptedServer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

NOW = "2025-06-01T09:00:00+09:00"
BIN = Path(sys.executable).parent
BOOKKEEPING = ("item_id", "revision", "content_hash", "fetched_at")
"""Crawl bookkeeping a WARC does not hold (the state's); every other key must be equal."""


def scraper(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scraper", *argv], capture_output=True, text=True, timeout=180,
                          check=False)


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


class CodedBoard(GrowingBoard):
    """The growing board with its view pages sent gzip-coded and chunked, as many real servers send them."""

    def respond(self, path: str) -> dict[str, Any] | None:
        answer = super().respond(path)
        if answer is None or not path.startswith("/board/view.do") or answer["status"] != 200:
            return answer
        body = gzip.compress(answer["body"].encode("utf-8"), mtime=0)
        return {**answer, "body": body, "chunked": 300, "headers": {**answer["headers"], "Content-Encoding": "gzip"}}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two crawls of 25 posts with --warc: the first writes every record, the second re-checks 5 posts whose
    pages come back byte for byte (revisits referring to the first file)."""
    tmp = tmp_path_factory.mktemp("replay")
    board = CodedBoard(25)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp / "s.toml")
        for extra in ((), ("--recheck", "5")):
            done = crawl(tmp, sources, "--now", NOW, "--max-pages", "10", "--workers", "0", "--no-learn", "--warc",
                         str(tmp / "warc"), *extra)
            assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(line) for f in sorted((tmp / "out").rglob("*.jsonl")) if f.name != "errors.jsonl"
               for line in f.read_text(encoding="utf-8").splitlines()]
    files = sorted((tmp / "warc").iterdir())
    assert len(records) == 25 and len(files) == 2
    return {"tmp": tmp, "sources": sources, "records": records, "files": files, "host": srv.url("")}


def _replay(crawled: dict[str, Any], *extra: str) -> subprocess.CompletedProcess[str]:
    return scraper("warc", "extract", *map(str, crawled["files"]), "--source", "tb", "--sources",
                   str(crawled["sources"]), "--now", NOW, "--no-learn", *extra)


def test_re_extraction_gives_the_live_crawls_records_field_by_field(crawled: dict[str, Any]) -> None:
    proc = _replay(crawled)
    assert proc.returncode == 0, proc.stderr
    out = lines(proc.stdout)
    by_place = {line["warc"]["record_id"]: line for line in out}
    assert len(out) == 30  # 25 responses, then the 5 revisits of the second crawl resolved to the first file
    for live in crawled["records"]:
        again = by_place[live["warc"]["record_id"]]  # the same response record the crawl pointed at
        assert again["id"] == live["id"]
        for key in sorted(set(live) | set(again)):
            if key not in BOOKKEEPING:
                assert again.get(key) == live.get(key), key
        assert again["fetched_at"] is not None and again["source"] == "tb" and again["organization"] == "한빛구"
    revisits = out[25:]
    assert {r["warc"]["filename"] for r in revisits} == {crawled["files"][1].name}
    live_by_id = {r["id"]: r for r in crawled["records"]}
    for revisit in revisits:
        assert revisit["body"] == live_by_id[revisit["id"]]["body"]
        assert revisit["title"] == live_by_id[revisit["id"]]["title"]
    assert proc.stderr == "scraper warc extract: 30 records, 0 errors; skipped: 5 list_page, 2 robots_txt\n"


def test_both_readers_and_two_workers_give_the_same_lines(crawled: dict[str, Any]) -> None:
    base = _replay(crawled)
    assert base.returncode == 0
    for extra in (("--reader", "warcio"), ("--workers", "2"), ("--workers", "2", "--reader", "warcio")):
        other = _replay(crawled, *extra)
        assert other.returncode == 0, other.stderr
        assert other.stdout == base.stdout, extra


def test_filters_by_host_url_glob_and_revisits(crawled: dict[str, Any]) -> None:
    files = list(map(str, crawled["files"]))
    some = scraper("warc", "extract", *files, "--url", "*view.do?id=2*", "--no-revisits", "--now", NOW)
    assert some.returncode == 0, some.stderr
    assert sorted(r["url"].rsplit("=", 1)[1] for r in lines(some.stdout)) == ["2", "20", "21", "22", "23", "24",
                                                                             "25"]
    assert scraper("warc", "extract", *files, "--host", "example.org").stdout == ""
    every = scraper("warc", "extract", *files, "--host", "127.0.0.1", "--no-revisits", "--now", NOW)
    assert every.returncode == 1  # the list pages are no articles: error lines, as 'scraper extract' gives
    kinds = [r.get("error", {}).get("kind", "record") for r in lines(every.stdout)]
    assert kinds.count("record") == 25 and kinds.count("no_content") == 5  # 4 list pages + the re-check's page 1


def test_a_warc_1_0_file_not_gzipped_with_a_chunked_body_kept(tmp_path: Path) -> None:
    board = GrowingBoard(3)
    page = board.view(2).encode("utf-8")
    chunked = b"".join(f"{len(page[i:i + 100]):x}\r\n".encode() + page[i:i + 100] + b"\r\n"
                       for i in range(0, len(page), 100)) + b"0\r\n\r\n"
    path = tmp_path / "other-tool.warc"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False, warc_version="1.0")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Transfer-Encoding", "chunked")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("http://press.example.kr/board/view.do?id=2", "response",
                                                      payload=io.BytesIO(chunked), http_headers=headers))
    assert path.read_bytes().startswith(b"WARC/1.0\r\n")
    outs = [scraper("warc", "extract", str(path), "--reader", reader, "--now", NOW) for reader in ("fastwarc",
                                                                                                   "warcio")]
    assert outs[0].returncode == 0, outs[0].stderr
    assert outs[0].stdout == outs[1].stdout
    [record] = lines(outs[0].stdout)
    assert record["title"] == "한빛구 소식 2호 발표" and record["published"] == "2024-01-03"
    assert record["body"] == ["한빛구는 2번째 소식을 발표했다고 밝혔다. 주민 누구나 참여할 수 있다."]
    assert record["warc"]["offset"] == 0 and record["warc"]["length"] == path.stat().st_size


def test_cdxj_index_and_wacz_package(crawled: dict[str, Any], tmp_path: Path) -> None:
    files = list(map(str, crawled["files"]))
    index = scraper("warc", "index", *files)
    assert index.returncode == 0, index.stderr
    entries = [json.loads(line.split(" ", 2)[2]) for line in index.stdout.splitlines()]
    assert [line.split(" ", 2)[0] for line in index.stdout.splitlines()] == sorted(
        line.split(" ", 2)[0] for line in index.stdout.splitlines())  # sorted by SURT key
    for record in crawled["records"]:
        place = record["warc"]
        [entry] = [e for e in entries if e.get("url") == record["url"] and e.get("mime") != "warc/revisit"
                   and int(e["offset"]) == place["offset"]]
        assert int(entry["length"]) == place["length"] and entry["filename"] == place["filename"]
    out = tmp_path / "crawl.wacz"
    packed = scraper("warc", "wacz", *files, "--out", str(out), "--title", "한빛구 보도자료")
    assert packed.returncode == 0, packed.stderr
    check = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(out)], capture_output=True, text=True,
                           timeout=120, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(out) as wacz:
        names = set(wacz.namelist())
        assert {"datapackage.json", "pages/pages.jsonl", "indexes/index.cdx.gz"} <= names
        assert {f"archive/{Path(f).name}" for f in files} <= names
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").decode().splitlines()[1:]]
    assert sorted(p["url"] for p in pages) == sorted(r["url"] for r in crawled["records"])
    titles = {p["url"]: p["title"] for p in pages}
    assert all(titles[r["url"]] == r["title"] for r in crawled["records"])
