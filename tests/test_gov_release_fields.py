"""Press-release fields of the real gov view pages (../shared/corpus/real/gov) against their hand-checked
gold: department, contact person and phone (labelled per-release fields only, never the page-manager
footer), and attachments (names as shown, URLs resolved from href/onclick/data-* against the page URL)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from support import GoldPage, extract_gold, gold_pages, require_shared

from scraper.models import Record
from scraper.pipeline import extract_text

GOV = [p for p in gold_pages() if p.pid.startswith("gov/")]


def test_the_gov_view_pages_are_there() -> None:
    """Every saved gov view page of the corpus (it grows every round) is checked here, none skipped."""
    folder = require_shared("corpus", "real", "gov")
    views = sorted(f"gov/{path.name[:-len('.html')]}" for path in folder.glob("*-view.html"))
    assert len(views) >= 11
    assert [p.pid for p in GOV] == views


def _record(page: GoldPage) -> Record:
    outcome = extract_gold(page)
    assert isinstance(outcome, Record), outcome
    return outcome


@pytest.mark.parametrize("page", GOV, ids=[p.pid for p in GOV])
def test_department_and_contact(page: GoldPage) -> None:
    record = _record(page)
    contact = record.contact
    got = {"department": record.department, "contact_person": contact.name if contact else None,
           "phone": contact.phone if contact else None}
    want = {key: page.gold.get(key) for key in got}
    assert got == want
    assert record.kind == "press_release"


@pytest.mark.parametrize("page", GOV, ids=[p.pid for p in GOV])
def test_attachments(page: GoldPage) -> None:
    record = _record(page)
    want = page.gold.get("attachments", [])
    assert [a.name for a in record.attachments] == [a["name"] for a in want]
    for got, gold in zip(record.attachments, want, strict=True):
        gold_url = gold.get("url") or ""
        if " " in gold_url or "=" in gold_url.split("?")[0]:  # the gold describes a POST-only download
            assert got.url is None
            continue
        assert got.url == urljoin(page.url or "", gold_url)


def test_every_corpus_page_has_its_own_record_id() -> None:
    """Section-root og:url values (ybmodule boards declare ``http://www.naju.go.kr/www`` on every post) and
    bare site roots (gwangju.go.kr) must not become the canonical URL: each page keeps its own id."""
    pages = gold_pages()
    require_shared("corpus", "real")
    records = [_record(p) for p in pages]
    assert len({r.id for r in records}) == len(records)
    naju = next(r for r, p in zip(records, pages, strict=True) if p.pid == "gov/004-naju-si-view")
    assert naju.canonical_url == "https://www.naju.go.kr/www/administration/reporting/coverage?idx=591764&mode=view"


BOARD_RELEASE = (
    "<html><head><meta charset='utf-8'><title>보도자료 | 한빛구청</title></head><body><div class='board_view'>"
    "<h3 class='title'>한빛구, 도시계획 재정비 착수</h3>{fields}<div class='view_cont'>"
    "<p class='sub-tit'>- 주민 의견 수렴 후 내년 확정 -</p>"
    "<p>한빛구는 도시계획 재정비를 착수한다고 밝혔다. 주민 누구나 의견을 낼 수 있다.</p>"
    "<p>구는 내년 상반기까지 재정비안을 마련할 계획이다.</p></div>{files}</div></body></html>")
LONG_NAME = "한빛구 도시계획 재정비 착수 보도자료 " * 14 + "(2025년 3월 2일 배포).hwp"


@pytest.mark.parametrize("fields", [
    "<ul class='info'><li><span class='tit'>담당부서</span> 도시계획과</li><li><span class='tit'>연락처</span> "
    "02-123-4567</li><li><span class='tit'>등록일</span> 2025-03-02</li></ul>",
    "<ul><li>담당부서 : 도시계획과</li><li>연락처 : 02-123-4567</li><li>등록일 : 2025-03-02</li></ul>",
])
def test_list_item_field_layouts_deck_and_a_long_file_name(fields: str) -> None:
    """Board layouts seen on 시·구청 boards: fields in ``<li>`` rows (a label span, or ``label : value``), a
    ``p.sub-tit`` deck at the top of the text, and a file whose name repeats the release title (>300 chars)."""
    files = (f"<div class='file'><a href='/files/a.hwp'>{LONG_NAME}</a>"
             "<a href='/cmm/FileDown.do?atchFileId=F1&amp;fileSn=1'>붙임자료 다운로드</a></div>")
    record = extract_text(BOARD_RELEASE.format(fields=fields, files=files),
                          url="https://www.hanbit.go.kr/board/view.do?id=1")
    assert (record.department, record.contact.phone if record.contact else None) == ("도시계획과", "02-123-4567")
    assert record.published == "2025-03-02"  # a day with no time stays a day
    assert record.subtitle == "- 주민 의견 수렴 후 내년 확정 -"
    assert record.body[0] == "- 주민 의견 수렴 후 내년 확정 -"  # a release's deck stays its first paragraph
    assert [a.url for a in record.attachments] == [
        "https://www.hanbit.go.kr/files/a.hwp", "https://www.hanbit.go.kr/cmm/FileDown.do?atchFileId=F1&fileSn=1"]
    assert record.attachments[0].name == LONG_NAME and len(LONG_NAME) > 300
