"""Attachment text: the 10 real HWP/HWPX/PDF files of ``../shared/corpus/real/attachments`` (every
``must_contain`` phrase, whitespace-collapsed as its INDEX.md says), exact paragraphs and table rows,
Content-Disposition names, safe saving, bad files (never a crash or a hang), the worker's time and memory
caps, and ``python -m scraper extract URL --attachments`` against a real server on 127.0.0.1."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from scripted_server import ScriptedServer
from support import run_cli

from scraper.attachments.base import Extracted, UnreadableAttachment
from scraper.attachments.enrich import body_from_text, is_pointer_body, main_attachment
from scraper.attachments.filenames import disposition_filename, safe_filename, save_file
from scraper.attachments.hwpx import hwpx_text
from scraper.attachments.read import extract, sniff
from scraper.attachments.sandbox import Limits, extract_limited, run_worker
from scraper.models import Attachment

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLES = SHARED / "corpus" / "real" / "attachments"
TESTS = str(Path(__file__).resolve().parent)


def _samples_dir() -> Path:
    if not SAMPLES.is_dir():
        reason = f"real attachment samples not found at {SAMPLES} (../shared next to the repository)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI=true requires them")
        pytest.skip(reason)
    return SAMPLES


def _sample_names() -> list[str]:
    if not SAMPLES.is_dir():
        return ["(samples missing)"]
    return sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".hwp", ".hwpx", ".pdf"))


def collapse(text: str) -> str:
    """Whitespace runs to one space (the matching rule of INDEX.md)."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def texts() -> dict[str, Extracted]:
    """Every sample read once through the capped worker, in parallel (the PDFs take seconds in pypdf)."""
    folder = _samples_dir()
    names = _sample_names()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda n: extract_limited((folder / n).read_bytes(), Limits(seconds=60)), names))
    return dict(zip(names, results, strict=True))


@pytest.mark.parametrize("name", _sample_names())
def test_every_must_contain_phrase_is_found(name: str, texts: dict[str, Extracted]) -> None:
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    text = collapse(texts[name].text)
    missing = [p for p in expected["must_contain"] if collapse(p) not in text]
    assert not missing, f"{name}: {len(missing)} of {len(expected['must_contain'])} phrases missing: {missing}"
    media = {".hwp": "application/x-hwp", ".hwpx": "application/hwp+zip", ".pdf": "application/pdf"}
    assert texts[name].media_type == media[Path(name).suffix]


def _lines(texts: dict[str, Extracted], name: str) -> list[str]:
    return texts[name].text.splitlines()


def test_table_rows_are_tab_separated_cells(texts: dict[str, Extracted]) -> None:
    lines = _lines(texts, "moef_fiscal_stats_2014_08.hwp")
    assert "통합재정수입 (A)\t138,756\t8,423\t33\t62,801\t1,724\t211,736" in lines
    assert "통합재정수지 (A-B)\t△2,006\t△18,434\t6\t10,705\t△297\t△10,027" in lines
    fdi = _lines(texts, "moef_fdi_2024q1_press.hwpx")
    assert "총투자\t282.3\t198.5\t184.8\t150.9\t176.8\t159.8\t150.5\t157.7\t150.9" in fdi
    assert "보도시점\t2024. 6. 21.(금) 11:00\t배포\t2024. 6. 21.(금) 09:00" in fdi


def test_paragraphs_and_bullets_start_lines(texts: dict[str, Extracted]) -> None:
    fiscal = _lines(texts, "moef_fiscal_stats_2014_08.hwp")
    assert "□ 관리재정수지(사회보장성기금** 제외수지)" in fiscal
    assert "* 구성항목별 합계 및 차감금액은 소수점이하 단수조정으로 상이할 수 있음" in fiscal
    assert "* 저지(Jersey) 섬: 영국과 프랑스 사이의 영국해협에 위치한 영국령 조세회피처" in _lines(
        texts, "moef_fdi_2024q1_press.hwp")
    plan = _lines(texts, "nikl_2022_work_plan_hancompdf.pdf")
    assert "□ 긍정적 여건" in plan
    start = "ㅇ 국립국어원 ’모두의 말뭉치‘ 공개*, 인공지능 언어능력평가 대회 개최 등으로"
    assert any(line.startswith(start) for line in plan)


