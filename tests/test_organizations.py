"""The organization registry (scraper/normalize/data/organizations.txt), credits on news pages
(``credited_organization``) and ``organization`` filled from a release's host."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest
from support import SHARED, extract_gold, gold_pages, require_shared, run_cli

from scraper.models import Record
from scraper.normalize.credits import credited_organization
from scraper.normalize.organizations import (
    candidates,
    organization_by_name,
    organization_for_host,
    registry,
    resolve_organization,
)
from scraper.pipeline import extract_text


def test_registry_holds_every_province_and_local_government() -> None:
    kinds = Counter(org.kind for org in registry())
    assert kinds["province"] == 17
    assert kinds["local"] == 226
    names = [org.name for org in registry()]
    assert len(names) == len(set(names))
    provinces = {org.name for org in registry() if org.kind == "province"}
    assert {org.name.split(" ")[0] for org in registry() if org.kind == "local"} <= provinces
    # the 2-digit 시·도 codes are all there and distinct
    codes = [org.code for org in registry() if org.kind == "province"]
    assert len(set(codes)) == 17 and all(len(c) == 2 and c.isdigit() for c in codes)


def test_local_counts_per_province() -> None:
    per = Counter(org.name.split(" ")[0] for org in registry() if org.kind == "local")
    assert per == {
        "서울특별시": 25, "부산광역시": 16, "대구광역시": 9, "인천광역시": 10, "광주광역시": 5, "대전광역시": 5,
        "울산광역시": 5, "경기도": 31, "강원특별자치도": 18, "충청북도": 11, "충청남도": 15, "전북특별자치도": 14,
        "전라남도": 22, "경상북도": 22, "경상남도": 18,
    }


def test_no_domain_is_claimed_by_two_bodies() -> None:
    domains = [d for org in registry() for d in org.domains]
    assert [d for d, n in Counter(domains).items() if n > 1] == []
    assert all(d == d.lower() and not d.startswith("www.") for d in domains)


@pytest.mark.parametrize("form", [
    "광진구청", "광진구", "서울 광진구", "서울시 광진구", "서울특별시 광진구", "서울광진구",
])
def test_short_forms_of_gwangjin(form: str) -> None:
    assert resolve_organization(form) == "서울특별시 광진구"


@pytest.mark.parametrize(("form", "count"), [
    ("중구", 6), ("동구", 6), ("서구", 5), ("남구", 4), ("북구", 4), ("강서구", 2), ("고성군", 2), ("광주시", 2),
    ("중구청", 6), ("고성군청", 2),
])
def test_ambiguous_short_forms_never_resolve_alone(form: str, count: int) -> None:
    assert len(candidates(form)) == count
    assert resolve_organization(form) is None


@pytest.mark.parametrize(("form", "name"), [
    ("부산 중구", "부산광역시 중구"), ("대구 중구청", "대구광역시 중구"), ("서울 강서구", "서울특별시 강서구"),
    ("부산시 강서구", "부산광역시 강서구"), ("강원 고성군", "강원특별자치도 고성군"),
    ("경남 고성군", "경상남도 고성군"),
    ("광주 동구", "광주광역시 동구"), ("광주시 북구", "광주광역시 북구"), ("경기 광주시", "경기도 광주시"),
    ("울산광역시 북구", "울산광역시 북구"), ("전라북도 전주시", "전북특별자치도 전주시"), ("강원도", "강원특별자치도"),
    ("경북 군위군", "대구광역시 군위군"), ("인천 남구", "인천광역시 미추홀구"), ("행안부", "행정안전부"),
    ("정책브리핑", "대한민국 정책브리핑"), ("문화재청", "국가유산청"),
])
def test_ambiguous_forms_resolve_with_their_city(form: str, name: str) -> None:
    assert resolve_organization(form) == name


def test_unknown_forms_resolve_to_nothing() -> None:
    assert resolve_organization("한빛구") is None
    assert resolve_organization("연합뉴스") is None
    assert resolve_organization("") is None


@pytest.mark.parametrize(("host", "name"), [
    ("www.gwangjin.go.kr", "서울특별시 광진구"), ("news.seoul.go.kr", "서울특별시"),
    ("www.korea.kr", "대한민국 정책브리핑"),
    ("www.mois.go.kr", "행정안전부"), ("www.gangjin.go.kr:443", "전라남도 강진군"), ("gwangju.go.kr", "광주광역시"),
    ("council.gwangjin.go.kr", None), ("example.go.kr", None), ("www.mk.co.kr", None), ("", None),
])
def test_organization_for_host(host: str, name: str | None) -> None:
    assert organization_for_host(host) == name


def test_every_corpus_gov_host_is_known() -> None:
    """Every real release page of the corpus is on a host the registry knows (its body is filled from it)."""
    folder = require_shared("corpus", "real", "gov")
    unknown = []
    for meta in sorted(folder.glob("*.meta.json")):
        url = json.loads(meta.read_text(encoding="utf-8")).get("original_url") or ""
        if url and organization_for_host(urlsplit(url).netloc) is None:
            unknown.append(url)
    assert unknown == []


# --- credits on news pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "photo", "captions", "body", "want"), [
    ("광진구청 보도자료", None, [], [], "서울특별시 광진구"),  # the seed's source line
    (None, None, [], ["목포시는 14일 밝혔다. (자료제공=목포시)"], "전라남도 목포시"),
    (None, None, [], ["이 사업은 내년까지 이어진다.(광진구 제공)"], "서울특별시 광진구"),
    (None, None, ["축제 모습. /사진=신안군"], [], "전라남도 신안군"),
    (None, "사진=나주시 제공", [], [], "전라남도 나주시"),
    (None, None, ["현장 점검 모습 강진군 제공"], [], "전라남도 강진군"),
    (None, None, ["중구 제공"], [], "중구"),  # ambiguous: kept as printed, never guessed
    (None, None, ["부산 중구 제공"], [], "부산광역시 중구"),
    ("노인건강과", None, [], [], "노인건강과"),  # a source line is kept as printed
    (None, "사진=연합뉴스", ["사진=픽사베이", "/사진=JTBC"], [], None),  # agencies and stock sites are no body
    (None, None, [], ["광진구 제공 서비스가 늘었다."], None),  # running text is no credit
    (None, None, [], [], None),
])
def test_credited_organization(source: str | None, photo: str | None, captions: list[str], body: list[str],
                               want: str | None) -> None:
    assert credited_organization(source, photo, captions, body) == want


def _seed_text() -> str:
    folder = require_shared("corpus", "seed")
    return next(iter(sorted(folder.glob("*.txt")))).read_text(encoding="utf-8")


def test_seed_record_credits_gwangjin() -> None:
    record = extract_text(_seed_text())
    assert record.source_credit == "광진구청 보도자료"
    assert record.credited_organization == "서울특별시 광진구"


def test_seed_through_the_cli_prints_credited_organization() -> None:
    folder = require_shared("corpus", "seed")
    path = next(iter(sorted(folder.glob("*.txt"))))
    proc = run_cli("extract", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(proc.stdout)
    assert record["credited_organization"] == "서울특별시 광진구"
    assert record["derived_from"] == []


def test_corpus_news_credits() -> None:
    """The real news pages: only 매일경제's 부산 page credits a public body (``[사진 출처 = 부산시]``); the
    agency and broadcaster credits of the others (연합뉴스, OSEN, JTBC, 뉴스1) give none."""
    require_shared("corpus", "real")
    got = {}
    for page in gold_pages(SHARED):
        outcome = extract_gold(page)
        if isinstance(outcome, Record) and outcome.kind == "news_article" and outcome.credited_organization:
            got[page.pid] = outcome.credited_organization
    assert got == {"news/015-mk": "부산광역시"}


def test_release_organization_filled_from_host() -> None:
    """행정안전부's release page names no organization; its host does (the gold says 행정안전부)."""
    require_shared("corpus", "real")
    pages = {p.pid: p for p in gold_pages(SHARED)}
    page = pages["gov/017-mois-view"]
    outcome = extract_gold(page, generic=True)
    assert isinstance(outcome, Record)
    assert outcome.organization == page.gold["organization"] == "행정안전부"
    korea = extract_gold(pages["gov/023-korea-kr-view"], generic=True)
    # 정책브리핑 republishes the ministries' releases: its host names the publisher (the gold leaves it null)
    gold = pages["gov/023-korea-kr-view"].gold
    assert isinstance(korea, Record) and korea.organization is None and gold["organization"] is None


def test_registry_entries_have_their_own_name_as_a_form() -> None:
    for org in registry():
        assert org.name in org.forms
        assert organization_by_name(org.name) == org
