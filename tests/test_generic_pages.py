"""Hand-written pages in styles the real corpus does not cover (generic path, no site profile).

Pages live in fixtures/generic/ or inline; every assertion is an exact value.
"""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser
from support import FIXTURES

from scraper.extract.discovery import discover_items
from scraper.models import Image, Record
from scraper.normalize.dates import parse_kst
from scraper.pipeline import extract_page

NOW = "2024-03-05T14:00:00+09:00"
URL = "https://news.example.kr/news/view.php?no=1"


def _page(name: str, url: str = URL) -> Record:
    record = extract_page((FIXTURES / "generic" / name).read_bytes(), url=url, now=NOW)
    assert isinstance(record, Record)
    return record


def _inline(html: str, url: str = URL) -> Record:
    record = extract_page(html.encode(), url=url, now=NOW)
    assert isinstance(record, Record)
    return record


HEAD = "<html><body><h1>새솔군 하천 정비 착수</h1>"
BODY = "<p>새솔군은 5일 하천 정비 사업에 착수한다고 밝혔다. 사업비는 모두 12억 원이며 올해 말 끝난다.</p>"


def test_11_time_datetime_and_vcard_author() -> None:
    record = _page("wordpress-time-author.html")
    assert (record.published, record.modified) == ("2024-04-02T15:15:00+09:00", "2024-04-03T09:00:00+09:00")
    assert record.authors == ["김산골"]  # not 남다른 from the related-posts box
    assert record.body == [
        "산골마을에서 지난 주말 봄 축제가 열려 주민과 관광객 3천여 명이 찾았다고 마을회는 2일 밝혔다.",
        "축제에서는 지역 농산물 장터와 전통 공연, 어린이 체험 행사가 함께 진행됐다.",
    ]


@pytest.mark.parametrize(("meta", "authors"), [
    ('<span class="writer">정한결 기자</span>', ["정한결"]),
    ('<div class="byline">이속보 기자</div>', ["이속보"]),
    ('<a rel="author" href="/a/1">김산골</a>', ["김산골"]),
    ('<p class="reporter">박기자 기자 park@example.kr</p>', ["박기자"]),
])
def test_11_byline_nodes(meta: str, authors: list[str]) -> None:
    record = _inline(f"{HEAD}{meta}<div class='article-body'>{BODY}</div></body></html>")
    assert record.authors == authors


@pytest.mark.parametrize(("shown", "published"), [
    ('<div class="date">2024.03.05 14:00</div>', "2024-03-05T14:00:00+09:00"),
    ('<span class="date">2024-03-05 14:00:00</span>', "2024-03-05T14:00:00+09:00"),
    ('<p class="article-date">2024년 3월 5일 오후 2시 30분</p>', "2024-03-05T14:30:00+09:00"),
    ('<div class="info">3시간 전</div>', "2024-03-05T11:00:00+09:00"),
    ('<span class="news-date">2시간전</span>', "2024-03-05T12:00:00+09:00"),
    ('<time>2024.03.04 09:10</time>', "2024-03-04T09:10:00+09:00"),
    ('<p class="meta"><span>등록 : 어제 10:30</span></p>', "2024-03-04T10:30:00+09:00"),
])
def test_12_unlabelled_dates_in_date_boxes(shown: str, published: str) -> None:
    prev = '<ul class="prev_next"><li>이전글 <span class="date">2024.01.01 09:00</span></li></ul>'
    html = f"{HEAD}{prev}{shown}<div class='article-body'>{BODY}</div></body></html>"
    assert _inline(html).published == published


def test_12_relative_forms() -> None:
    assert parse_kst("2시간전", now=NOW) == "2024-03-05T12:00:00+09:00"
    assert parse_kst("어제 10:30", now=NOW) == "2024-03-04T10:30:00+09:00"
    assert parse_kst("어제 오후 2:05", now=NOW) == "2024-03-04T14:05:00+09:00"


