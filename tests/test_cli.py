"""The command line as users run it: ``python -m scraper extract|schema|profiles`` in a subprocess,
including ``extract URL`` against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from scripted_server import ScriptedServer
from support import FIXTURES, REPO, require_shared, run_cli

RECORD_KEYS = [
    "id", "url", "canonical_url", "kind", "site", "title", "subtitle", "published", "modified", "authors",
    "dateline", "body", "images", "source_credit", "organization", "department", "contact", "attachments",
    "language", "extractor", "schema_version", "warnings",
]
NEWS = FIXTURES / "pages" / "01-ndsoft-local-news.html"
NEWS_TITLE = "한빛구, 전통시장 주차장 4곳 주말 무료 개방"
CAPTURE = FIXTURES / "pages" / "04-text-capture.txt"
CAPTURE_TITLE = "한빛시, 어린이 통학로 안전 펜스 2km 설치 완료"
CORPUS_PAGE = ("corpus", "real", "news", "001-sporbiz")


def _json(stdout: bytes) -> dict[str, Any]:
    return dict(json.loads(stdout.decode("utf-8")))


def test_extract_file_prints_one_indented_record() -> None:
    proc = run_cli("extract", str(NEWS))
    assert proc.returncode == 0
    text = proc.stdout.decode("utf-8")
    assert text.startswith("{\n  ")
    record = json.loads(text)
    assert [key for key in record if key in RECORD_KEYS] == RECORD_KEYS  # new keys may be added, none removed
    assert (record["title"], record["published"], record["authors"]) == (
        NEWS_TITLE, "2024-03-05T14:22:00+09:00", ["김서윤"]
    )
    assert record["url"] is None


def test_output_is_utf8_with_hangul_unescaped() -> None:
    proc = run_cli("extract", str(NEWS))
    assert NEWS_TITLE.encode("utf-8") in proc.stdout
    assert b"\\u" not in proc.stdout


def test_extract_stdin_with_url() -> None:
    url = "https://www.saesol.example/news/articleView.html?idxno=51234"
    proc = run_cli("extract", "-", "--url", url, stdin=NEWS.read_bytes())
    assert proc.returncode == 0, proc.stderr
    record = _json(proc.stdout)
    assert (record["url"], record["title"]) == (url, NEWS_TITLE)


def test_jsonl_for_several_sources() -> None:
    proc = run_cli("extract", "--format", "jsonl", str(NEWS), str(CAPTURE), str(NEWS))
    assert proc.returncode == 0
    lines = proc.stdout.decode("utf-8").splitlines()
    assert [json.loads(line)["title"] for line in lines] == [NEWS_TITLE, CAPTURE_TITLE, NEWS_TITLE]


def test_several_sources_default_to_jsonl() -> None:
    proc = run_cli("extract", str(CAPTURE), str(NEWS))
    assert [json.loads(line)["title"] for line in proc.stdout.decode("utf-8").splitlines()] == [
        CAPTURE_TITLE, NEWS_TITLE
    ]


def test_now_resolves_relative_dates(tmp_path: Path) -> None:
    page = tmp_path / "relative.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><title>한빛구 소식</title></head><body><article><h1>한빛구 소식</h1>'
        '<div class="info"><span>입력 3시간 전</span></div>'
        "<p>한빛구는 봄맞이 하천 정비를 실시한다고 밝혔다. 정비는 이달 말까지 관내 하천 5곳에서 진행된다.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    proc = run_cli("extract", str(page), "--now", "2024-03-05T14:00:00+09:00")
    assert _json(proc.stdout)["published"] == "2024-03-05T11:00:00+09:00"


def test_schema_lists_every_record_key() -> None:
    proc = run_cli("schema")
    assert proc.returncode == 0
    schema = _json(proc.stdout)
    assert schema["type"] == "object"
    assert [key for key in schema["properties"] if key in RECORD_KEYS] == RECORD_KEYS
    assert set(schema["required"]) == {"id", "body", "extractor"}  # title is null on a body fragment


def test_profiles_lists_bundled_site_profiles() -> None:
    proc = run_cli("profiles")
    assert proc.returncode == 0
    names = proc.stdout.decode("utf-8").split()
    assert names == sorted(p.stem for p in (REPO / "scraper" / "sources" / "sites").glob("*.toml"))
    assert names


def test_unknown_command_is_usage_error() -> None:
    proc = run_cli("no-such-command")
    assert proc.returncode == 2
    assert proc.stdout == b""


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``/news/articleView.html?idxno=140476`` (a saved corpus page); everything else is 404."""

    page: bytes = b""

    def do_GET(self) -> None:
        if self.path == "/news/articleView.html?idxno=140476":
            status, body, ctype = 200, self.page, "text/html; charset=utf-8"
        else:
            status, body, ctype = 404, b"<html><body>Not Found</body></html>", "text/html"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture()
