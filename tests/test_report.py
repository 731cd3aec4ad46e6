"""``scraper report`` and :mod:`scraper.health`: a state file and an output folder written the way the crawl
writes them (``StateStore``, ``RunReport``, JSONL lines) -> the report model, ``report.json`` and the page.
The page in a real browser, from real crawls: ``tests/test_report_browser.py``."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser
from support import run_cli

import scraper.health
from scraper.health.gather import gather_health
from scraper.health.html import render
from scraper.health.model import HealthReport, LinksHealth, Republished, RunHealth, SourceHealth
from scraper.health.state import StateUnreadable
from scraper.normalize.dates import KST
from scraper.report import RunReport, SourceReport
from scraper.sinks.state import StateStore

NOW = datetime(2025, 12, 11, 9, 0, tzinfo=KST)
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&"


def _write_items(state: StateStore, source: str, seen: list[str]) -> None:
    for n, when in enumerate(seen):
        state.begin_write(source, f"{source}-{n}", f"http://127.0.0.1/v?id={n}", f"r{n}", "hash", "x.jsonl", when)
        state.commit_write(source, f"{source}-{n}", when)


def _run(state: StateStore, started: str, finished: str | None, summary: dict[str, Any] | str | None) -> None:
    run_id = state.start_run(started)
    if finished is not None:
        text = summary if isinstance(summary, str) or summary is None else json.dumps(summary, ensure_ascii=False)
        state.db.execute("UPDATE runs SET finished = ?, summary = ? WHERE id = ?", (finished, text, run_id))


def _old_summary(**sources: SourceReport) -> dict[str, Any]:
    """A summary as ``RunReport.to_json()`` wrote it before sources had a ``status`` (and ``no_items_runs``,
    ``given_up``): state files of earlier versions hold these."""
    report = RunReport(sources=dict(sources), requests=7)
    loaded: dict[str, Any] = json.loads(report.to_json())
    for entry in loaded["sources"].values():
        for key in ("status", "no_items_runs", "given_up"):
            entry.pop(key, None)
    loaded.pop("notes", None)
    return loaded


def _lines(path: Path, rows: list[dict[str, Any] | str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")


def _record(source: str, extractor: str, warnings: list[str] | None = None,
            attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": "x", "url": f"https://{source}.example/v?1", "body": ["본문"], "extractor": extractor,
            "warnings": warnings or [], "attachments": attachments or [], "source": source, "revision": 1}


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An output folder and state of three sources: ``gangjin`` fine, ``naju`` broken (status reported by the
    crawl), ``wando`` failing in an old-style summary (no status key)."""
    out = tmp_path / "out"
    with StateStore(out / "state.sqlite") as state:
        _write_items(state, "gangjin", ["2025-12-09T10:00:00+09:00"] * 3 + ["2025-12-11T08:00:00+09:00",
                                                                            "2025-10-01T10:00:00+09:00"])
        _write_items(state, "naju", ["2025-11-20T23:59:59+09:00"])
        state.record_failure("gangjin", "g-9", "http://127.0.0.1/v?9", "http_status: 404")
        for _ in range(5):
            state.record_failure("wando", "w-1", "http://127.0.0.1/w?1", "timeout: slow")
        _run(state, "2025-12-09T09:00:00+09:00", "2025-12-09T09:01:05+09:00", _old_summary(
            gangjin=SourceReport(list_pages=1, new=3), naju=SourceReport(list_pages=1, new=1),
            wando=SourceReport(list_pages=1, new=0)))
        _run(state, "2025-12-10T09:00:00+09:00", "2025-12-10T09:00:30+09:00", {
            "sources": {"gangjin": {"list_pages": 1, "new": 1, "errors": 1, "status": "ok", "no_items_runs": 0,
                                    "given_up": 0},
                        "naju": {"list_pages": 1, "new": 0, "status": "source_broken", "no_items_runs": 3,
                                 "given_up": 0, "source_error": "list page 1: no_items: 3 runs in a row"}},
            "totals": {"list_pages": 2, "new": 1, "updated": 0, "unchanged": 0, "errors": 1}, "requests": 4})
        _run(state, "2025-12-10T10:00:00+09:00", "2025-12-10T10:00:02+09:00", _old_summary(
            wando=SourceReport(list_pages=1, source_error="list page 1: http_status: 404")))
        _run(state, "2025-12-10T11:00:00+09:00", None, None)  # killed: no finish, no summary
        _run(state, "2025-12-10T12:00:00+09:00", "2025-12-10T12:00:01+09:00", "{not json")
    _lines(out / "gangjin" / "2025" / "12" / "09.jsonl", [
        _record("gangjin", "ybmodule"), _record("gangjin", "generic", ["profile_missed"]),
        _record("gangjin", "ybmodule", attachments=[{"name": "붙임.hwp", "url": "https://gangjin.example/f?1",
                                                     "error": "unreadable: encrypted HWP"}, {"name": "ok.pdf"}]),
        '{"cut": "by a cra'])
    _lines(out / "gangjin" / "undated.jsonl", [_record("gangjin", "ybmodule")])
    _lines(out / "gangjin" / "errors.jsonl", [
        {"url": "http://127.0.0.1/v?9", "error": {"kind": "http_status", "message": "HTTP 404"}, "source": "gangjin",
         "time": "2025-10-01T09:00:00+09:00"},
        {"url": "http://127.0.0.1/v?9", "error": {"kind": "http_status", "message": "HTTP 404"}, "source": "gangjin",
         "time": "2025-12-10T09:00:10+09:00"},
        {"url": "http://127.0.0.1/v?8", "error": {"kind": "timeout", "message": "read timed out"},
         "source": "gangjin", "time": "2025-12-10T09:00:20+09:00"}])
    _lines(out / "naju" / "errors.jsonl", [
        {"url": "http://127.0.0.1/n", "error": {"kind": "no_items", "message": "list page 1 has no items"},
         "source": "naju", "time": f"2025-12-0{d}T09:00:00+09:00"} for d in (8, 9)] + [
        {"url": "http://127.0.0.1/n", "error": {"kind": "source_broken", "message": "3 runs in a row"},
         "source": "naju", "time": "2025-12-10T09:00:01+09:00"}])
    return out