def test_13_board_id_parameters() -> None:
    rows = "".join(
        f"<tr><td><a href='{href}'>새솔군 소식 {n}번째 글입니다</a></td><td>2024-03-0{n}</td></tr>"
        for n, href in enumerate([
            "/bbs/board.php?bo_table=news&wr_id=71", "/index.php?mid=press&document_srl=9002",
            "/board/list.php?id=55", "/board/list.php?no=56", "/bbs/read.do?articleNo=57",
            "/bbs/detail.do?article_no=58", "/bbs/bbsView.do?bbsIdx=59", "/bbs/boardView.do?boardSeq=60",
            "/blog/post.do?postId=61", "/board/list.php?num=62",
        ], start=1)
    )
    html = f"<html><body><a href='/board/list.php?id=3'>회사 소개 페이지</a><table>{rows}</table></body></html>"
    items = discover_items(LexborHTMLParser(html), "https://www.example.kr/board/list.php")
    assert [i.id for i in items] == ["71", "9002", "55", "56", "57", "58", "59", "60", "61", "62"]


def test_14_release_table_header() -> None:
    record = _page("release-table-header.html", url="https://www.nongbu.go.kr/board/view.do?nttId=7")
    assert record.title == "농부군, 귀농인 정착 지원금 확대"
    assert record.department == "농업정책과"
    assert record.contact is not None
    assert record.contact.model_dump() == {"name": "이농부", "phone": "061-123-4567", "email": None}
    assert record.body == [
        "농부군은 올해부터 귀농인 정착 지원금을 가구당 최대 1천만 원으로 늘린다고 10일 밝혔다.",
        "지원 대상은 최근 5년 안에 군으로 전입한 귀농 가구다.",
    ]


def test_14_writer_department_is_no_contact() -> None:
    html = (
        "<html><head><title>보도자료 상세보기</title></head><body><div class='board_view'>"
        "<h3 class='subject'>농부군, 가을 축제 일정 확정</h3>"
        "<dl><dt>작성자</dt><dd>기획감사실</dd><dt>보도일시</dt><dd>2024.09.01</dd></dl>"
        f"<div class='view_cont'>{BODY}</div></div></body></html>"
    )
    record = _inline(html, url="https://www.nongbu.go.kr/board/view.do?nttId=8")
    assert (record.department, record.contact) == ("기획감사실", None)


def test_15_chrome_in_old_table_layout() -> None:
    record = _page("old-table-layout.html")
    assert record.body == [
        "새솔항의 올해 상반기 어획량이 지난해보다 20% 늘었다고 수협이 1일 밝혔다.",
        "수협은 수온 변화로 오징어 어군이 몰린 덕분이라고 설명했다.",
    ]
    assert record.published == "2024-06-01T10:00:00+09:00"
    assert record.authors == ["이바다", "홍길동"]


@pytest.mark.parametrize("line", ["글·사진 홍길동", "글 홍길동", "사진·글=홍길동"])
def test_15_writer_photographer_byline(line: str) -> None:
    record = _inline(f"{HEAD}<div class='article-body'>{BODY}<p>{line}</p></div></body></html>")
    assert (record.authors, len(record.body)) == (["홍길동"], 1)


def test_15_fallback_first_paragraph_date_line() -> None:
    html = (
        "<html><head><title>짧은 글</title></head><body><div><p>입력 2024.02.03 10:00</p>"
        "<p>새솔군 의회는 3일 임시회를 열어 조례 개정안 5건을 처리했다. 의회는 다음 달 정례회를 연다.</p>"
        "<p>[사진=연합뉴스]</p></div></body></html>"
    )
    record = _inline(html)
    assert record.body == ["새솔군 의회는 3일 임시회를 열어 조례 개정안 5건을 처리했다. 의회는 다음 달 정례회를 연다."]
    assert record.published == "2024-02-03T10:00:00+09:00"
    assert (record.images, record.photo_credit, record.source_credit) == ([], "사진=연합뉴스", None)


