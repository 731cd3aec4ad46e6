"""Normalizers: Korean date strings -> ISO 8601 in KST, bylines -> author names (examples and properties)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.normalize.authors import ROLE_WORDS, split_authors
from scraper.normalize.dates import labeled_dates, parse_kst

NOW = "2024-03-05T14:00:00+09:00"
ISO_KST = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+09:00)?$")
HANGUL_NAME = re.compile(r"^[가-힣]{2,5}$")
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
