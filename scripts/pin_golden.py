#!/usr/bin/env python3
"""Pin what the extractor gets right on the gold corpus, so it can only get better.

Runs every gold page of ``../shared/corpus/real/{news,gov}`` through the extractor and writes:

* ``tests/golden_expect.json``: per page, the fields (``record``, ``title``, ``published``, ``authors``,
  ``body``) that ``tests/test_golden.py`` checks for an exact match. Fields that match now are added;
  a field already pinned is never removed (it stays and its test fails) unless ``--force`` is given.
* ``tests/score_floors.json``: corpus scores (body F1 with the shared evaluator's metric, exact-match
  rates) rounded down to 3 decimals, with the bundled profiles (``floors``) and with none, the generic
  path (``generic_floors``). A floor is only raised, never lowered, unless ``--force``.

Usage: ``.venv/bin/python scripts/pin_golden.py [--force] [--dry-run]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import (
    EXPECT_FILE,
    FLOORS_FILE,
    PINNABLE,
    SHARED,
    corpus_scores,
    extract_gold,
    field_matches,
    gold_pages,
    load_evaluator,
)

EXPECT_ABOUT = (
    "Per corpus page: fields that must match the gold exactly (tests/test_golden.py). "
    "Regenerate with scripts/pin_golden.py; pinned fields are never removed without --force."
)
FLOORS_ABOUT = (
    "Corpus score floors (tests/test_golden.py::test_corpus_scores_not_below_floors), rounded down to "
    "3 decimals. Regenerate with scripts/pin_golden.py; floors are never lowered without --force."
)


def _read(path: Path, key: str) -> dict[str, Any]:
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get(key, {}))


def _floors(scores: dict[str, float], old: dict[str, Any], force: bool, label: str) -> dict[str, float]:
    """New floors from current scores: each rounded down, never below the old floor unless ``force``."""
    floors: dict[str, float] = {}
    for name, value in scores.items():
        floor = floor3(value)
        if not force and name in old and old[name] > floor:
            print(f"KEPT {label}FLOOR {name}: {old[name]} (current {value:.4f}; use --force to lower)")
            floor = old[name]
        floors[name] = floor
        print(f"{label}{name:<18} {value:.4f}  floor {floor:.3f}")
    return floors


def _write(path: Path, about: str, key: str, data: dict[str, Any], **more: dict[str, Any]) -> None:
    tmp = path.with_suffix(".json.tmp")
    payload = {"about": about, key: data, **more}
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def floor3(value: float) -> float:
    """``value`` rounded down to 3 decimals (with a little slack for float noise).

    >>> floor3(0.87659), floor3(1.0), floor3(0.2999999999)
    (0.876, 1.0, 0.3)
    """
    return math.floor(value * 1000 + 1e-6) / 1000


def main(argv: list[str] | None = None) -> int:
    """Compute current matches and scores, merge them into the pinned files, print what changed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="replace pins and floors by the current values")
    parser.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    args = parser.parse_args(argv)
    pages = gold_pages()
    if not pages:
        print(f"no gold pages under {SHARED / 'corpus' / 'real'}", file=sys.stderr)
        return 2
    outcomes = [extract_gold(page) for page in pages]
    old_pins = _read(EXPECT_FILE, "pages")
    new_pins: dict[str, list[str]] = {}
    for page, outcome in zip(pages, outcomes, strict=True):
        now = {name for name, hit in field_matches(page, outcome).items() if hit}
        before = set() if args.force else set(old_pins.get(page.pid, []))
        lost = before - now
        if lost:
            print(f"KEPT FAILING PIN {page.pid}: {sorted(lost)} (use --force to drop)")
        gained = now - set(old_pins.get(page.pid, []))
        if gained:
            print(f"pin {page.pid}: +{sorted(gained)}")
        new_pins[page.pid] = [name for name in PINNABLE if name in before | now]
    evaluator = load_evaluator()
    new_floors = _floors(corpus_scores(pages, outcomes, evaluator), _read(FLOORS_FILE, "floors"), args.force, "")
    generic = [extract_gold(page, generic=True) for page in pages]
    new_generic = _floors(corpus_scores(pages, generic, evaluator), _read(FLOORS_FILE, "generic_floors"),
                          args.force, "generic ")
    if args.dry_run:
        return 0
    _write(EXPECT_FILE, EXPECT_ABOUT, "pages", new_pins)
    _write(FLOORS_FILE, FLOORS_ABOUT, "floors", new_floors, generic_floors=new_generic)
    print(f"wrote {EXPECT_FILE.name} ({sum(map(len, new_pins.values()))} pins) and {FLOORS_FILE.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
