#!/usr/bin/env python3
"""Developer tool: compare our record with the hand-checked gold for each page of ../shared/corpus/real.

Usage: python scripts/corpus_diff.py [--no-profiles] [PATTERN ...]   (e.g. news/012 gov/0)
``--no-profiles`` runs the generic path only (no site profile, no hook).
Prints per page: title / published / modified / authors mismatches and body paragraphs missing or extra.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urljoin

from scraper.errors import ScraperError
from scraper.fetch.decode import decode_html
from scraper.pipeline import extract_text

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def release_problems(gold: dict, rec: dict, url: str | None) -> list[str]:
    """Press-release fields: department, contact_person/phone (-> contact.name/phone), attachments.

    Gold attachment URLs are as written in the page (relative); ours are resolved against the page URL,
    so the gold URL is resolved the same way. A gold URL that is a description (담양 ``data-file-mask=...``,
    no real URL) is not compared.
    """
    problems: list[str] = []
    contact = rec.get("contact") or {}
    pairs = [("department", rec.get("department")), ("contact_person", contact.get("name")),
             ("phone", contact.get("phone"))]
    for key, got in pairs:
        if key in gold and norm(str(gold[key] or "")) != norm(str(got or "")):
            problems.append(f"  {key}: got {got!r} want {gold[key]!r}")
    if "attachments" not in gold:
        return problems
    want = [(norm(a["name"]), a.get("url") or "") for a in gold["attachments"]]
    got_items = [(norm(a["name"]), a.get("url") or "") for a in rec.get("attachments") or []]
    if [n for n, _ in want] != [n for n, _ in got_items]:
        problems.append(f"  attachments: got names {[n for n, _ in got_items]} want {[n for n, _ in want]}")
        return problems
    for (name, want_url), (_, got_url) in zip(want, got_items, strict=True):
        if " " in want_url or "=" in want_url.split("?")[0]:
            continue
        if urljoin(url or "", want_url) != got_url:
            problems.append(f"  attachment url {name[:40]}: got {got_url!r} want {urljoin(url or '', want_url)!r}")
    return problems


def main(patterns: list[str]) -> int:
    profiles = () if "--no-profiles" in patterns else None
    patterns = [p for p in patterns if p != "--no-profiles"]
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
            rec = extract_text(decode_html(html_path.read_bytes()).text, url=url, profiles=profiles).model_dump()
        except ScraperError as exc:
            print(f"== {page_id}: ERROR {exc.kind}: {exc.message}")
            continue
        problems = []
        for key in ("title", "published", "modified", "subtitle", "dateline"):
            if key in gold and norm(str(gold[key] or "")) != norm(str(rec.get(key) or "")):
                problems.append(f"  {key}: got {rec.get(key)!r} want {gold[key]!r}")
        if "authors" in gold and gold["authors"] != rec["authors"]:
            problems.append(f"  authors: got {rec['authors']} want {gold['authors']}")
        problems += release_problems(gold, rec, url)
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
