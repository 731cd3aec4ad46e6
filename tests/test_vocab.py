"""The word groups of ``scraper.vocab``: well-formed data, and each word known by every rule built from its group."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper import vocab
from scraper.extract import capture, headline, release
from scraper.extract.chrome import classify_line, credit_of
from scraper.extract.header import zone_dates
from scraper.extract.lines import is_photo_credit, split_dateline
from scraper.normalize.authors import split_authors
from scraper.normalize.dates import has_date_label, labeled_dates

GROUPS = {
    name: value
    for name, value in vars(vocab).items()
    if name.isupper() and isinstance(value, tuple) and all(isinstance(w, str) for w in value)
}


def test_groups_are_found() -> None:
    assert {"PREV_NEXT", "BYLINE_ROLES", "PUBLISHED_LABELS", "MODIFIED_LABELS", "DEPARTMENT_LABELS",
            "BOARD_WORDS", "CHROME_HEADINGS", "PICTURE_LABELS", "CREDIT_LABELS"} <= set(GROUPS)
    assert len(GROUPS) >= 35


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_group_is_non_empty_without_duplicates(name: str) -> None:
    words = GROUPS[name]
    assert words
    spellings = [vocab.despaced(w).lower() for w in words]  # "이전 글" and "이전글" are one word
    assert len(spellings) == len(set(spellings)), [w for w in words if spellings.count(vocab.despaced(w).lower()) > 1]
    assert all(w == w.strip() and "  " not in w for w in words)


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_every_word_matches_its_group(name: str) -> None:
    pattern = re.compile(vocab.alternation(GROUPS[name]), re.I)
    for word in GROUPS[name]:
        assert pattern.fullmatch(word), word
        assert pattern.fullmatch(vocab.despaced(word)), word  # spaces inside a word are optional


def test_alternation_prefers_the_longest_word() -> None:
    assert re.match(vocab.alternation(["이전", "이전 글"]), "이전글 보기").group(0) == "이전글"
    assert vocab.alternation(["a.b", "a.b"]) == r"(?:a\.b)"


def test_derived_groups_are_unions() -> None:
    assert set(vocab.ROLE_BASES) == set(vocab.BYLINE_ROLES) | set(vocab.TITLE_ROLES)
    assert set(vocab.REPORTER_ROLES) <= set(vocab.BYLINE_ROLES)
    assert set(vocab.TRAINEE_MODIFIERS) <= set(vocab.STATUS_MODIFIERS) <= set(vocab.ROLE_MODIFIERS)
    assert set(vocab.PREV_NEXT) == set(vocab.PREV_NEXT_POSTS) | set(vocab.PREV_NEXT_PAGES)


# --- each word known by every module that needs it ---------------------------------------------------------


@pytest.mark.parametrize("role", vocab.BYLINE_ROLES + vocab.ROLE_COMPOUNDS)
def test_byline_role_is_stripped_by_split_authors_and_a_byline_line(role: str) -> None:
    assert split_authors(f"홍길동 {role}") == ["홍길동"]
    assert split_authors(f"윤슬기{role}") == ["윤슬기"]
    assert classify_line(f"홍길동 {role}") == "byline"
    assert classify_line(f"홍길동 {role} hong@example.com") == "byline"


@pytest.mark.parametrize("role", vocab.TITLE_ROLES)
def test_title_role_is_stripped_by_split_authors(role: str) -> None:
    assert split_authors(f"홍길동 {role}") == ["홍길동"]


@pytest.mark.parametrize("modifier", vocab.STATUS_MODIFIERS)
def test_status_modifier_in_both(modifier: str) -> None:
    assert split_authors(f"홍길동 {modifier}기자") == ["홍길동"]
    assert classify_line(f"홍길동 {modifier}기자") == "byline"


@pytest.mark.parametrize("role", vocab.REPORTER_ROLES)
def test_reporter_role_in_a_wire_dateline(role: str) -> None:
    assert split_dateline(f"(서울=연합뉴스) 홍길동 {role} = 정부가 발표했다.") == (
        f"(서울=연합뉴스) 홍길동 {role} =", "정부가 발표했다.")
    assert split_authors(f"(세종=연합뉴스) 이세원 이대희 {role} =") == ["이세원", "이대희"]


@pytest.mark.parametrize("role", vocab.ROLE_FIRST_ROLES)
def test_role_first_byline(role: str) -> None:
    assert classify_line(f"{role} 박생강") == "byline"
    assert split_authors(f"{role} 박생강") == ["박생강"]


@pytest.mark.parametrize("title", vocab.CONTRIBUTOR_TITLES)
def test_contributor_title_is_no_name(title: str) -> None:
    assert split_authors(f"{title} 박생강") == ["박생강"]


@pytest.mark.parametrize("label", vocab.PUBLISHED_LABELS + vocab.MODIFIED_LABELS)
def test_date_label_read_by_dates_chrome_and_captures(label: str) -> None:
    line = f"{label} 2024.03.05 14:22"
    published, modified = labeled_dates(line)
    expected = ["2024-03-05T14:22:00+09:00"]
    assert (published, modified) == (([], expected) if label in vocab.MODIFIED_LABELS else (expected, []))
    assert classify_line(line) == "date"
    assert capture._DATE_LINE_RE.search(line)
    assert has_date_label(f"{label}일 2024.03.05")


@pytest.mark.parametrize("prefix", vocab.DATE_LABEL_PREFIXES)
@pytest.mark.parametrize("suffix", vocab.DATE_LABEL_SUFFIXES)
def test_date_label_prefixes_and_suffixes(prefix: str, suffix: str) -> None:
    line = f"{prefix}수정{suffix} : 2024.03.06 09:00"
    assert labeled_dates(line) == ([], ["2024-03-06T09:00:00+09:00"])
    assert classify_line(line) == "date"


def test_modified_label_with_prefix_keeps_its_role() -> None:
    assert labeled_dates("최종 수정 2024.03.06 | 기사입력 2024.03.05") == (["2024-03-05"], ["2024-03-06"])


@pytest.mark.parametrize("label", vocab.PREV_NEXT_POSTS)
def test_prev_next_post_label_in_header_chrome_and_release(label: str) -> None:
    assert zone_dates([f"{label} 2024.01.01 구청 소식"]) == ([], [])
    assert classify_line(f"{label} 구청 소식") == "stop"
    html = f"<table><tr><th>{label}</th><td>2024. 3. 4.</td></tr></table>"
    assert release.in_prev_next(LexborHTMLParser(html).css_first("td"))


@pytest.mark.parametrize("label", vocab.PREV_NEXT_PAGES)
def test_prev_next_page_label_in_header(label: str) -> None:
    assert zone_dates([f"{label} 2024.01.01"]) == ([], [])


@pytest.mark.parametrize("heading", vocab.CHROME_HEADINGS)
def test_chrome_heading_ends_the_article(heading: str) -> None:
    assert classify_line(heading) == "stop"
    assert classify_line(f"[{heading}]") == "stop"


@pytest.mark.parametrize("word", vocab.CHROME_CONTROLS + vocab.COUNTED_CONTROLS)
def test_chrome_control_is_chrome(word: str) -> None:
    assert classify_line(word) == "chrome"


def test_counted_control_with_count() -> None:
    assert classify_line("댓글 3") == "chrome"


@pytest.mark.parametrize("word", vocab.PHOTO_CREDIT_LABELS)
def test_photo_credit_label(word: str) -> None:
    assert is_photo_credit(f"[{word}=연합뉴스]")
    assert classify_line(f"[{word}=연합뉴스]") == "caption"


@pytest.mark.parametrize("word", vocab.CREDIT_LABELS)
def test_credit_label(word: str) -> None:
    assert credit_of(f"{word}: 광진구청 보도자료") == "광진구청 보도자료"


@pytest.mark.parametrize("word", vocab.DATELINE_NOT_COLUMN)
def test_credit_bracket_is_no_column_dateline(word: str) -> None:
    assert split_dateline(f"[{word}=Getty Images] 행사 모습이다.")[0] is None
    assert split_dateline("[엔터미디어=Getty Images] 행사 모습이다.")[0] == "[엔터미디어=Getty Images]"


@pytest.mark.parametrize(("group", "pattern"), [
    ("DEPARTMENT_LABELS", release._DEPT_LABEL), ("CONTACT_NAME_LABELS", release._NAME_LABEL),
    ("PHONE_LABELS", release._PHONE_LABEL), ("EMAIL_LABELS", release._MAIL_LABEL),
])
def test_release_labels(group: str, pattern: re.Pattern[str]) -> None:
    for word in GROUPS[group]:
        assert pattern.match(word) and release._ANY_LABEL.match(word), word
        if group != "EMAIL_LABELS":
            assert release._HEADER_LABEL.match(word)
            assert release.inline_pairs(LexborHTMLParser(f"<ul><li>{word} : 도시계획과</li></ul>")) == [
                (word, "도시계획과")]


def test_board_words() -> None:
    for word in vocab.BOARD_WORDS:
        assert headline.is_board_name(f"{word} 상세보기"), word
    assert headline.is_board_name("공지사항 > 보도자료")
    assert not headline.is_board_name("한빛구, 봄꽃축제 교통통제 안내")


@pytest.mark.parametrize("phrase", vocab.PROMO_PHRASES)
def test_promo_phrase_is_chrome(phrase: str) -> None:
    assert classify_line(f"지금 {phrase} 확인") == "chrome"


@pytest.mark.parametrize("word", vocab.TIP_OFF + vocab.TIP_OFF_CONTACTS)
def test_tip_off_ends_the_article(word: str) -> None:
    assert classify_line(f"{word} : jebo@example.com") == "stop"