def test_17_captions_outside_figure() -> None:
    record = _page("loose-captions.html", url="https://news.example.kr/news/view.php?no=17")
    assert record.images == [
        Image(url="https://news.example.kr/img/a.jpg", caption="새솔공원에 튤립이 활짝 핀 모습"),
        Image(url="https://news.example.kr/news/img/b.jpg", caption="야간 조명이 켜진 튤립 정원 [사진=연합뉴스]"),
        Image(url="https://cdn.example.kr/c.jpg", caption="꽃길을 걷는 시민들"),
    ]
    assert record.body == [
        "새솔공원에 튤립 30만 송이가 활짝 피어 상춘객을 맞고 있다. 공원은 이달 말까지 야간 개장한다.",
        "공원 관리사무소는 주차 공간이 부족하니 대중교통을 이용해 달라고 당부했다.",
    ]


def test_18_photo_gallery() -> None:
    record = _page("photo-gallery.html", url="https://news.example.kr/photo/view.php?no=5")
    captions = ["개막 불꽃이 터지는 모습", "해변을 가득 메운 관람객", "피날레 불꽃"]
    assert record.images == [
        Image(url=f"https://news.example.kr/photo/{n}.jpg", caption=c) for n, c in enumerate(captions, start=1)
    ]
    assert (record.body, record.published, record.authors) == (captions, "2024-07-20T21:00:00+09:00", ["김사진"])


def test_19_english_page_with_two_articles() -> None:
    record = _page("english-two-articles.html", url="https://news.example.com/story/1")
    assert (record.title, record.language) == ("City council approves 2025 budget", "en")
    assert record.authors == ["John Smith"]
    assert record.body == [
        "The city council approved the 2025 budget on Tuesday after a long debate about road repairs and parks.",
        "The budget includes new funding for public libraries and a bike lane program across downtown.",
    ]
    assert record.warnings == ["multiple_articles", "no_published_date"]


def test_19_korean_page_language() -> None:
    record = _inline(f"<html><body><h1>새솔군 AI 행정 도입</h1><div class='article-body'>{BODY}</div></body></html>")
    assert record.language == "ko"


# --- kinds of field failures the generic path must get right (issue: generic path) ------------------------

GOV_URL = "https://www.saesol.go.kr/board/view.do?nttId=1"


def test_data_table_in_a_release_body_is_kept_as_rows() -> None:
    record = _page("release-data-table.html", url=GOV_URL)
    assert (record.title, record.published, record.department) == (
        "새솔군, 1분기 투자유치 실적 발표", "2024-04-02", "투자유치과",
    )
    assert record.body == [
        "새솔군은 올해 1분기 투자유치 실적이 지난해 같은 기간보다 크게 늘었다고 2일 밝혔다.",
        "구분\t1분기\t전년 동기",
        "투자 협약\t12건\t7건",
        "투자 금액\t1,520억 원\t830억 원",
        "고용 계획\t640명",
        "군은 하반기에도 산업단지 분양과 기업 상담을 이어갈 계획이다.",
    ]


def test_layout_table_is_not_read_as_rows() -> None:
    cell = "새솔군은 올해 하천 정비 사업을 시작한다고 밝혔다. " * 6
    html = (f"<html><body><h1>새솔군 하천 정비 착수</h1><table><tr><td>메뉴</td><td>{cell}</td></tr>"
            f"<tr><td>하단</td><td>{cell}</td></tr></table></body></html>")
    assert all("\t" not in p for p in _inline(html).body)


def test_reader_comments_are_not_body() -> None:
    record = _page("news-with-comments.html")
    assert record.body == [
        "새솔천 벚꽃길이 이번 주말 차량을 막고 보행자에게 개방된다. "
        "군은 토요일과 일요일 이틀 동안 교통을 통제한다고 밝혔다.",
        "개방 구간은 새솔교에서 하류 둔치까지 2.4㎞이며 임시 주차장과 셔틀버스가 운영된다.",
    ]
    assert (record.published, record.authors) == ("2024-04-05T09:10:00+09:00", ["한빛나"])


