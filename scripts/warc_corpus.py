#!/usr/bin/env python3
"""The ``corpus`` phase of ``scripts/bench_warc.py`` (a script, not a test): the real pages of
``../shared/corpus/real/{news,gov}`` (``*.html`` with ``*.gold.json``) captured to a WARC with our tool and
re-extracted from it, ours beside trafilatura's, in the same run: pages/s and body F1.

1. A loopback HTTP proxy (127.0.0.1) answers ``GET http://HOST/PATH`` with the saved page of that original URL
   (``gold.url`` or ``meta.original_url``, else ``http://corpus.invalid/GROUP/NAME.html``; an ``https`` URL is
   asked for as ``http``, the host and path kept, so the site profiles chosen by host still apply),
   ``text/html`` without a charset (the page says its own).
2. ``scraper extract URL... --warc DIR --ignore-robots --no-learn`` through that proxy (``HTTP_PROXY``) writes
   the WARC: every page as a ``response`` record, as a crawl would.
3. ``scraper warc extract DIR/*.warc.gz`` re-extracts it (one process, wall time); and, in this process, on the
   same decoded captures one after the other: our ``extract_page`` and ``trafilatura.extract`` (default
   settings, as ``../shared/bench/evaluate.py`` runs it): pages/s of the extractor calls alone.
4. Body F1 of both against the gold bodies, with evaluate.py's own scoring (4-token shingles; corpus P and R
   are means of page P and R, F1 their harmonic mean) imported from ``../shared/bench/evaluate.py``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "real"


def _evaluate() -> ModuleType:
    """``../shared/bench/evaluate.py`` as a module (its scoring functions), never copied."""
    spec = importlib.util.spec_from_file_location("evaluate", SHARED / "bench" / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def as_http(url: str) -> str:
    """``url`` with scheme ``http`` (the proxy speaks plain HTTP) and no fragment."""
    parts = urlsplit(url)
    return urlunsplit(("http", parts.netloc, parts.path or "/", parts.query, ""))


def load_pages() -> list[dict[str, Any]]:
    """The corpus pages with a gold body and a URL: ``{pid, url, data, gold}``."""
    pages = []
    for group in ("news", "gov"):
        for gold_path in sorted((CORPUS / group).glob("*.gold.json")):
            stem = gold_path.name[: -len(".gold.json")]
            html = CORPUS / group / f"{stem}.html"
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            meta_path = CORPUS / group / f"{stem}.meta.json"
            meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
            url = gold.get("url") or meta.get("original_url") or f"http://corpus.invalid/{group}/{stem}.html"
            if not html.exists() or "body" not in gold:
                continue
            body = gold["body"] if isinstance(gold["body"], list) else [gold["body"]]
            pages.append({"pid": f"{group}/{stem}", "url": as_http(url), "data": html.read_bytes(),
                          "gold": "\n".join(map(str, body))})
    seen: set[str] = set()
    unique = []
    for page in pages:  # one URL served once: two saved copies of one address keep the first
        if page["url"] not in seen:
            seen.add(page["url"])
            unique.append(page)
    return unique


def _proxy(pages: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(as_http(self.path))
            status = 200 if body is not None else 404
            data = body if body is not None else b"not in the corpus"
            self.send_response(status)
            self.send_header("Content-Type", "text/html" if body is not None else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _f1(evaluate: ModuleType, pairs: list[tuple[str, str]]) -> dict[str, float]:
    """evaluate.py's body metric over ``(gold, predicted)`` pairs."""
    counts = [evaluate.match_counts(evaluate.shingles(gold), evaluate.shingles(pred)) for gold, pred in pairs]
    return {k: float(v) for k, v in evaluate.aggregate(counts).items()}


