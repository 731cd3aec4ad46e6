"""The site template learned from a host's own pages (scraper/extract/template.py).

Fixture: fixtures/template/page-{1,2,3}.html, three pages of one made-up local news site whose chrome
(font bar, reporter box, subscribe box with a 많이 읽은 list) sits inside the article container, so the
generic path keeps it. Real pages: ../shared/corpus/real, hosts with several saved pages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, require_shared, run_cli

from scraper.extract.template import (
    PageSample,
    SiteTemplate,
    apply_template,
    learn_from_samples,
    learn_template,
    sample_page,
    strip_template,
)
from scraper.fetch.decode import decode_html
from scraper.pipeline import extract_text

FIXTURE_DIR = FIXTURES / "template"
FIXTURE_URL = "https://news.hanbit.example/article/{}"


def fixture_pages() -> list[str]:
    return [(FIXTURE_DIR / f"page-{n}.html").read_text(encoding="utf-8") for n in (1, 2, 3)]


def generic(html: str, url: str):  # type: ignore[no-untyped-def]
    return extract_text(html, url=url, profiles=())


BODY_1_STRIPPED = [
    "한빛시 중앙도서관이 이달부터 평일 밤 10시까지 문을 연다고 2일 밝혔다. "
    "퇴근한 직장인과 학생이 늦게까지 책을 볼 수 있도록 하려는 조치다.",
    "도서관은 야간 운영을 위해 사서 네 명을 새로 뽑았고, 열람실 조명도 밝은 것으로 바꿨다. "
    "대출과 반납은 무인 기계로도 할 수 있다.",
    "도서관 관계자는 \"시범 운영 석 달 동안 이용자 의견을 모아 주말 야간 개장도 검토하겠다\"고 말했다.",
    "※ 이 기사는 한빛시 보도자료를 바탕으로 썼습니다.",
]
BODY_3_STRIPPED = [
    "한빛시가 전통시장 공영주차장의 무료 주차 시간을 30분에서 1시간으로 늘린다고 7일 밝혔다. "
        "장을 보는 손님의 부담을 줄이려는 것이다.",
    "무료 시간 연장은 다음 달 1일부터 시내 전통시장 다섯 곳의 주차장에 적용된다. "
        "시장 상인회는 손님이 늘어날 것으로 기대하고 있다.",
    "시 관계자는 \"주차 문제로 시장을 찾지 않던 손님이 돌아오길 바란다\"고 말했다.",
    "※ 이 기사는 한빛시 보도자료를 바탕으로 썼습니다.",
]


# ---------------------------------------------------------------------------------------------
# fixture site


def test_fixture_chrome_stripped_and_body_kept() -> None:
    pages = fixture_pages()
    template = learn_template(pages)
    record = generic(pages[0], FIXTURE_URL.format(1))
    assert record.body[0] == "글자 크기 크게 작게 바로 듣기"  # the generic path keeps the chrome
    assert len(record.body) == 10
    assert apply_template(record, template).body == BODY_1_STRIPPED


def test_fixture_learned_lines_shapes_blocks() -> None:
    template = learn_template(fixture_pages())
    assert template.pages == 3
    assert template.lines["이번 주 많이 읽은 소식"] == 3
    assert template.lines["많이 본 뉴스"] == 3
    assert template.lines["이 사이트의 모든 글은 무단으로 옮겨 쓸 수 없습니다."] == 3
    assert template.shapes == {"* 기자 다른 소식 더 보기": 3}
    assert template.blocks == {
        "body>div#top": 3,
        "body>div.foot-x": 3,
        "body>div.wrap-x>div.pane-main>div.txt-x>div.box-r": 3,
        "body>div.wrap-x>div.pane-main>div.txt-x>div.tool-x": 3,
    }
    # the in-article guard: a line among the article's own paragraphs on every page is body
    assert "※ 이 기사는 한빛시 보도자료를 바탕으로 썼습니다." not in template.lines
    # the teaser guard: a headline of a page at hand (its h1 there, a 많이 본 뉴스 item elsewhere)
    assert "하천 산책로 자전거 구간 분리" not in template.lines


def test_fixture_leave_one_out_gives_the_same_body() -> None:
    pages = fixture_pages()
    record = generic(pages[2], FIXTURE_URL.format(3))
    assert apply_template(record, learn_template(pages[:2])).body == apply_template(record, learn_template(pages)).body
    assert apply_template(record, learn_template(pages)).body[-1] == "※ 이 기사는 한빛시 보도자료를 바탕으로 썼습니다."


def test_template_json_round_trip() -> None:
    template = learn_template(fixture_pages())
    text = template.model_dump_json()
    assert SiteTemplate.model_validate_json(text) == template
    assert json.loads(text)["shapes"] == {"* 기자 다른 소식 더 보기": 3}


def test_one_page_learns_nothing_and_body_never_emptied() -> None:
    assert learn_template(fixture_pages()[:1]) == SiteTemplate(pages=1)
    template = SiteTemplate(pages=3, lines={"구독하기 알림 설정": 3})
    assert strip_template(template, ["구독하기 알림 설정"]) == ["구독하기 알림 설정"]


def test_long_paragraph_needs_three_pages() -> None:
    long_line = "가" * 81
    assert strip_template(SiteTemplate(pages=2, lines={long_line: 2}), ["본문.", long_line]) == ["본문.", long_line]
    assert strip_template(SiteTemplate(pages=3, lines={long_line: 3}), ["본문.", long_line]) == ["본문."]


def test_apply_template_unchanged_record_is_the_same_object() -> None:
    pages = fixture_pages()
    record = generic(pages[0], FIXTURE_URL.format(1))
    assert apply_template(record, SiteTemplate(pages=0)) is record
    stripped = apply_template(record, learn_template(pages))
    assert stripped.title == record.title and stripped.id == record.id  # the id comes from the canonical URL


# ---------------------------------------------------------------------------------------------
# real corpus

SITES = {
    "mk": ["news/014-mk", "news/015-mk", "news/016-mk", "news/017-mk", "news/018-mk"],
    "hankookilbo": ["news/011-hankookilbo", "news/012-hankookilbo", "news/013-hankookilbo"],
    "sporbiz": ["news/001-sporbiz", "news/002-sporbiz"],
    "insight": ["news/008-insight", "news/019-insight"],
    "entermedia": ["news/025-entermedia", "news/026-entermedia"],
    "gangjin": ["gov/001-gangjin-gun-view", "gov/002-gangjin-gun-list"],
    "naju": ["gov/004-naju-si-view", "gov/005-naju-si-list"],
    "gwangju": ["gov/011-gwangju-metro-view", "gov/012-gwangju-metro-list"],
    "korea-kr": ["gov/023-korea-kr-view", "gov/016-korea-kr-list"],
}


def corpus_page(pid: str) -> tuple[str, str, dict[str, object]]:
    """(html, url, gold) of a corpus page ``group/stem``."""
    folder = require_shared("corpus", "real", pid.split("/")[0])
    stem = pid.split("/")[1]
    gold = json.loads((folder / f"{stem}.gold.json").read_text(encoding="utf-8"))
    meta_path: Path = folder / f"{stem}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    url = gold.get("url") or meta.get("original_url")
    return decode_html((folder / f"{stem}.html").read_bytes()).text, url, gold


def site_template(site: str) -> SiteTemplate:
    return learn_template([corpus_page(pid)[0] for pid in SITES[site]])


def test_mk_template_learns_the_footer_and_keeps_014_body() -> None:
    template = site_template("mk")
    assert template.lines["Copyright (c) 매경AX. All rights reserved. 무단 전재, 재배포 및 AI학습 이용 금지"] == 5
    share = "이메일에 공유하기 카카오톡에 공유하기 페이스북에 공유하기 트위터에 공유하기 링크 복사하기"
    assert template.lines[share] == 5
    html, url, gold = corpus_page("news/014-mk")
    record = generic(html, url)
    assert apply_template(record, template) is record  # nothing of the generic body recurs on mk
    lead = ("한국 골프의 미래로 불리는 ‘특급 기대주’ 손제이가 제54회 전국소년체육대회 골프부경기 "
            "15세 이하 남자부 정상에 올랐다.")
    assert gold["body"][0] == lead  # type: ignore[index]
    assert lead in apply_template(record, template).body
    assert set(gold["body"]) <= set(apply_template(record, template).body)  # type: ignore[arg-type]


def test_sporbiz_reporter_box_shape_is_stripped_to_the_gold_body() -> None:
    template = site_template("sporbiz")
    assert template.shapes == {"* 기자 다른기사 보기": 2}
    html, url, gold = corpus_page("news/001-sporbiz")
    record = generic(html, url)
    assert record.body[-1] == "김정희 기자 다른기사 보기"
    assert apply_template(record, template).body == gold["body"]


@pytest.mark.parametrize("site", sorted(SITES))
def test_no_gold_paragraph_lost(site: str) -> None:
    template = site_template(site)
    for pid in SITES[site]:
        html, url, gold = corpus_page(pid)
        if "body" not in gold:
            continue  # a list page: it only helps to learn
        try:
            record = generic(html, url)
        except Exception:  # a JavaScript-only page gives no record on the generic path
            continue
        kept = apply_template(record, template).body
        assert [p for p in record.body if p in gold["body"] and p not in kept] == [], pid  # type: ignore[operator]


# ---------------------------------------------------------------------------------------------
# learning in the product: `scraper extract A B C` (scraper/learn.py)



def canonical_copies(folder: Path) -> list[Path]:
    """The fixture pages saved as files that name their own address (a canonical link), as a browser's
    "save page" keeps it; no --url is given for them."""
    paths = []
    for n, html in enumerate(fixture_pages(), start=1):
        path = folder / f"page-{n}.html"
        link = f'<link rel="canonical" href="{FIXTURE_URL.format(n)}">'
        path.write_text(html.replace("</head>", link + "</head>", 1), encoding="utf-8")
        paths.append(path)
    return paths


def extract_lines(*args: str) -> list[dict[str, Any]]:
    proc = run_cli("extract", "--no-profiles", "--format", "jsonl", *args)
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def test_extract_of_several_pages_of_one_host_strips_their_chrome(tmp_path: Path) -> None:
    lone = tmp_path / "lone.html"  # the same layout, but no address at all: grouped with nothing
    lone.write_text(fixture_pages()[2], encoding="utf-8")
    records = extract_lines(*map(str, canonical_copies(tmp_path)), str(lone))
    assert [r["canonical_url"] for r in records] == [FIXTURE_URL.format(n) for n in (1, 2, 3)] + [None]
    assert records[0]["body"] == BODY_1_STRIPPED
    assert records[2]["body"] == BODY_3_STRIPPED
    assert [r["warnings"] for r in records] == [["template_applied"]] * 3 + [[]]
    assert records[3]["body"][0] == "글자 크기 크게 작게 바로 듣기" and len(records[3]["body"]) == 10
    assert list(records[0]) == list(records[3])  # the same keys in the same order


def test_extract_no_learn_keeps_the_generic_bodies(tmp_path: Path) -> None:
    paths = list(map(str, canonical_copies(tmp_path)))
    records = extract_lines("--no-learn", *paths)
    assert [len(r["body"]) for r in records] == [10, 10, 10]
    assert [r["warnings"] for r in records] == [[], [], []]
    assert records[0]["body"][0] == "글자 크기 크게 작게 바로 듣기"
    assert extract_lines(paths[0]) == records[:1]  # one source learns nothing


def test_one_article_saved_twice_learns_nothing(tmp_path: Path) -> None:
    first, _, _ = canonical_copies(tmp_path)
    records = extract_lines(str(first), str(first))
    assert [len(r["body"]) for r in records] == [10, 10] and records[0]["warnings"] == []


def test_extract_sporbiz_pair_reaches_the_gold_body_on_the_generic_path() -> None:
    folder = require_shared("corpus", "real", "news")
    records = extract_lines(str(folder / "001-sporbiz.html"), str(folder / "002-sporbiz.html"))
    gold = json.loads((folder / "001-sporbiz.gold.json").read_text(encoding="utf-8"))
    assert records[0]["url"] is None  # the host comes from the page's og:url
    assert records[0]["body"] == gold["body"]
    assert records[1]["body"][-1] == "태양은 내년 2월께 결혼식을 올린 뒤 입대할 예정이다."
    assert [r["warnings"] for r in records] == [["template_applied"], ["template_applied"]]


def test_sample_learning_equals_html_learning_and_survives_json() -> None:
    pages = fixture_pages()
    samples = [sample_page(html) for html in pages]
    again = [PageSample.model_validate_json(s.model_dump_json()) for s in samples]
    assert learn_from_samples(again) == learn_template(pages)
    keyed = [sample_page(pages[0], key="a"), sample_page(pages[0], key="a"), sample_page(pages[1], key="b")]
    assert learn_from_samples(keyed).pages == 2  # one article by two addresses is learned from once


def board_view(subtitle: str, sentences: list[str]) -> str:
    """A gov board view page as the synthetic board of ../shared/bench/crawl writes them: a 부제 ``p.sub-tit``
    beside the body's ``p``s, a share box nested in the same container, a footer."""
    body = "".join(f"<p>{s}</p>" for s in sentences)
    return (f"<html><body><div id='header'><p>한빛구청 누리집 전체메뉴</p></div><div class='view-con'>"
            f"<p class='sub-tit'>{subtitle}</p>{body}"
            "<div class='share'><p>페이스북 공유 트위터 공유 링크 복사</p></div>"
            f"</div><div id='footer'><p>COPYRIGHT © 한빛구. ALL RIGHTS RESERVED.</p></div></body></html>")