def test_pdf_lines_are_reflowed_into_paragraphs(texts: dict[str, Extracted]) -> None:
    lines = _lines(texts, "moef_fdi_2025q2_press.pdf")
    assert any(line.startswith("2025년 2분기(4~6월) 해외직접투자액은") and line.endswith("된 모습이었다.")
               for line in lines)


def test_hwp_and_hwpx_twins_read_alike(texts: dict[str, Extracted]) -> None:
    hwp, hwpx = _lines(texts, "moef_fdi_2024q1_press.hwp"), _lines(texts, "moef_fdi_2024q1_press.hwpx")
    assert len(set(hwp) ^ set(hwpx)) <= 0.02 * len(hwp)


# ---- file names ----------------------------------------------------------------------------------

NAME = "2024년 보도자료(해외직접투자).hwp"


@pytest.mark.parametrize("header", [
    "attachment; filename*=UTF-8''" + "".join(f"%{b:02X}" for b in NAME.encode("utf-8")),
    "attachment; filename=\"fallback.hwp\"; filename*=utf-8''" + "".join(f"%{b:02X}" for b in NAME.encode()),
    "attachment; filename=\"" + NAME.encode("utf-8").decode("latin-1") + "\"",
    "attachment; filename=\"" + NAME.encode("cp949").decode("latin-1") + "\"",
    "attachment; filename=" + NAME.encode("euc-kr").decode("latin-1").replace(" ", ""),
    "attachment; filename=\"" + NAME + "\"",
    "attachment;filename=\"" + "".join(f"%{b:02X}" for b in NAME.encode("utf-8")) + "\"",
])
def test_content_disposition_names(header: str) -> None:
    assert disposition_filename(header) in (NAME, NAME.replace(" ", ""))


def test_content_disposition_quoted_and_missing() -> None:
    assert disposition_filename('attachment; filename="a \\"b\\".pdf"') == 'a "b".pdf'
    assert disposition_filename("attachment; filename*=EUC-KR''%BA%B8%B5%B5.hwp") == "보도.hwp"
    assert disposition_filename("attachment") is None
    assert disposition_filename(None) is None
    assert disposition_filename('attachment; filename=""') is None


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "..\\..\\boot.ini", "/etc/shadow", "C:\\Windows\\system32\\x.hwp", "a\x00b.hwp",
    "CON", "con.hwp", "NUL.pdf", "COM1.txt", "lpt9", "..", ".", "", "   ", "\\\\server\\share\\f.hwp",
    "x" * 400 + ".hwp", "보도자료. ", "a/../../b.pdf",
])
def test_saved_names_never_escape_the_folder(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    path = save_file(folder, name, b"data")
    assert path.parent == folder.resolve()
    assert path.read_bytes() == b"data"
    safe = safe_filename(name)
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe and safe not in ("", ".", "..")
    assert safe.split(".")[0].upper() not in ("CON", "NUL", "COM1", "LPT9")
    assert len(safe.encode("utf-8")) <= 200
    assert list(tmp_path.iterdir()) == [folder]


def test_name_clashes_do_not_overwrite(tmp_path: Path) -> None:
    first = save_file(tmp_path, "보도자료.hwp", b"1")
    second = save_file(tmp_path, "보도자료.hwp", b"2")
    third = save_file(tmp_path, "../보도자료.hwp", b"3")
    assert [p.name for p in (first, second, third)] == ["보도자료.hwp", "보도자료 (2).hwp", "보도자료 (3).hwp"]
    assert [p.read_bytes() for p in (first, second, third)] == [b"1", b"2", b"3"]


# ---- bad files -------------------------------------------------------------------------------------

def _kind(data: bytes) -> str:
    with pytest.raises(UnreadableAttachment) as info:
        extract(data)
    return info.value.kind


def _patched_hwp(flag: int) -> bytes:
    data = bytearray((_samples_dir() / "moef_fiscal_stats_2014_08.hwp").read_bytes())
    at = data.find(b"HWP Document File")
    data[at + 36] |= flag
    return bytes(data)


def test_truncated_ole_is_corrupt() -> None:
    assert _kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600) == "corrupt"


