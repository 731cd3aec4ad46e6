"""The polite fetcher against a real HTTP server on 127.0.0.1 (scripted per scenario)."""

from __future__ import annotations

import asyncio
import email.utils
import gzip
import json
import time
from itertools import pairwise

import brotli
import pytest
import zstandard
from scripted_server import ScriptedServer
from support import run_cli

from scraper.config import FetchSettings
from scraper.fetch.client import Fetcher
from scraper.fetch.decode import decode_html
from scraper.fetch.outcome import FetchResult

HTML = "<html><head><meta charset='utf-8'><title>t</title></head><body><p>한빛구 소식</p></body></html>"
FAST = FetchSettings(min_delay=0.0, backoff_base=0.05, backoff_cap=0.2, read_timeout=2.0, attempts=4)


def page_text(result: FetchResult) -> str:
    """The fetched body decoded as the pipeline decodes it (the fetcher itself hands on bytes)."""
    return decode_html(result.content, result.content_type).text


def page(body: str | bytes = HTML, status: int = 200, **headers: str) -> dict[str, object]:
    named = {k.replace("_", "-"): v for k, v in headers.items()}
    named.setdefault("Content-Type", "text/html; charset=utf-8")
    return {"status": status, "headers": named, "body": body}


def fetch(url: str, settings: FetchSettings = FAST, **kwargs: object) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(run())


def test_429_with_retry_after_seconds_waits_then_succeeds() -> None:
    routes = {"/a": [page("busy", 429, Retry_After="1"), page()]}
    with ScriptedServer(routes) as srv:
        result = fetch(srv.url("/a"))
        times = srv.times("/a")
    assert result.outcome == "ok" and result.attempts == 2
    assert len(times) == 2 and times[1] - times[0] >= 1.0
    assert "한빛구 소식" in page_text(result)


def test_503_twice_then_200() -> None:
    with ScriptedServer({"/a": [page("down", 503), page("down", 503), page()]}) as srv:
        result = fetch(srv.url("/a"))
        assert srv.paths().count("/a") == 3
    assert result.outcome == "ok" and result.attempts == 3 and result.status == 200


def test_retry_after_over_the_cap_gives_up_at_once() -> None:
    with ScriptedServer({"/a": [page("busy", 429, Retry_After="86400")]}) as srv:
        result = fetch(srv.url("/a"))
        assert srv.paths().count("/a") == 1
    assert result.outcome == "gave_up" and "Retry-After" in result.message


def test_404_is_final_without_retry() -> None:
    with ScriptedServer({"/a": [page("gone", 404)]}) as srv:
        result = fetch(srv.url("/a"))
        assert srv.paths().count("/a") == 1
    assert result.outcome == "http_status" and result.status == 404


def test_body_cut_short_is_retried_and_never_passed_on() -> None:
    full = HTML.encode("utf-8")
    cut = {"status": 200, "headers": {"Content-Type": "text/html; charset=utf-8"}, "body": full, "send_bytes": 20}
    with ScriptedServer({"/a": [cut, page()]}) as srv:
        result = fetch(srv.url("/a"))
        assert srv.paths().count("/a") == 2
    assert result.outcome == "ok" and result.content == full


def test_body_always_cut_short_fails_without_content() -> None:
    cut = {"status": 200, "headers": {"Content-Type": "text/html"}, "body": HTML.encode(), "send_bytes": 20}
    with ScriptedServer({"/a": [cut]}) as srv:
        result = fetch(srv.url("/a"), FetchSettings(min_delay=0, backoff_base=0.01, attempts=2))
    assert result.outcome == "network" and result.content == b"" and result.attempts == 2


def test_brotli_body_is_decoded() -> None:
    body = brotli.compress(HTML.encode("utf-8"))
    with ScriptedServer({"/a": [page(body, Content_Encoding="br")]}) as srv:
        result = fetch(srv.url("/a"))
    assert result.outcome == "ok" and "한빛구 소식" in page_text(result)


def test_utf8_header_on_euckr_bytes_loses_to_the_meta_declaration() -> None:
    html = "<html><head><meta charset='euc-kr'></head><body><p>광진구청 보도자료입니다</p></body></html>"
    with ScriptedServer({"/a": [page(html.encode("cp949"))]}) as srv:
        result = fetch(srv.url("/a"))
    decoded = decode_html(result.content, result.content_type)
    assert decoded.encoding == "cp949" and decoded.source == "meta"
    assert "광진구청 보도자료입니다" in page_text(result)


