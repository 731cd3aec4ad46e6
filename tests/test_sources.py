"""Site profiles and board sources are checked when loaded: selectors, URL patterns, hooks, source names."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.errors import ConfigError
from scraper.extract.hooks import HOOKS
from scraper.pipeline import extract_text
from scraper.sources import SITES_DIR, load_profiles
from scraper.sources.boards import BOARDS_DIR, load_sources

# A small news profile (a kind of page: one headline, a deck, a body container) written for these tests.
PROFILE = """\
name = "tmpsite"
site = "임시일보"
kind = "news_article"
hosts = ["news.example.kr"]
url_patterns = ['/a/[0-9]+$']
fingerprints = ["div.story-body"]
title = ["h2.headline", "meta[property='og:title']@content"]
subtitle = ["p.deck"]
body = ["div.story-body"]
drop = ["div.ad-box"]
published = ["span.when"]
byline = ["span.who"]
"""

PAGE = """<html><head><title>사이트 제목</title></head><body>
<h1>임시일보</h1>
<h2 class="headline">시, 내년 예산 3조원 편성</h2>
<p class="deck">복지 예산 12% 늘려<br>교통 분야는 줄어</p>
<span class="who">김철수 기자</span> <span class="when">입력 2026-03-02 10:15</span>
<div class="story-body"><p>시는 2일 내년도 예산안을 3조원 규모로 편성했다고 밝혔다. 올해보다 5% 늘어난 규모다.</p>
<div class="ad-box">광고 문의 02-123-4567 여기를 누르세요</div>
<p>복지 분야 예산은 12% 늘었고 교통 분야 예산은 줄었다. 시의회는 다음 달 심의한다.</p></div>
</body></html>"""

BOARD = """\
[[source]]
name = "sample-press"
organization = "가람시"
list_url = "https://www.garam.go.kr/board/list.do"
[source.items]
item = "table.board tbody tr"
link = ["a[href*='idx=']"]
title = ["td.subject a"]
date = ["td.date", "td.date@title"]
id_param = "idx"
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def profile_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = write(tmp_path, "x.toml", text)
    with pytest.raises(ConfigError) as err:
        load_profiles(tmp_path)
    return path, err.value.message


