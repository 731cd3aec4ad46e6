"""List-page parsing: board sources, item ids/titles/dates/pins, pagination, URL canonicalization, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest

from scraper.errors import ConfigError
from scraper.extract.listing import canonical_item_url, item_id_from_url, parse_listing
from scraper.sources.board import BoardSource
from scraper.sources.boards import load_sources, source_for_url
from tests.support import require_shared

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOV = SHARED / "corpus" / "real" / "gov"
CASE_021 = SHARED / "cases" / "021-board-list-jsview-pinned-notices"
FIXTURE = ROOT / "fixtures" / "listings" / "egov-jsview-board.html"
SI_FIXTURE = ROOT / "fixtures" / "listings" / "si-bbsntt-board.html"

# list page -> (bundled source, id parameter the gold URL carries)
REAL_LISTS = {
    "002-gangjin-gun-list": ("gangjin-press", "idx"),
    "005-naju-si-list": ("naju-press", "idx"),
    "008-wando-gun-list": ("wando-press", "nttId"),
    "009-jindo-gun-list": ("jindo-news", "articleId"),
    "012-gwangju-metro-list": ("gwangju-news", "seq"),
    "014-gyeongsangbuk-do-list": ("gyeongbuk-press", "B_STEP"),
    "016-korea-kr-list": ("korea-kr-press", "newsId"),
}


def need_shared(path: Path) -> None:
    """Skip when the shared corpus is absent, but fail on CI where it must be present."""
    if path.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"shared data missing on CI: {path}")
    pytest.skip(f"shared data not found at {path} (checkout without ../shared)")


@pytest.fixture(scope="module")
def sources() -> dict[str, BoardSource]:
    return load_sources()


@pytest.mark.parametrize("stem", sorted(REAL_LISTS))
def test_real_list_pages_match_gold(stem: str, sources: dict[str, BoardSource]) -> None:
    need_shared(GOV / f"{stem}.html")
    name, id_param = REAL_LISTS[stem]
    source = sources[name]
    gold = json.loads((GOV / f"{stem}.gold.json").read_text(encoding="utf-8"))["items"]
    listing = parse_listing((GOV / f"{stem}.html").read_text(encoding="utf-8"), None, source)
    got = [(i.id, i.url, i.title, i.date, i.pinned) for i in listing.items]
    want = [
        (dict(p.split("=", 1) for p in g["url_or_id"].split("?", 1)[1].split("&") if "=" in p)[id_param],
         urljoin(source.list_url, g["url_or_id"]), g["title"], g["date"], False)
        for g in gold
    ]
    assert got == want


@pytest.mark.parametrize("stem", sorted(set(REAL_LISTS) - {"012-gwangju-metro-list"}))
def test_real_list_pages_offer_page_two(stem: str, sources: dict[str, BoardSource]) -> None:
    need_shared(GOV / f"{stem}.html")
    source = sources[REAL_LISTS[stem][0]]
    listing = parse_listing((GOV / f"{stem}.html").read_text(encoding="utf-8"), None, source)
    assert {1, 2, 3} <= set(listing.pages)


def test_bundled_sources_use_meta_urls(sources: dict[str, BoardSource]) -> None:
    need_shared(GOV)
    for stem, (name, _) in REAL_LISTS.items():
        meta = json.loads((GOV / f"{stem}.meta.json").read_text(encoding="utf-8"))
        if meta["original_url"]:
            assert sources[name].list_url == meta["original_url"]
            assert source_for_url(meta["original_url"] + ("&" if "?" in meta["original_url"] else "?") + "page=2",
                                  sources).name == name


def test_gwangju_truncated_title_comes_from_title_attribute(sources: dict[str, BoardSource]) -> None:
    need_shared(GOV / "012-gwangju-metro-list.html")
    html = (GOV / "012-gwangju-metro-list.html").read_text(encoding="utf-8")
    first = parse_listing(html, None, sources["gwangju-news"]).items[0]
    assert "..." in html and not first.title.endswith("...")
    assert first.title.endswith("실시간 측정데이터 공개(12월 04일)")


def test_generic_discovery_on_real_list(sources: dict[str, BoardSource]) -> None:
    need_shared(GOV / "005-naju-si-list.html")
    html = (GOV / "005-naju-si-list.html").read_text(encoding="utf-8")
    listing = parse_listing(html, "https://www.naju.go.kr/www/administration/reporting/coverage", None)
    assert [i.id for i in listing.items][:3] == ["591764", "591763", "591762"]
    assert len(listing.items) == 10
    assert all(i.url and i.url.startswith("https://www.naju.go.kr/") for i in listing.items)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scraper", "listing", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=60, check=False)


def test_case_021_through_cli() -> None:
    need_shared(CASE_021 / "input.html")
    expected = json.loads((CASE_021 / "expected.json").read_text(encoding="utf-8"))
    proc = run_cli(str(CASE_021 / "input.html"))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [i["id"] for i in out["items"]] == expected["list_item_ids"]
    assert [i["id"] for i in out["items"] if i["pinned"]] == expected["pinned_ids"]
    assert out["pages"] == expected["pagination_pages"] == [1, 2, 3]
    assert out["source"] is None
    assert "개인정보 처리방침 개정 안내" in proc.stdout  # Hangul unescaped


def test_cli_no_items_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><p>등록된 게시물이 없습니다.</p></body></html>", encoding="utf-8")
    proc = run_cli(str(page), "--url", "http://127.0.0.1:9/board/list.do?page=99")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["error"]["kind"] == "no_items"
    assert out["url"] == "http://127.0.0.1:9/board/list.do?page=99"


def test_cli_with_named_source() -> None:
    need_shared(GOV / "016-korea-kr-list.html")
    proc = run_cli(str(GOV / "016-korea-kr-list.html"), "--source", "korea-kr-press")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["source"] == "korea-kr-press"
    assert len(out["items"]) == 20
    assert out["items"][0]["url"].startswith("https://www.korea.kr/briefing/pressReleaseView.do?newsId=156738805")


# --- hand-made fixture: javascript:fn_view, onclick, data-*, title attribute, 공지 rows ---

FIXTURE_IDS = ["7001", "7002", "8123", "8122", "8120"]


def test_fixture_generic() -> None:
    listing = parse_listing(FIXTURE.read_text(encoding="utf-8"), "https://garam.example.go.kr/board/list.do", None)
    assert [i.id for i in listing.items] == FIXTURE_IDS  # gnb and footer links are not items
    assert [i.id for i in listing.items if i.pinned] == ["7001", "7002"]
    assert listing.items[2].title == "가람구, 2024년 상반기 청년 일자리 박람회 개최 및 참여 기업 모집"
    assert [i.date for i in listing.items] == ["2024-01-30", "2024-02-01", "2024-03-05", "2024-03-04", "2024-03-02"]
    assert listing.pages == [1, 2, 3, 4]


FIXTURE_SOURCE = """
[[source]]
name = "garam-press"
organization = "가람구"
kind = "press_release"
list_url = "https://garam.example.go.kr/board/list.do"
[source.paging]
method = "get"
param = "pageIndex"
[source.items]
item = "table.board_list tbody tr"
link = ["td.subject a"]
date = ["td:nth-child(4)"]
pinned = "tr.notice"
id_attr = "data-ntt-id"
view_url = "/board/view.do?nttId={0}"
[source.overrides]
delay_seconds = 2.5
user_agent = "garam-bot/1.0"
"""


def test_fixture_with_source(tmp_path: Path) -> None:
    path = tmp_path / "garam.toml"
    path.write_text(FIXTURE_SOURCE.replace('id_attr = "data-ntt-id"\n', ""), encoding="utf-8")
    source = load_sources(path)["garam-press"]
    listing = parse_listing(FIXTURE.read_text(encoding="utf-8"), None, source)
    assert [i.id for i in listing.items] == FIXTURE_IDS
    view = "https://garam.example.go.kr/board/view.do?nttId="
    assert [i.url for i in listing.items] == [view + n for n in FIXTURE_IDS]
    assert [i.pinned for i in listing.items] == [True, True, False, False, False]
    assert source.overrides.delay_seconds == 2.5
    assert source.page_url(3) == "https://garam.example.go.kr/board/list.do?pageIndex=3"


def test_bench_board_is_expressible(tmp_path: Path) -> None:
    """The crawl bench board: /board/list.do?page=N, pinned tr.notice rows, /board/view.do?nttId=ID."""
    path = tmp_path / "bench.toml"
    path.write_text("""
