"""Press-release fields of the real gov view pages (../shared/corpus/real/gov) against their hand-checked
gold: department, contact person and phone (labelled per-release fields only, never the page-manager
footer), and attachments (names as shown, URLs resolved from href/onclick/data-* against the page URL)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from support import GoldPage, extract_gold, gold_pages, require_shared

from scraper.models import Record

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
