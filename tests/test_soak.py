"""kill -9 soak: ``scripts/soak_kill.py`` with 20 SIGKILLs over a 300-item board served on 127.0.0.1 (real
``python -m scraper crawl`` subprocesses, real files, a real SQLite state file), then a run to completion:
nothing lost, nothing written twice, no partial line. The seed is fixed, so the kill plan is the same on every
run; the moments themselves depend on the machine's speed, as they would in production."""

from __future__ import annotations

from pathlib import Path

from support import REPO, load_by_path

soak = load_by_path(REPO / "scripts" / "soak_kill.py", "soak_kill")

KILLS = 20
ITEMS = 300


def test_twenty_kill_9s_over_a_300_item_crawl_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    counts = soak.run_soak(KILLS, ITEMS, seed=1, work=tmp_path, timeout=120.0)
    assert soak.failures(counts) == [], counts
    assert counts["kills_landed"] >= KILLS - 1, counts  # a time-based kill may find a run already finished
    assert counts["lost"] == counts["duplicated"] == counts["partial_lines"] == 0
    assert counts["records"] == ITEMS + 1  # the pinned 공지 row is an item too
    assert counts["jsonl_files"] > 1  # records spread over several day partitions


def test_the_kill_plan_is_fixed_by_the_seed_and_spread_over_the_board() -> None:
    plan = soak.kill_plan(KILLS, ITEMS, seed=1)
    assert plan == soak.kill_plan(KILLS, ITEMS, seed=1)
    views = [value for kind, value in plan if kind == "views"]
    assert len(plan) == KILLS and len(views) >= 13
    assert views == sorted(views) and views[0] < ITEMS / 4 and views[-1] > ITEMS / 2
