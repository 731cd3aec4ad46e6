"""``scraper links``: records in (JSONL files, crawl output folders), links out.

For every record with a body: its signature is stored in the index (``DIR/links.sqlite``, see
:mod:`scraper.links.index`); a news article is checked against the releases sharing an LSH band with it, a
press release against the articles (an article crawled before its release is linked when the release comes).
Written into ``DIR`` (each file replaced atomically, from the whole index, so a run adds to what earlier runs
found):

- ``links.jsonl``: one line per link ``{"release_id", "release_url", "article_id", "article_url",
  "containment", "article_share", "similarity", "kind", "same_org"}``;
- ``groups.jsonl``: one line per release with copies, ``{"release_id", "url", "organization", "title",
  "republished_by": N, "articles": [{"id", "url", "kind", "containment"}]}`` (the copies of one release across
  sites are one group);
- ``records.jsonl``: the records read in this run, each article with ``derived_from`` filled.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rensa

from scraper.links.index import Entry, LinkIndex, body_hash
from scraper.links.match import WINDOW_DAYS, Side, Verdict, canonical_organization, choose, day_of, verify
from scraper.links.signature import NUM_PERM, SEED, hash_shingles, normalized_text, text_shingles
from scraper.normalize.organizations import organization_by_name, resolve_organization

RELEASE, ARTICLE = "press_release", "news_article"


@dataclass
class LinkRun:
    """What a run did: records ``read``, ``added`` (new or changed), ``skipped`` (no body, an error record, or
    unchanged since an earlier run), ``bad_lines`` (not JSON), ``links`` found in this run."""

    read: int = 0
    added: int = 0
    skipped: int = 0
    bad_lines: int = 0
    links: int = 0
    records: list[dict[str, Any]] = field(default_factory=list)


def jsonl_files(inputs: Iterable[Path]) -> Iterator[Path]:
    """Each input file, and every ``*.jsonl`` under an input folder (sorted; ``errors.jsonl`` and the link
    output's own files left out)."""
    for path in inputs:
        if path.is_dir():
            for found in sorted(path.rglob("*.jsonl")):
                if found.name not in ("errors.jsonl", "links.jsonl", "groups.jsonl", "records.jsonl"):
                    yield found
        else:
            yield path


def read_records(paths: Iterable[Path], run: LinkRun) -> Iterator[dict[str, Any]]:
    """JSON objects of the JSONL files (``-``: standard input); a line that is no JSON object, or no UTF-8
    (records saved again as cp949 by a spreadsheet), is counted in ``run.bad_lines`` and skipped. A file's
    UTF-8 BOM (Windows editors write one) is not part of its first line."""
    for path in paths:
        handle = sys.stdin.buffer if str(path) == "-" else path.open("rb")
        try:
            for number, raw in enumerate(handle):
                line = raw[3:] if number == 0 and raw.startswith(b"\xef\xbb\xbf") else raw
                if not line.strip():
                    continue
                try:
                    value = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    run.bad_lines += 1
                    continue
                if isinstance(value, dict):
                    yield value
                else:
                    run.bad_lines += 1
        finally:
            if handle is not sys.stdin.buffer:
                handle.close()


def organization_of(record: dict[str, Any]) -> str | None:
    """The official name a record is tied to: a release's body, an article's credited organization."""
    if record.get("kind") == RELEASE:
        return canonical_organization(record.get("organization"), record.get("url"))
    credited = record.get("credited_organization")
    return resolve_organization(credited) or credited if credited else None


def _side(entry: Entry) -> Side:
    """The entry as verification sees it. A portal's name (정책브리핑 carries every ministry's releases) is no
    organization there: an article crediting the ministry is not held to the other-body bar."""
    org = organization_by_name(entry.organization) if entry.organization else None
    return Side(entry.shingles, day_of(entry.published), None if org and org.kind == "portal" else entry.organization)


class Linker:
    """Adds records to a :class:`LinkIndex` and links them (``window_days``: the date window)."""

    def __init__(self, index: LinkIndex, window_days: int = WINDOW_DAYS) -> None:
        self.index = index
        self.window_days = window_days

    def add(self, record: dict[str, Any]) -> int | None:
        """Index one record and link it; the number of links found, or ``None`` when the record was skipped
        (no id or body, an error record, another kind, or unchanged since it was indexed)."""
        body = record.get("body")
        kind = record.get("kind")
        if "error" in record or not record.get("id") or not isinstance(body, list) or kind not in (RELEASE, ARTICLE):
            return None
        text = normalized_text([p for p in body if isinstance(p, str)])
        digest_key = body_hash(text)
        if not text or self.index.known_hash(str(record["id"])) == digest_key:
            return None
        tokens = text_shingles(text)
        sketch = rensa.RMinHash(NUM_PERM, SEED)
        sketch.update(tokens)
        entry = Entry(str(record["id"]), kind, record.get("url"), record.get("title"), organization_of(record),
                      record.get("published"), digest_key, hash_shingles(tokens),
                      np.asarray(sketch.digest(), dtype=np.uint32))
        self.index.add(entry, sketch)
        return self._link(entry, sketch)

    def _link(self, entry: Entry, sketch: rensa.RMinHash) -> int:
        """Link a new or changed record: an article against the releases sharing a band with it; a release
        against such articles, each of which then chooses again among its releases. Returns the links made."""
        if entry.kind == ARTICLE:
            near = map(self.index.entry, self.index.candidates(sketch, entry.id))
            return self._resolve(entry, [e for e in near if e and e.kind == RELEASE])
        found = 0
        for other_id in self.index.candidates(sketch, exclude=entry.id):
            article = self.index.entry(other_id)
            if article is None or article.kind != ARTICLE:
                continue
            if verify(_side(entry), _side(article), self.window_days) is None:
                continue
            linked = [e for e in map(self.index.entry, (r for r, _, _ in self.index.links_of_article(other_id))) if e]
            before = len(linked)
            found += self._resolve(article, [*linked, entry]) - before
        return max(found, 0)

    def _resolve(self, article: Entry, releases: list[Entry]) -> int:
        """Verify ``releases`` against ``article``, choose among those that pass, store the article's links."""
        verdicts = []
        for release in releases:
            verdict = verify(_side(release), _side(article), self.window_days)
            if verdict is not None:
                verdicts.append((release.id, _side(release), verdict))
        chosen = choose(_side(article), verdicts)
        by_id = {release_id: verdict for release_id, _, verdict in verdicts}
        self.index.set_links(article.id, [(release_id, _scores(by_id[release_id])) for release_id in chosen])
        return len(chosen)

    def derived_from(self, article_id: str) -> list[dict[str, Any]]:
        """The article's ``derived_from`` value: ``[{id, url, organization, containment, similarity}]``."""
        out = []
        for release_id, contained, similarity in self.index.links_of_article(article_id):
            release = self.index.entry(release_id)
            out.append({"id": release_id, "url": release.url if release else None,
                        "organization": release.organization if release else None,
                        "containment": contained, "similarity": similarity})
        return out


def _scores(verdict: Verdict) -> tuple[float, float, float, str, bool]:
    return verdict.containment, verdict.article_share, verdict.similarity, verdict.kind, verdict.same_org


def link_records(index: LinkIndex, records: Iterable[dict[str, Any]], run: LinkRun,
                 window_days: int = WINDOW_DAYS, keep: bool = True) -> None:
    """Add and link every record (in input order), committing every 1,000; with ``keep`` the records are also
    kept on ``run.records`` (input that cannot be read twice, such as standard input)."""
    linker = Linker(index, window_days)
    for number, record in enumerate(records, 1):
        run.read += 1
        found = linker.add(record)
        if found is None:
            run.skipped += 1
        else:
            run.added += 1
            run.links += found
        if keep:
            run.records.append(record)
        if number % 1000 == 0:
            index.commit()
    index.commit()


def annotated(index: LinkIndex, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The records with ``derived_from`` set on every article (from the index's links)."""
    linker = Linker(index)
    for record in records:
        if record.get("kind") == ARTICLE and record.get("id"):
            record["derived_from"] = linker.derived_from(str(record["id"]))
        yield record


def link_and_write(index: LinkIndex, folder: Path, records: Iterable[dict[str, Any]], run: LinkRun,
                   window_days: int = WINDOW_DAYS, again: Callable[[], Iterable[dict[str, Any]]] | None = None) -> None:
    """What ``scraper links`` and ``crawl --links`` do: add and link ``records`` (:func:`link_records`), then write
    the outputs into ``folder`` (:func:`write_outputs`), ``records.jsonl`` from ``again()`` (the input read a
    second time) or, without it, from the records kept on ``run.records``. Raises ``sqlite3.Error`` and
    ``OSError`` (the index or a file cannot be written)."""
    link_records(index, records, run, window_days, keep=again is None)
    write_outputs(index, folder, annotated(index, run.records if again is None else again()))


def write_outputs(index: LinkIndex, folder: Path, records: Iterable[dict[str, Any]]) -> None:
    """Write ``links.jsonl``, ``groups.jsonl`` and ``records.jsonl`` (``records`` as given, streamed) into
    ``folder``, each atomically."""
    cache: dict[str, Entry | None] = {}

    def entry(record_id: str) -> Entry | None:
        if record_id not in cache:
            cache[record_id] = index.entry(record_id)
        return cache[record_id]

    links: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for release_id, article_id, contained, share, similarity, kind, same in index.links():
        release, article = entry(release_id), entry(article_id)
        links.append({"release_id": release_id, "release_url": release.url if release else None,
                      "article_id": article_id, "article_url": article.url if article else None,
                      "containment": contained, "article_share": share, "similarity": similarity, "kind": kind,
                      "same_org": bool(same)})
        group = groups.setdefault(release_id, {
            "release_id": release_id, "url": release.url if release else None,
            "organization": release.organization if release else None, "title": release.title if release else None,
            "republished_by": 0, "articles": []})
        group["articles"].append({"id": article_id, "url": article.url if article else None, "kind": kind,
                                  "containment": contained})
        group["republished_by"] += 1
    _write_jsonl(folder / "links.jsonl", links)
    _write_jsonl(folder / "groups.jsonl", list(groups.values()))
    _write_jsonl(folder / "records.jsonl", records)


def _write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
