"""The bundled sample pages (fixtures/pages, used by scripts/demo.sh) give the values written by hand
in fixtures/expected/<name>.json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES

from scraper.models import Record
from scraper.pipeline import extract_page

PAGES = sorted((FIXTURES / "pages").iterdir())
SCALAR_KEYS = ("title", "published", "modified", "authors", "body", "kind", "source_credit", "department", "warnings")


def _expected(page: Path) -> dict[str, Any]:
    return dict(json.loads((FIXTURES / "expected" / f"{page.stem}.json").read_text(encoding="utf-8")))


def test_every_sample_page_has_expectations() -> None:
    assert len(PAGES) >= 4
    assert [p.stem for p in PAGES if not (FIXTURES / "expected" / f"{p.stem}.json").exists()] == []


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_sample_page_gives_expected_record(page: Path) -> None:
    expected = _expected(page)
    record = extract_page(page.read_bytes())
    assert isinstance(record, Record)
    got: dict[str, Any] = {k: getattr(record, k) for k in SCALAR_KEYS if k in expected}
    want: dict[str, Any] = {k: expected[k] for k in SCALAR_KEYS if k in expected}
    if "captions" in expected:
        got["captions"], want["captions"] = [i.caption for i in record.images], expected["captions"]
    if "contact" in expected:  # a department (작성자 홍보담당관) is never the contact person
        got["contact"] = record.contact.model_dump(exclude_none=True) if record.contact else None
        want["contact"] = expected["contact"]
    if "attachment_names" in expected:
        got["attachment_names"] = Counter(a.name for a in record.attachments)
        want["attachment_names"] = Counter(expected["attachment_names"])
    joined = "\n".join(record.body)
    got["forbidden_in_body"] = [s for s in expected["body_must_not_contain"] if s in joined]
    want["forbidden_in_body"] = []
    assert got == want


def test_euckr_sample_is_really_euckr_bytes() -> None:
    data = (FIXTURES / "pages" / "03-euckr-county-news.html").read_bytes()
    assert b"charset=euc-kr" in data
    assert "새솔군".encode("cp949") in data
    assert "새솔군".encode() not in data
