"""Template learning replayed from a WARC: a board on 127.0.0.1 whose view pages carry chrome lines inside the
article container, crawled with learning (the default) and ``--warc``; ``scraper warc extract --source`` learns
the source's templates as the crawl did (samples in list order, a list page at a time) and gives the crawl's
records field by field, the learned chrome dropped; ``--no-learn`` keeps it, as a ``--no-learn`` crawl does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from growing_board import GrowingBoard, board_sources, crawl
from scripted_server import ScriptedServer

from scraper.replay.learning import run_key

NOW = "2025-06-01T09:00:00+09:00"
BOOKKEEPING = ("item_id", "revision", "content_hash", "fetched_at")
CHROME = "한빛구 소식은 매주 화요일 누리집과 소식지로 전해 드립니다."


def _records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for f in sorted(out.rglob("*.jsonl")) if f.name != "errors.jsonl"
            for line in f.read_text(encoding="utf-8").splitlines()]


class RedirectingBoard(GrowingBoard):
    """The growing board whose rows of posts 7, 14, 21, 28, 35 link ``/board/go.do?id=N``, a 302 to the view page."""

    def respond(self, path: str) -> dict[str, Any] | None:
        if path.startswith("/board/go.do?"):
            return {"status": 302, "headers": {"Location": path.replace("go.do", "view.do")}, "body": ""}
        return super().respond(path)

    def list_page(self, page: int) -> str:
        text = super().list_page(page)
        for post in range(7, self.n + 1, 7):
            text = text.replace(f"href='/board/view.do?id={post}'", f"href='/board/go.do?id={post}'")
        return text


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A learning crawl and a --no-learn crawl of 35 posts with chrome (post 30 answered 404, 5 rows behind a
    redirect), each with --warc."""
    tmp = tmp_path_factory.mktemp("warc-learning")
    board = RedirectingBoard(35)
    board.chrome = True
    board.broken = {30}
    runs: dict[str, Any] = {}
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp / "s.toml")
        for name, extra in (("learn", ()), ("plain", ("--no-learn",))):
            done = crawl(tmp / name, sources, "--now", NOW, "--workers", "0", "--warc", str(tmp / name / "warc"),
                         *extra)
            assert done.returncode == 1, done.stderr.decode()  # post 30's 404 is an item error
            runs[name] = {"records": _records(tmp / name / "out"), "files": sorted((tmp / name / "warc").iterdir())}
    runs["sources"] = sources
    return runs


def _replay(crawled: dict[str, Any], run: str, *extra: str) -> list[dict[str, Any]]:
    proc = subprocess.run([sys.executable, "-m", "scraper", "warc", "extract", *map(str, crawled[run]["files"]),
                           "--source", "tb", "--sources", str(crawled["sources"]), "--now", NOW, *extra],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "scraper warc extract: 34 records, 0 errors; skipped: 5 list_page, 1 robots_txt, 6 status\n"
    return [json.loads(line) for line in proc.stdout.splitlines()]


def _assert_same(live: list[dict[str, Any]], again: list[dict[str, Any]], by: str = "place") -> None:
    """Equal field by field, matched by the response record the crawl pointed at (``by="url"``: by page URL,
    for two crawls' files)."""
    by_place = {line["warc"]["record_id"] if by == "place" else line["url"]: line for line in again}
    assert len(again) == len(live) == 34
    for record in live:
        other = by_place[record["warc"]["record_id"] if by == "place" else record["url"]]
        for key in sorted(set(record) | set(other)):
            if key not in (*BOOKKEEPING, *(("warc",) if by == "url" else ())):
                assert other.get(key) == record.get(key), (record["url"], key)


def test_re_extraction_learns_as_the_crawl_learned(crawled: dict[str, Any]) -> None:
    live = crawled["learn"]["records"]
    learned = [r for r in live if "template_applied" in r["warnings"]]
    assert len(learned) >= 20 and all(CHROME not in r["body"] for r in learned)
    assert any(CHROME in r["body"] for r in live)  # the first pages of the walk: nothing learned yet
    _assert_same(live, _replay(crawled, "learn"))


def test_no_learn_gives_a_no_learn_crawls_records(crawled: dict[str, Any]) -> None:
    plain = crawled["plain"]["records"]
    assert all(CHROME in r["body"] for r in plain)
    _assert_same(plain, _replay(crawled, "plain", "--no-learn"))
    _assert_same(plain, _replay(crawled, "learn", "--no-learn"), by="url")


def test_run_key_groups_one_writers_files() -> None:
    assert run_key("scraper-20261201150405-00000-vm.warc.gz") == run_key("scraper-20261201150405-00012-vm.warc.gz")
    assert run_key("scraper-20261201150405-00000-vm.warc.gz") != run_key("scraper-20261202150405-00000-vm.warc.gz")