def test_deleted_post_served_with_200_is_no_content() -> None:
    from scraper.errors import ExtractionError

    with pytest.raises(ExtractionError) as caught:
        extract_page((FIXTURES / "generic" / "deleted-post.html").read_bytes(), url=GOV_URL)
    assert caught.value.kind == "no_content"
    assert "삭제되었거나 존재하지 않는 게시물" in caught.value.message


def test_alert_in_a_click_handler_is_not_a_missing_post() -> None:
    html = ("<html><head><script>function del(){ if(confirm('삭제?')) "
            "alert('삭제되었거나 존재하지 않는 게시물입니다'); }</script></head><body><h1>새솔군 하천 정비 착수</h1>"
            "<p>새솔군은 5일 하천 정비 사업에 착수한다고 밝혔다.</p><p>사업비는 12억 원이다.</p></body></html>")
    assert _inline(html, url=GOV_URL).body[0] == "새솔군은 5일 하천 정비 사업에 착수한다고 밝혔다."


def test_headline_agreement_quotes_brackets_and_breadcrumb_titles() -> None:
    # the visible headline wins over og:title's re-typed quotes; a breadcrumb <title> does not count
    html = ("<html><head><title>알림마당>새솔뉴스>보도자료</title>"
            "<meta property='og:title' content='“새솔 ‘첫눈’ 온다”'></head><body>"
            "<div class='gnb'><h2 class='tit'>만족도 조사</h2></div><div class='view'>"
            "<p class='view_title'>\"새솔 '첫눈' 온다\"</p><div class='info'>등록일 : 2024.03.05</div>"
            f"<div class='view_cont'>{BODY}</div></div></body></html>")
    record = _inline(html)
    assert (record.title, record.published) == ("\"새솔 '첫눈' 온다\"", "2024-03-05")


def test_header_dates_labels_decide_and_lone_date_is_published() -> None:
    labelled = (f"<html><body><h1>새솔군 하천 정비 착수</h1><p>업데이트 2024.03.05 17:18 입력 2024.03.05 16:43</p>"
                f"<div class='article-body'>{BODY}</div></body></html>")
    record = _inline(labelled)
    assert (record.published, record.modified) == ("2024-03-05T16:43:00+09:00", "2024-03-05T17:18:00+09:00")
    lone = (f"<html><body><h1>새솔군 하천 정비 착수</h1><div class='info'><span>2021.08.20</span></div>"
            f"{BODY}</body></html>")
    record = _inline(lone)
    assert (record.published, record.modified) == ("2021-08-20", None)


def test_meta_date_wins_only_when_it_agrees_with_the_shown_one() -> None:
    page = ("<html><head><meta property='article:published_time' content='{meta}'></head><body>"
            "<h1>새솔군 하천 정비 착수</h1><div class='info'>입력 2024.03.05 14:50</div>"
            f"<div class='article-body'>{BODY}</div></body></html>")
    assert _inline(page.format(meta="2024-03-05T14:49:12+09:00")).published == "2024-03-05T14:49:12+09:00"
    assert _inline(page.format(meta="2019-01-01T09:00:00+09:00")).published == "2024-03-05T14:50:00+09:00"


def test_client_rendered_next_flight_page_reads_its_state() -> None:
    article = "<p>" + "새솔군은 5일 하천 정비 사업에 착수한다고 밝혔다. " * 8 + "</p><p>사업비는 모두 12억 원이다.</p>"
    chunk = f"1f:T{len(article.encode()):x},{article}"
    import json as _json

    push = _json.dumps(chunk, ensure_ascii=False)
    dates = _json.dumps('0:{"publishedAt":"2024-03-05 14:00","updatedAt":"2024-03-06 09:00"}\n', ensure_ascii=False)
    html = (f"<html><head><title>새솔군 하천 정비 착수 | 새솔일보</title></head><body><div id='app'></div>"
            f"<script>self.__next_f.push([1,{dates}])</script><script>self.__next_f.push([1,{push}])</script>"
            "</body></html>")
    record = _inline(html)
    sentence = "새솔군은 5일 하천 정비 사업에 착수한다고 밝혔다."
    assert record.body == [" ".join([sentence] * 8), "사업비는 모두 12억 원이다."]
    assert (record.published, record.modified) == ("2024-03-05T14:00:00+09:00", "2024-03-06T09:00:00+09:00")
    assert record.extractor.endswith("+next-flight")


