"""``scraper crawl --links``: a run's new and updated records linked into the link index once they are committed,
and ``scraper report`` counting each release's news copies (``republished_by``).

Real loopback boards (127.0.0.1) crawled by ``scraper crawl`` subprocesses: a press-release board whose view page
is the corpus's real 강진군 release (../shared/corpus/real/gov/001), and a news board whose articles republish it
the way local papers do (a lead added, the headline rewritten, paragraphs dropped, ``출처: 강진군 보도자료``).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from growing_board import GrowingBoard, board_sources, crawl
from scripted_server import ScriptedServer
from support import SHARED, extract_gold, gold_pages, require_shared, run_cli

from scraper.models import Record

HTML = {"Content-Type": "text/html; charset=utf-8"}
LEAD = "[한빛일보=김민수 기자] 전남 강진군이 부산 관광객을 맞았다."


@cache
def release_page() -> tuple[bytes, list[str]]:
    """The corpus's 강진군 release view page (bytes) and its body as ``scraper extract`` reads it."""
    require_shared("corpus", "real", "gov")
    page = next(p for p in gold_pages(SHARED) if "001-gangjin-gun-view" in p.pid)
    record = extract_gold(page)
    assert isinstance(record, Record) and record.published and record.published.startswith("2025-12-10")
    return page.html_path.read_bytes(), record.body


class Boards:
    """``/gov/``: one release (the real page); ``/news/``: the articles in ``news`` (id -> (day, paragraphs))."""

    def __init__(self) -> None:
        body = release_page()[1]
        self.news: dict[int, tuple[str, list[str]]] = {1: ("2025-12-11", [LEAD, *body[3:]])}
        self.edited = ("2025-12-12", [LEAD, *(p for i, p in enumerate(body[3:]) if i % 3 != 1)])

    def respond(self, path: str) -> dict[str, Any] | None:
        parts = urlsplit(path)
        post = int(parse_qs(parts.query).get("id", ["0"])[0])
        if parts.path == "/gov/list.do":
            rows = [(1, "2025-12-10", "새로 열린 기차 타고 강진 가자")]
            return {"status": 200, "headers": HTML, "body": _list("gov", rows)}
        if parts.path == "/gov/view.do" and post == 1:
            return {"status": 200, "headers": HTML, "body": release_page()[0]}
        if parts.path == "/news/list.do":
            newest = sorted(self.news.items(), reverse=True)
            rows = [(n, day, f"부산 관광객, 새 기차 타고 강진으로 {n}") for n, (day, _) in newest]
            return {"status": 200, "headers": HTML, "body": _list("news", rows)}
        if parts.path == "/news/view.do" and post in self.news:
            day, paragraphs = self.news[post]
            text = "".join(f"<p>{p}</p>" for p in [*paragraphs, "출처: 강진군 보도자료"])
            page = ("<html><head><meta charset='utf-8'><title>기차 타고 강진 - 한빛일보</title>"
                    f"<meta property='article:published_time' content='{day}T09:00:00+09:00'></head><body><article>"
                    f"<h1>부산 관광객, 새 기차 타고 강진으로 {post}</h1><div class='article-body'>{text}</div>"
                    "</article></body></html>")
            return {"status": 200, "headers": HTML, "body": page}
        return None


def _list(board: str, rows: list[tuple[int, str, str]]) -> str:
    cells = "".join(f"<tr><td>{n}</td><td class='subject'><a href='/{board}/view.do?id={n}'>{title}</a></td>"
                    f"<td>{day}</td></tr>" for n, day, title in rows)
    return f"<html><body><table class='board-list'><tbody>{cells}</tbody></table></body></html>"


def _sources(srv: ScriptedServer, path: Path) -> Path:
    items = ("[source.items]\nitem = \"table.board-list tbody tr\"\nlink = [\"td.subject a\"]\n"
             "date = [\"td:nth-child(3)\"]\nid_param = \"id\"\n")
    path.write_text(
        f"[[source]]\nname = \"gangjin-press\"\norganization = \"강진군\"\nlist_url = \"{srv.url('/gov/list.do')}\"\n"
        + items + f"[[source]]\nname = \"hanbit-news\"\norganization = \"한빛일보\"\nkind = \"news\"\n"
        f"list_url = \"{srv.url('/news/list.do')}\"\n" + items, encoding="utf-8")
    return path


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _output_records(out: Path) -> list[dict[str, Any]]:
    """Every record line of the crawl's output (the sources' folders only)."""
    return [r for source in ("gangjin-press", "hanbit-news") for f in sorted((out / source).rglob("*.jsonl"))
            if f.name != "errors.jsonl" for r in _jsonl(f)]


