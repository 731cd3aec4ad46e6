"""Normalizers: Korean date strings -> ISO 8601 in KST, bylines -> author names (examples and properties)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.extract.lines import sort_lines
from scraper.models import RawArticle
from scraper.normalize.authors import (
    COMPOUND_SURNAMES,
    ROLE_WORDS,
    SURNAMES,
    is_person_name,
    split_authors,
    split_trailing_byline,
)
from scraper.normalize.dates import labeled_dates, parse_kst
from scraper.normalize.record import build_record, resolve_authors, resolve_dates
from scraper.normalize.text import _SPACE_RE, fold_space, unescape_entities

NOW = "2024-03-05T14:00:00+09:00"
ISO_KST = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+09:00)?$")
HANGUL_NAME = re.compile(r"^[가-힣]{2,4}$|^[A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*){1,3}$")  # or romanised
KST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05 14:22", "2024-03-05T14:22:00+09:00"),
        ("2024.03.05 14:22", "2024-03-05T14:22:00+09:00"),
        ("2024/03/05 14:22:07", "2024-03-05T14:22:07+09:00"),
        ("2024. 3. 5.", "2024-03-05"),
        ("2024-03-05", "2024-03-05"),
        ("2024년 3월 5일", "2024-03-05"),
        ("2024년 3월 5일 오후 2시 22분", "2024-03-05T14:22:00+09:00"),
        ("2024.3.5 오후 2:22", "2024-03-05T14:22:00+09:00"),
        ("2024-03-05 오후 12:05", "2024-03-05T12:05:00+09:00"),
        ("2024-03-06 오전 12:10", "2024-03-06T00:10:00+09:00"),
        ("2024.03.06 오전 12:10", "2024-03-06T00:10:00+09:00"),
        ("20190107164708", "2019-01-07T16:47:08+09:00"),
        ("2019-01-07T07:47:08Z", "2019-01-07T16:47:08+09:00"),
        ("2019-01-07T16:47:08+00:00", "2019-01-08T01:47:08+09:00"),
        ("2019-01-07T16:47:08", "2019-01-07T16:47:08+09:00"),
        ("3시간 전", "2024-03-05T11:00:00+09:00"),
        ("10분 전", "2024-03-05T13:50:00+09:00"),
        ("어제", "2024-03-04"),
        ("2일 전", "2024-03-03"),
        ("2024-02-30 10:00", None),
        ("날짜 없음", None),
        ("", None),
    ],
)
def test_parse_kst_examples(text: str, expected: str | None) -> None:
    assert parse_kst(text, now=NOW) == expected


@pytest.mark.parametrize(
    "text",
    [
        "입력 2024.03.05 14:22 | 수정 2024.03.06 00:10",
        "수정 2024.03.06 00:10 입력 2024.03.05 14:22",
        "기사입력 2024-03-05 오후 2:22  최종수정 2024-03-06 오전 12:10",
    ],
)
def test_labeled_dates_roles_follow_labels_not_order(text: str) -> None:
    assert labeled_dates(text, now=NOW) == (["2024-03-05T14:22:00+09:00"], ["2024-03-06T00:10:00+09:00"])


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("홍길동 기자", ["홍길동"]),
        ("홍길동·김철수 기자", ["홍길동", "김철수"]),
        ("홍길동ㆍ김철수 기자", ["홍길동", "김철수"]),
        ("(서울=연합뉴스) 홍길동 기자 =", ["홍길동"]),
        ("(세종=뉴스1) 홍길동 기자", ["홍길동"]),
        ("[매체=홍길동 기자]", ["홍길동"]),
        ("/홍길동기자", ["홍길동"]),
        ("홍길동 기자 hong@example.com", ["홍길동"]),
        ("홍길동 선임기자", ["홍길동"]),
        ("홍길동 기자, 김철수 특파원", ["홍길동", "김철수"]),
        ("연합뉴스", []),
        ("온라인뉴스팀", []),
        ("", []),
    ],
)
def test_split_authors_examples(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_parse_kst_never_raises_and_gives_kst_iso(text: str) -> None:
    value = parse_kst(text, now=NOW)
    assert value is None or ISO_KST.match(value), value


DATE_TEXT = st.sampled_from("0123456789 .-/:년월일시분초오전후TZ+입력수정전어제시간")


@settings(max_examples=300, deadline=None)
@given(st.text(DATE_TEXT, max_size=40))
def test_parse_kst_on_date_like_noise(text: str) -> None:
    value = parse_kst(text, now=NOW)
    assert value is None or ISO_KST.match(value), value


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    )
)
def test_parse_kst_round_trips_printed_forms(moment: datetime) -> None:
    expected = moment.replace(tzinfo=KST).isoformat()
    hour12 = moment.hour % 12 or 12
    ampm = "오전" if moment.hour < 12 else "오후"
    forms = [
        moment.strftime("%Y-%m-%d %H:%M:%S"),
        moment.strftime("%Y.%m.%d %H:%M:%S"),
        f"{moment.year}년 {moment.month}월 {moment.day}일 {ampm} {hour12}시 {moment.minute}분 {moment.second}초",
        f"{moment:%Y-%m-%d} {ampm} {hour12}:{moment:%M:%S}",
        moment.strftime("%Y%m%d%H%M%S"),
        moment.isoformat(),
        (moment - timedelta(hours=9)).isoformat() + "Z",
    ]
    assert {form: parse_kst(form) for form in forms} == dict.fromkeys(forms, expected)


BYLINE_TEXT = st.lists(
    st.one_of(
        st.text("가나다라마바사아자차카타파하김이박최정홍길동철수", min_size=1, max_size=6),
        st.sampled_from([" ", "·", "ㆍ", ",", "/", "=", "(", ")", "[", "]", "기자", "특파원", "연합뉴스", "a@b.kr"]),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), BYLINE_TEXT))
def test_split_authors_never_raises_and_gives_hangul_names(byline: str) -> None:
    names = split_authors(byline)
    assert all(HANGUL_NAME.match(name) for name in names), names
    assert len(names) == len(set(names))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), BYLINE_TEXT))
def test_split_authors_is_idempotent_on_its_output(byline: str) -> None:
    # A "name" that itself holds a role word ("가기자" from "가기자기자") is ambiguous; leave those out.
    names = [n for n in split_authors(byline) if not any(role in n for role in ROLE_WORDS)]
    assert split_authors(", ".join(names)) == names
    assert split_authors("·".join(names) + " 기자") == names


# --- Field cases on Korean pages (each kind written as a failing test first) -----------------------------------


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("윤해솔", True),
        ("유찬", True),  # two syllables, surname 유
        ("변휘", True),
        ("남궁민수", True),  # compound surname + two
        ("선우용", True),
        ("제갈공명", True),
        ("김아무개", True),  # four syllables, single surname
        ("뷁뷁뷁", False),  # no known surname
        ("한빛일보", False),  # outlet suffix, not a person (한 is a surname)
        ("전남일보", False),
        ("사진", False),  # byline furniture words starting with a surname syllable
        ("편집", False),
        ("김수한무거", False),  # five syllables
    ],
)
def test_is_person_name_needs_a_known_surname(token: str, expected: bool) -> None:
    assert is_person_name(token) is expected


def test_surnames_are_shipped_as_package_data() -> None:
    assert {"김", "이", "박", "류", "유", "라", "나"} <= SURNAMES
    assert {"남궁", "제갈", "선우", "황보", "독고", "사공", "서문", "동방", "어금", "망절"} <= COMPOUND_SURNAMES
    assert len(SURNAMES) >= 150


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("윤해솔 논설위원", ["윤해솔"]),
        ("글·사진 김아무개 기자", ["김아무개"]),
        ("윤슬기 문화전문기자", ["윤슬기"]),
        ("윤슬기 의학전문기자", ["윤슬기"]),
        ("윤슬기 기상캐스터", ["윤슬기"]),
        ("윤슬기 아나운서", ["윤슬기"]),
        ("윤슬기 PD", ["윤슬기"]),
        ("앵커 윤슬기", ["윤슬기"]),
        ("리포터 윤슬기", ["윤슬기"]),
        ("사진기자 윤슬기", ["윤슬기"]),
        ("윤슬기 객원기자", ["윤슬기"]),
        ("윤슬기 통신원", ["윤슬기"]),
        ("편집 이영희", ["이영희"]),
        ("남궁민수 기자", ["남궁민수"]),
        ("뷁뷁뷁 기자", []),  # not a person's name
    ],
)
def test_split_authors_strips_role_words(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Kim Seo-yun", ["Kim Seo-yun"]),
        ("By Kim Seo-yun and Lee Ha-na", ["Kim Seo-yun", "Lee Ha-na"]),
        ("By KIM SEO-YUN", ["KIM SEO-YUN"]),  # kept as written
        ("Kim Seo-yun, Staff Reporter", ["Kim Seo-yun"]),
        ("By Kim Seo-yun, Staff Reporter", ["Kim Seo-yun"]),
        ("By Kim Seo-yun, Korea Herald", ["Kim Seo-yun"]),  # outlet given as site_name below
    ],
)
def test_split_authors_reads_romanised_bylines(byline: str, expected: list[str]) -> None:
    assert split_authors(byline, outlet="Korea Herald") == expected


@pytest.mark.parametrize(
    ("byline", "outlet", "expected"),
    [
        ("[한빛일보]", None, []),
        ("ⓒ 한빛일보", None, []),
        ("한빛일보", None, []),
        ("(서울=연합뉴스)", None, []),
        ("한빛타임", "한빛타임", []),  # the site name itself (no outlet suffix to tell it)
        ("한빛타임 홍길동 기자", "한빛타임", ["홍길동"]),
        ("[한빛타임] 홍길동", "한빛타임", ["홍길동"]),
        ("홍길동, 한빛타임", "한빛타임 - 지역뉴스", ["홍길동"]),
        ("ⓒ 한빛타임 홍길동 기자", None, ["홍길동"]),
    ],
)
def test_outlet_is_never_an_author(byline: str, outlet: str | None, expected: list[str]) -> None:
    assert split_authors(byline, outlet=outlet) == expected


def test_record_authors_drop_the_outlet_offered_as_meta_author_or_byline() -> None:
    raw = RawArticle(bylines=["[한빛타임]"], authors_hint=["한빛타임"], site_name="한빛타임")
    assert resolve_authors(raw) == []
    raw = RawArticle(bylines=[], authors_hint=["한빛타임", "윤슬기"], site_name="한빛타임")
    assert resolve_authors(raw) == ["윤슬기"]
    raw = RawArticle(authors_hint=["Kim Seo-yun"], site_name="한빛타임")
    assert resolve_authors(raw) == ["Kim Seo-yun"]
    raw = RawArticle(bylines=["박준석 기자", "김태연 기자", "한국일보"], site_name="한국일보")
    assert resolve_authors(raw) == ["박준석", "김태연"]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("사업을 시작했다고 밝혔다./윤슬기기자", ("사업을 시작했다고 밝혔다.", "/윤슬기기자")),
        ("사업을 시작했다고 밝혔다. /윤슬기 기자", ("사업을 시작했다고 밝혔다.", "/윤슬기 기자")),
        ("사업을 시작했다고 밝혔다./윤슬기·한가람 기자", ("사업을 시작했다고 밝혔다.", "/윤슬기·한가람 기자")),
        ("가격은 1/3 기자회견에서 밝혔다.", ("가격은 1/3 기자회견에서 밝혔다.", None)),
        ("현장의 기자", ("현장의 기자", None)),
        ("밝혔다./뷁뷁뷁기자", ("밝혔다./뷁뷁뷁기자", None)),
    ],
)
def test_split_trailing_byline(paragraph: str, expected: tuple[str, str | None]) -> None:
    assert split_trailing_byline(paragraph) == expected


def test_sort_lines_takes_a_glued_trailing_byline_out_of_the_body() -> None:
    out = sort_lines(["구청은 5일 하천 정비를 시작한다고 밝혔다./윤슬기기자"])
    assert out.paragraphs == ["구청은 5일 하천 정비를 시작한다고 밝혔다."]
    assert out.bylines == ["/윤슬기기자"]
    assert split_authors(out.bylines[0]) == ["윤슬기"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("&amp;quot;한빛&amp;quot; 축제 개막", '"한빛" 축제 개막'),
        ("&amp;amp;lt;한빛&amp;amp;gt;", "<한빛>"),
        ("R&D 예산", "R&D 예산"),
        ("&#39;한빛&#39;", "'한빛'"),
    ],
)
def test_unescape_entities_until_stable(text: str, expected: str) -> None:
    assert unescape_entities(text) == expected


def test_record_title_is_decoded_until_stable() -> None:
    record = build_record(RawArticle(title="&amp;quot;한빛&amp;quot; 축제", paragraphs=["본문."]), now=NOW)
    assert record.title == '"한빛" 축제'


PUB_9, MOD_10 = "2024-03-05T09:00:00+09:00", "2024-03-06T10:00:00+09:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("등록일 2024-03-05 09:00 최종수정 2024-03-06 10:00", ([PUB_9], [MOD_10])),
        ("업데이트 2024.03.06 10:00 작성일 2024.03.05 09:00", ([PUB_9], [MOD_10])),
        ("게시일 : 2024.03.05", (["2024-03-05"], [])),
        ("기사승인 2024.03.05(화) 오후 12:30", (["2024-03-05T12:30:00+09:00"], [])),
        ("승인 2024.03.05 14:30 | 수정 2024.03.06 00:10", (["2024-03-05T14:30:00+09:00"], ["2024-03-06T00:10:00+09:00"])),  # noqa: E501
        ("입력 24.03.05 14:30", (["2024-03-05T14:30:00+09:00"], [])),
        ("입력 24.03.05 14:30 수정 24.03.06 09:00", (["2024-03-05T14:30:00+09:00"], ["2024-03-06T09:00:00+09:00"])),
        ("등록 24-03-05", (["2024-03-05"], [])),
        ("입력 방금 전", (["2024-03-05T14:00:00+09:00"], [])),
        ("입력 방금 전 수정 2024.03.06 10:00", (["2024-03-05T14:00:00+09:00"], [MOD_10])),  # up to the next label
        ("입력 2일 전", (["2024-03-03"], [])),
    ],
)
def test_labeled_dates_field_cases(text: str, expected: tuple[list[str], list[str]]) -> None:
    assert labeled_dates(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024.03.05(화)", "2024-03-05"),
        ("2024.03.05(화) 14:30", "2024-03-05T14:30:00+09:00"),
        ("2024.03.05.(화) 오후 12:30", "2024-03-05T12:30:00+09:00"),
        ("2024년 3월 5일(화) 오전 12시 10분", "2024-03-05T00:10:00+09:00"),
        ("24.03.05 14:30", "2024-03-05T14:30:00+09:00"),  # a clear shape: two-digit year with a time
        ("24.03.05", None),  # bare numbers: could be anything
        ("1.2.3 버전", None),
        ("방금 전", "2024-03-05T14:00:00+09:00"),
        ("방금", "2024-03-05T14:00:00+09:00"),
        ("5일 전남도청에서", None),  # "5일" then 전남: not "5 days ago"
        ("Tue, 05 Mar 2024 05:22:00 GMT", "2024-03-05T14:22:00+09:00"),
        ("2024-03-05T05:22:00.000Z", "2024-03-05T14:22:00+09:00"),
        ("  ", None),
    ],
)
def test_parse_kst_field_cases(text: str, expected: str | None) -> None:
    assert parse_kst(text, now=NOW) == expected


def test_empty_date_published_is_no_value() -> None:
    raw = RawArticle(published_raw=["", " ", "2024-03-05T14:22:00+09:00"], modified_raw=[""])
    assert resolve_dates(raw, NOW) == ("2024-03-05T14:22:00+09:00", None)


def test_now_flows_into_relative_dates_of_the_record() -> None:
    record = build_record(RawArticle(published_raw=["입력 3시간 전"], paragraphs=["본문."]), now=NOW)
    assert record.published == "2024-03-05T11:00:00+09:00"


_SPACES = st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\u00a0\u1680\u2000\u2007\u200a\u200b\u2028\u202f\u3000\ufeff")


@given(st.lists(st.one_of(st.text(max_size=8), _SPACES), max_size=12).map("".join))
@settings(max_examples=300)
def test_fold_space_is_the_regex_fold(text: str) -> None:
    """fold_space (str.split) gives what the regex fold it replaced gave, for any mix of spaces."""
    import unicodedata

    assert fold_space(text) == _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