def _by_name(report: HealthReport) -> dict[str, SourceHealth]:
    return {s.name: s for s in report.sources}


def test_per_source_status_last_success_and_loud_broken_first(archive: Path) -> None:
    report = gather_health(archive / "state.sqlite", archive, NOW)
    assert [s.name for s in report.sources] == ["naju", "wando", "gangjin"]  # broken, failed, ok
    assert report.broken == ["naju"]
    s = _by_name(report)
    assert (s["naju"].status, s["naju"].status_reported, s["naju"].no_items_runs) == ("source_broken", True, 3)
    assert s["naju"].last_success == "2025-12-09T09:01:05+09:00" and s["naju"].last_success_run == 1
    assert s["naju"].last_error == "list page 1: no_items: 3 runs in a row"
    assert (s["wando"].status, s["wando"].status_reported) == ("failed", False)  # derived from source_error
    assert s["wando"].last_success_run == 1 and s["wando"].last_run is not None and s["wando"].last_run.id == 3
    assert (s["gangjin"].status, s["gangjin"].last_success_run, s["gangjin"].given_up) == ("ok", 2, 0)
    assert s["wando"].given_up is None  # old summaries carry no given_up
    assert (s["wando"].failing_items, s["wando"].given_up_items) == (0, 1)  # tried max_attempts (5) times
    assert (s["gangjin"].failing_items, s["gangjin"].given_up_items) == (1, 0)


def test_new_items_per_day_over_the_last_30_days_from_first_seen(archive: Path) -> None:
    report = gather_health(archive / "state.sqlite", archive, NOW)
    assert report.days[0] == "2025-11-12" and report.days[-1] == "2025-12-11" and len(report.days) == 30
    gangjin = _by_name(report)["gangjin"]
    per_day = dict(zip(report.days, gangjin.new_per_day, strict=True))
    assert {day: n for day, n in per_day.items() if n} == {"2025-12-09": 3, "2025-12-11": 1}
    assert gangjin.new_30_days == 4 and gangjin.items == 5  # the October item is outside the window
    assert _by_name(report)["naju"].new_per_day[report.days.index("2025-11-20")] == 1