LONG_BODY = (
    "<p>한빛시는 올해 상반기 중 시내버스 노선 12개를 새로 개편한다고 5일 밝혔다. 이번 개편은 신도심 인구 증가에 따른 "
    "교통 수요를 반영한 것이다.</p><p>시는 지난해 말부터 시민 설문조사와 교통량 분석을 진행해 왔다.</p>"
)


@pytest.mark.parametrize(("head", "top", "title"), [
    # a logo <h1> that repeats the <title>'s site suffix is no headline; og:title (escaped twice) is
    ("<title>&amp;quot;노선 개편&amp;quot; 한빛시 발표 : 한빛일보</title>"
     "<meta property='og:title' content='&amp;quot;시민 불편 최소화&amp;quot; 한빛시, 버스 노선 개편'>",
     "<div class='header'><h1>한빛일보</h1></div>", '"시민 불편 최소화" 한빛시, 버스 노선 개편'),
    # a front-page link heading is the logo; the headline is only declared
    ("<title>정책브리핑</title><meta property='og:title' content='한빛구, 청년 월세 지원 신청 접수 | 정책브리핑'>",
     "<h1><a href='/'>정책브리핑</a></h1>", "한빛구, 청년 월세 지원 신청 접수"),
    # site name first in <title>, section after it; the title-classed heading wins over logo and section
    ("<title>한빛일보 - 사회</title>", "<h1 class='logo'>한빛일보</h1><h2 class='sec_tit'>사회</h2>"
     "<h3 class='tit'>한빛시 버스 노선 12개 개편, 배차 간격 10분으로 단축</h3>",
     "한빛시 버스 노선 12개 개편, 배차 간격 10분으로 단축"),
    # no class, no heading tag: the bold line right before the date line
    ("<title>뉴스 상세 - 한빛신문</title>",
     "<div><h1>한빛신문</h1></div><div><b>한빛시, 시내버스 노선 개편안 확정</b></div>"
     "<div>입력 : 2024.03.05 14:30</div>",
     "한빛시, 시내버스 노선 개편안 확정"),
])
def test_logo_section_and_site_names_are_no_headline(head: str, top: str, title: str) -> None:
    record = _inline(f"<html><head><meta charset='utf-8'>{head}</head><body>{top}<div>{LONG_BODY}</div></body></html>")
    assert record.title == title


def test_ads_share_bar_text_and_headingless_link_lists_are_not_body() -> None:
    html = (
        "<html><head><title>한빛시 버스 노선 개편 - 한빛일보</title></head><body>"
        "<h2 class='art_tit'>한빛시 버스 노선 개편</h2>"
        f"<div class='art_body'><p>기사공유 페이스북 트위터 카카오스토리 인쇄 글자크기 크게 작게</p>{LONG_BODY}"
        "<div class='ad'>광고</div><p>광고</p>"
        "<ul><li><a href='/news/view.php?no=31'>한빛시, 버스 요금 동결 결정 발표</a></li>"
        "<li><a href='/news/view.php?no=32'>한빛시 신도심 인구 30만 돌파했다</a></li></ul></div></body></html>"
    )
    assert _inline(html).body == [
        "한빛시는 올해 상반기 중 시내버스 노선 12개를 새로 개편한다고 5일 밝혔다. 이번 개편은 신도심 인구 증가에 따른 "
        "교통 수요를 반영한 것이다.",
        "시는 지난해 말부터 시민 설문조사와 교통량 분석을 진행해 왔다.",
    ]


