"""Inputs that are no article, or are broken: each gives one error record (or a correct record), never a
traceback. Through the CLI: ``{"url": ..., "error": {"kind": ..., "message": ...}}`` and exit status 1."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from support import run_cli

from scraper.errors import ScraperError
from scraper.pipeline import extract_page

DEEP_BUDGET_S = 15
"""Seconds a 100k-deep page may take (parsing must stay near-linear in nesting depth)."""
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + bytes(64)
PARAGRAPH = "한빛구는 봄맞이 하천 정비를 실시한다고 5일 밝혔다. 정비는 이달 말까지 관내 하천 5곳에서 진행된다."
ARTICLE_BODY = f"<p>{PARAGRAPH}</p><p>구는 산책로 보수와 둔치 청소를 함께 벌인다.</p>"
JS_SHELL = (
    '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>한빛일보</title>'
    '<script src="/static/js/app.4f2a.js"></script></head><body><div id="app"></div>'
    "<noscript>자바스크립트를 활성화해 주세요</noscript></body></html>"
)
MENU_PAGE = (
    '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>보도자료 목록 | 한빛구청</title></head><body>'
    '<ul class="gnb"><li><a href="/a">구정소식</a></li><li><a href="/b">참여마당</a></li>'
    '<li><a href="/c">한빛구소개</a></li></ul>'
    '<table class="board_list"><tr><th>번호</th><th>제목</th><th>등록일</th></tr>'
    + "".join(
        f'<tr><td>{n}</td><td><a href="/view.do?nttId={n}">한빛구 소식 제{n}호 안내</a></td>'
        f"<td>2024.03.{n % 28 + 1:02d}</td></tr>"
        for n in range(100, 115)
    )
    + '</table><div class="paging"><a href="?page=1">1</a> <a href="?page=2">2</a></div>'
    "<footer>Copyright © 한빛구청. All rights reserved.</footer></body></html>"
)


def _cli_error(path: Path) -> dict[str, Any]:
    """Run ``scraper extract PATH``; assert it exits 1 with one error record, and return the record."""
    proc = run_cli("extract", str(path))
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"url", "error"}
    assert set(out["error"]) == {"kind", "message"}
    assert out["url"] == str(path)
    assert out["error"]["message"]
    return dict(out)


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("empty.html", b"", "empty"),
        ("blank.html", b"  \r\n\t \n", "empty"),
        ("image.png", PNG, "binary"),
        ("shell.html", JS_SHELL, "no_content"),
        ("menu.html", MENU_PAGE, "no_content"),
    ],
)
def test_cli_error_kind(tmp_path: Path, name: str, data: bytes | str, kind: str) -> None:
    out = _cli_error(_write(tmp_path, name, data))
    assert out["error"]["kind"] == kind


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    out = _cli_error(tmp_path / "no-such-page.html")
    assert out["error"]["kind"] == "input"


def test_js_shell_notice_never_in_body() -> None:
    with pytest.raises(ScraperError) as info:
        extract_page(JS_SHELL.encode("utf-8"))
    assert info.value.kind == "no_content"
    shell_with_some_text = JS_SHELL.replace('<div id="app"></div>', '<div id="app"><p>로딩 중</p></div>')
    with pytest.raises(ScraperError) as info:
        extract_page(shell_with_some_text.encode("utf-8"))
    assert info.value.kind == "no_content"


def test_huge_page_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.write(f"<html><body><article><p>{PARAGRAPH}</p>".encode())
        chunk = ("<p>" + PARAGRAPH + "</p>\n").encode("utf-8") * 4096
        while handle.tell() <= 51 * 1024 * 1024:
            handle.write(chunk)
        handle.write(b"</article></body></html>")
    started = time.monotonic()
    out = _cli_error(path)
    elapsed = time.monotonic() - started
    assert out["error"]["kind"] == "too_large"
    assert elapsed < 10, f"took {elapsed:.1f} s"


def test_unclosed_tags_still_give_the_article() -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>한빛구, 하천 정비 - 새솔일보</title>'
        f"<body><div class='article'><h1>한빛구, 하천 정비<p>{PARAGRAPH}"
        "<p>구는 산책로 보수와 둔치 청소를 함께 벌인다.<div><span>"
    )
    record = extract_page(page.encode("utf-8"))
    assert record.body == [PARAGRAPH, "구는 산책로 보수와 둔치 청소를 함께 벌인다."]


def test_deeply_nested_divs_do_not_crash_or_hang(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>깊은 중첩</title></head><body>'
        + "<div>" * 100_000
        + ARTICLE_BODY
        + "</body></html>"
    )
    path = _write(tmp_path, "deep.html", page)
    try:
        proc = run_cli("extract", str(path), timeout=DEEP_BUDGET_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"scraper extract did not finish within {DEEP_BUDGET_S} s on 100,000 nested <div>s")
    assert b"Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    assert (proc.returncode, out.get("body")) == (0, [PARAGRAPH, "구는 산책로 보수와 둔치 청소를 함께 벌인다."])


def test_deeply_nested_list_page_keeps_its_items(tmp_path: Path) -> None:
    rows = "".join(f'<li><a href="/board/view.do?nttId={n}">한빛구 {n}번째 보도자료 제목</a> '
                   '<span>2024.03.05</span></li>' for n in range(1, 21))
    page = f"<html><body>{'<div>' * 100_000}<ul>{rows}</ul>{'</div>' * 100_000}</body></html>"
    path = _write(tmp_path, "deep-list.html", page)
    try:
        proc = run_cli("listing", str(path), "--url", "https://www.hanbit.go.kr/board/list.do", timeout=DEEP_BUDGET_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"scraper listing did not finish within {DEEP_BUDGET_S} s on 100,000 nested <div>s")
    assert [item["id"] for item in json.loads(proc.stdout)["items"]] == [str(n) for n in range(1, 21)]


def test_a_tag_with_200k_attributes_does_not_hang(tmp_path: Path) -> None:
    attrs = " ".join(f'data-a{n}="x"' for n in range(200_000))
    page = (f'<html><head><meta charset="utf-8"><title>속성 폭탄</title></head><body {attrs}>'
            f"{ARTICLE_BODY}</body></html>")
    path = _write(tmp_path, "attrs.html", page)
    try:
        proc = run_cli("extract", str(path), timeout=DEEP_BUDGET_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"scraper extract did not finish within {DEEP_BUDGET_S} s on a tag with 200,000 attributes")
    out = json.loads(proc.stdout)
    assert out["body"] == [PARAGRAPH, "구는 산책로 보수와 둔치 청소를 함께 벌인다."]
    assert "long_tag_trimmed" in out["warnings"]


def _korean_page(charset: str) -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>한빛구, 하천 정비 나서</title></head>'
        f"<body><article><h1>한빛구, 하천 정비 나서</h1>{ARTICLE_BODY}</article></body></html>"
    )


def test_meta_says_utf8_on_euckr_bytes() -> None:
    record = extract_page(_korean_page("utf-8").encode("cp949"))
    assert (record.title, record.body[0]) == ("한빛구, 하천 정비 나서", PARAGRAPH)


def test_header_says_utf8_on_euckr_bytes() -> None:
    record = extract_page(_korean_page("euc-kr").encode("cp949"), content_type="text/html; charset=UTF-8")
    assert (record.title, record.body[0]) == ("한빛구, 하천 정비 나서", PARAGRAPH)


def test_meta_says_euckr_on_utf8_bytes() -> None:
    record = extract_page(_korean_page("euc-kr").encode("utf-8"))
    assert (record.title, record.body[0]) == ("한빛구, 하천 정비 나서", PARAGRAPH)


def test_header_says_euckr_on_utf8_bytes() -> None:
    record = extract_page(_korean_page("utf-8").encode("utf-8"), content_type="text/html; charset=ks_c_5601-1987")
    assert (record.title, record.body[0]) == ("한빛구, 하천 정비 나서", PARAGRAPH)


def test_multi_source_call_keeps_going_after_errors(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.html", _korean_page("utf-8"))
    empty = _write(tmp_path, "empty.html", b"")
    png = _write(tmp_path, "image.png", PNG)
    proc = run_cli("extract", str(good), str(empty), str(tmp_path / "missing.html"), str(png), str(good))
    lines = proc.stdout.decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert proc.returncode == 1
    assert [r.get("error", {}).get("kind") for r in records] == [None, "empty", "input", "binary", None]
    assert [r.get("title") for r in records] == ["한빛구, 하천 정비 나서", None, None, None, "한빛구, 하천 정비 나서"]


def test_a_legacy_page_with_a_nul_and_a_cut_character_gives_its_record(tmp_path: Path) -> None:
    """A 시청 board page saved as EUC-KR with a stray NUL and a ``<meta description>`` cut inside a character
    (both seen on old CMSs): the CLI prints the release, with warnings saying what was repaired."""
    page = ("<html><head><meta charset='euc-kr'><title>한빛구, 하천 정비 착수</title>"
            "<meta name='description' content='한빛구는").encode("cp949") + b"\xc7'></head><body>\x00" + (
        f"<h1>한빛구, 하천 정비 착수</h1><p>{PARAGRAPH}</p></body></html>").encode("cp949")
    proc = run_cli("extract", str(_write(tmp_path, "view.html", page)))
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    out = json.loads(proc.stdout)
    assert (out["title"], out["body"]) == ("한빛구, 하천 정비 착수", [PARAGRAPH])
    assert {"charset_bytes_replaced", "nul_bytes_dropped"} <= set(out["warnings"])