def run(scraper: str) -> dict[str, Any]:
    """The phase; its figures (also printed on stderr as it goes)."""
    import trafilatura

    from scraper.archive.read import decoded_body, iter_captures
    from scraper.fetch.decode import decode_html
    from scraper.pipeline import extract_page

    evaluate = _evaluate()
    pages = load_pages()
    work = Path(tempfile.mkdtemp(prefix="bench-warc-corpus-"))
    server = _proxy({p["url"]: p["data"] for p in pages})
    env = {**os.environ, "HTTP_PROXY": f"http://127.0.0.1:{server.server_address[1]}", "NO_PROXY": ""}
    try:
        capture = subprocess.run([scraper, "extract", *(p["url"] for p in pages), "--warc", str(work / "warc"),
                                  "--ignore-robots", "--no-learn", "--format", "jsonl", "--timeout", "30"],
                                 env=env, capture_output=True, text=True, timeout=1800, check=False)
    finally:
        server.shutdown()
    files = sorted((work / "warc").glob("*.warc.gz"))
    started = time.perf_counter()
    replay = subprocess.run([scraper, "warc", "extract", *map(str, files)], capture_output=True, text=True,
                            timeout=1800, check=False)
    replay_s = time.perf_counter() - started
    lines = [json.loads(line) for line in replay.stdout.splitlines()]
    ours_by_url = {line["url"]: "\n".join(line.get("body") or []) for line in lines}
    captures = [(c.url, decoded_body(c, 1 << 26), c.header("content-type"))
                for f in files for c in iter_captures(f) if c.kind == "response" and c.status == 200]
    texts = {url: decode_html(data, ctype, url=url).text for url, data, ctype in captures}
    extract_page(captures[0][1], url=captures[0][0], content_type=captures[0][2])  # warm-ups, untimed (as
    trafilatura.extract(texts[captures[0][0]], url=captures[0][0])  # evaluate.py: imports and first call excluded)
    started = time.perf_counter()
    for url, data, ctype in captures:
        try:
            extract_page(data, url=url, content_type=ctype)
        except Exception:  # a page ours gives no record for: timed all the same
            pass
    ours_s = time.perf_counter() - started
    theirs: dict[str, str] = {}
    started = time.perf_counter()
    for url, _, _ in captures:
        theirs[url] = trafilatura.extract(texts[url], url=url) or ""
    theirs_s = time.perf_counter() - started
    gold = {p["url"]: p["gold"] for p in pages}
    captured = [url for url, _, _ in captures if url in gold]
    row = {"pages": len(pages), "captured": len(captured), "capture_rc": capture.returncode,
           "replay_rc": replay.returncode, "replay_lines": len(lines), "replay_wall_s": replay_s,
           "replay_records_per_s": len(lines) / replay_s,
           "ours_per_s": len(captures) / ours_s, "trafilatura_per_s": len(captures) / theirs_s,
           "ours": _f1(evaluate, [(gold[u], ours_by_url.get(u, "")) for u in captured]),
           "trafilatura": _f1(evaluate, [(gold[u], theirs.get(u, "")) for u in captured]),
           "work": str(work)}
    print(f"  corpus: {row['captured']} of {row['pages']} pages captured; ours {row['ours_per_s']:.0f} pages/s "
          f"F1 {row['ours']['f1']:.3f}, trafilatura {row['trafilatura_per_s']:.0f} pages/s "
          f"F1 {row['trafilatura']['f1']:.3f}", file=sys.stderr, flush=True)
    return row


def report(row: dict[str, Any]) -> None:
    """The phase's table on stdout."""
    print(f"re-extraction of the real corpus from our WARC ({row['captured']} of {row['pages']} pages captured; "
          f"`scraper warc extract`: {row['replay_lines']} lines in {row['replay_wall_s']:.1f} s, process start "
          "included):")
    print("| extractor | pages/s (extractor calls, one process) | body P | body R | body F1 |")
    print("|---|---|---|---|---|")
    for name, speed in (("ours (scraper warc extract)", row["ours_per_s"]), ("trafilatura", row["trafilatura_per_s"])):
        scores = row["ours" if name.startswith("ours") else "trafilatura"]
        print(f"| {name} | {speed:.0f} | {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1']:.3f} |")
    print(f"ours / trafilatura: {row['ours_per_s'] / row['trafilatura_per_s']:.1f}x pages/s")


if __name__ == "__main__":
    report(run(str(Path(sys.executable).with_name("scraper"))))
