"""The state, on both backends (a SQLite file, a real PostgreSQL database started by the suite): two-phase
writes, crash recovery, and which items --refresh and --recheck revisit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scraper.sinks.jsonl import append_line, file_has_record
from scraper.sinks.state import StateBase, StateStore, open_store, parse_state

NOW = "2024-03-20T09:00:00+09:00"
Opener = Callable[[], StateBase]


@pytest.fixture(params=["sqlite", "postgresql"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """Opens the same state again at each call: a SQLite file in ``tmp_path``, or a fresh PostgreSQL database."""
    spec = parse_state(str(tmp_path / "state.sqlite") if request.param == "sqlite"
                       else request.getfixturevalue("pg_url"))
    return lambda: open_store(spec)


def _write(state: StateBase, item: str, published: str | None, out: Path) -> None:
    path = out / f"{item}.jsonl"
    revision = state.begin_write("b", item, f"http://h/v?id={item}", f"rec-{item}", "hash", str(path), NOW,
                                 published=published)
    append_line(path, {"id": f"rec-{item}", "revision": revision, "url": f"http://h/v?id={item}"})
    state.commit_write("b", item, NOW)


def test_refresh_revisits_the_most_recently_published_items(tmp_path: Path, opener: Opener) -> None:
    with opener() as state:
        # one run writes the list top to bottom: newest post first, all with the same first_seen time
        for item, day in (("30", "2024-03-19"), ("29", "2024-03-18"), ("28", "2024-03-17"), ("1", "2024-01-02")):
            _write(state, item, day, tmp_path)
        assert [i.item_id for i in state.newest("b", 2)] == ["30", "29"]


def test_a_write_cut_before_its_commit_is_settled_on_the_next_open(tmp_path: Path, opener: Opener) -> None:
    path = tmp_path / "out.jsonl"
    with opener() as state:
        state.begin_write("b", "1", "http://h/v?id=1", "rec-1", "h1", str(path), NOW)
        append_line(path, {"id": "rec-1", "revision": 1, "url": "http://h/v?id=1"})  # written, then "kill -9"
        state.begin_write("b", "2", "http://h/v?id=2", "rec-2", "h2", str(path), NOW)  # never written
    with opener() as state:
        assert state.recover(lambda p, rid, rev, url: file_has_record(p, rid, rev, url)) == (1, 1)
        assert state.known("b", "1") and not state.known("b", "2")
        assert state.get("b", "1").revision == 1  # type: ignore[union-attr]


def test_a_batch_cut_between_its_appends_is_settled_item_by_item(tmp_path: Path, opener: Opener) -> None:
    from scraper.sinks.state import PendingWrite, Seen

    path = tmp_path / "out.jsonl"
    writes = [PendingWrite("b", str(n), f"http://h/v?id={n}", f"rec-{n}", f"h{n}", str(path), NOW, run=1)
              for n in range(1, 5)]
    with opener() as state:
        _write(state, "1", None, tmp_path)  # item 1 known: this batch writes its revision 2
        assert state.begin_writes(writes) == [2, 1, 1, 1]
        for n, revision in ((1, 2), (2, 1)):  # two of the four appended, then "kill -9"
            append_line(path, {"id": f"rec-{n}", "revision": revision, "url": f"http://h/v?id={n}"})
    with opener() as state:
        assert state.recover(lambda p, rid, rev, url: file_has_record(p, rid, rev, url)) == (2, 2)
        known = [state.get("b", str(n)) for n in range(1, 5)]
        assert [k.revision if k else None for k in known] == [2, 1, None, None]
        again = state.begin_writes(writes[2:])  # the next run writes the two that were lost, once
        state.commit_writes([Seen("b", "3", NOW, '"e3"', None, "p3", 2), Seen("b", "4", NOW, run=2)],
                            [Seen("b", "1", NOW, '"e1"', run=2)])
        assert again == [1, 1]
        three, one = state.get("b", "3"), state.get("b", "1")
        assert three is not None and (three.revision, three.etag, three.page_hash) == (1, '"e3"', "p3")
        assert one is not None and one.etag == '"e1"' and one.revision == 2


def test_recheck_takes_recent_items_and_the_least_recently_checked_older_ones(tmp_path: Path, opener: Opener
                                                                             ) -> None:
    from scraper.sinks.state import Seen

    with opener() as state:
        for n in range(1, 11):  # items 1..10 published on 2024-03-01 .. 2024-03-10
            _write(state, str(n), f"2024-03-{n:02d}", tmp_path)
        due = [i.item_id for i in state.due_for_recheck("b", 4, "2024-03-09")]
        assert due == ["10", "9", "8", "7"]  # the 2 recent ones, then the older ones, newest first
        state.commit_writes([], [Seen("b", i, NOW, run=5) for i in due])  # checked in run 5
        assert [i.item_id for i in state.due_for_recheck("b", 4, "2024-03-09")] == ["10", "9", "6", "5"]
        assert [i.item_id for i in state.due_for_recheck("b", 4, "2024-03-09", exclude=["10"])] == [
            "9", "6", "5", "4"]
        assert [i.item_id for i in state.due_for_recheck("b", 1, "2024-03-09")] == ["6"]  # rotation first
        # all recent (none older): they rotate too, the least recently checked first
        assert [i.item_id for i in state.due_for_recheck("b", 3, "2024-03-01")] == ["6", "5", "4"]
        assert state.due_for_recheck("b", 0, "2024-03-09") == []


def test_a_state_file_from_before_last_checked_run_opens_and_rotates(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "state.sqlite"
    with StateStore(path) as state:
        _write(state, "1", "2024-03-01", tmp_path)
    db = sqlite3.connect(path)
    db.execute("DROP INDEX items_by_check")
    db.execute("ALTER TABLE items DROP COLUMN last_checked_run")  # the file as older versions wrote it
    db.commit()
    db.close()
    with StateStore(path) as state:
        assert [i.item_id for i in state.due_for_recheck("b", 5, "2024-03-09")] == ["1"]