[[source]]
name = "h01-press"
organization = "가람구"
list_url = "http://127.0.0.2:8800/board/list.do"
[source.paging]
param = "page"
first = 1
[source.items]
item = "table.board-list tbody tr"
link = ["td.subject a"]
pinned = "tr.notice"
id_param = "nttId"
""", encoding="utf-8")
    source = load_sources(path)["h01-press"]
    html = """<table class="board-list"><tbody>
<tr class="notice"><td>공지</td>
  <td class="subject"><a href="/board/view.do?nttId=100009">공지 글</a></td><td>2025.01.02</td></tr>
<tr><td>10</td><td class="subject"><a href="/board/view.do?nttId=100009">공지 글</a></td><td>2025.01.02</td></tr>
<tr><td>9</td><td class="subject"><a href="/board/view.do?nttId=100008">여덟째 글</a></td><td>2025.01.01</td></tr>
</tbody></table><div class="paging"><a href="?page=2">2</a></div>"""
    listing = parse_listing(html, source.page_url(1), source)
    assert [(i.id, i.pinned) for i in listing.items] == [("100009", True), ("100008", False)]
    assert listing.items[1].url == "http://127.0.0.2:8800/board/view.do?nttId=100008"
    assert listing.pages == [2]


def test_offset_and_post_paging() -> None:
    gb = BoardSource(name="g", organization="경상북도", list_url="https://www.gb.go.kr/Main/page.do?cmd=1",
                     paging={"method": "offset", "param": "Start", "first": 0, "step": 10}, items={"item": "li"})
    assert gb.page_url(3) == "https://www.gb.go.kr/Main/page.do?cmd=1&Start=20"
    post = BoardSource(name="p", organization="광주", list_url="https://www.gwangju.go.kr/boardList.do",
                       paging={"method": "post", "param": "movePage", "form": {"boardId": "BD_0000000022"}},
                       items={"item": "div.body_row"})
    assert post.page_url(2) == post.list_url
    assert post.page_form(2) == {"boardId": "BD_0000000022", "movePage": "2"}


# --- sources file errors ---

def test_config_error_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(FIXTURE_SOURCE.replace('kind = "press_release"', 'kind = "blog"'), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_sources(path)
    assert str(path) in err.value.message and "kind" in err.value.message


def test_config_error_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "extra.toml"
    path.write_text(FIXTURE_SOURCE.replace("[source.paging]", 'colour = "red"\n[source.paging]'), encoding="utf-8")
    with pytest.raises(ConfigError, match="colour"):
        load_sources(path)


def test_config_error_bad_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[[source]\nname = ", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        load_sources(path)


# --- URLs ---

@pytest.mark.parametrize(("url", "want"), [
    ("https://www.example.co.kr/news/articleView.html?idxno=123&utm_source=naver&utm_medium=news&fbclid=abc",
     "https://www.example.co.kr/news/articleView.html?idxno=123"),
    ("https://m.example.com/news/articleView.html?idxno=77&from=main", "https://example.com/news/articleView.html?idxno=77"),
    ("https://example.com/m/news/view.do?seq=5&gclid=x", "https://example.com/news/view.do?seq=5"),
    ("https://www.gwangju.go.kr/boardView.do?pageId=&boardId=BD_0000000022&seq=16222&movePage=1&recordCnt=10",
     "https://www.gwangju.go.kr/boardView.do?boardId=BD_0000000022&seq=16222"),
    ("https://www.wando.go.kr/wando/sub.cs?m=1023&nttId=10010538&pageIndex=3&searchWrd=%EC%99%84%EB%8F%84&searchCnd=1",
     "https://www.wando.go.kr/wando/sub.cs?m=1023&nttId=10010538"),
    ("https://www.korea.kr/briefing/pressReleaseView.do?newsId=156738805&pageIndex=1&startDate=2025-01-07&endDate=2026-01-07",
     "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156738805"),
    ("https://www.gangjin.go.kr/www/government/news/press?mode=view&idx=647621#top",
     "https://www.gangjin.go.kr/www/government/news/press?idx=647621&mode=view"),
])
def test_canonical_item_url(url: str, want: str) -> None:
    assert canonical_item_url(url) == want


@pytest.mark.parametrize(("url", "want"), [
    ("/www/administration/reporting/coverage?idx=591764&mode=view", "591764"),
    ("?act=read&articleId=178408&categoryId=0&m=626&searchCondition=&pageIndex=1", "178408"),
    ("/boardView.do?pageId=&boardId=BD_0000000022&seq=16222&movePage=1", "16222"),
    ("./page.do?mnu_uid=6792&cmd=2&Start=0&B_NUM=506274201&B_STEP=506274200&B_LEVEL=0", "506274200"),
    ("/briefing/pressReleaseView.do?newsId=156738805&pageIndex=1", "156738805"),
    ("https://www.hankyung.com/news/articleView.html?idxno=9001", "9001"),
    ("https://news.seoul.go.kr/gov/archives/574155", "574155"),
    ("/board/detail?boardId=B1&dataSid=812420", "812420"),
    ("/www/government/news/press?page=2", None),
    ("/wando/sub.cs?m=299", None),
])
def test_item_id_from_url(url: str, want: str | None) -> None:
    assert item_id_from_url(url) == want


def test_pager_pages_ignore_links_to_other_sites(sources: dict[str, BoardSource]) -> None:
    """gb.go.kr's page also links gbyouth.co.kr/...?pageNo=5069 from its menu: not a page of this board."""
    stem = "014-gyeongsangbuk-do-list"
    need_shared(GOV / f"{stem}.html")
    source = sources[REAL_LISTS[stem][0]]
    listing = parse_listing((GOV / f"{stem}.html").read_text(encoding="utf-8"), source.list_url, source)
    assert listing.pages == [1, 2, 3, 4, 5, 6]