def test_a_stock_subtitle_beside_the_body_paragraphs_is_never_chrome() -> None:
    sentence = "한빛구는 {}일 구청 대강당에서 주민 설명회를 열고 새 사업의 내용을 알렸다고 밝혔다. 참석자는 {}명이었다."
    pages = [board_view("- 지역경제 활성화 기대" if n < 2 else f"- 주민 {n}명 참여",
                        [sentence.format(n + 1, 10 * n + 5), sentence.format(n + 11, 10 * n + 7)]) for n in range(4)]
    template = learn_template(pages)
    assert "- 지역경제 활성화 기대" not in template.lines  # on 2 of 4 pages, but among the body's <p>s
    assert template.lines["페이스북 공유 트위터 공유 링크 복사"] == 4  # a nested box of the container: chrome
    body = ["- 지역경제 활성화 기대", sentence.format(1, 5), "페이스북 공유 트위터 공유 링크 복사"]
    assert strip_template(template, body) == body[:2]


# --- the headline place a host's pages agree on (learned header positions) -------------------------------

LEARN = FIXTURES / "learn"


def _titles(*flags: str) -> list[tuple[str, list[str]]]:
    pages = sorted(map(str, LEARN.glob("view-*.html")))
    proc = run_cli("extract", "--no-profiles", "--format", "jsonl", *flags, *pages)
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    return [(r["title"], r["warnings"]) for r in records]


