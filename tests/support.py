"""Test helpers (imported by the tests and by scripts/pin_golden.py).

Where the repository and the read-only ``../shared`` data live, and how to
skip (locally) or fail (in CI) when that data is missing."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from scraper.errors import ScraperError
from scraper.fetch.decode import decode_html
from scraper.models import Record
from scraper.pipeline import extract_text

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).parents[1].parent / "shared"
FIXTURES = REPO / "fixtures"


def in_ci() -> bool:
    """True when the environment says this is a CI run (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require_shared(*parts: str) -> Path:
    """The path ``../shared/<parts>``; skips the test when it is absent, but fails it under ``CI=true``."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"shared data not found at {path} (expected ../shared next to the repository)"
        if in_ci():
            pytest.fail(reason + "; CI=true requires it")
        pytest.skip(reason)
    return path


def run_cli(*args: str, stdin: bytes | None = None, timeout: float = 60.0) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m scraper ARGS`` from the repository root; stdout/stderr kept as bytes."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "scraper", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        env=env,
        timeout=timeout,
        check=False,
    )


# ----------------------------------------------------------------------------------------------
# the gold corpus (../shared/corpus/real/{news,gov}) and its scores

CORPUS_GROUPS = ("news", "gov")
PINNABLE = ("record", "title", "published", "authors", "body")
"""Fields a page can pin in ``golden_expect.json``; ``record`` = extraction gives a record (no error)."""
EXPECT_FILE = REPO / "tests" / "golden_expect.json"
FLOORS_FILE = REPO / "tests" / "score_floors.json"


@dataclass(frozen=True)
class GoldPage:
    """One corpus page with a gold body: id ``group/stem``, saved bytes, page URL and the gold dict."""

    pid: str
    html_path: Path
    url: str | None
    gold: dict[str, Any]


def gold_pages(shared: Path = SHARED) -> list[GoldPage]:
    """Every corpus page whose gold has a ``body`` (article views; list pages are left out), sorted."""
    pages: list[GoldPage] = []
    for group in CORPUS_GROUPS:
        folder = shared / "corpus" / "real" / group
        for gold_path in sorted(folder.glob("*.gold.json")):
            stem = gold_path.name[: -len(".gold.json")]
            html_path = folder / f"{stem}.html"
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            if "body" not in gold or not html_path.exists():
                continue
            url = gold.get("url")
            meta_path = folder / f"{stem}.meta.json"
            if not url and meta_path.exists():
                url = json.loads(meta_path.read_text(encoding="utf-8")).get("original_url")
            pages.append(GoldPage(f"{group}/{stem}", html_path, url, gold))
    return pages


def extract_gold(page: GoldPage, *, generic: bool = False) -> Record | ScraperError:
    """The page through ``decode_html`` and ``extract_text``; a ScraperError is returned, not raised.
    ``generic``: with no site profile and no hook (the path a site never seen gets)."""
    try:
        text = decode_html(page.html_path.read_bytes()).text
        return extract_text(text, url=page.url, profiles=() if generic else None)
    except ScraperError as exc:
        return exc


def field_matches(page: GoldPage, outcome: Record | ScraperError) -> dict[str, bool]:
    """Which pinnable fields the outcome gets exactly right (only fields the gold has)."""
    ok = isinstance(outcome, Record)
    result = {"record": ok}
    for name in PINNABLE[1:]:
        if name in page.gold:
            result[name] = ok and getattr(outcome, name) == page.gold[name]
    return result


def load_evaluator(shared: Path = SHARED) -> ModuleType:
    """``../shared/bench/evaluate.py`` imported by path (its metric functions are the reference)."""
    return load_by_path(shared / "bench" / "evaluate.py", "shared_bench_evaluate")


def load_by_path(path: Path, name: str) -> ModuleType:
    """The Python file at ``path`` imported as module ``name`` (a script of ``../shared`` that is no
    package); raises ``ImportError`` when it cannot be loaded."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def corpus_scores(
    pages: list[GoldPage], outcomes: list[Record | ScraperError], evaluate: ModuleType
) -> dict[str, float]:
    """Body F1/P/R and char-bigram F1 (the evaluator's metric) plus exact-match rates of the metadata.

    ``title_exact``/``published_exact``/``authors_exact``/``body_exact`` are shares of the pages whose gold
    has the field; a page that gave an error counts as a miss everywhere (empty body). ``published_day`` is
    the evaluator's date score (the calendar day agrees); ``min_page_f1`` the worst page's body F1.
    """
    word, bigram, days = [], [], []
    hits: dict[str, list[bool]] = {name: [] for name in PINNABLE}
    for page, outcome in zip(pages, outcomes, strict=True):
        gold_body = "\n".join(page.gold["body"])
        body = "\n".join(outcome.body) if isinstance(outcome, Record) else ""
        if page.gold.get("published"):
            got = outcome.published if isinstance(outcome, Record) else None
            days.append(bool(got) and str(got)[:10] == str(page.gold["published"])[:10])
        word.append(evaluate.match_counts(evaluate.shingles(gold_body), evaluate.shingles(body)))
        bigram.append(evaluate.match_counts(evaluate.char_bigrams(gold_body), evaluate.char_bigrams(body)))
        for name, hit in field_matches(page, outcome).items():
            hits[name].append(hit)
    scores = {f"body_{k}": v for k, v in evaluate.aggregate(word).items()}
    scores["bigram_f1"] = evaluate.aggregate(bigram)["f1"]
    scores["min_page_f1"] = min((2 * tp / (2 * tp + fp + fn) if tp else 0.0) for tp, fp, fn in word) if word else 0.0
    scores["published_day"] = sum(days) / len(days) if days else 0.0
    for name, values in hits.items():
        scores[f"{name}_exact" if name != "record" else "record_rate"] = sum(values) / len(values) if values else 0.0
    return scores