def test_generic_discovery_on_a_card_list_takes_headings_and_row_dates() -> None:
    """강진군's card list without its source: titles are the cards' headings, dates their date cells
    (the teaser text of each card holds other dates)."""
    stem = "002-gangjin-gun-list"
    need_shared(GOV / f"{stem}.html")
    gold = json.loads((GOV / f"{stem}.gold.json").read_text(encoding="utf-8"))["items"]
    listing = parse_listing((GOV / f"{stem}.html").read_text(encoding="utf-8"), None, None)
    assert [(i.title, i.date) for i in listing.items] == [(g["title"], g["date"]) for g in gold]


# --- generic discovery (no source) on every real gov list page: exactly the gold items ---

GOV_LIST_PAGES = sorted(p.name.removesuffix(".html") for p in GOV.glob("*-list.html")) or ["(no gov list pages)"]


def gold_items(stem: str) -> tuple[str | None, list[tuple[str, str, str, str | None, bool]]]:
    """The page URL and the gold items as (id, url, title, date, pinned). Older gold files (002-016) give only
    ``url_or_id``: their id is the board's id parameter named in ``REAL_LISTS`` and their URL ``url_or_id``
    resolved against the page URL (kept relative when the page URL is unknown, 경북)."""
    gold = json.loads((GOV / f"{stem}.gold.json").read_text(encoding="utf-8"))
    meta = json.loads((GOV / f"{stem}.meta.json").read_text(encoding="utf-8"))
    page_url = meta.get("original_url") or gold.get("url")
    want = []
    for g in gold["items"]:
        item_id = g.get("id")
        if item_id is None:
            assert stem in REAL_LISTS, f"{stem}: gold items carry no id; add one to the gold or to REAL_LISTS"
            query = g["url_or_id"].split("?", 1)[1]
            item_id = dict(p.split("=", 1) for p in query.split("&") if "=" in p)[REAL_LISTS[stem][1]]
        url = g.get("url") or (urljoin(page_url, g["url_or_id"]) if page_url else g["url_or_id"])
        want.append((item_id, url, g["title"], g["date"], bool(g.get("pinned", False))))
    return page_url, want


