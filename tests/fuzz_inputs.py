"""Hostile inputs for the fuzz tests (``tests/test_fuzz.py``) and the atheris harness
(``scripts/fuzz_atheris.py``): hypothesis strategies that build broken HTML, odd bytes and odd strings, and
the checks that say what a crash is.

A *crash* is any exception other than the project's own :class:`~scraper.errors.ScraperError` (and its
subclasses), or a record that cannot be written out as one UTF-8 JSON line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import strategies as st

from scraper.errors import ScraperError
from scraper.extract.listing import parse_listing
from scraper.models import Record
from scraper.pipeline import extract_page
from scraper.sinks.jsonl import dumps
from scraper.sources.boards import load_sources

# ---------------------------------------------------------------------------------------------- vocabulary

SENTENCES = [
    "한빛구는 봄맞이 하천 정비를 실시한다고 5일 밝혔다.",
    "정비는 이달 말까지 관내 하천 5곳에서 진행된다.",
    "구는 산책로 보수와 둔치 청소를 함께 벌인다.",
    "자세한 사항은 한빛구 환경과(☎ 02-123-4567)로 문의하면 된다.",
    "▲ 지난 4일 열린 발대식에서 참석자들이 기념촬영을 하고 있다.",
    "<저작권자 © 한빛일보, 무단 전재 및 재배포 금지>",
    "Copyright © 한빛구청. All rights reserved.",
    "기사수정 | 글씨크기 | 인쇄 | 스크랩",
    "관련기사", "많이 본 뉴스", "이전글", "다음글", "목록", "공지", "첨부파일", "담당부서", "연락처",
    "총 게시물 123건", "게시글을 찾을 수 없습니다", "로그인", "Lorem ipsum dolor sit amet.",
]
DATES = [
    "입력 2024.03.05 14:22", "수정 2024.03.06 00:10", "등록일 2024-03-05", "승인 2024.03.05 오후 2:22",
    "2024년 3월 5일 오후 2시 22분", "2024년 13월 45일 오후 25시 61분", "2024-02-30 10:00", "0000-00-00 00:00",
    "2024.03.05 오전 12:00", "2099-12-31T23:59:59-12:00", "2024-03-05T14:22:00+25:00", "2024-03-05 14:22+99:99",
    "2024-03-05T14:22:00-24:00", "20240230250000", "19000101000000", "24.13.32 25:61", "입력 99.99.99",
    "3시간 전", "99999999999시간 전", "입력 999999999일 전", "800000일 전", "9999999주 전", "1분전", "방금 전",
    "어제", "어제 25:99", "그저께 오후 13시", "오늘 24:00", "2일 전", "Tue, 05 Mar 2024 14:22:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 -1200", "01 Jan 0001 00:00 +1400", "31 Dec 9999 23:59 KST", "32 Foo 2024 99:99",
    "송고시간 2024-03-05 14:22", "기사입력 :[ 2018-08-25 15:24 ]", "최종수정 2024.03.06 09:10 (화)",
    "2024. 3. 5.", "2024/03/05 14:22:07.123456789", "작성일 : 어제 10:30", "게시일 2024.3.5(월)",
]
BYLINES = [
    "홍길동 기자", "홍길동·김철수 기자", "(서울=연합뉴스) 홍길동 기자 =", "[매체=홍길동 기자]", "/홍길동기자",
    "홍길동 기자 hong@example.com", "By Kim Seo-yun and Lee Ha-na", "기자", "기자 기자 기자", "=", "()",
    "(=)", "[=]", "홍길동 기자 =" * 3, "ⓒ 한빛일보", "온라인뉴스팀", "글·사진 홍길동", "hong@", "@example.com",
    "By", "By and and", "김 기자", "김김김김김 기자", "남궁 기자", "(=연합뉴스)", "[=]홍",
]
ENTITIES = [
    "&amp;", "&#0;", "&#xD800;", "&#xdfff;", "&#x110000;", "&#99999999;", "&#x0;", "&nbsp;", "&amp;amp;quot;",
    "&#55296;", "&lt;script&gt;", "&#x1F600;", "&bogus;", "&#;", "&", "&#x;", "&#128;", "&#13;", "&#x85;",
    "&amp;#xD800;", "&amp;amp;amp;amp;amp;amp;lt;",
]
ODD_CHARS = [
    "\x00", "\ufeff", "\u200b", "\u3000", "\xa0", "\r", "\r\n", "\x0b", "\x0c", "\u2028", "\u2029", "\x1b",
    "\ufffd", "\U0010ffff", "\u0301", "ㄱ", "\u115f", "\u3164", "\ufffe", "\x85", "\t", "\u202e", "\U0001f600",
]
TAGS = [
    "div", "p", "span", "a", "table", "tr", "td", "th", "tbody", "thead", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "article", "section", "header", "footer", "nav", "aside", "main", "figure",
    "figcaption", "img", "br", "hr", "font", "b", "strong", "em", "i", "label", "small", "center", "blockquote",
    "pre", "form", "input", "button", "select", "option", "textarea", "iframe", "noscript", "template", "svg",
    "math", "time", "meta", "link", "title", "body", "html", "head", "caption", "frameset", "object", "embed",
    "xmp", "x-custom", "o:p", "script", "style", "address", "colgroup", "col", "sup", "q", "u", "image", "g",
]
ATTR_NAMES = [
    "class", "id", "href", "src", "title", "content", "property", "name", "datetime", "style", "onclick", "data-id",
    "data-idx", "alt", "charset", "http-equiv", "itemprop", "colspan", "rowspan", "type", "value", "lang", "dir",
    "data-src", "action", "rel",
]
CLASSES = [
    "article", "view", "content", "news", "title", "date", "byline", "writer", "reporter", "caption", "photo",
    "board_view", "view_con", "tit", "subject", "info", "copyright", "related", "notice", "paging", "bbs_list",
    "file", "attach", "down", "ico-notice", "cont", "txt", "art_body", "article-body", "headline", "subtitle",
    "summary", "gnb", "footer", "wrap", "bd-view", "view_title", "view_info", "reg_date", "date_info", "c_tit",
    "c_exp", "table_list", "align_left", "first-child", "og:title", "article:published_time",
    "article view content date byline", "view_cont article_body", "media_end_summary", "lead", "deck",
]
HREFS = [
    "/view.do?nttId=1", "view.do?nttId=99999999999999999999999", "javascript:fn_view('123')",
    "javascript:goView(1,2,'x')", "javascript:fn_egov_inqire_notice('1', '2');", "?idx=5&mode=view", "#", "",
    "mailto:a@b", "http://[::1", "http://%zz/", "//evil.example/x?idx=1", "http://[::1]:99999/view?idx=1",
    "https://example.kr/news/articleView.html?idxno=123", "data:text/html,x", "/down.do?file=a.hwp",
    "/file/download?fileId=&#x0;", "http://\u0000/", "../../etc/passwd", "javascript:", "?page=2", "?page=-1",
    "?page=99999999999999999999", "https://www.gangjin.go.kr/www/government/news/press?idx=647621&mode=view",
    "/show/138492", "/boardView.do?boardId=BD_1&seq=%00", "http://ex ample.kr/view?idx=1", "\\\\host\\share",
    "https://xn--/view?idx=1", "https://例子.测试/view?idx=1", "https://a.kr/view?idx=1&idx=2&idx=",
    "http://user:pass@[fe80::1%25eth0]/view?nttId=1", "https://a.kr:0/read?no=1", "https://a.kr/%ED%95%9C?idx=1",
]
CHARSET_LABELS = [
    "utf-8", "UTF8", "euc-kr", "EUC_KR", "ks_c_5601-1987", "cp949", "x-windows-949", "utf-16", "utf-16le",
    "iso-8859-1", "windows-1252", "shift_jis", "gb2312", "", "bogus", "utf-8\x00", "unicode-1-1-utf-8",
    "x-user-defined",
    "iso-2022-kr", "johab", "utf-7", "mac-roman", "koi8-r", "\"utf-8\"", "'euc-kr'", "utf-32", "hz-gb-2312",
    "replacement", "x-mac-korean", "big5",
]
CODECS = ["utf-8", "cp949", "euc-kr", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "utf-8-sig", "iso2022_kr",
          "johab", "utf-32", "shift_jis"]
BYTE_NOISE = [
    b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xb0", b"\xc7\xd1", b"\xb1\xdb", b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80", b"\xff", b"\xe0\x80", b"\x1b$)C", b"\x0e", b"\x0f", b"\xa4\xa1",
    b"\x89PNG\r\n\x1a\n", b"%PDF-1.4", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x00\x00\xfe\xff", b"\r", b"\x1a",
]
JSON_KEYS = [
    "type", "content", "content_elements", "headlines", "basic", "caption", "credits", "by", "name",
    "additional_properties", "original", "byline", "first_publish_date", "display_date", "publish_date",
    "last_updated_date", "subheadlines", "props", "pageProps", "@type", "@context", "@graph", "headline",
    "datePublished", "dateModified", "author", "articleBody", "publisher", "image", "description", "url",
    "mainEntityOfPage", "deployDt", "reDeployDt", "regDate", "updatedAt", "text", "image", "caption", "html",
]
URLS = [
    None, "https://example.kr/news/articleView.html?idxno=1", "https://www.chosun.com/national/2024/03/05/ABC/",
    "https://www.hankookilbo.com/News/Read/A2024030514220001", "https://news.mtn.co.kr/news-detail/2024030514",
    "https://www.entermedia.co.kr/news/articleView.html?idxno=1",
    "https://www.gangjin.go.kr/www/government/news/press?idx=647621&mode=view",
    "https://www.gwangju.go.kr/boardView.do?boardId=BD_0000000022&seq=1", "https://news.naver.com/main/read.nhn?aid=1",
    "https://www.donga.com/news/article/all/20240305/1", "https://www.korea.kr/briefing/pressReleaseView.do?newsId=1",
    "http://[::1]/", "not a url", "https://example.kr:99999/", "https://ex ample.kr/", "file:///etc/passwd",
    "https://xn--/", "http://%zz/", "https://news.zum.com/articles/1", "https://www.mk.co.kr/news/1",
    "https://www.gb.go.kr/Main/page.do?mnu_uid=6792&BD_CODE=bbs_bodo&cmd=2&B_NUM=1&B_STEP=1",
]
CONTENT_TYPES = [
    None, "text/html", "text/html; charset=euc-kr", "text/html; charset=utf-8", 'text/html; charset="bogus"',
    "application/octet-stream", "text/plain", "text/html; charset=", "image/png", "text/html;charset=x-windows-949",
    "text/html; charset=utf-16", "application/xhtml+xml; charset=ks_c_5601-1987", "text/html; charset=utf-8\x00",
    ";;;", "text/html; charset=\u00ff", "application/pdf",
]
NOWS = [None, "2024-03-05T14:00:00+09:00", "2000-01-01T00:00:00+09:00", "0001-01-02T00:00:00+09:00",
        "9999-12-30T23:59:59+09:00", "2024-03-05", "not a time"]

# ---------------------------------------------------------------------------------------------- strings

odd_text = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from([c for c in ODD_CHARS if len(c) == 1]),
                       st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)),
    max_size=40,
)
"""Short text: any character, with NUL, BOMs, zero-width and other odd characters, and Hangul."""
surrogate_text = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3)
"""Lone surrogates: a Python ``str`` can hold them (``json.loads('"\\ud800"')``), UTF-8 cannot."""


@st.composite
def date_like(draw: st.DrawFn) -> str:
    """A date-ish string: a sample, or pieces of dates glued with odd separators and out-of-range numbers."""
    if draw(st.booleans()):
        return draw(st.sampled_from(DATES))
    number = st.one_of(st.integers(0, 99).map(str), st.integers(0, 10**12).map(str), st.sampled_from(["", "0", "00"]))
    sep = st.sampled_from([".", "-", "/", " ", ". ", "년 ", "월 ", "일 ", ":", "시 ", "분 ", "초", "T", "+", "Z", "전"])
    label = st.sampled_from(["", "입력 ", "수정 ", "등록 ", "승인 ", "최종수정 ", "작성일 : ", "기사입력 :[ ",
                             "업데이트 "])
    ampm = st.sampled_from(["", "오전 ", "오후 ", "AM ", "pm "])
    parts = draw(st.lists(st.tuples(number, sep), min_size=1, max_size=7))
    year = draw(st.sampled_from(["19", "20", ""])) + draw(st.integers(0, 99)).__format__("02d")
    unit = draw(st.sampled_from(["", "", " 3시간 전", " 어제", " 999999일 전", "99999999999999분 전", " 방금"]))
    return draw(label) + year + draw(ampm) + "".join(n + s for n, s in parts) + unit


@st.composite
def byline_like(draw: st.DrawFn) -> str:
    """A byline-ish string: a sample, or names, role words, outlets and punctuation glued together."""
    if draw(st.booleans()):
        return draw(st.sampled_from(BYLINES))
    piece = st.one_of(
        st.text("가나다라마바사아자차카타파하김이박최정홍길동철수남궁황보제갈", min_size=1, max_size=6),
        st.sampled_from([" ", "·", "ㆍ", ",", "/", "=", "(", ")", "[", "]", "기자", "특파원", "연합뉴스", "a@b.kr",
                         "By ", " and ", "Kim", "Seo-yun", "선임기자", "통신원", "ⓒ", "=연합뉴스", "\n", "\x00"]),
        odd_text,
    )
    return "".join(draw(st.lists(piece, max_size=12)))


any_text = st.one_of(odd_text, date_like(), byline_like(), st.sampled_from(SENTENCES + ENTITIES),
                     st.lists(st.sampled_from(SENTENCES + DATES + BYLINES + ENTITIES + ODD_CHARS), max_size=12)
                     .map("".join))
"""Text for the normalizers: odd characters, dates, bylines, entities, sentences."""

# ---------------------------------------------------------------------------------------------- JSON

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True), any_text,
              st.sampled_from(SENTENCES + DATES)),
    lambda kids: st.one_of(st.lists(kids, max_size=4),
                           st.dictionaries(st.one_of(st.sampled_from(JSON_KEYS), odd_text), kids, max_size=5)),
    max_leaves=25,
)


@st.composite
def json_text(draw: st.DrawFn) -> str:
    """JSON text of an app state: valid, deeply nested, cut off, or with lone surrogates."""
    kind = draw(st.sampled_from(["valid", "valid", "deep", "cut", "surrogate", "story"]))
    if kind == "deep":
        depth = draw(st.integers(10, 30000))
        opener = draw(st.sampled_from(["[", '{"a":', '{"content_elements":[']))
        return opener * depth
    if kind == "story":
        value: Any = {"type": "story", "headlines": {"basic": draw(any_text)},
                      "content_elements": draw(st.one_of(json_values, st.lists(st.fixed_dictionaries(
                          {"type": st.sampled_from(["text", "image", "raw_html"]),
                           "content": st.one_of(json_values, st.sampled_from(SENTENCES).map(lambda s: s * 20)),
                           "caption": json_values})))),
                      "credits": {"by": draw(json_values)}, "first_publish_date": draw(json_values)}
    else:
        value = draw(json_values)
    text = json.dumps(value, ensure_ascii=draw(st.booleans()), allow_nan=True)
    if kind == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    if kind == "surrogate":
        text = text.replace('"', '"\\ud800', 1)
    return text


@st.composite
def app_state(draw: st.DrawFn) -> str:
    """An inline script carrying app state: Arc Fusion, Next.js flight chunks, __NEXT_DATA__, JSON-LD."""
    payload = draw(json_text())
    kind = draw(st.sampled_from(["fusion", "flight", "next", "ldjson"]))
    if kind == "fusion":
        return f"<script>Fusion.globalContent={payload};Fusion.x=1;</script>"
    if kind == "flight":
        ref = draw(st.sampled_from(["1f", "0", "zz", "12345678"]))
        size = draw(st.sampled_from(["0", "9", "ffffffff", "1a", "100"]))
        body = draw(st.one_of(st.sampled_from(SENTENCES).map(lambda s: "<p>" + s * 8 + "</p>"), any_text))
        chunk = json.dumps(f"{ref}:T{size},{body}")
        if draw(st.booleans()):
            chunk = chunk[:-1] + draw(st.sampled_from(["\\ud800", "\\udfff\\ud800", "\\u0000", "\\", ""])) + '"'
        return f"<script>self.__next_f.push([1, {chunk}])</script>"
    if kind == "next":
        return f'<script id="__NEXT_DATA__" type="application/json">{payload}</script>'
    return f'<script type="application/ld+json">{payload}</script>'


# ---------------------------------------------------------------------------------------------- HTML


def _attr_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(CLASSES), st.sampled_from(HREFS), st.sampled_from(DATES), odd_text, st.sampled_from(ENTITIES),
        st.integers(1000, 60000).map(lambda n: "x" * n),  # a huge attribute
        st.sampled_from(['"', "'", "<", ">", "\"'><script>", "=", "`"]),
    )


attribute = st.tuples(st.sampled_from(ATTR_NAMES), _attr_value(), st.sampled_from(['"', "'", ""]))


def _render_attrs(attrs: list[tuple[str, str, str]]) -> str:
    return "".join(f" {name}={quote}{value}{quote}" for name, value, quote in attrs)


leaf = st.one_of(
    st.sampled_from(SENTENCES), date_like(), byline_like(), st.sampled_from(ENTITIES), odd_text,
    st.sampled_from(ODD_CHARS),
    st.sampled_from(["<!--", "-->", "<!-- 주석 -->", "<![CDATA[", "]]>", "<", ">", "</", "<?xml ?>", "<!doctype html>",
                     "<script>", "</script>", "<style>p{color:red}</style>", "<script>document.write('<p>');</script>",
                     "<br>", "<br/>", "</br>", "<p>", "</p>", "</div>", "</table>", "</td></tr>", "<plaintext>",
                     "<textarea>", "<title>", "<noscript>", "<svg>", "<math>", "<img src=x onerror=alert(1)>",
                     "<script>alert('</scr'+'ipt>')</script>", "<style>/*</style>*/</style>", "<meta charset=euc-kr>",
                     "<meta http-equiv=Content-Type content='text/html; charset=euc-kr'>", "<base href='http://[::1'>",
                     "<base href='javascript:alert(1)'>", "<frameset><frame src=x></frameset>"]),
    app_state(),
)


@st.composite
def _element(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = _render_attrs(draw(st.lists(attribute, max_size=4)))
    inner = "".join(draw(st.lists(children, max_size=5)))
    ending = draw(st.sampled_from(["close", "close", "open", "mismatch", "selfclose"]))
    if ending == "close":
        return f"<{tag}{attrs}>{inner}</{tag}>"
    if ending == "mismatch":
        return f"<{tag}{attrs}>{inner}</{draw(st.sampled_from(TAGS))}>"
    if ending == "selfclose":
        return f"<{tag}{attrs}/>{inner}"
    return f"<{tag}{attrs}>{inner}"


fragment = st.recursive(leaf, lambda kids: _element(kids), max_leaves=30)


@st.composite
def amplified(draw: st.DrawFn) -> str:
    """A fragment made big: deep nesting of one tag, a repeated fragment, a giant text node, a tag with many
    attributes, a table of many cells."""
    kind = draw(st.sampled_from(["deep", "repeat", "giant", "attrs", "table"]))
    if kind == "deep":
        tag = draw(st.sampled_from(TAGS))
        attrs = _render_attrs(draw(st.lists(attribute.filter(lambda a: len(a[1]) < 100), max_size=2)))
        depth = draw(st.integers(50, 5000))
        return f"<{tag}{attrs}>" * depth + draw(fragment) + draw(st.sampled_from(["", f"</{tag}>" * depth]))
    if kind == "repeat":
        piece = draw(fragment)
        return piece * draw(st.integers(2, max(2, 40000 // max(1, len(piece)))))
    if kind == "giant":  # a text node of up to 100,000 characters (one sentence, or one word, repeated)
        piece = draw(st.sampled_from([*SENTENCES, *DATES, *ODD_CHARS, "x", "가"]))
        return piece * (draw(st.integers(1000, 100_000)) // len(piece))
    if kind == "attrs":
        return "<div" + " a=1" * draw(st.integers(100, 20000)) + ">" + draw(fragment) + "</div>"
    cells = draw(st.lists(fragment, min_size=1, max_size=6))
    rows = draw(st.integers(1, 300))
    cell = draw(st.sampled_from(["<td>", "<th>", "<td colspan=99999>", "<td rowspan=-1>", ""]))
    return "<table>" + ("<tr>" + "".join(cell + c for c in cells)) * rows + draw(st.sampled_from(["</table>", ""]))


@st.composite
def html_document(draw: st.DrawFn) -> str:
    """A whole page: optional doctype and meta charset (any label), head, and a body of hostile fragments."""
    head = draw(st.sampled_from(["", "<!DOCTYPE html>", "<?xml version='1.0' encoding='euc-kr'?>", "\ufeff",
                                 "<!doctype html><html lang=ko>"]))
    shapes = ["<meta charset={}>", '<meta charset="{}">',
              '<meta http-equiv=Content-Type content="text/html; charset={}">']
    labels = draw(st.lists(st.tuples(st.sampled_from(shapes), st.sampled_from(CHARSET_LABELS)), max_size=3))
    metas = "".join(shape.format(label) for shape, label in labels)
    title = draw(st.one_of(st.sampled_from(SENTENCES), any_text))
    extra_heads = [
        f'<meta property="og:title" content="{title}">',
        f'<meta property="article:published_time" content="{draw(date_like())}">',
        f'<meta name="author" content="{draw(byline_like())}">',
        f'<link rel="canonical" href="{draw(st.sampled_from(HREFS))}">',
    ]
    metas += "".join(draw(st.lists(st.sampled_from(extra_heads), max_size=3)))
    body = "".join(draw(st.lists(st.one_of(fragment, fragment, amplified()), max_size=6)))
    if draw(st.booleans()):  # something that looks like an article, so that the deeper stages run
        body += "<article><h1>" + title + "</h1>" + "".join(
            f"<p>{s}</p>" for s in draw(st.lists(st.sampled_from(SENTENCES), min_size=3, max_size=8))) + "</article>"
    return f"{head}<html><head>{metas}<title>{title}</title></head><body>{body}</body></html>"


@st.composite
def page_bytes(draw: st.DrawFn) -> bytes:
    """The bytes of a page: a document encoded in some codec (mixed codecs too), with byte noise spliced in,
    cut short, or raw bytes."""
    kind = draw(st.sampled_from(["encoded", "encoded", "mixed", "raw", "empty"]))
    if kind == "raw":
        return draw(st.binary(max_size=2000))
    if kind == "empty":
        return draw(st.sampled_from([b"", b" ", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00" * 10, b"<", b"<html>",
                                     b"\n\n\n", b"<!-- -->"]))
    if kind == "mixed":  # EUC-KR/CP949 fragments inside a UTF-8 page (or the reverse)
        pieces = draw(st.lists(st.tuples(st.one_of(fragment, st.sampled_from(SENTENCES)), st.sampled_from(CODECS)),
                               min_size=1, max_size=8))
        data = b"".join(text.encode(codec, errors="replace") for text, codec in pieces)
    else:
        text = draw(html_document())
        codec = draw(st.sampled_from(CODECS))
        data = text.encode(codec, errors=draw(st.sampled_from(["replace", "ignore", "xmlcharrefreplace"])))
    for position, noise in draw(st.lists(st.tuples(st.integers(0, max(0, len(data))), st.sampled_from(BYTE_NOISE)),
                                         max_size=4)):
        data = data[:position] + noise + data[position:]
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]  # cut mid-character, mid-tag
    return data


@st.composite
def listing_html(draw: st.DrawFn) -> str:
    """A list page: rows of item links (ids in every shape) among hostile fragments, and a pager."""
    row = st.builds(
        lambda tag, href, title, date, pinned, extra: (
            f"<{tag}{' class=notice' if pinned else ''}><a href=\"{href}\" title=\"{title}\">{title}</a>"
            f"<span class=date>{date}</span>{extra}</{tag}>"),
        st.sampled_from(["li", "tr", "div", "p", "td"]), st.sampled_from(HREFS), st.one_of(st.sampled_from(SENTENCES),
                                                                                           odd_text),
        date_like(), st.booleans(), st.one_of(st.just(""), fragment),
    )
    rows = "".join(draw(st.lists(row, max_size=25)))
    wrapper = draw(st.sampled_from(["<ul id=news>{}</ul>", "<table class=table_list><tbody>{}</tbody></table>",
                                    "<div class=bbs_list>{}", "{}", "<ul id=news>" * 500 + "{}"]))
    pager_links = ["<a href='?page=2'>2</a>", "<strong>1</strong>", "<a href='?page=99999999999999999999'>끝</a>",
                   "<a href='?page=-3'>", "<a href='?page=0x10'>", "<a onclick=\"goPage(3)\">3</a>",
                   "<a href=\"javascript:fn_link_page(4);\">4</a>", "<button>5</button>"]
    pager = "".join(draw(st.lists(st.sampled_from(pager_links), max_size=6)))
    extra = "".join(draw(st.lists(st.one_of(fragment, amplified()), max_size=3)))
    return f"<html><body>{extra}{wrapper.format(rows)}<div class=paging>{pager}</div></body></html>"


# ---------------------------------------------------------------------------------------------- checks


def writable(record: Record) -> str:
    """The record as its JSONL line (what the CLI and the crawl write): must be valid UTF-8 JSON."""
    line = dumps(record.model_dump(mode="json"))
    line.encode("utf-8")  # a lone surrogate in any field raises here
    json.loads(line)
    return line


STALL_S = 30.0
"""CPU seconds one fuzz input may take: the inputs are at most a few hundred KB, which a linear reader handles in
about a second; far more means a quadratic path (a regex that backtracks, a walk per nested node)."""


class Stall(AssertionError):
    """An input that took more than :data:`STALL_S` seconds."""


@contextmanager
def no_stall(what: str) -> Iterator[None]:
    started = time.process_time()  # CPU time: a loaded machine (a full suite beside other jobs) is no stall
    yield
    elapsed = time.process_time() - started
    if elapsed > STALL_S:
        raise Stall(f"{what} took {elapsed:.1f} s of CPU (over {STALL_S:g} s): a superlinear path")


def check_page(data: bytes, url: str | None = None, content_type: str | None = None, now: str | None = None,
               generic: bool = False) -> None:
    """``extract_page`` gives a writable record or raises a ``ScraperError``, in time; anything else propagates."""
    with no_stall(f"extract_page on {len(data):,} bytes"):
        try:
            record = extract_page(data, url=url, content_type=content_type, now=now,
                                  profiles=() if generic else None)
        except ScraperError:
            return
    writable(record)


_SOURCES = load_sources()


def board_sources() -> list[Any]:
    """The bundled board sources, and ``None`` (generic discovery)."""
    return [None, *_SOURCES.values()]


def check_listing(html: str, url: str | None, source: Any = None) -> None:
    """``parse_listing`` gives items with ids and a JSON-writable result, or raises a ``ScraperError``."""
    with no_stall(f"parse_listing on {len(html):,} characters"):
        try:
            listing = parse_listing(html, url, source)
        except ScraperError:
            return
    line = json.dumps(listing.model_dump(mode="json"), ensure_ascii=False)
    line.encode("utf-8")
    assert all(item.id for item in listing.items)