def test_sidebar_dates_are_not_the_articles_and_lone_date_before_a_revision_is_published() -> None:
    aside = ("<div class='aside'><h3>많이 본 뉴스</h3><ul><li><a href='/v?no=9'>다른 기사 제목이 여기에</a>"
             "<span class='date'>수정 2024.02.02 11:00</span></li></ul></div>")
    plain = (f"<html><body><h2 class='art_tit'>한빛시 버스 노선 개편</h2><div class='art_body'>{LONG_BODY}</div>"
             f"{aside}</body></html>")
    record = _inline(plain)
    assert (record.published, record.modified) == (None, None)
    shown = "<p class='date'>2024.03.05 14:30 <em>(최종수정 2024.03.06 09:10)</em></p>"
    dated = plain.replace("<div class='art_body'>", shown + "<div class='art_body'>")
    record = _inline(dated)
    assert (record.published, record.modified) == ("2024-03-05T14:30:00+09:00", "2024-03-06T09:10:00+09:00")


def test_release_fields_in_inline_layouts_and_a_nameless_download_link() -> None:
    fields = ("<ul class='info'><li><span class='tit'>담당부서</span> 도시계획과</li>"
              "<li><span class='tit'>이메일</span><span>mjkim@example.go.kr</span></li></ul>"
              "<div>작성자 홍보담당관 | 담당자 김민지(02-120-3456) | 조회 55</div>")
    files = ("<div class='file'><a href='/cmm/fms/FileDown.do?atchFileId=FILE_001&amp;fileSn=0'>"
             "붙임자료 다운로드</a></div>")
    html = (f"<html><head><title>한빛구 공청회 개최 | 보도자료</title></head><body><h3 class='view_title'>"
            f"한빛구 공청회 개최</h3>{fields}<div class='view_cont'>{LONG_BODY}</div>{files}</body></html>")
    record = _inline(html, url=GOV_URL)
    assert record.department == "도시계획과"
    assert record.contact is not None
    assert (record.contact.name, record.contact.phone, record.contact.email) == (
        "김민지", "02-120-3456", "mjkim@example.go.kr",
    )
    assert [(a.name, a.url) for a in record.attachments] == [
        ("붙임자료", "https://www.saesol.go.kr/cmm/fms/FileDown.do?atchFileId=FILE_001&fileSn=0"),
    ]


def test_caption_line_after_an_image_block_is_that_images_caption() -> None:
    html = (f"<html><body><h2 class='art_tit'>한빛시 버스 노선 개편</h2><div class='art_body'>{LONG_BODY}"
            "<p><img src='/photo/a.jpg'></p><p>▲ 한빛시청 전경 (한빛시 제공)</p></div></body></html>")
    record = _inline(html)
    assert record.images == [Image(url="https://news.example.kr/photo/a.jpg", caption="한빛시청 전경 (한빛시 제공)")]
    assert all("한빛시청 전경" not in p for p in record.body)


def test_headline_list_after_a_copyright_tail_is_not_body() -> None:
    more = "".join(f"<p>{t}</p>" for t in (
        "Next Khashoggi? Disappearance of Saudi Princess Raises Questions About How Far Up This Goes",
        "All You Need to Know About the Challenges and Implications for Saudi Aramco's IPO",
    ))
    html = (f"<html><body><h1>한빛시 버스 노선 개편</h1><article>{LONG_BODY}<p>Copyright © 2019 한빛일보. All rights "
            f"reserved.</p><p>You may also like</p>{more}</article></body></html>")
    assert _inline(html).body[-1] == "시는 지난해 말부터 시민 설문조사와 교통량 분석을 진행해 왔다."


def test_a_copyright_box_chosen_as_container_is_no_article() -> None:
    from scraper.extract.body import is_chrome_block

    tree = LexborHTMLParser("<div class='copyright'><p>All rights reserved.</p></div>"
                            "<div class='view'><div class='share'>공유</div></div>")
    assert (is_chrome_block(tree.css_first("div.copyright")), is_chrome_block(tree.css_first("div.view"))) == (
        True, False,
    )


def test_deck_at_the_top_of_the_body_is_the_subtitle() -> None:
    html = ("<html><head><title>한빛시 버스 노선 개편 - 한빛일보</title></head><body>"
            "<h1 class='title'>한빛시 버스 노선 개편</h1><div itemprop='articleBody'>"
            "<h2 class='sub-tit'>노선 12개 새로 편성<br>배차 간격 10분으로</h2>"
            f"{LONG_BODY}</div></body></html>")
    record = _inline(html)
    assert record.subtitle == "노선 12개 새로 편성 / 배차 간격 10분으로"
    assert record.body[0].startswith("한빛시는 올해 상반기 중")