def test_errors_extractors_profile_missed_and_attachment_failures_from_the_output(archive: Path) -> None:
    s = _by_name(gather_health(archive / "state.sqlite", archive, NOW))
    g = s["gangjin"]
    assert g.error_kinds == {"http_status": 2, "timeout": 1} and g.errors_total == 3
    assert g.error_kinds_30_days == {"http_status": 1, "timeout": 1}
    assert [e.kind for e in g.recent_errors] == ["timeout", "http_status", "http_status"]  # newest first
    assert g.records == 4 and g.extractors == {"ybmodule": 3, "generic": 1}
    assert g.profile_missed == 1 and g.profile_missed_rate == 0.25 and g.warnings == {"profile_missed": 1}
    assert (g.attachments, g.attachment_failures) == (2, 1)
    failure = g.recent_attachment_failures[0]
    assert (failure.name, failure.error) == ("붙임.hwp", "unreadable: encrypted HWP")
    assert g.unreadable_lines == 1  # the line a crash cut
    assert s["naju"].error_kinds == {"no_items": 2, "source_broken": 1}
    assert s["naju"].records == 0 and s["naju"].profile_missed_rate is None


def test_runs_newest_first_with_duration_totals_and_failed_sources(archive: Path) -> None:
    report = gather_health(archive / "state.sqlite", archive, NOW)
    assert report.runs_total == 5 and [r.id for r in report.runs] == [5, 4, 3, 2, 1]
    by_id = {r.id: r for r in report.runs}
    assert by_id[1].duration_seconds == 65 and by_id[1].requests == 7 and by_id[1].new == 4
    assert by_id[2].failed_sources == ["naju"] and by_id[3].failed_sources == ["wando"]
    assert (by_id[4].finished, by_id[4].duration_seconds, by_id[4].new) == (None, None, None)
    assert by_id[5].summary_readable is False


def test_report_json_and_page_through_the_cli_leave_the_state_untouched(archive: Path) -> None:
    state = archive / "state.sqlite"
    before = hashlib.sha256(state.read_bytes()).hexdigest()
    proc = run_cli("report", "--out", str(archive), "--now", NOW.isoformat())
    assert proc.returncode == 0, proc.stderr.decode()
    assert "SOURCE BROKEN: naju" in proc.stderr.decode()
    assert hashlib.sha256(state.read_bytes()).hexdigest() == before
    data = json.loads((archive / "report" / "report.json").read_text(encoding="utf-8"))
    assert data["broken"] == ["naju"] and data["generated"] == "2025-12-11T09:00:00+09:00"
    assert set(data["sources"][0]) == set(SourceHealth.model_fields)
    page = (archive / "report" / "index.html").read_text(encoding="utf-8")
    tree = LexborHTMLParser(page)
    banner = tree.css_first("div.broken")
    assert banner is not None and "naju" in banner.text()
    assert page.index('class="broken"') < page.index("<h2>Sources</h2>")  # at the top of the page
    assert tree.css("script") == [] and "http-equiv=\"Content-Security-Policy\"" in page
    bars = tree.css('svg.chart[data-source="gangjin"] rect.bar')
    assert [(b.attributes["data-day"], b.attributes["data-count"]) for b in bars] == [("2025-12-09", "3"),
                                                                                       ("2025-12-11", "1")]
    # nothing to load: no src, no stylesheet or icon but data:, no url() or @import in the style
    assert [n.tag for n in tree.css("*") if "src" in n.attributes] == []
    assert [n.attributes.get("href") for n in tree.css("link")] == ["data:,"]
    assert not re.search(r"url\(|@import", page)


def test_html_out_folder(archive: Path, tmp_path: Path) -> None:
    proc = run_cli("report", "--out", str(archive), "--html-out", str(tmp_path / "site"), "--now", NOW.isoformat())
    assert proc.returncode == 0, proc.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["index.html", "report.json"]
    assert not (archive / "report").exists()


