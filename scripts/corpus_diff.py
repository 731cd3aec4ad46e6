#!/usr/bin/env python3
"""Developer tool: compare our record with the hand-checked gold for each page of ../shared/corpus/real.

Usage: python scripts/corpus_diff.py [PATTERN ...]   (e.g. news/012 gov/0)
Prints per page: title / published / modified / authors mismatches and body paragraphs missing or extra.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from scraper.errors import ScraperError
from scraper.fetch.decode import decode_html
from scraper.pipeline import extract_text

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def main(patterns: list[str]) -> int:
    for gold_path in sorted(ROOT.glob("*/*.gold.json")):
        page_id = f"{gold_path.parent.name}/{gold_path.name[:-10]}"
        if patterns and not any(p in page_id for p in patterns):
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if "body" not in gold:
            continue
        html_path = gold_path.with_name(gold_path.name[:-10] + ".html")
        meta = json.loads(gold_path.with_name(gold_path.name[:-10] + ".meta.json").read_text(encoding="utf-8"))
        url = gold.get("url") or meta.get("original_url")
        try:
            rec = extract_text(decode_html(html_path.read_bytes()).text, url=url).model_dump()
        except ScraperError as exc:
            print(f"== {page_id}: ERROR {exc.kind}: {exc.message}")
            continue
        problems = []
        for key in ("title", "published", "modified", "subtitle", "dateline"):
            if key in gold and norm(str(gold[key] or "")) != norm(str(rec.get(key) or "")):
                problems.append(f"  {key}: got {rec.get(key)!r} want {gold[key]!r}")
        if "authors" in gold and gold["authors"] != rec["authors"]:
            problems.append(f"  authors: got {rec['authors']} want {gold['authors']}")
        gold_body = [norm(p) for p in gold["body"]]
        got_body = [norm(p) for p in rec["body"]]
        for p in gold_body:
            if p not in got_body:
                problems.append(f"  MISSING: {p[:150]}")
        for p in got_body:
            if p not in gold_body:
                problems.append(f"  EXTRA:   {p[:150]}")
        status = "ok" if not problems else f"{len(problems)} problems"
        print(f"== {page_id} [{rec['extractor']}]: {status}")
        print("\n".join(problems[:40]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