def test_wire_story_starts_at_its_dateline_after_deck_and_photo_lines() -> None:
    lines = ["작년 실업자 107만3천명으로 2000년 이래 최다", "취업 (CG)", "[연합뉴스TV 제공]",
             "(세종=연합뉴스) 이세원 이대희 기자 = 작년 12월 일자리 증가 폭이 3만4천명에 그쳤다.",
             "통계청이 9일 발표한 고용동향에 따르면 취업자는 2천682만2천명이었다."]
    html = ("<html><body><h2 class='art_tit'>작년 취업자 9만7천명 증가</h2><div class='article_body'>"
            + "".join(f"<p>{line}</p>" for line in lines) + "</div></body></html>")
    record = _inline(html)
    assert (record.subtitle, record.dateline, record.authors) == (
        "작년 실업자 107만3천명으로 2000년 이래 최다", "(세종=연합뉴스) 이세원 이대희 기자 =", ["이세원", "이대희"],
    )
    assert record.body == ["작년 12월 일자리 증가 폭이 3만4천명에 그쳤다.", lines[4]]


def test_rules_that_must_not_fire_on_article_text() -> None:
    # sentences before a wire dateline stay body; a lede in div.lead stays body; several <h2> are sections
    first = "정부의 지방교부세 감액 방침에 한빛시가 비상이 걸렸다."
    wire = ("<html><body><h2 class='art_tit'>교부세 감액 비상</h2><div class='article_body'>"
            f"<p>{first}</p><p>(세종=연합뉴스) 홍길동 기자 = 내년 지방교부세가 올해보다 3조원 줄어든다.</p>"
            "</div></body></html>")
    record = _inline(wire)
    assert (record.subtitle, record.body[0]) == (None, first)
    lede = "한빛시가 오는 7월 1일부터 시내버스 노선 86개 가운데 52개를 바꾸는 개편안을 확정했다고 7일 밝혔다."
    page = (f"<html><body><h1 class='title'>버스 노선 개편</h1><div itemprop='articleBody'>"
            f"<div class='lead'>{lede}</div>{LONG_BODY}</div></body></html>")
    record = _inline(page)
    assert (record.subtitle, record.body[0]) == (None, lede)
    sections = (f"<html><body><h1 class='title'>갯마을 기획</h1><div itemprop='articleBody'><h2>1. 잠기는 마을</h2>"
                f"{LONG_BODY}<h2>2. 보험은 왜 외면받나</h2>{LONG_BODY}</div></body></html>")
    assert _inline(sections).body[0] == "1. 잠기는 마을"


def test_a_sentence_quoting_the_copyright_phrase_does_not_end_the_article() -> None:
    quote = ("대부분의 언론사는 기사 끝에 '저작권자 © 무단 전재 및 재배포 금지'라는 문구를 달지만, "
             "지키는 이용자는 드물다.")
    last = "전문가들은 출처를 밝히고 일부만 인용하는 것은 공정 이용에 해당할 수 있다고 설명한다."
    html = (f"<html><body><h1 class='title'>무단 전재 소송</h1><div itemprop='articleBody'>{LONG_BODY}"
            f"<p>{quote}</p><p>{last}</p></div></body></html>")
    assert _inline(html).body[-2:] == [quote, last]


def test_a_releases_link_list_is_its_text() -> None:
    links = ("<ul><li><a href='https://www.k-startup.go.kr'>K-스타트업 창업지원포털</a></li>"
             "<li><a href='https://youth.hanbit.go.kr'>한빛구 청년포털 바로가기</a></li></ul>")
    html = (f"<html><body><h3 class='view_title'>청년 창업 지원</h3><div class='view_cont'>{LONG_BODY}"
            f"<p>□ 관련 누리집</p>{links}</div></body></html>")
    body = _inline(html, url=GOV_URL).body
    assert body[-3:] == ["□ 관련 누리집", "K-스타트업 창업지원포털", "한빛구 청년포털 바로가기"]