def sources_error(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_sources(path)
    return err.value.message


# --- bundled files ---

def test_every_bundled_profile_loads() -> None:
    profiles = load_profiles()
    assert len(profiles) == len(list(SITES_DIR.glob("*.toml")))
    assert all(p.hook in HOOKS for p in profiles.values() if p.hook)
    assert {p.hook for p in profiles.values() if p.hook} == {
        "arc_fusion", "entermedia_deck", "hankookilbo_flight", "mtn_deck"}


@pytest.mark.parametrize("path", sorted(BOARDS_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_every_bundled_board_file_loads(path: Path) -> None:
    assert load_sources(path)


def test_bundled_board_folder_names() -> None:
    assert sorted(load_sources()) == ["gangjin-press", "gwangju-news", "gyeongbuk-press", "jindo-news",
                                      "korea-kr-press", "naju-press", "wando-press"]


# --- profiles: selectors, patterns, hooks ---

def test_good_profile_loads(tmp_path: Path) -> None:
    write(tmp_path, "tmpsite.toml", PROFILE)
    profile = load_profiles(tmp_path)["tmpsite"]
    assert profile.title == ["h2.headline", "meta[property='og:title']@content"]
    assert profile.url_patterns == ["/a/[0-9]+$"]


def test_bad_selector_names_file_field_and_selector(tmp_path: Path) -> None:
    path, message = profile_error(tmp_path, PROFILE.replace('"h2.headline", ', '"h2.headline", "h1..title", '))
    assert message == (f"invalid site profile {path}: field 'title'[1]: bad CSS selector 'h1..title': "
                       "Can't parse CSS selector.")


@pytest.mark.parametrize(("field", "line", "selector"), [
    ("fingerprints", 'fingerprints = ["div.story-body", "div["]', "div["),
    ("subtitle", 'subtitle = ["p.deck", "p..deck@title"]', "p..deck@title"),
    ("body", 'body = ["div.story-body", "div >"]', "div >"),
    ("drop", 'drop = ["div.ad-box", "div.ad-box@class"]', "div.ad-box@class"),  # drop reads nodes: no @attr
    ("published", 'published = ["span.when", "span:when"]', "span:when"),
    ("byline", 'byline = ["span.who", ""]', ""),
])
def test_bad_selector_in_each_kind_of_field(tmp_path: Path, field: str, line: str, selector: str) -> None:
    text = "\n".join(line if row.startswith(f"{field} = ") else row for row in PROFILE.splitlines())
    path, message = profile_error(tmp_path, text)
    assert str(path) in message
    assert f"field '{field}'[1]: bad CSS selector {selector!r}" in message


def test_every_error_of_a_file_is_reported(tmp_path: Path) -> None:
    text = (PROFILE.replace('title = ["h2.headline"', 'title = ["h2..headline"')
            .replace('drop = ["div.ad-box"]', 'drop = ["div.ad-box", "div >> p"]')
            .replace('kind = "news_article"', 'kind = "blog"'))
    path, message = profile_error(tmp_path, text)
    lines = message.splitlines()
    assert lines[0] == f"invalid site profile {path}: 3 errors:"
    assert lines[1] == ("  field 'kind': Input should be 'news_article' or 'press_release' (got 'blog')")
    assert lines[2] == "  field 'title'[0]: bad CSS selector 'h2..headline': Can't parse CSS selector."
    assert lines[3] == "  field 'drop'[1]: bad CSS selector 'div >> p': Can't parse CSS selector."


def test_bad_url_pattern(tmp_path: Path) -> None:
    path, message = profile_error(tmp_path, PROFILE.replace("'/a/[0-9]+$'", "'/a/([0-9]+$'"))
    assert message == (f"invalid site profile {path}: field 'url_patterns'[0]: bad regular expression "
                       "'/a/([0-9]+$': missing ), unterminated subpattern at position 3")


def test_unknown_hook(tmp_path: Path) -> None:
    path, message = profile_error(tmp_path, PROFILE + 'hook = "mtn_dek"\n')
    assert message.startswith(f"invalid site profile {path}: field 'hook': no registered hook named 'mtn_dek' "
                              "(known: arc_fusion, entermedia_deck, ")


def test_unknown_hook_reported_with_the_selector_errors(tmp_path: Path) -> None:
    _, message = profile_error(tmp_path, PROFILE.replace('"p.deck"', '"p.deck]"') + 'hook = "nope"\n')
    assert "2 errors" in message
    assert "field 'subtitle'[0]: bad CSS selector 'p.deck]'" in message
    assert "field 'hook': no registered hook named 'nope'" in message


def test_unknown_field_and_bad_toml(tmp_path: Path) -> None:
    path, message = profile_error(tmp_path, PROFILE + 'colour = "red"\n')
    assert message == f"invalid site profile {path}: field 'colour': Extra inputs are not permitted (got 'red')"
    path, message = profile_error(tmp_path, PROFILE + "title = \n")
    assert message.startswith(f"invalid site profile {path}: ")


# --- extraction with profiles from a folder ---

def test_extraction_with_profiles_from_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "tmpsite.toml", PROFILE)
    profiles = tuple(load_profiles(tmp_path).values())
    record = extract_text(PAGE, url="https://news.example.kr/a/1", profiles=profiles)
    assert record.extractor == "tmpsite"
    assert record.site == "임시일보"
    assert record.title == "시, 내년 예산 3조원 편성"
    assert record.subtitle == "복지 예산 12% 늘려 / 교통 분야는 줄어"
    assert record.published == "2026-03-02T10:15:00+09:00"
    assert record.authors == ["김철수"]
    assert record.body == ["시는 2일 내년도 예산안을 3조원 규모로 편성했다고 밝혔다. 올해보다 5% 늘어난 규모다.",
                           "복지 분야 예산은 12% 늘었고 교통 분야 예산은 줄었다. 시의회는 다음 달 심의한다."]


def test_hook_reads_the_selector_of_its_profile(tmp_path: Path) -> None:
    """``mtn_deck`` reads the deck with the profile's ``subtitle`` selector (here ``p.deck``, not MTN's)."""
    write(tmp_path, "tmpsite.toml", PROFILE + 'hook = "mtn_deck"\n')
    record = extract_text(PAGE, url="https://news.example.kr/a/1", profiles=tuple(load_profiles(tmp_path).values()))
    assert record.subtitle == "복지 예산 12% 늘려 교통 분야는 줄어"


# --- board sources ---

def test_good_board_file_loads(tmp_path: Path) -> None:
    source = load_sources(write(tmp_path, "boards.toml", BOARD))["sample-press"]
    assert source.items.date == ["td.date", "td.date@title"]


def test_board_bad_item_selectors_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "boards.toml", BOARD.replace('"table.board tbody tr"', '"table.board tbody tr,"')
                 .replace('"td.date", ', '"td..date", '))
    assert sources_error(path) == (
        f"{path}: 2 errors:\n"
        "  source[0] 'sample-press' field 'items.item': bad CSS selector 'table.board tbody tr,': "
        "Can't parse CSS selector.\n"
        "  source[0] 'sample-press' field 'items.date'[0]: bad CSS selector 'td..date': Can't parse CSS selector.")


@pytest.mark.parametrize("name", ["../../evil", "a/b", "", "..", ".hidden", "sample press", "_x"])
def test_board_unsafe_source_name(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, "boards.toml", BOARD.replace('"sample-press"', repr(name).replace("'", '"')))
    message = sources_error(path)
    assert message.startswith(f"{path}: source[0] {name!r} field 'name': source name {name!r} is not a safe "
                              "folder name")


def test_board_hangul_source_name_is_safe(tmp_path: Path) -> None:
    path = write(tmp_path, "boards.toml", BOARD.replace('"sample-press"', '"가람시-보도자료"'))
    assert list(load_sources(path)) == ["가람시-보도자료"]


def test_board_duplicate_name_ignoring_case_in_one_file(tmp_path: Path) -> None:
    path = write(tmp_path, "boards.toml", BOARD + "\n" + BOARD.replace('"sample-press"', '"Sample-Press"'))
    assert sources_error(path) == (f"{path}: source[1] 'Sample-Press' field 'name': duplicate source name (same "
                                   "output folder as 'sample-press' in this file; names are compared ignoring case)")


def test_board_duplicate_name_across_files_names_both(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", BOARD)
    second = write(tmp_path, "b.toml", BOARD)
    assert sources_error(tmp_path) == (f"{second}: source[0] 'sample-press' field 'name': duplicate source name "
                                       f"(same output folder as 'sample-press' in {first}; names are compared "
                                       "ignoring case)")


def test_board_unknown_profile(tmp_path: Path) -> None:
    path = write(tmp_path, "boards.toml", BOARD.replace('list_url', 'profile = "nosuch"\nlist_url'))
    assert sources_error(path).startswith(f"{path}: source[0] 'sample-press' field 'profile': no site profile "
                                          "named 'nosuch' (known: ")


def test_registered_hooks_are_exactly_the_names_profiles_are_checked_against() -> None:
    from scraper.extract.hooks import HOOKS
    from scraper.sources.profile import HOOK_NAMES

    assert set(HOOKS) == HOOK_NAMES


def test_a_sources_file_with_a_bom_loads(tmp_path: Path) -> None:
    """Windows editors save UTF-8 with a BOM: the file is the same TOML."""
    path = tmp_path / "boards.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BOARD.encode())
    assert list(load_sources(path)) == ["sample-press"]
