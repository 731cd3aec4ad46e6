"""Bytes -> text (scraper.fetch.decode): BOM, header vs meta, EUC-KR aliases, labels that lie."""

from __future__ import annotations

import codecs

import pytest

from scraper.errors import DecodeError
from scraper.fetch.decode import decode_html, header_charset, meta_charset, normalize_label

TEXT = "한빛구, 봄맞이 하천 정비 나서. 똠방각하 뷁 햏 (cp949 전용 음절 포함)"


def page(charset: str | None) -> str:
    head = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{head}<title>{TEXT}</title></head><body><p>{TEXT}</p></body></html>"


@pytest.mark.parametrize(
    ("bom", "codec", "expected_codec"),
    [(codecs.BOM_UTF8, "utf-8", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
     (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be")],
)
def test_bom_wins_over_header_and_meta(bom: bytes, codec: str, expected_codec: str) -> None:
    data = bom + page("euc-kr").encode(codec)
    decoded = decode_html(data, "text/html; charset=euc-kr")
    assert (decoded.text, decoded.encoding, decoded.source) == (page("euc-kr"), expected_codec, "bom")


def test_header_wins_over_meta_when_both_fit_the_bytes() -> None:
    data = page("iso-8859-1").encode("cp949")  # ascii-only label in meta, Korean bytes
    decoded = decode_html(data, "text/html; charset=EUC-KR")
    assert (decoded.text, decoded.encoding, decoded.source) == (page("iso-8859-1"), "cp949", "header")


def test_meta_used_when_header_has_no_charset() -> None:
    decoded = decode_html(page("euc-kr").encode("cp949"), "text/html")
    assert (decoded.text, decoded.encoding, decoded.source) == (page("euc-kr"), "cp949", "meta")


def test_http_equiv_meta() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987"></head>'
        f"<body>{TEXT}</body></html>"
    )
    decoded = decode_html(html.encode("cp949"))
    assert (decoded.text, decoded.encoding, decoded.source) == (html, "cp949", "meta")


@pytest.mark.parametrize(
    "label",
    ["euc-kr", "EUC-KR", "euckr", "ks_c_5601-1987", "KS_C_5601-1989", "ksc5601", "korean", "x-windows-949",
     "windows-949", "cp949", "uhc", "ms949", "csKSC56011987", "iso-ir-149"],
)
def test_every_euckr_alias_decodes_as_cp949(label: str) -> None:
    assert normalize_label(label) == "cp949"
    decoded = decode_html(page(label).encode("cp949"))
    assert (decoded.text, decoded.encoding) == (page(label), "cp949")


def test_cp949_only_syllables_survive() -> None:
    # "똠", "뷁", "햏" are outside KS X 1001's 2,350 syllables: cp949 encodes them as two bytes
    assert len("똠뷁햏".encode("cp949")) == 6
    decoded = decode_html(page("euc-kr").encode("cp949"))
    assert "똠방각하 뷁 햏" in decoded.text


def test_utf8_bytes_declared_euckr_in_meta() -> None:
    decoded = decode_html(page("euc-kr").encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (page("euc-kr"), "utf-8")


def test_utf8_bytes_declared_euckr_in_header() -> None:
    decoded = decode_html(page(None).encode("utf-8"), "text/html; charset=euc-kr")
    assert (decoded.text, decoded.encoding) == (page(None), "utf-8")


def test_euckr_bytes_declared_utf8_in_meta() -> None:
    decoded = decode_html(page("utf-8").encode("cp949"))
    assert (decoded.text, decoded.encoding) == (page("utf-8"), "cp949")


def test_euckr_bytes_declared_utf8_in_header() -> None:
    decoded = decode_html(page(None).encode("cp949"), "text/html; charset=utf-8")
    assert (decoded.text, decoded.encoding) == (page(None), "cp949")


def test_undeclared_euckr_is_detected() -> None:
    decoded = decode_html(page(None).encode("cp949"))
    assert (decoded.text, decoded.encoding, decoded.source) == (page(None), "cp949", "detected")


def test_unknown_label_is_ignored() -> None:
    decoded = decode_html(page("x-no-such-charset").encode("utf-8"))
    assert (decoded.text, decoded.encoding) == (page("x-no-such-charset"), "utf-8")


@pytest.mark.parametrize(
    ("data", "kind"), [(b"", "empty"), (b" \n\t", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary")]
)
def test_no_page_raises_decode_error(data: bytes, kind: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode_html(data, url="http://example.kr/x")
    assert (info.value.kind, info.value.url) == (kind, "http://example.kr/x")


def test_charset_helpers() -> None:
    assert header_charset('text/html; charset="euc-kr"') == "euc-kr"
    assert header_charset("text/html") is None
    assert header_charset(None) is None
    assert meta_charset(b"<meta charset='UTF-8'>") == "UTF-8"
    assert meta_charset(b"<p>charset=utf-8 in text is not a declaration</p>") is None
    assert normalize_label("latin1") == "cp1252"


def test_undeclared_euckr_after_a_long_ascii_script_is_not_mojibake() -> None:
    html = ("<html><head><script>" + "var a=1;" * 30000 + "</script><title>혼합 기사 제목</title></head>"
            "<body><p>한빛구청은 오늘 하천 정비 계획을 발표했다.</p></body></html>")
    decoded = decode_html(html.encode("cp949"))
    assert (decoded.encoding, decoded.source) == ("cp949", "detected")
    assert "혼합 기사 제목" in decoded.text


def test_an_undeclared_legacy_charset_is_flagged_on_the_record() -> None:
    from scraper.pipeline import extract_page

    html = ("<html><head><title>한빛구, 하천 정비 나서 - 새솔일보</title></head><body><h1>한빛구, 하천 정비 나서</h1>"
            "<div class='article-body'><p>한빛구는 5일 관내 하천 5곳의 산책로와 둔치를 정비한다고 밝혔다.</p>"
            "<p>정비는 이달 말까지 이어진다.</p></div></body></html>")
    record = extract_page(html.encode("cp949"))
    assert record.title == "한빛구, 하천 정비 나서" and "charset_guessed" in record.warnings


@pytest.mark.parametrize(("header", "meta"), [
    ("text/html; charset=ISO-8859-1", ""),
    (None, '<meta charset="ISO-8859-1">'),
    (None, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'),
    ("text/html; charset=ISO-8859-1", '<meta charset="euc-kr">'),
])
def test_western_single_byte_label_on_euckr_bytes_is_weak(header: str | None, meta: str) -> None:
    page = (f"<html><head>{meta}<title>새솔군, 하천 정비 착수</title></head>"
            "<body><p>새솔군은 하천을 정비한다.</p></body></html>")
    decoded = decode_html(page.encode("cp949"), header)
    assert decoded.encoding == "cp949"
    assert "새솔군, 하천 정비 착수" in decoded.text


def test_western_label_on_western_bytes_is_kept() -> None:
    decoded = decode_html('<meta charset="ISO-8859-1"><p>Caf\u00e9 cr\u00e8me</p>'.encode("cp1252"))
    assert (decoded.encoding, "Café crème" in decoded.text) == ("cp1252", True)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(page("utf-8").encode("utf-8"), None), (page(None).encode("utf-8"), "text/html; charset=UTF-8"),
     (page(None).encode("utf-8"), None), (codecs.BOM_UTF8 + page(None).encode("utf-8"), None),
     (page("euc-kr").encode("cp949"), None), (page("utf-8").encode("utf-8").replace(b"<title>", b"<title>\xff"), None)],
)
def test_extract_page_is_extract_text_of_the_decoded_page(data: bytes, content_type: str | None) -> None:
    """The page's own bytes are parsed when they are strict UTF-8 (not encoded again): the record is the
    one the decoded text gives, whatever the encoding and its source."""
    from scraper.pipeline import extract_page, extract_text

    body = ("<p>한빛구는 봄을 맞아 하천 정비에 나선다고 밝혔다. 정비는 석 달 동안 이어지며, 주민 의견도 함께 듣는다"
            "고 구는 설명했다.</p>" * 3).encode("utf-8")
    data = data.replace(b"</body>", body + b"</body>")
    decoded = decode_html(data, content_type)
    url = "https://news.example.kr/a/1"
    got = extract_page(data, url=url, content_type=content_type).model_dump()
    expected = extract_text(decoded.text, url=url).model_dump()
    got["warnings"] = [w for w in got["warnings"] if w not in ("charset_guessed", "charset_bytes_replaced")]
    assert got == expected
    assert got["body"][0].startswith("한빛구는")


RELEASE = ("<html><head><meta charset='euc-kr'><title>광진구, 경로당 120곳에 공기청정기 설치</title></head>"
           "<body><h1>광진구, 경로당 120곳에 공기청정기 설치</h1><p>광진구는 오는 3월부터 관내 경로당 120곳에 "
           "공기청정기를 새로 설치한다고 4일 밝혔다. 이번 사업에는 구비 2억원이 투입된다.</p></body></html>")


def test_a_declared_euckr_page_with_a_cut_character_is_read_in_euckr() -> None:
    """An old CMS cuts ``<meta name="description">`` inside a two-byte character: the page is still EUC-KR,
    read as a browser reads it (that byte replaced), never handed to charset-normalizer's guess."""
    data = RELEASE.encode("cp949").replace(b"</head>", b"<meta name='description' content='\xb1\xa4\xc1'></head>")
    decoded = decode_html(data)
    assert (decoded.encoding, decoded.source) == ("cp949", "replaced")
    assert "광진구, 경로당 120곳에 공기청정기 설치" in decoded.text and decoded.text.count("\ufffd") == 1


def test_a_pasted_utf8_sentence_keeps_the_declared_euckr() -> None:
    more = "<p>구는 설치 뒤 2년 동안 필터를 무상으로 교체하고, 관리 실태를 해마다 점검할 계획이다.</p>" * 3
    data = RELEASE.replace("</body>", more + "</body>").encode("cp949").replace(
        b"</body>", "<p>“주민 의견을 듣겠다”</p>".encode() + b"</body>")  # one quote pasted as UTF-8
    decoded = decode_html(data)
    assert (decoded.encoding, decoded.source) == ("cp949", "replaced")
    assert "이번 사업에는 구비 2억원이 투입된다." in decoded.text


def test_utf8_bytes_declared_euckr_with_a_bad_byte_are_read_as_utf8() -> None:
    """The codec that fails on the fewest bytes wins: UTF-8 Hangul read as cp949 fails at every other character."""
    data = RELEASE.encode("utf-8").replace(b"<h1>", b"<h1>\xff")
    decoded = decode_html(data)
    assert (decoded.encoding, decoded.source) == ("utf-8", "replaced")
    assert "광진구는 오는 3월부터" in decoded.text


def test_undeclared_euckr_with_a_bad_byte_is_read_as_cp949() -> None:
    data = RELEASE.replace("<meta charset='euc-kr'>", "").encode("cp949") + b"\xb1"
    assert (decode_html(data).encoding, decode_html(data).source) == ("cp949", "replaced")


def test_a_few_nul_bytes_are_dropped_and_the_page_is_read() -> None:
    from scraper.pipeline import extract_page

    data = RELEASE.encode("cp949").replace(b"</p>", b"\x00</p>").replace(b"<h1>", b"<h1>\x00")
    decoded = decode_html(data)
    assert "\x00" not in decoded.text and (decoded.encoding, decoded.source) == ("cp949", "meta")
    record = extract_page(data, url="https://www.gwangjin.go.kr/portal/bbs/B0000001/view.do?nttId=1")
    assert record.title == "광진구, 경로당 120곳에 공기청정기 설치"
    assert record.body == ["광진구는 오는 3월부터 관내 경로당 120곳에 공기청정기를 새로 설치한다고 4일 밝혔다. "
                           "이번 사업에는 구비 2억원이 투입된다."]
    assert "nul_bytes_dropped" in record.warnings


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" * 20,  # a PDF's text head: no NUL, few controls
    b"<html><body>" + b"\x00" * 17 + b"</body></html>",  # more NULs than a text page holds
    b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8,  # gzip served as text/html
])
def test_binary_bytes_are_still_binary(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode_html(data)
    assert info.value.kind == "binary"


def test_a_utf16_page_has_no_dropped_nuls() -> None:
    """UTF-16's NUL bytes are halves of its characters: the page is no page with stray NULs."""
    from scraper.pipeline import extract_page

    data = codecs.BOM_UTF16_LE + RELEASE.replace("euc-kr", "utf-16").encode("utf-16-le")
    record = extract_page(data, url="https://www.gwangjin.go.kr/portal/bbs/B0000001/view.do?nttId=1")
    assert record.title == "광진구, 경로당 120곳에 공기청정기 설치"
    assert "nul_bytes_dropped" not in record.warnings
