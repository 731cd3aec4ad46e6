"""The SQLite state file: two-phase writes, crash recovery, and which items --refresh revisits."""

from __future__ import annotations

from pathlib import Path

from scraper.sinks.jsonl import append_line, file_has_record
from scraper.sinks.state import StateStore

NOW = "2024-03-20T09:00:00+09:00"


def _write(state: StateStore, item: str, published: str | None, out: Path) -> None:
    path = out / f"{item}.jsonl"
    revision = state.begin_write("b", item, f"http://h/v?id={item}", f"rec-{item}", "hash", str(path), NOW,
                                 published=published)
    append_line(path, {"id": f"rec-{item}", "revision": revision, "url": f"http://h/v?id={item}"})
    state.commit_write("b", item, NOW)


def test_refresh_revisits_the_most_recently_published_items(tmp_path: Path) -> None:
    with StateStore(tmp_path / "state.sqlite") as state:
        # one run writes the list top to bottom: newest post first, all with the same first_seen time
        for item, day in (("30", "2024-03-19"), ("29", "2024-03-18"), ("28", "2024-03-17"), ("1", "2024-01-02")):
            _write(state, item, day, tmp_path)
        assert [i.item_id for i in state.newest("b", 2)] == ["30", "29"]


def test_a_write_cut_before_its_commit_is_settled_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    with StateStore(tmp_path / "state.sqlite") as state:
        state.begin_write("b", "1", "http://h/v?id=1", "rec-1", "h1", str(path), NOW)
        append_line(path, {"id": "rec-1", "revision": 1, "url": "http://h/v?id=1"})  # written, then "kill -9"
        state.begin_write("b", "2", "http://h/v?id=2", "rec-2", "h2", str(path), NOW)  # never written
    with StateStore(tmp_path / "state.sqlite") as state:
        assert state.recover(lambda p, rid, rev, url: file_has_record(p, rid, rev, url)) == (1, 1)
        assert state.known("b", "1") and not state.known("b", "2")
        assert state.get("b", "1").revision == 1  # type: ignore[union-attr]