def test_euckr_robots_txt_disallows_and_only_robots_is_requested() -> None:
    robots = "# 한국어 주석: 비공개 게시판\nUser-agent: *\nDisallow: /board/private/\n".encode("cp949")
    routes = {"/robots.txt": [page(robots, Content_Type="text/plain")], "/board/private/1": [page()]}
    with ScriptedServer(routes) as srv:
        result = fetch(srv.url("/board/private/1"), FetchSettings(min_delay=0))
        assert srv.paths() == ["/robots.txt"]
    assert result.outcome == "robots_disallowed"


def test_robots_txt_5xx_disallows_for_now() -> None:
    routes = {"/robots.txt": [page("oops", 500)], "/a": [page()]}
    with ScriptedServer(routes) as srv:
        result = fetch(srv.url("/a"), FetchSettings(min_delay=0))
        assert srv.paths() == ["/robots.txt"]
    assert result.outcome == "robots_disallowed"


def test_301_from_mobile_url_is_followed() -> None:
    routes = {"/m/news/1": [page("moved", 301, Location="/news/1")], "/news/1": [page()]}
    with ScriptedServer(routes) as srv:
        result = fetch(srv.url("/m/news/1"))
        assert result.final_url == srv.url("/news/1")
        assert result.redirects == [srv.url("/news/1")]
    assert result.outcome == "ok"


def test_redirect_loop_is_detected() -> None:
    routes = {"/a": [page("", 302, Location="/b")], "/b": [page("", 302, Location="/a")]}
    with ScriptedServer(routes) as srv:
        result = fetch(srv.url("/a"))
        assert srv.paths().count("/a") == 1
    assert result.outcome == "network" and "loop" in result.message


def test_redirect_to_another_scheme_is_refused() -> None:
    with ScriptedServer({"/a": [page("", 302, Location="ftp://127.0.0.1/file")]}) as srv:
        result = fetch(srv.url("/a"))
    assert result.outcome == "network" and "non-HTTP" in result.message


def test_60_mb_body_is_too_large() -> None:
    spec = {"status": 200, "headers": {"Content-Type": "text/html"}, "stream_bytes": 60 * 1024 * 1024}
    with ScriptedServer({"/big": [spec]}) as srv:
        result = fetch(srv.url("/big"), FetchSettings(min_delay=0, max_bytes=20 * 1024 * 1024))
    assert result.outcome == "too_large" and result.content == b""


def test_server_slower_than_the_timeout() -> None:
    slow = {"status": 200, "headers": {"Content-Type": "text/html"}, "body": HTML, "delay": 1.5}
    with ScriptedServer({"/slow": [slow]}) as srv:
        result = fetch(srv.url("/slow"), FetchSettings(min_delay=0, read_timeout=0.3, attempts=2, backoff_base=0.01))
        assert srv.paths().count("/slow") == 2
    assert result.outcome == "timeout"


def test_not_html_content_type() -> None:
    with ScriptedServer({"/f.pdf": [page(b"%PDF-1.4", Content_Type="application/pdf")]}) as srv:
        result = fetch(srv.url("/f.pdf"))
    assert result.outcome == "not_html"


def test_304_with_validators_is_unchanged_and_sends_them() -> None:
    with ScriptedServer({"/a": [{"status": 304, "headers": {}, "body": b""}]}) as srv:
        result = fetch(srv.url("/a"), validators={"etag": '"v1"', "last_modified": "Tue, 05 Mar 2024 05:22:00 GMT"})
        headers = srv.log[-1]["headers"]
    assert result.outcome == "unchanged"
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Tue, 05 Mar 2024 05:22:00 GMT"


def test_two_hosts_at_once_each_host_spaced() -> None:
    delay = 0.4
    routes = {f"/p{i}": [page()] for i in range(3)}
    with ScriptedServer(routes) as one, ScriptedServer(dict(routes)) as two:

        async def run() -> list[FetchResult]:
            async with Fetcher(FetchSettings(min_delay=delay, obey_robots=False)) as fetcher:
                urls = [srv.url(f"/p{i}") for i in range(3) for srv in (one, two)]
                return await asyncio.gather(*(fetcher.fetch(u) for u in urls))

        started = time.monotonic()
        results = asyncio.run(run())
        elapsed = time.monotonic() - started
        for srv in (one, two):
            times = srv.times()
            assert len(times) == 3
            assert all(b - a >= delay - 0.02 for a, b in pairwise(times))
        assert abs(one.times()[0] - two.times()[0]) < delay / 2  # the hosts were read at the same time
    assert all(r.outcome == "ok" for r in results)
    assert elapsed < 3 * 2 * delay  # not one host after the other