@pytest.mark.parametrize(("page", "reason"), [
    ("<html><head><title>사회 - 한빛일보</title></head><body><h2>사회</h2><ul>"
     + "".join(f"<li><a href='/news/view.php?no={n}'>한빛시 {n}번째 소식, 주민 반응 엇갈려</a></li>"
               for n in range(1, 11))
     + "</ul><p>한빛일보 | 등록번호 한빛 아00123 | 발행인 최영수</p></body></html>", "a list page"),
    ("<html><head><title>보도자료 &lt; 한빛구청</title></head><body><p>총 게시물 1,234건</p><table>"
     + "".join(f"<tr><td>{n}</td><td><a href='/board/view.do?nttId={n}'>한빛구 {n}번째 보도자료</a></td></tr>"
               for n in range(1, 4)) + "</table></body></html>", "a list page"),
    ("<html><head><title>로그인 - 한빛일보</title></head><body><form><input name='id'>"
     "<input type='password' name='pw'></form><p>회원가입을 하시면 다양한 서비스를 이용하실 수 있습니다.</p>"
     "</body></html>",
     "a login page"),
    ("<html><head><title>한빛일보</title><script>alert('해당 기사는 유료 회원만 열람할 수 있습니다.'); history.back();"
     "</script></head><body><p>해당 기사는 유료 회원만 열람할 수 있습니다.</p></body></html>", "leaves"),
])
def test_pages_that_are_no_article_are_no_content(page: str, reason: str) -> None:
    from scraper.errors import ExtractionError

    with pytest.raises(ExtractionError) as caught:
        extract_page(page.encode("utf-8"), url=URL)
    assert (caught.value.kind, reason in caught.value.message) == ("no_content", True)


@pytest.mark.parametrize("top", [
    # the headline and its date in one header block, a menu before it (no title class, breadcrumb <title>)
    "<div class='snb'><h2>지역</h2><ul><li><a href='/l?s=1'>한빛시</a></li></ul></div><div class='art_head'>"
    "<h4 class='art_subject'>한빛군, 농번기 마을 공동급식 첫 지원</h4><div class='art_date'>등록 2024-05-09 10:30</div>"
    "</div>",
    # an old table layout: bold headline, date line and body in one cell
    "<b>한빛군, 농번기 마을 공동급식 첫 지원</b><br><font color='#666'>입력 : 2024-05-09 10:30 정수빈 기자</font><br>",
])
def test_headline_read_off_the_date_line(top: str) -> None:
    body = "".join(f"{p}<br><br>" for p in (
        "한빛군이 올해 처음으로 농번기 공동급식 지원 사업을 벌인다고 9일 밝혔다. 마을회관 30곳이 대상이다.",
        "군은 5월부터 6월까지 모내기철 두 달 동안 식재료비와 조리 인력 인건비를 지원한다."))
    html = "<html><head><title>홈 &gt; 뉴스 &gt; 지역</title></head><body><h1 class='logo'><a href='/'>한빛</a></h1>"
    html += (f"<table><tr><td>{top}{body}</td></tr></table>" if top.startswith("<b>") else
             f"{top}<div class='art_body'><p>{body}</p></div>")
    record = _inline(html)
    assert (record.title, record.published) == ("한빛군, 농번기 마을 공동급식 첫 지원", "2024-05-09T10:30:00+09:00")


def test_a_release_whose_text_is_only_in_its_file_is_still_a_record() -> None:
    # short body, unproved headline and five related links: still an article, for it has an attachment
    record = _page("release-attachment-only-with-related.html", url="https://www.hanbit.go.kr/board/view.do?nttId=10")
    assert (record.title, record.body) == ("한빛구, 2024년 하반기 주요 업무계획 발표", ["첨부파일 참조"])
    assert [a.name for a in record.attachments] == ["하반기 업무계획.hwp"]