def server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (port chosen by the OS), run in a thread; yields its base URL."""
    _Handler.page = (require_shared(*CORPUS_PAGE[:-1]) / f"{CORPUS_PAGE[-1]}.html").read_bytes()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_extract_url_from_local_server(server: str) -> None:
    url = f"{server}/news/articleView.html?idxno=140476"
    proc = run_cli("extract", url)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    record = _json(proc.stdout)
    gold = json.loads((require_shared(*CORPUS_PAGE[:-1]) / f"{CORPUS_PAGE[-1]}.gold.json").read_text("utf-8"))
    assert record["url"] == url
    assert (record["title"], record["published"], record["authors"]) == (
        gold["title"], gold["published"], gold["authors"]
    )
    saved = require_shared(*CORPUS_PAGE[:-1]) / f"{CORPUS_PAGE[-1]}.html"
    from_file = _json(run_cli("extract", str(saved), "--url", url).stdout)
    assert record == from_file


def test_extract_url_404_is_http_status_error(server: str) -> None:
    url = f"{server}/news/articleView.html?idxno=999"
    proc = run_cli("extract", url)
    assert proc.returncode == 1
    out = _json(proc.stdout)
    assert (out["url"], out["error"]["kind"]) == (url, "http_status")
    assert "404" in out["error"]["message"]


def test_extract_usage_errors_and_odd_sources(tmp_path: Path) -> None:
    page = str(Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "01-ndsoft-local-news.html")
    several = run_cli("extract", page, page, "--url", "http://example.kr/a")
    assert several.returncode == 2 and "--url names one page" in several.stderr.decode()
    assert run_cli("extract", page, "--now", "garbage").returncode == 2
    assert run_cli("extract", page, "--extra-ca", str(tmp_path / "none.pem")).returncode == 2
    odd = run_cli("extract", str(tmp_path), "ftp://example.kr/a.html", "--format", "jsonl")
    kinds = [json.loads(line)["error"]["message"] for line in odd.stdout.decode().splitlines()]
    assert odd.returncode == 1
    assert kinds == [f"{tmp_path} is a folder, not a page file",
                     "unsupported URL scheme in 'ftp://example.kr/a.html' (http and https only)"]


def test_format_json_with_several_sources_is_one_json_array() -> None:
    pages = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "fixtures" / "pages").glob("0[12]*"))
    proc = run_cli("extract", *pages, "--format", "json")
    records = json.loads(proc.stdout.decode("utf-8"))
    assert proc.returncode == 0 and isinstance(records, list) and len(records) == 2
    assert records[1]["title"] == "한빛구, 2024년 봄꽃축제 교통통제 안내"


def test_no_profiles_runs_the_generic_path() -> None:
    url = "https://www.saesol.example/news/articleView.html?idxno=51234"
    with_profiles = _json(run_cli("extract", str(NEWS), "--url", url).stdout)
    generic = _json(run_cli("extract", str(NEWS), "--url", url, "--no-profiles").stdout)
    assert with_profiles["extractor"] == "ndsoft"
    assert generic["extractor"].startswith("generic")
    assert generic["title"] == with_profiles["title"] == NEWS_TITLE


def test_profiles_folder_and_a_profile_that_stopped_matching(tmp_path: Path) -> None:
    (tmp_path / "saesol.toml").write_text(
        'name = "saesol"\nhosts = ["news.saesol.kr"]\nbody = ["div.article-body-2019"]\ntitle = ["h1.old-title"]\n',
        encoding="utf-8",
    )
    page = FIXTURES / "generic" / "news-with-comments.html"
    result = run_cli("extract", str(page), "--url", "https://news.saesol.kr/news/view.php?no=7",
                     "--profiles", str(tmp_path))
    record = _json(result.stdout)
    assert result.returncode == 0
    assert (record["extractor"], record["title"]) == ("generic", "새솔천 벚꽃길 주말 개방")
    assert "profile_missed" in record["warnings"]
    assert len(record["body"]) == 2


def test_bad_profiles_folder_is_a_usage_error_naming_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "typo.toml").write_text('name = "typo"\ntitle = ["h1..title"]\n', encoding="utf-8")
    result = run_cli("extract", str(NEWS), "--profiles", str(tmp_path))
    assert result.returncode == 2
    message = result.stderr.decode("utf-8")
    assert "typo.toml" in message and "title" in message and "h1..title" in message


def test_several_urls_of_one_host_share_one_polite_fetcher() -> None:
    """One fetcher per command: robots.txt is read once for the host and the per-host delay (1 s by
    default) holds between the sources, as it does in a crawl."""
    page = (
        "<html><head><meta charset='utf-8'><title>한빛구 소식</title></head><body><article><h1>한빛구 소식 {n}호</h1>"
        "<p>한빛구는 오늘 주민 누구나 참여할 수 있는 {n}번째 소식을 발표했다고 밝혔다.</p></article></body></html>")
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes = {f"/news/{n}": [{"status": 200, "headers": html, "body": page.format(n=n)}] for n in (1, 2, 3)}
    routes["/robots.txt"] = [{"status": 200, "headers": {"Content-Type": "text/plain"}, "body": "User-agent: *\n"}]
    with ScriptedServer(routes) as srv:
        proc = run_cli("extract", *(srv.url(f"/news/{n}") for n in (1, 2, 3)), "--no-learn")
        times = [entry["time"] for entry in srv.log if entry["path"].startswith("/news/")]
        robots = srv.paths().count("/robots.txt")
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert proc.returncode == 0
    assert [r["title"] for r in records] == ["한빛구 소식 1호", "한빛구 소식 2호", "한빛구 소식 3호"]
    assert robots == 1
    assert len(times) == 3 and all(b - a >= 0.95 for a, b in pairwise(times))


@pytest.mark.parametrize("flag", ["--timeout", "--delay"])
@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_crawl_seconds_must_be_finite(tmp_path: Path, flag: str, value: str) -> None:
    """``--delay nan`` would turn the per-host delay off and ``--timeout nan`` time every request out: both are
    usage errors, before any request is made."""
    proc = run_cli("crawl", "--start", "http://127.0.0.1:9/board/list.do", "--out", str(tmp_path / "out"),
                   f"{flag}={value}")
    assert proc.returncode == 2, proc.stderr.decode("utf-8", "replace")
    assert flag in proc.stderr.decode() and not (tmp_path / "out").exists()


def test_extract_reads_a_named_pipe(tmp_path: Path) -> None:
    """``scraper extract <(curl ...)`` hands a pipe (``/dev/fd/63``), not a file: it is read as stdin is."""
    import os
    import threading

    fifo = tmp_path / "page.fifo"
    os.mkfifo(fifo)
    page = (FIXTURES / "pages" / "01-ndsoft-local-news.html").read_bytes()

    def feed() -> None:
        with fifo.open("wb") as out:
            out.write(page)

    writer = threading.Thread(target=feed, daemon=True)  # blocked for good if nothing reads the pipe
    writer.start()
    proc = run_cli("extract", str(fifo))
    writer.join(timeout=10)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert json.loads(proc.stdout)["title"] == "한빛구, 전통시장 주차장 4곳 주말 무료 개방"


def test_ctrl_c_during_extract_exits_130_without_a_traceback() -> None:
    """Ctrl-C while ``scraper extract -`` waits for its input: one line and exit 130, as a shell expects."""
    import os
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "scraper", "extract", "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until it blocks in read(0, ...): past the imports, reading its input
        try:
            if Path(f"/proc/{proc.pid}/syscall").read_text().startswith("0 0x0 "):
                break
        except OSError:
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert (proc.returncode, b"Traceback" in err) == (130, False), err.decode("utf-8", "replace")
    assert err.decode().strip().endswith("interrupted")