def test_crawl_delay_from_robots_is_honoured() -> None:
    routes = {"/robots.txt": [page("User-agent: *\nCrawl-delay: 1\n", Content_Type="text/plain")],
              "/a": [page()], "/b": [page()]}
    with ScriptedServer(routes) as srv:

        async def run() -> None:
            async with Fetcher(FetchSettings(min_delay=0.0)) as fetcher:
                await fetcher.fetch(srv.url("/a"))
                await fetcher.fetch(srv.url("/b"))

        asyncio.run(run())
        times = srv.times()
    assert len(times) == 3 and times[2] - times[1] >= 0.98


def test_user_agent_is_descriptive() -> None:
    with ScriptedServer({"/a": [page()]}) as srv:
        fetch(srv.url("/a"))
        agent = srv.log[-1]["headers"]["User-Agent"]
    assert "korean-press-scraper" in agent and "+http" in agent


def test_robots_txt_with_junk_lines_keeps_its_rules() -> None:
    robots = "<html>oops</html>\n\x00garbage: ::\nUser-agent: *\nDisallow: /private/\nNoise without colon\n"
    routes = {"/robots.txt": [page(robots, Content_Type="text/plain")], "/private/a": [page()], "/open": [page()]}
    with ScriptedServer(routes) as srv:
        blocked = fetch(srv.url("/private/a"), FetchSettings(min_delay=0))
        allowed = fetch(srv.url("/open"), FetchSettings(min_delay=0))
    assert blocked.outcome == "robots_disallowed" and allowed.outcome == "ok"


def test_decompressed_size_is_capped_gzip_bomb() -> None:
    bomb = gzip.compress(b"<p>" + b"0" * (8 * 1024 * 1024) + b"</p>")  # ~8 KiB on the wire, 8 MiB inflated
    with ScriptedServer({"/bomb": [page(bomb, Content_Encoding="gzip")]}) as srv:
        result = fetch(srv.url("/bomb"), FetchSettings(min_delay=0, max_bytes=1024 * 1024))
    assert len(bomb) < 64 * 1024
    assert result.outcome == "too_large" and result.content == b""


def test_zstd_body_is_decoded() -> None:
    body = zstandard.ZstdCompressor().compress(HTML.encode("utf-8"))
    with ScriptedServer({"/z": [page(body, Content_Encoding="zstd")]}) as srv:
        result = fetch(srv.url("/z"))
    assert result.outcome == "ok" and "한빛구 소식" in page_text(result)


def test_retry_after_http_date_is_honoured() -> None:
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    with ScriptedServer({"/a": [page("busy", 503, Retry_After=when), page()]}) as srv:
        result = fetch(srv.url("/a"))
        times = srv.times("/a")
    assert result.outcome == "ok" and times[1] - times[0] >= 1.0


def test_unreachable_host_is_a_network_error_not_a_robots_verdict() -> None:
    with ScriptedServer({}) as srv:
        url = srv.url("/a")
    result = fetch(url, FetchSettings(min_delay=0, attempts=1))  # the server is gone: connection refused
    assert result.outcome == "network" and "could not be read" in result.message


def test_a_dripping_server_is_cut_by_the_total_timeout() -> None:
    drip = {"status": 200, "headers": {"Content-Type": "text/html"}, "body": HTML.encode() * 20, "drip": 0.05}
    with ScriptedServer({"/slow": [drip]}) as srv:
        started = time.monotonic()
        result = fetch(srv.url("/slow"), FetchSettings(min_delay=0, read_timeout=0.5, total_timeout=1.0, attempts=2,
                                                       backoff_base=0.01, url_deadline=10))
        took = time.monotonic() - started
    assert result.outcome == "timeout" and result.attempts == 2
    assert took < 5  # two attempts of at most total_timeout each, not minutes


def test_a_crawl_delay_over_the_cap_skips_the_host_instead_of_hanging() -> None:
    routes = {"/robots.txt": [page("User-agent: *\nCrawl-delay: 3600\n", Content_Type="text/plain")], "/a": [page()]}
    with ScriptedServer(routes) as srv:
        started = time.monotonic()
        result = fetch(srv.url("/a"), FetchSettings(min_delay=0, max_crawl_delay=60))
        assert srv.paths() == ["/robots.txt"]
    assert result.outcome == "gave_up" and "Crawl-delay 3600" in result.message
    assert time.monotonic() - started < 5