def _crawl(tmp: Path, sources: Path, *extra: str) -> tuple[subprocess.CompletedProcess[bytes], dict[str, Any]]:
    proc = crawl(tmp, sources, "--workers", "0", "--summary", str(tmp / "summary.json"), *extra)
    summary = json.loads((tmp / "summary.json").read_text(encoding="utf-8"))
    return proc, summary


def _report(tmp: Path, *extra: str) -> dict[str, dict[str, Any]]:
    proc = run_cli("report", "--out", str(tmp / "out"), "--state", str(tmp / "state.sqlite"), *extra)
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads((tmp / "out" / "report" / "report.json").read_text(encoding="utf-8"))
    return {s["name"]: s for s in data["sources"]} | {"": data["links"]}


def test_crawl_links_a_news_copy_to_the_crawled_release_then_a_later_copy_incrementally(tmp_path: Path) -> None:
    boards = Boards()
    with ScriptedServer({}, boards.respond) as srv:
        sources = _sources(srv, tmp_path / "sources.toml")
        proc, summary = _crawl(tmp_path, sources, "--links")
        err = proc.stderr.decode()
        assert proc.returncode == 0, err
        links_dir = tmp_path / "out" / "_links"
        records = {r["kind"]: r for r in _output_records(tmp_path / "out")}
        release, article = records["press_release"], records["news_article"]
        assert article["credited_organization"] == "전라남도 강진군"
        assert summary["links"] == {**summary["links"], "dir": str(links_dir), "records": 2, "missing": 0,
                                    "indexed": 2, "skipped": 0, "links": 1, "index_records": 2, "error": None}
        assert "links: 2 records of this run, 2 indexed, 1 links found, 2 records in the index" in err
        links = _jsonl(links_dir / "links.jsonl")
        assert [(x["release_id"], x["article_id"], x["kind"], x["same_org"]) for x in links] == [
            (release["id"], article["id"], "verbatim", True)]
        assert links[0]["release_url"] == srv.url("/gov/view.do?id=1")
        linked = {r["id"]: r for r in _jsonl(links_dir / "records.jsonl")}
        assert set(linked) == {release["id"], article["id"]}
        assert [d["id"] for d in linked[article["id"]]["derived_from"]] == [release["id"]]
        report = _report(tmp_path)
        assert set(report) == {"gangjin-press", "hanbit-news", ""}  # _links is no source
        gov = report["gangjin-press"]
        assert (gov["records"], gov["republished_releases"], gov["republished_by"]) == (1, 1, 1)
        assert gov["republished"] == [{"release_id": release["id"], "url": srv.url("/gov/view.do?id=1"),
                                       "title": release["title"], "organization": "전라남도 강진군",
                                       "republished_by": 1}]
        assert (report["hanbit-news"]["records"], report["hanbit-news"]["republished_by"]) == (1, 0)

        boards.news[2] = boards.edited  # a second paper's shorter copy, one day later
        proc, summary = _crawl(tmp_path, sources, "--links")
        assert proc.returncode == 0, proc.stderr.decode()
        assert (summary["links"]["records"], summary["links"]["indexed"], summary["links"]["links"]) == (1, 1, 1)
        assert summary["links"]["index_records"] == 3
        second = next(r for r in _output_records(tmp_path / "out") if r["item_id"] == "2")
        assert sorted((x["article_id"], x["kind"]) for x in _jsonl(links_dir / "links.jsonl")) == sorted(
            [(article["id"], "verbatim"), (second["id"], "edited")])
        assert [g["republished_by"] for g in _jsonl(links_dir / "groups.jsonl")] == [2]
        assert [r["item_id"] for r in _jsonl(links_dir / "records.jsonl")] == ["2"]  # this run's record only
        report = _report(tmp_path)
        assert report["gangjin-press"]["republished_by"] == 2
        assert report["gangjin-press"]["republished"][0]["republished_by"] == 2
        assert report[""]["releases"] == 1 and report[""]["republished_by"] == 2

        proc, summary = _crawl(tmp_path, sources, "--links")  # nothing new: nothing to link, links kept
        assert proc.returncode == 0 and summary["links"]["records"] == 0 and summary["links"]["links"] == 0
        assert len(_jsonl(links_dir / "links.jsonl")) == 2
    assert len(_output_records(tmp_path / "out")) == 3  # each record written once


