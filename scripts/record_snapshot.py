#!/usr/bin/env python3
"""Developer tool: every corpus page's full record (or error), with and without profiles, as one JSON file;
or compare such a file with today's output, field by field. For speed work: the records must not move.

Usage: ``python scripts/record_snapshot.py write FILE`` then, after a change, ``python scripts/record_snapshot.py
check FILE`` (exit 1 and the differing pages and fields when any record changed).
Reads every ``*.html`` of ``../shared/corpus/real/{news,gov}`` (gold or not), with the URL of its gold or meta file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scraper.errors import ScraperError
from scraper.fetch.decode import decode_html
from scraper.pipeline import extract_text

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"
NOW = "2026-03-01T12:00:00+09:00"


def _url(html_path: Path) -> str | None:
    for suffix in (".gold.json", ".meta.json"):
        path = html_path.with_name(html_path.name[:-5] + suffix)
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            url = data.get("url") or data.get("original_url")
            if url:
                return str(url)
    return None


def snapshot() -> dict[str, Any]:
    """page id (``news/001-x`` and ``generic:news/001-x``) -> record dict or ``{"error": kind}``."""
    out: dict[str, Any] = {}
    for html_path in sorted(ROOT.glob("*/*.html")):
        text = decode_html(html_path.read_bytes()).text
        url = _url(html_path)
        pid = f"{html_path.parent.name}/{html_path.stem}"
        for prefix, profiles in (("", None), ("generic:", ())):
            try:
                out[prefix + pid] = extract_text(text, url=url, now=NOW, profiles=profiles).model_dump(mode="json")
            except ScraperError as exc:
                out[prefix + pid] = {"error": exc.kind, "message": exc.message}
    return out


def main(argv: list[str]) -> int:
    """``write FILE`` or ``check FILE``."""
    if len(argv) != 2 or argv[0] not in ("write", "check"):
        print(__doc__)
        return 2
    path = Path(argv[1])
    now = snapshot()
    if argv[0] == "write":
        path.write_text(json.dumps(now, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(now)} records written to {path}")
        return 0
    before = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for pid in sorted(set(before) | set(now)):
        old, new = before.get(pid), now.get(pid)
        if old == new:
            continue
        changed += 1
        keys = sorted(set(old or {}) | set(new or {}))
        for key in keys:
            if (old or {}).get(key) != (new or {}).get(key):
                print(f"{pid}: {key}\n  was {json.dumps((old or {}).get(key), ensure_ascii=False)[:300]}"
                      f"\n  now {json.dumps((new or {}).get(key), ensure_ascii=False)[:300]}")
    print(f"{len(now)} records, {changed} changed")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
