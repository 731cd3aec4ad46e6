"""Indexing and packaging WARC files: a CDXJ index (cdxj-indexer) and a WACZ package (py-wacz) with a pages list
made from the extracted records the crawl put in the files as ``metadata`` records (title, URL, capture time)."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from cdxj_indexer.main import write_cdx_index
from wacz.main import main as wacz_main
from warcio.archiveiterator import ArchiveIterator


def write_cdxj(files: Sequence[Path], out: IO[str] | str) -> None:
    """Write the sorted CDXJ index of ``files`` (one line per capture: SURT key, timestamp, JSON with url, mime,
    status, digest, length, offset, filename) to ``out`` (a text stream or a path), with cdxj-indexer."""
    write_cdx_index(out, [str(f) for f in files], {"sort": True, "post_append": True})


def pages_list(files: Sequence[Path]) -> list[dict[str, str]]:
    """One ``{"url", "title"}`` page per extracted record found as a ``metadata`` record (``application/json``)
    in ``files``, first capture of each URL kept, in file order."""
    pages: dict[str, dict[str, str]] = {}
    for path in files:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "metadata" or record.rec_headers.get_header("Content-Type") != "application/json":
                    record.raw_stream.read()
                    continue
                try:
                    data = json.loads(record.raw_stream.read())
                except ValueError:
                    continue
                url = data.get("url") if isinstance(data, dict) else None
                if isinstance(url, str) and url not in pages:
                    pages[url] = {"url": url, "title": str(data.get("title") or url)}
    return list(pages.values())


def write_wacz(files: Sequence[Path], output: Path, *, title: str | None = None) -> int:
    """Package ``files`` as the WACZ file ``output`` with py-wacz (its index, its datapackage) and a pages list
    of the extracted records (:func:`pages_list`; py-wacz's page detection when there are none). py-wacz's
    progress lines go to stderr. Returns py-wacz's exit status (0: written)."""
    pages = pages_list(files)
    with tempfile.TemporaryDirectory(prefix="scraper-wacz-") as scratch:
        argv = ["create", "-o", str(output), *(["--title", title] if title else [])]
        if pages:
            listed = Path(scratch) / "pages.jsonl"
            header = {"format": "json-pages-1.0", "id": "pages", "title": title or "Extracted records"}
            listed.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in [header, *pages]),
                              encoding="utf-8")
            argv += ["-p", str(listed)]
        else:
            argv += ["--detect-pages"]
        with contextlib.redirect_stdout(sys.stderr):
            status = wacz_main([*argv, *map(str, files)])
    return int(status or 0)


def validate_wacz(path: Path) -> int:
    """py-wacz's validation of ``path`` (0: valid); its messages go to stderr."""
    with contextlib.redirect_stdout(sys.stderr):
        return int(wacz_main(["validate", "-f", str(path)]) or 0)
