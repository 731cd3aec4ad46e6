"""The field cases (../shared/cases/NNN-*/) that are single pages, run through the real CLI.

A case folder with ``input.html`` or ``input.bin`` and no ``scenario.json`` is a page case:
``python -m scraper extract PAGE [--now NOW]`` must print a record that meets ``expected.json``.
List-page cases (``list_item_ids``) belong to a ``listing`` command and are skipped here.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from support import SHARED, require_shared, run_cli

CHECKED_KEYS = {
    "title", "published", "modified", "published_date", "authors", "body_must_contain", "body_must_not_contain",
    "attachment_names", "now",
}


def page_cases() -> list[str]:
    """Names of the page cases in ../shared/cases (empty when the folder is absent)."""
    root = SHARED / "cases"
    if not root.is_dir():
        return []
    return sorted(
        d.name for d in root.iterdir()
        if d.is_dir() and (d / "expected.json").exists() and not (d / "scenario.json").exists()
        and ((d / "input.html").exists() or (d / "input.bin").exists())
    )


def _extract(case_dir: Path, expected: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    source = case_dir / "input.html"
    if not source.exists():  # raw bytes (e.g. EUC-KR): give the CLI a saved *.html page, as run.py does
        source = tmp_path / "input.html"
        shutil.copyfile(case_dir / "input.bin", source)
    args = ["extract", str(source)] + (["--now", expected["now"]] if "now" in expected else [])
    proc = run_cli(*args)
    out = json.loads(proc.stdout.decode("utf-8"))
    assert "error" not in out, f"expected a record, got {out}"
    assert proc.returncode == 0
    return dict(out)


@pytest.mark.parametrize("case", page_cases() or ["<shared cases missing>"])
def test_page_case(case: str, tmp_path: Path) -> None:
    case_dir = require_shared("cases", case)
    expected = json.loads((case_dir / "expected.json").read_text(encoding="utf-8"))
    if "list_item_ids" in expected:
        pytest.skip(f"{case} is a list-page case (scraper listing), not an article extraction")
    assert sorted(set(expected) - CHECKED_KEYS) == [], "case uses an expectation this test does not check"
    record = _extract(case_dir, expected, tmp_path)
    body = "\n".join(record["body"])
    got: dict[str, Any] = {}
    want: dict[str, Any] = {}
    for key in ("title", "published", "modified", "authors"):
        if key in expected:
            got[key], want[key] = record[key], expected[key]
    if "published_date" in expected:
        got["published_date"], want["published_date"] = (record["published"] or "")[:10], expected["published_date"]
    if "attachment_names" in expected:
        got["attachment_names"] = Counter(a["name"] for a in record["attachments"])
        want["attachment_names"] = Counter(expected["attachment_names"])
    if "body_must_contain" in expected:
        got["missing_from_body"] = [s for s in expected["body_must_contain"] if s not in body]
        want["missing_from_body"] = []
    if "body_must_not_contain" in expected:
        got["forbidden_in_body"] = [s for s in expected["body_must_not_contain"] if s in body]
        want["forbidden_in_body"] = []
    assert got == want
