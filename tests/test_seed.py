"""The seed text capture (../shared/corpus/seed): a plain-text copy of a local news page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import require_shared

from scraper.fetch.decode import decode_html
from scraper.models import Record
from scraper.pipeline import extract_text


def _seed() -> tuple[Record, dict[str, object]]:
    folder = require_shared("corpus", "seed")
    gold_path = next(iter(sorted(folder.glob("*.gold.json"))))
    text_path = Path(str(gold_path).removesuffix(".gold.json") + ".txt")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    record = extract_text(decode_html(text_path.read_bytes()).text)
    return record, gold


@pytest.fixture(scope="module")
def seed() -> tuple[Record, dict[str, object]]:
    return _seed()


@pytest.mark.parametrize("field", ["title", "published", "authors", "body", "source_credit"])
def test_seed_field_equals_gold(seed: tuple[Record, dict[str, object]], field: str) -> None:
    record, gold = seed
    assert getattr(record, field) == gold[field]


def test_seed_captions_are_the_image_captions(seed: tuple[Record, dict[str, object]]) -> None:
    record, gold = seed
    assert [image.caption for image in record.images] == gold["captions"]


def test_seed_modified_is_null(seed: tuple[Record, dict[str, object]]) -> None:
    record, gold = seed
    assert gold["modified"] is None
    assert record.modified is None


def test_seed_body_has_no_chrome(seed: tuple[Record, dict[str, object]]) -> None:
    record, gold = seed
    joined = "\n".join(record.body)
    assert [s for s in gold["body_must_not_contain"] if s in joined] == []  # type: ignore[union-attr]