@pytest.mark.parametrize("stem", GOV_LIST_PAGES)
def test_generic_discovery_finds_the_gold_items(stem: str) -> None:
    html = require_shared("corpus", "real", "gov", f"{stem}.html").read_text(encoding="utf-8")
    page_url, want = gold_items(stem)
    listing = parse_listing(html, page_url, None)
    assert [(i.id, i.url, i.title, i.date, i.pinned) for i in listing.items] == want


def test_gov_list_pages_include_the_board_families() -> None:
    """The glob above really picks up the SI selectBbsNtt fragments (송파, 구리, 하남) and the other new lists."""
    require_shared("corpus", "real", "gov")
    assert {"018-gangdong-gu-list", "019-songpa-gu-list", "020-guri-si-list", "021-hanam-si-list",
            "022-gyeonggi-do-list"} <= set(GOV_LIST_PAGES)
    assert len(GOV_LIST_PAGES) >= 12


def test_si_board_fixture_generic() -> None:
    """SI selectBbsNtt page with chrome: nttNo ids through ;jsessionid= hrefs, the 공지 row pinned, NEW badge
    dropped, <time> dates; menu and banner links to other boards (bbsNo=197) and file links are no items."""
    url = "https://garam.example.go.kr/www/selectBbsNttList.do?bbsNo=188&key=1002"
    listing = parse_listing(SI_FIXTURE.read_text(encoding="utf-8"), url, None)
    view = ("https://garam.example.go.kr/www/selectBbsNttView.do;jsessionid=A1B2C3D4E5.node01?bbsNo=188&nttNo={}"
            "&key=1002&pageIndex=1&searchCnd=all&searchKrwd=")
    assert [(i.id, i.url, i.title, i.date, i.pinned) for i in listing.items] == [
        ("2500001", view.format("2500001"), "보도자료 게시판 운영 안내", "2024-01-02", True),
        ("2512345", view.format("2512345"), "가람구, ‘골목상권 살리기’ 상품권 30억 원 발행", "2024-03-05", False),
        ("2512301", view.format("2512301"), "가람구 2024년 구민 안전보험 가입", "2024-03-04", False),
        ("2512288", view.format("2512288"), "“함께 걷는 가람천” 산책로 새 단장", "2024-03-02", False),
    ]
    assert listing.pages == [1, 2, 3]