def test_a_missing_or_unreadable_state_is_exit_2_with_a_clear_message(tmp_path: Path) -> None:
    missing = run_cli("report", "--out", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "no state file at" in missing.stderr.decode()
    (tmp_path / "junk.sqlite").write_bytes(b"this is not an SQLite database" * 100)
    junk = run_cli("report", "--out", str(tmp_path), "--state", str(tmp_path / "junk.sqlite"))
    assert junk.returncode == 2 and "not a readable SQLite database" in junk.stderr.decode()
    sqlite3.connect(tmp_path / "other.sqlite").execute("CREATE TABLE t (x)").connection.close()
    other = run_cli("report", "--out", str(tmp_path), "--state", str(tmp_path / "other.sqlite"))
    assert other.returncode == 2 and "no crawl state" in other.stderr.decode()
    assert not (tmp_path / "report").exists()
    with pytest.raises(StateUnreadable):
        gather_health(tmp_path / "nothing" / "state.sqlite", tmp_path, NOW)


def test_an_old_state_file_without_runs_or_failures_tables(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "old.sqlite")
    db.execute("CREATE TABLE items (source TEXT, item_id TEXT, url TEXT, first_seen TEXT, revision INTEGER)")
    db.execute("INSERT INTO items VALUES ('s', '1', 'u', '2025-12-10T09:00:00+09:00', 1)")
    db.commit()
    db.close()
    report = gather_health(tmp_path / "old.sqlite", tmp_path / "no-output", NOW)
    assert report.runs == [] and report.runs_total == 0
    assert [(s.name, s.status, s.items, s.new_30_days) for s in report.sources] == [("s", "never_run", 1, 1)]
    assert "no run recorded" in render(report)


def _hostile_report() -> HealthReport:
    """Every string of the model set to markup, as titles, URLs and messages from the web could be."""
    source = SourceHealth.model_validate({
        "name": HOSTILE, "status": "source_broken", "last_error": HOSTILE, "last_success": HOSTILE,
        "new_per_day": [1] * 30, "error_kinds": {HOSTILE: 1}, "error_kinds_30_days": {HOSTILE: 1},
        "recent_errors": [{"time": HOSTILE, "url": HOSTILE, "kind": HOSTILE, "message": HOSTILE},
                          {"url": "javascript:alert(1)", "kind": "k", "message": "m"}],
        "records": 1, "extractors": {HOSTILE: 1}, "warnings": {HOSTILE: 1},
        "recent_attachment_failures": [{"record_url": f"https://x.example/?q={HOSTILE}", "name": HOSTILE,
                                        "url": HOSTILE, "error": HOSTILE}],
        "last_run": {"id": 1, "started": HOSTILE, "finished": HOSTILE}, "republished_by": 1,
        "republished": [{"release_id": HOSTILE, "url": "javascript:alert(1)", "title": HOSTILE,
                         "organization": HOSTILE, "republished_by": 1}]})
    run = RunHealth(id=1, started=HOSTILE, finished=HOSTILE, failed_sources=[HOSTILE])
    return HealthReport(generated=NOW.isoformat(), out_dir=HOSTILE, state_path=HOSTILE, days=[HOSTILE] * 30,
                        broken=[HOSTILE], sources=[source], runs=[run], runs_total=1,
                        links=LinksHealth(dir=HOSTILE, found=True, unreadable_lines=1))


def test_every_value_is_escaped() -> None:
    page = render(_hostile_report())
    tree = LexborHTMLParser(page)
    assert tree.css("script") == [] and tree.css("img") == []
    assert [n for n in tree.css("*") if any(a.startswith("on") for a in n.attributes)] == []
    assert all(not (a.attributes.get("href") or "").startswith("javascript:") for a in tree.css("a"))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert HOSTILE in tree.body.text() if tree.body else False  # shown as text, whole


def test_every_report_json_key_is_documented() -> None:
    doc = scraper.health.__doc__ or ""
    keys = set(HealthReport.model_fields) | set(SourceHealth.model_fields) | set(RunHealth.model_fields) | set(
        LinksHealth.model_fields) | set(Republished.model_fields)
    assert sorted(k for k in keys if f"``{k}``" not in doc) == []


# --- republished_by: the link output's groups --------------------------------------------------------------


def _release(source: str, record_id: str) -> dict[str, Any]:
    return {**_record(source, "ybmodule"), "id": record_id, "kind": "press_release", "title": f"보도자료 {record_id}"}


def _group(release_id: str, copies: int, title: str = "") -> dict[str, Any]:
    return {"release_id": release_id, "url": f"https://gov.example/{release_id}", "organization": "전라남도 강진군",
            "title": title or f"보도자료 {release_id}", "republished_by": copies,
            "articles": [{"id": f"{release_id}-a{n}", "url": None, "kind": "edited", "containment": 0.9}
                         for n in range(copies)]}


def test_republished_by_per_source_and_release_from_the_link_output(archive: Path) -> None:
    """``OUT/_links`` (what ``crawl --links`` writes): its groups give each release's copies; the folder is no
    source (its records.jsonl is not counted again); a group of a release of no source here is unmatched."""
    _lines(archive / "gangjin" / "2025" / "12" / "10.jsonl", [_release("gangjin", "rel-1"),
                                                              _release("gangjin", "rel-2")])
    links = archive / "_links"
    _lines(links / "groups.jsonl", [_group("rel-2", 1), _group("rel-1", 3), _group("elsewhere", 2), "{cut"])
    _lines(links / "records.jsonl", [_release("gangjin", "rel-1")])
    (links / "links.sqlite").write_bytes(b"")
    report = gather_health(archive / "state.sqlite", archive, NOW)
    gangjin = _by_name(report)["gangjin"]
    assert "_links" not in _by_name(report) and gangjin.records == 6
    assert (gangjin.republished_releases, gangjin.republished_by) == (2, 4)
    assert [(r.release_id, r.republished_by, r.title) for r in gangjin.republished] == [
        ("rel-1", 3, "보도자료 rel-1"), ("rel-2", 1, "보도자료 rel-2")]
    assert _by_name(report)["naju"].republished_by == 0 and _by_name(report)["naju"].republished == []
    assert report.links == LinksHealth(dir=str(links), found=True, releases=3, republished_by=6,
                                       unmatched_releases=1, unreadable_lines=1)
    proc = run_cli("report", "--out", str(archive), "--now", NOW.isoformat())
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads((archive / "report" / "report.json").read_text(encoding="utf-8"))
    by_name = {s["name"]: s for s in data["sources"]}
    assert by_name["gangjin"]["republished_by"] == 4 and by_name["gangjin"]["republished"][0] == {
        "release_id": "rel-1", "url": "https://gov.example/rel-1", "title": "보도자료 rel-1",
        "organization": "전라남도 강진군", "republished_by": 3}
    assert data["links"]["republished_by"] == 6
    tree = LexborHTMLParser((archive / "report" / "index.html").read_text(encoding="utf-8"))
    rows = tree.css('section#source-gangjin table.republished tr')
    assert [[td.text() for td in row.css("td")][::2] for row in rows[1:]] == [["보도자료 rel-1", "3"],
                                                                             ["보도자료 rel-2", "1"]]


def test_report_links_folder_flag_and_no_link_output(archive: Path, tmp_path: Path) -> None:
    report = gather_health(archive / "state.sqlite", archive, NOW)
    assert report.links is not None and not report.links.found and report.links.releases == 0
    assert all(s.republished_by == 0 for s in report.sources)
    elsewhere = tmp_path / "links-elsewhere"
    _lines(archive / "naju" / "undated.jsonl", [_release("naju", "nj-1")])
    _lines(elsewhere / "groups.jsonl", [_group("nj-1", 2)])
    proc = run_cli("report", "--out", str(archive), "--links", str(elsewhere), "--now", NOW.isoformat())
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads((archive / "report" / "report.json").read_text(encoding="utf-8"))
    assert {s["name"]: s["republished_by"] for s in data["sources"]}["naju"] == 2
    assert data["links"]["dir"] == str(elsewhere) and data["links"]["found"] is True