def test_conditional_gets_reuse_one_connection() -> None:
    """A 304 body is read, so the connection goes back to the pool: 20 conditional GETs, one TCP connection."""
    routes = {f"/v{i}": [{"status": 304, "headers": {"ETag": '"v1"'}, "body": b""}] for i in range(20)}
    with ScriptedServer(routes) as srv:

        async def run() -> list[FetchResult]:
            async with Fetcher(FAST) as fetcher:
                return [await fetcher.fetch(srv.url(f"/v{i}"), validators={"etag": '"v1"', "last_modified": ""})
                        for i in range(20)]

        results = asyncio.run(run())
        peers = {entry["peer"] for entry in srv.log if entry["path"].startswith("/v")}
    assert [r.outcome for r in results] == ["unchanged"] * 20
    assert len(peers) == 1


PARAGRAPH = "<p>테스트구는 오늘 주민 누구나 참여할 수 있는 새 정책을 발표했다고 밝혔다.</p>"
ARTICLE = ("<html><head><meta charset='utf-8'><title>테스트구는 새 소식</title></head><body><article>"
           "<h1>테스트구는 새 소식</h1>" + PARAGRAPH * 40 + "</article></body></html>").encode()
CUT_STREAMS = {
    "gzip": gzip.compress(ARTICLE),
    "br": brotli.compress(ARTICLE),
    "zstd": zstandard.ZstdCompressor().compress(ARTICLE),
}


@pytest.mark.parametrize("coding", sorted(CUT_STREAMS))
def test_a_compressed_body_cut_short_is_never_a_page(coding: str) -> None:
    """The server sends half the compressed stream with a Content-Length that matches what it sends: the
    HTTP framing is whole, the stream is not. It is retried, then refused — never half an article."""
    cut = CUT_STREAMS[coding][: len(CUT_STREAMS[coding]) // 2]
    with ScriptedServer({"/a": [page(cut, Content_Encoding=coding)]}) as srv:
        result = fetch(srv.url("/a"))
        tries = len(srv.times("/a"))
    assert result.outcome == "network" and result.content == b""
    assert result.message == f"the {coding} stream ended before its end: the body was cut (after 4 attempts)"
    assert tries == 4


@pytest.mark.parametrize("coding", sorted(CUT_STREAMS))
def test_a_whole_compressed_body_is_decoded(coding: str) -> None:
    with ScriptedServer({"/a": [page(CUT_STREAMS[coding], Content_Encoding=coding)]}) as srv:
        result = fetch(srv.url("/a"))
    assert result.outcome == "ok" and result.content == ARTICLE


def test_a_decoded_body_over_the_limit_is_too_large() -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 3_000_000 + b"</p>")
    with ScriptedServer({"/a": [page(bomb, Content_Encoding="gzip")]}) as srv:
        result = fetch(srv.url("/a"), FAST.model_copy(update={"max_bytes": 1_000_000}))
    assert result.outcome == "too_large" and result.message == "body over the 1,000,000-byte limit"


def test_extract_url_of_a_cut_gzip_body_is_an_error_record() -> None:
    cut = CUT_STREAMS["gzip"][: len(CUT_STREAMS["gzip"]) * 2 // 3]
    with ScriptedServer({"/a": [page(cut, Content_Encoding="gzip")]}) as srv:
        proc = run_cli("extract", srv.url("/a"), "--ignore-robots", "--timeout", "2")
    out = json.loads(proc.stdout)
    assert proc.returncode == 1 and out["error"]["kind"] == "network" and "title" not in out
    assert out["error"]["message"].startswith("the gzip stream ended before its end: the body was cut")


def test_a_connection_reset_names_its_reason() -> None:
    """A server that resets the connection mid-body (SO_LINGER 0): httpx raises ``ReadError('')``; the
    message must still say why."""
    import socket
    import struct
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/html\r\n\r\npartial")
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
        result = fetch(url, FAST.model_copy(update={"obey_robots": False}))
    finally:
        listener.close()
    assert result.outcome == "network"
    assert result.message == "ReadError: [Errno 104] Connection reset by peer (after 4 attempts)"


def test_a_page_cut_with_a_matching_content_length_is_never_a_page() -> None:
    """A server whose Content-Length is smaller than the page (or that closes early with no length): the
    framing is whole, the page is not — it stops before ``</html>``. Retried, then refused."""
    page_bytes = b"<!DOCTYPE html>" + ARTICLE
    cut = page_bytes[: len(page_bytes) * 88 // 100]
    with ScriptedServer({"/a": [page(cut)], "/b": [page(page_bytes)]}) as srv:
        result, whole = fetch(srv.url("/a")), fetch(srv.url("/b"))
    assert result.outcome == "network" and result.content == b""
    assert result.message == ("the page stops before its end (no </body> or </html>): the body was cut "
                              "(after 4 attempts)")
    assert whole.outcome == "ok" and whole.content == page_bytes