def test_a_linking_failure_loses_no_record_and_is_an_error_line(tmp_path: Path) -> None:
    """The index is no SQLite file: the run's records are written and committed all the same, the failure is a
    ``LINKING FAILED`` line, the summary's ``links.error`` and exit 1; ``scraper links`` links them later."""
    boards = Boards()
    broken = tmp_path / "links"
    broken.mkdir()
    (broken / "links.sqlite").write_bytes(b"this is no SQLite database" * 200)
    with ScriptedServer({}, boards.respond) as srv:
        sources = _sources(srv, tmp_path / "sources.toml")
        proc, summary = _crawl(tmp_path, sources, "--links", str(broken))
        err = proc.stderr.decode()
        assert proc.returncode == 1, err
        assert "LINKING FAILED: DatabaseError" in err and "Traceback" not in err
        assert summary["links"]["error"].startswith("DatabaseError") and summary["links"]["records"] == 2
        assert all(r["errors"] == 0 and r["status"] == "ok" for r in summary["sources"].values())
        assert len(_output_records(tmp_path / "out")) == 2
        with sqlite3.connect(tmp_path / "state.sqlite") as db:
            assert db.execute("select revision, pending_revision from items").fetchall() == [(1, None), (1, None)]
            runs = db.execute("select finished, summary from runs").fetchall()
        assert runs[0][0] is not None and json.loads(runs[0][1])["links"]["error"] == summary["links"]["error"]
        again, summary = _crawl(tmp_path, sources)  # nothing lost, nothing to write again
        assert again.returncode == 0 and summary["links"] is None
        assert summary["totals"]["new"] == 0 and len(_output_records(tmp_path / "out")) == 2
    later = run_cli("links", "--out", str(tmp_path / "fixed"), str(tmp_path / "out"))
    assert later.returncode == 0, later.stderr.decode()
    assert len(_jsonl(tmp_path / "fixed" / "links.jsonl")) == 1


def test_only_the_runs_new_and_updated_records_are_linked(tmp_path: Path) -> None:
    board = GrowingBoard(3)
    with ScriptedServer({}, board.respond) as srv:
        sources = board_sources(srv, tmp_path / "sources.toml")
        plain = crawl(tmp_path, sources, "--workers", "0", "--summary", str(tmp_path / "s0.json"))
        assert plain.returncode == 0, plain.stderr.decode()
        assert json.loads((tmp_path / "s0.json").read_text())["links"] is None  # not asked: no linking
        assert not (tmp_path / "out" / "_links").exists()
        board.n = 5
        first = crawl(tmp_path, sources, "--workers", "0", "--links", "--summary", str(tmp_path / "s1.json"))
        assert first.returncode == 0, first.stderr.decode()
        links = json.loads((tmp_path / "s1.json").read_text())["links"]
        assert (links["records"], links["indexed"], links["index_records"]) == (2, 2, 2)  # posts 4 and 5
        board.revised = {2, 5}
        second = crawl(tmp_path, sources, "--workers", "0", "--links", "--refresh", "5",
                       "--summary", str(tmp_path / "s2.json"))
        assert second.returncode == 0, second.stderr.decode()
        summary = json.loads((tmp_path / "s2.json").read_text())
        assert summary["totals"]["updated"] == 2 and summary["totals"]["unchanged"] == 3
        assert (summary["links"]["records"], summary["links"]["indexed"]) == (2, 2)
        assert summary["links"]["index_records"] == 3  # post 2 is new to the index, post 5 replaced its row
        linked = _jsonl(tmp_path / "out" / "_links" / "records.jsonl")
        assert sorted((r["item_id"], r["revision"]) for r in linked) == [("2", 2), ("5", 2)]