def test_truncated_real_hwp_never_crashes() -> None:
    data = (_samples_dir() / "moef_fdi_2024q1_press.hwp").read_bytes()
    for size in (512, 4096, len(data) // 2):
        try:
            extract(data[:size])
        except UnreadableAttachment as exc:
            assert exc.kind in ("corrupt", "unsupported")


def test_encrypted_and_distribution_hwp() -> None:
    assert _kind(_patched_hwp(0x02)) == "encrypted"
    assert _kind(_patched_hwp(0x04)) == "distribution"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/hwp+zip")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_disguised_as_hwpx() -> None:
    bomb = _zip({"Contents/section0.xml": b"<a>" + b"\x00" * (64 * 1024 * 1024) + b"</a>"})
    assert len(bomb) < 200_000
    assert _kind(bomb) == "too_large"
    honest = _zip({"Contents/section0.xml": b"<p>" + os.urandom(2_000_000).hex().encode() + b"</p>"})
    with pytest.raises(UnreadableAttachment) as info:
        hwpx_text(honest, max_unpacked=1_000_000)
    assert info.value.kind == "too_large"


def test_hwpx_with_entities_or_broken_xml() -> None:
    laughs = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx">]><a>&x;&x;</a>'
    assert _kind(_zip({"Contents/section0.xml": laughs})) == "corrupt"
    assert _kind(_zip({"Contents/section0.xml": b"<a><b></a>"})) == "corrupt"
    assert _kind(_zip({"word/document.xml": b"<a/>"})) == "unsupported"


def test_html_error_page_served_as_hwp() -> None:
    page = "<!DOCTYPE html><html><body>파일을 찾을 수 없습니다.</body></html>".encode()
    assert sniff(page) == "text/html"
    assert _kind(page) == "not_a_document"
    assert _kind("\r\n\r\n<script>alert('로그인이 필요합니다');history.back();</script>".encode()) == "not_a_document"


def test_corrupt_and_encrypted_pdf() -> None:
    from pypdf import PdfWriter

    assert _kind(b"%PDF-1.4\n" + b"\x00garbage" * 100) == "corrupt"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    assert _kind(locked.getvalue()) == "encrypted"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    restricted = io.BytesIO()
    writer.write(restricted)
    assert extract(restricted.getvalue()).media_type == "application/pdf"  # copy-protected only: readable


def test_bad_files_through_the_worker() -> None:
    with pytest.raises(UnreadableAttachment) as info:
        extract_limited(b"<html><body>error</body></html>")
    assert info.value.kind == "not_a_document"


def test_worker_time_cap_kills_a_runaway_reader() -> None:
    with pytest.raises(UnreadableAttachment) as info:
        run_worker(b"x", Limits(seconds=1.5), reader="attachment_probes:spin", extra_path=(TESTS,))
    assert info.value.kind == "timeout"


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_AS is POSIX")
def test_worker_memory_cap_stops_a_hungry_reader() -> None:
    with pytest.raises(UnreadableAttachment) as info:
        run_worker(b"x", Limits(seconds=20, memory_bytes=512 * 1024 * 1024), reader="attachment_probes:hog",
                   extra_path=(TESTS,))
    assert info.value.kind in ("memory", "crashed")


# ---- body from the attachment ----------------------------------------------------------------------

def test_pointer_bodies() -> None:
    assert is_pointer_body(["첨부파일 참조"]) and is_pointer_body(["※ 자세한 내용은 붙임 파일을 확인하시기 바랍니다."])
    assert not is_pointer_body(["한빛구는 5일 관내 전통시장 주차장 4곳을 주말 동안 무료로 개방한다고 밝혔다. 첨부 참조."
                                " 구는 이번 조치로 시장 방문객이 늘 것으로 기대했다."])


def test_main_attachment_and_body_lines() -> None:
    files = [Attachment(name="사진.jpg"), Attachment(name="붙임.hwp", text="붙임"),
             Attachment(name="보도자료.hwpx", text="제목\n구분\t1분기\n□ 본문")]
    assert main_attachment(files) == files[2]
    assert body_from_text(files[2].text or "") == ["제목", "구분 1분기", "□ 본문"]


# ---- end to end ------------------------------------------------------------------------------------

VIEW = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>보도자료 상세보기 | 한빛구</title></head>
<body><div id="header"><a href="/">한빛구청</a></div><div id="contents"><div class="board_view">
<h3 class="view_title">한빛구, 2024년 1분기 해외직접투자 설명회 개최</h3>
<ul class="info"><li>담당부서 : 기획예산과</li><li>등록일 : 2024-06-21</li></ul>
<div class="view_content"><p>첨부파일 참조</p></div>
<div class="file"><ul><li><a href="/cmm/fms/FileDown.do?atchFileId=F1&amp;fileSn=0">{name}</a> [547 KB]</li></ul>
</div></div></div><div id="footer">한빛구청 주소</div></body></html>"""
FILE_NAME = "2024년 1분기 해외직접투자 보도자료.hwpx"


def test_extract_url_with_attachments_end_to_end(tmp_path: Path) -> None:
    data = (_samples_dir() / "moef_fdi_2024q1_press.hwpx").read_bytes()
    disposition = 'attachment; filename="' + FILE_NAME.encode("euc-kr").decode("latin-1") + '"'
    routes = {
        "/board/view.do?nttId=1": [{"body": VIEW.format(name=FILE_NAME),
                                    "headers": {"Content-Type": "text/html; charset=utf-8"}}],
        "/cmm/fms/FileDown.do?atchFileId=F1&fileSn=0": [{"body": data, "headers": {
            "Content-Type": "application/octet-stream", "Content-Disposition": disposition}}],
    }
    with ScriptedServer(routes) as server:
        proc = run_cli("extract", server.url("/board/view.do?nttId=1"), "--attachments",
                       "--save-attachments", str(tmp_path / "saved"), timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    record = json.loads(proc.stdout.decode("utf-8"))
    attachment = record["attachments"][0]
    assert attachment["name"] == FILE_NAME
    assert attachment["media_type"] == "application/hwp+zip" and attachment["error"] is None
    text = collapse(attachment["text"])
    assert "‘24년 1분기 해외직접투자는 150.9억 달러로 전년동기비 14.6% 감소" in text
    assert "해외직접투자 개념 (외국환거래법 제3조, 시행령 제8조)" in text
    assert record["body_source"] == "attachment"
    assert "* 저지(Jersey) 섬: 영국과 프랑스 사이의 영국해협에 위치한 영국령 조세회피처" in record["body"]
    assert record["embargo_until"] == "2024-06-21T11:00:00+09:00"
    assert "attachment_unreadable" not in record["warnings"]
    assert [p.name for p in (tmp_path / "saved").iterdir()] == [FILE_NAME]


def test_html_error_page_as_attachment_gives_a_warning(tmp_path: Path) -> None:
    routes = {
        "/board/view.do?nttId=2": [{"body": VIEW.format(name="보도자료.hwp"),
                                    "headers": {"Content-Type": "text/html; charset=utf-8"}}],
        "/cmm/fms/FileDown.do?atchFileId=F1&fileSn=0": [{"body": "<html><body>세션이 만료되었습니다</body></html>",
                                                        "headers": {"Content-Type": "text/html"}}],
    }
    with ScriptedServer(routes) as server:
        proc = run_cli("extract", server.url("/board/view.do?nttId=2"), "--attachments", timeout=120)
    record = json.loads(proc.stdout.decode("utf-8"))
    assert proc.returncode == 0
    assert "attachment_unreadable" in record["warnings"]
    assert record["attachments"][0]["error"].startswith("not_a_document")
    assert record["attachments"][0]["text"] is None and record["body_source"] == "page"


def _board_with_hwpx() -> dict[str, list[dict[str, Any]]]:
    """Routes of a one-item board whose release links a real HWPX (read from ../shared at test time)."""
    data = (_samples_dir() / "moef_fdi_2024q1_press.hwpx").read_bytes()
    listing = ("<html><body><table class='board-list'><tbody><tr><td class='subject'>"
               "<a href='/board/view.do?nttId=1'>한빛구, 2024년 1분기 해외직접투자 설명회 개최</a></td>"
               "<td>2024.06.21</td></tr></tbody></table></body></html>")
    html = {"Content-Type": "text/html; charset=utf-8"}
    return {
        "/board/list.do": [{"body": listing, "headers": html}],
        "/board/view.do?nttId=1": [{"body": VIEW.format(name=FILE_NAME), "headers": html}],
        "/cmm/fms/FileDown.do?atchFileId=F1&fileSn=0": [{"body": data, "headers": {
            "Content-Type": "application/octet-stream"}}],
    }


def test_crawl_with_attachments_writes_the_file_text(tmp_path: Path) -> None:
    routes = _board_with_hwpx()
    out = tmp_path / "out"
    with ScriptedServer(routes) as server:
        argv = ["crawl", "--start", server.url("/board/list.do"), "--out", str(out), "--state",
                str(tmp_path / "state.sqlite"), "--delay", "0", "--attachments"]
        first = run_cli(*argv, timeout=120)
        second = run_cli(*argv, timeout=120)
    assert first.returncode == 0 and second.returncode == 0, first.stderr.decode("utf-8", "replace")
    lines = [json.loads(line) for f in out.rglob("*.jsonl") if f.name != "errors.jsonl"
             for line in f.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 1
    record = lines[0]
    assert record["body_source"] == "attachment" and record["revision"] == 1
    text = collapse(record["attachments"][0]["text"])
    assert "‘24년 1분기 해외직접투자는 150.9억 달러로 전년동기비 14.6% 감소" in text


BUTTON_VIEW = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>보도자료 | 한빛구</title></head>
<body><div class="board_view"><h3 class="view_title">한빛구, 2024년 1분기 해외직접투자 설명회 개최</h3>
<ul class="info"><li>담당부서 : 기획예산과</li><li>등록일 : 2024-06-21</li></ul>
<div class="view_content"><p>한빛구, 해외직접투자 설명회 개최</p><p>※ 자세한 내용은 첨부파일 참조</p></div>
<div class="file"><ul><li><a href="/fileDownload.do?fileId=7">내려받기</a>
<a href="/viewer.do?fileId=7">미리보기</a></li></ul></div></div></body></html>"""


def test_a_download_button_is_named_by_the_server_and_never_escapes(tmp_path: Path) -> None:
    data = (_samples_dir() / "moef_fdi_2024q1_press.hwpx").read_bytes()
    evil = "attachment; filename*=UTF-8''..%2F..%2Fevil%2F%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C.hwpx"
    routes = {
        "/board/view.do?nttId=7": [{"body": BUTTON_VIEW, "headers": {"Content-Type": "text/html; charset=utf-8"}}],
        "/fileDownload.do?fileId=7": [{"body": data, "headers": {
            "Content-Type": "application/octet-stream", "Content-Disposition": evil}}],
    }
    saved = tmp_path / "saved"
    with ScriptedServer(routes) as server:
        proc = run_cli("extract", server.url("/board/view.do?nttId=7"), "--save-attachments", str(saved),
                       timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    record = json.loads(proc.stdout.decode("utf-8"))
    attachment = record["attachments"][0]
    assert attachment["name"] == "보도자료.hwpx"  # directories of the server's name dropped
    assert attachment["saved_as"] == str(saved / "보도자료.hwpx")
    assert [p.name for p in saved.iterdir()] == ["보도자료.hwpx"]
    assert record["body_source"] == "attachment"  # a deck line above "첨부파일 참조" is still a pointer body


def test_refresh_does_not_download_unchanged_attachments_again(tmp_path: Path) -> None:
    routes = _board_with_hwpx()
    saved = tmp_path / "saved"
    with ScriptedServer(routes) as server:
        argv = ["crawl", "--start", server.url("/board/list.do"), "--out", str(tmp_path / "out"), "--state",
                str(tmp_path / "state.sqlite"), "--delay", "0", "--save-attachments", str(saved), "--refresh", "5"]
        for _ in range(3):
            assert run_cli(*argv, timeout=120).returncode == 0
        downloads = [p for p in server.paths() if p.startswith("/cmm/fms/FileDown.do")]
    assert len(downloads) == 1 and len(list(saved.iterdir())) == 1


def test_a_bare_disposition_name_is_saved_with_the_extension_its_bytes_say(tmp_path: Path) -> None:
    data = (_samples_dir() / "moef_fdi_2024q1_press.hwpx").read_bytes()
    routes = {
        "/board/view.do?nttId=7": [{"body": BUTTON_VIEW, "headers": {"Content-Type": "text/html; charset=utf-8"}}],
        "/fileDownload.do?fileId=7": [{"body": data, "headers": {
            "Content-Type": "application/octet-stream", "Content-Disposition": "attachment; filename=passwd"}}],
    }
    saved = tmp_path / "saved"
    with ScriptedServer(routes) as server:
        proc = run_cli("extract", server.url("/board/view.do?nttId=7"), "--save-attachments", str(saved),
                       timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    attachment = json.loads(proc.stdout.decode("utf-8"))["attachments"][0]
    assert attachment["saved_as"] == str(saved / "passwd.hwpx")
    assert [p.name for p in saved.iterdir()] == ["passwd.hwpx"]