def _rows(*cells: str) -> str:
    rows = "".join(f"<tr><td>{n}</td><td>{c}</td><td>2024.05.0{n}</td></tr>" for n, c in enumerate(cells, 1))
    return f"<table><tbody>{rows}</tbody></table>"


def test_title_keeps_bold_words_brackets_and_badge_words_in_text() -> None:
    """Only whole badge/date/leading-[category] elements leave a title: a bold word with bare text beside it is
    no card heading, a '[참고]' typed into the text and a 'NEW' inside a sentence stay."""
    html = _rows('<a href="/board/view.do?nttId=11"><strong>가람구청장</strong> 신년사 발표</a>',
                 '<a href="/board/view.do?nttId=12">[참고] NEW 모빌리티 실증 <em>[확정]</em></a>',
                 '<a href="/board/view.do?nttId=13"><span>[행사]</span> 가람 축제 <i>N</i></a>')
    listing = parse_listing(html, "https://garam.example.go.kr/board/list.do", None)
    assert [(i.id, i.title, i.date) for i in listing.items] == [
        ("11", "가람구청장 신년사 발표", "2024-05-01"),
        ("12", "[참고] NEW 모빌리티 실증 [확정]", "2024-05-02"),
        ("13", "가람 축제", "2024-05-03"),
    ]


def test_path_and_view_parameter_ids_only_in_board_rows() -> None:
    """A numeric path (강동구 newportal) or a lone numeric view parameter (경기도 gnews ``number=``) is an id in a
    board row, not in a lone paragraph link."""
    base = "https://garam.example.go.kr/web/press/list"
    rows = _rows('<a href="/web/press/15448">첫째 보도자료 제목</a>',
                 '<a href="/web/press/15444">둘째 보도자료 제목</a>',
                 '<a href="/news_view.do?BS_CODE=s017&amp;number=71428&amp;page=1">셋째 보도자료 제목</a>')
    assert [i.id for i in parse_listing(rows, base, None).items] == ["15448", "15444", "71428"]
    lone = ('<p><a href="/web/press/15448">소개 페이지</a> '
            '<a href="/news_view.do?BS_CODE=s017&amp;number=71428&amp;page=1">다른 페이지</a></p>')
    assert parse_listing(lone, base, None).items == []
