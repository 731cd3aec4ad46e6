"""The link index: signatures and links of every record seen, in one SQLite file, and its MinHash LSH.

Tables (inspect with any SQLite tool; ``DIR/links.sqlite``):

- ``records``: one row per record id — ``kind`` (``press_release`` / ``news_article``), ``url``, ``title``,
  ``organization`` (official name: a release's body, an article's ``credited_organization``), ``published``,
  ``body_hash`` (SHA-256 of the normalized body: a record seen again unchanged is not linked again),
  ``shingles`` (the sorted ``uint64`` shingle hashes, little-endian bytes), ``digest`` (the MinHash, ``uint32``
  little-endian bytes).
- ``links``: one row per (release, article) — ``containment``, ``article_share``, ``similarity`` (0..1),
  ``kind`` (``verbatim`` / ``edited`` / ``partial``), ``same_org`` (0/1).

The LSH (rensa's ``RMinHashLSH``, ``BANDS`` bands of ``NUM_PERM / BANDS`` rows) lives in memory: opening an index
loads it from the stored shingle hashes in one pass in rensa's native code (no record is read or signed
again); a record added later goes into both the file and the LSH, so new records are linked against
everything seen before without rebuilding anything.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rensa

from scraper.links.signature import NUM_PERM, SEED, Digest, Hashes

BANDS = 64
"""LSH bands of 2 rows each: a pair with Jaccard 0.3 is a candidate with probability 0.998, 0.1 with 0.47,
0.01 with 0.006; every candidate is verified exactly (:func:`scraper.links.match.verify`)."""

SCHEMA = """
create table if not exists records (
    id text primary key, kind text not null, url text, title text, organization text, published text,
    body_hash text not null, shingles blob not null, digest blob not null
);
create table if not exists links (
    release_id text not null, article_id text not null, containment real not null, article_share real not null,
    similarity real not null, kind text not null, same_org integer not null,
    primary key (release_id, article_id)
);
create index if not exists links_by_article on links (article_id);
"""


@dataclass(frozen=True)
class Entry:
    """One record's row in the index (``shingles``: sorted distinct ``uint64``; ``digest``: ``uint32``)."""

    id: str
    kind: str
    url: str | None
    title: str | None
    organization: str | None
    published: str | None
    body_hash: str
    shingles: Hashes
    digest: Digest


def body_hash(text: str) -> str:
    """SHA-256 (hex) of the normalized body text (:func:`scraper.links.signature.normalized_text`): equal for
    bodies that differ only in spacing or punctuation."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class LinkIndex:
    """The SQLite file and its in-memory LSH. Use as a context manager; ``commit()`` to keep what was added.

    Raises ``sqlite3.DatabaseError`` when ``path`` is no SQLite file (the caller reports it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA)
        self.lsh = rensa.RMinHashLSH(0.5, NUM_PERM, BANDS)
        self.keys: list[str] = []
        """LSH key (position) -> record id; a key whose record changed since is stale (see ``current``)."""
        self.current: dict[str, int] = {}
        self._load()

    def __enter__(self) -> LinkIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def _load(self, chunk: int = 20_000) -> None:
        """Fill the LSH from the stored shingle hashes, ``chunk`` records at a time."""
        rows = self.db.execute("select id, shingles from records order by rowid")
        while batch := rows.fetchmany(chunk):
            arrays = [np.frombuffer(blob, dtype="<u8") for _, blob in batch]
            offsets = np.zeros(len(arrays) + 1, dtype=np.uint64)
            offsets[1:] = np.cumsum([len(a) for a in arrays])
            flat = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.uint64)
            matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, NUM_PERM, SEED)
            self.lsh.insert_matrix(matrix, len(self.keys))
            for record_id, _ in batch:
                self.current[record_id] = len(self.keys)
                self.keys.append(record_id)

    def __len__(self) -> int:
        return len(self.current)

    def known_hash(self, record_id: str) -> str | None:
        """The stored body hash of ``record_id`` (``None`` when the index has no such record)."""
        row = self.db.execute("select body_hash from records where id = ?", (record_id,)).fetchone()
        return str(row[0]) if row else None

    def add(self, entry: Entry, sketch: rensa.RMinHash) -> None:
        """Store ``entry`` (replacing an older version of the record) and put ``sketch`` (its MinHash) in the LSH."""
        old = self.current.get(entry.id)
        if old is not None:
            self.db.execute("delete from links where release_id = ? or article_id = ?", (entry.id, entry.id))
        self.db.execute(
            "insert or replace into records values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.id, entry.kind, entry.url, entry.title, entry.organization, entry.published, entry.body_hash,
             entry.shingles.astype("<u8").tobytes(), entry.digest.astype("<u4").tobytes()),
        )
        self.lsh.insert(len(self.keys), sketch)
        self.current[entry.id] = len(self.keys)
        self.keys.append(entry.id)

    def candidates(self, sketch: rensa.RMinHash, exclude: str) -> list[str]:
        """Ids of the current records sharing an LSH band with ``sketch`` (``exclude`` left out), in index order."""
        ids = []
        for key in sorted(self.lsh.query(sketch)):
            record_id = self.keys[key]
            if record_id != exclude and self.current.get(record_id) == key:
                ids.append(record_id)
        return ids

    def entry(self, record_id: str) -> Entry | None:
        """The stored row of ``record_id`` (``None`` when unknown)."""
        row = self.db.execute("select * from records where id = ?", (record_id,)).fetchone()
        if row is None:
            return None
        return Entry(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                     np.frombuffer(row[7], dtype="<u8").astype(np.uint64), np.frombuffer(row[8], dtype="<u4"))

    def set_links(self, article_id: str, links: list[tuple[str, tuple[float, float, float, str, bool]]]) -> None:
        """Replace the article's links by ``links``: (release id, (containment, article_share, similarity, kind,
        same_org)) each."""
        self.db.execute("delete from links where article_id = ?", (article_id,))
        for release_id, (contained, share, similarity, kind, same) in links:
            self.db.execute("insert or replace into links values (?, ?, ?, ?, ?, ?, ?)",
                            (release_id, article_id, contained, share, similarity, kind, int(same)))

    def links(self) -> Iterator[tuple[str, str, float, float, float, str, int]]:
        """Every link: (release id, article id, containment, article share, similarity, kind, same_org), by
        release then best containment first."""
        yield from self.db.execute(
            "select release_id, article_id, containment, article_share, similarity, kind, same_org from links "
            "order by release_id, containment desc, article_id")

    def links_of_article(self, article_id: str) -> list[tuple[str, float, float]]:
        """(release id, containment, similarity) of every release ``article_id`` republishes, best first."""
        return [(str(r), float(c), float(s)) for r, c, s in self.db.execute(
            "select release_id, containment, similarity from links where article_id = ? "
            "order by containment desc, release_id", (article_id,))]

    def commit(self) -> None:
        """Make what was added since the last commit durable."""
        self.db.commit()