def test_a_page_that_proves_no_headline_gets_the_place_its_host_agrees_on() -> None:
    # view-3's <title> is only the board's breadcrumb; view-1 and view-2 prove their headline sits at
    # div.view > div.view_head > h3.subject, so view-3 is read there, not at the promo line above it
    assert _titles() == [
        ("새솔구, 하천변 산책로 2㎞ 새 단장", []),
        ("새솔구, 어린이 통학로 안전 펜스 설치", []),
        ("새솔구, 전통시장 주차장 주말 무료 개방", ["headline_learned"]),
    ]
    assert _titles("--no-learn")[2] == ("이 기사를 추천합니다", [])


def test_headline_place_of_a_page_that_proves_it() -> None:
    from scraper.extract.article import headline_place

    proven = (LEARN / "view-1.html").read_text(encoding="utf-8")
    unproven = (LEARN / "view-3.html").read_text(encoding="utf-8")
    assert headline_place(proven) == "div.view > div.view_head > h3.subject"
    assert headline_place(unproven) is None


def test_learn_headline_needs_two_agreeing_articles() -> None:
    from scraper.extract.template import PageSample
    from scraper.learn import learn_headline

    place = "div.view > div.view_head > h3.subject"
    assert learn_headline([PageSample(headline=place, key="a"), PageSample(headline=place, key="b")]) == place
    assert learn_headline([PageSample(headline=place, key="a"), PageSample(headline=place, key="a")]) is None
    split = [PageSample(headline=place, key="a"), PageSample(headline="h1.t", key="b"),
             PageSample(headline="h2", key="c")]
    assert learn_headline(split) is None
