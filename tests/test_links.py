"""Republication linking (``scraper links``): signatures, verification, the index and the CLI end to end.

Releases are the real gov pages of ../shared/corpus/real/gov run through ``scraper extract``; the news copies
are made from them here the way local papers republish (a lead and byline added, paragraphs dropped), and
the unrelated articles are the corpus's real news pages.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support import SHARED, extract_gold, gold_pages, require_shared, run_cli

from scraper.links.index import LinkIndex
from scraper.links.match import Side, choose, verify
from scraper.links.run import LinkRun, link_records
from scraper.links.signature import containment, jaccard, minhash, normalized_text, shingle_strings, shingles
from scraper.models import Record

LEAD = "[한빛일보=김민수 기자] 지역 소식을 전합니다."
BYLINE = "박지영 기자 jy.park@hanbitnews.kr"


@cache
def releases() -> tuple[dict[str, Any], ...]:
    """The corpus's release view pages with a body, as ``scraper extract`` records (JSON dicts)."""
    require_shared("corpus", "real", "gov")
    out = []
    for page in gold_pages(SHARED):
        if page.pid.startswith("gov/") and page.gold.get("body"):
            record = extract_gold(page)
            assert isinstance(record, Record), page.pid
            out.append(json.loads(record.model_dump_json()))
    return tuple(out)


def release(pid_part: str) -> dict[str, Any]:
    return next(r for r in releases() if pid_part in (r["url"] or "") or pid_part == r["id"])


def copy_of(rel: dict[str, Any], article_id: str, *, drop: int = 0, credited: str | None = None,
            days: int = 1) -> dict[str, Any]:
    """A news copy of ``rel``: lead and byline added, every ``drop``-th paragraph left out."""
    body = [p for i, p in enumerate(rel["body"]) if not drop or i % drop != 1]
    day = date.fromisoformat(rel["published"][:10]).toordinal() + days
    return {"id": article_id, "kind": "news_article", "url": f"https://news.example/{article_id}",
            "title": "[지역] " + rel["title"], "published": date.fromordinal(day).isoformat(),
            "body": [LEAD, *body, BYLINE], "credited_organization": credited, "extractor": "generic"}


def news_pages() -> list[dict[str, Any]]:
    out = []
    for page in gold_pages(SHARED):
        if page.pid.startswith("news/"):
            record = extract_gold(page)
            if isinstance(record, Record) and record.body:
                out.append(json.loads(record.model_dump_json()))
    return out


# --- signatures -------------------------------------------------------------------------------------------


def test_normalized_text_ignores_spacing_and_punctuation() -> None:
    assert normalized_text(["광진구 는 “AI” 행정을,  밝혔다."]) == normalized_text(["광진구는 'ai' 행정을 밝혔다"])


def test_shingles_are_five_syllables_sorted_and_distinct() -> None:
    assert shingle_strings(["가나다라마바 가나다라마"]) == [
        "가나다라마", "나다라마바", "다라마바가", "라마바가나", "마바가나다", "바가나다라",
    ]
    hashes = shingles(["가나다라마바 가나다라마"])
    assert hashes.dtype == np.uint64 and len(hashes) == 6 and list(hashes) == sorted(hashes)


def test_signatures_are_stable_across_processes() -> None:
    """The stored signatures must mean the same in the next run: another interpreter gives the same values."""
    code = ("import json; from scraper.links.signature import shingles, minhash; b = ['광진구는 27일 밝혔다'];"
            "print(json.dumps([list(map(int, shingles(b))), list(map(int, minhash(b)))]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    body = ["광진구는 27일 밝혔다"]
    assert json.loads(out) == [list(map(int, shingles(body))), list(map(int, minhash(body)))]


def test_containment_and_jaccard_of_a_real_release_and_its_copy() -> None:
    rel = release("gangjin.go.kr")
    art = copy_of(rel, "a1")
    r, a = shingles(rel["body"]), shingles(art["body"])
    assert containment(r, a) == 1.0  # every shingle of the release is in the copy
    assert 0.8 < jaccard(r, a) < 1.0  # the lead and byline added are not in the release


# --- verification ------------------------------------------------------------------------------------------


def _side(record: dict[str, Any], org: str | None) -> Side:
    return Side(shingles(record["body"]), date.fromisoformat(record["published"][:10]), org)


def test_verify_verbatim_edited_and_window() -> None:
    rel = release("gangjin.go.kr")
    verdict = verify(_side(rel, "전라남도 강진군"), _side(copy_of(rel, "a"), None))
    assert verdict is not None and verdict.kind == "verbatim" and verdict.containment == 1.0
    edited = verify(_side(rel, "전라남도 강진군"), _side(copy_of(rel, "b", drop=3), None))
    assert edited is not None and edited.kind == "edited" and 0.5 <= edited.containment < 0.9
    assert verify(_side(rel, "전라남도 강진군"), _side(copy_of(rel, "c", days=9), None)) is None  # after the window
    assert verify(_side(rel, "전라남도 강진군"), _side(copy_of(rel, "d", days=-1), None)) is None  # before the release


def test_other_body_credit_raises_the_bar() -> None:
    """An article crediting another body needs 0.8 of the release; one crediting the release's body 0.3."""
    rel = release("gangjin.go.kr")
    art = copy_of(rel, "a", drop=2)  # every other paragraph dropped
    same = verify(_side(rel, "전라남도 강진군"), _side(art, "전라남도 강진군"))
    other = verify(_side(rel, "전라남도 강진군"), _side(art, "전라남도 해남군"))
    assert same is not None and same.same_org
    assert other is None


def test_choose_keeps_the_release_and_drops_its_same_template_twin() -> None:
    """A twin release that shares half of its text with the real one is not linked to the copy."""
    rel = release("gangjin.go.kr")
    own = "해남군은 {}번째 계획을 따로 세웠다고 밝혔다. "
    twin_body = [p if i % 2 == 0 else own.format(i) * 3 for i, p in enumerate(rel["body"])]
    twin = {**rel, "body": twin_body}
    art = _side(copy_of(rel, "a"), None)
    verdicts = []
    for name, record in (("rel", rel), ("twin", twin)):
        verdict = verify(_side(record, None), art)
        assert verdict is not None  # both pass alone: the twin shares the template half
        verdicts.append((name, _side(record, None), verdict))
    assert choose(art, verdicts) == ["rel"]


def test_choose_links_one_text_posted_by_two_bodies_and_a_roundup_of_two() -> None:
    gangjin, naju = release("gangjin.go.kr"), release("naju.go.kr")
    art = _side(copy_of(gangjin, "a"), None)
    same_text = [(name, _side(gangjin, org), verify(_side(gangjin, org), art)) for name, org in
                 (("군청", "전라남도 강진군"), ("도청", "전라남도"))]
    assert choose(art, [(n, side, v) for n, side, v in same_text if v]) == ["군청", "도청"]
    roundup = {**copy_of(gangjin, "b"), "body": [*gangjin["body"], *naju["body"]]}
    both = [(r["id"], _side(r, None), verify(_side(r, None), _side(roundup, None))) for r in (gangjin, naju)]
    assert sorted(choose(_side(roundup, None), [(i, side, v) for i, side, v in both if v])) == sorted(
        [gangjin["id"], naju["id"]])


def test_a_one_line_release_links_nothing() -> None:
    tiny = {"body": ["자세한 내용은 첨부파일 참조"], "published": "2025-12-10"}
    article = {"body": ["자세한 내용은 첨부파일 참조", "그 밖의 소식"], "published": "2025-12-10"}
    assert verify(_side(tiny, None), _side(article, None)) is None


# --- the index and the CLI ---------------------------------------------------------------------------------


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cli_links_real_releases_copies_and_unrelated_news(tmp_path: Path) -> None:
    rels = list(releases())
    gangjin, naju = release("gangjin.go.kr"), release("naju.go.kr")
    copies = [copy_of(gangjin, "gj-1"), copy_of(gangjin, "gj-2", drop=3, credited="강진군"), copy_of(naju, "nj-1")]
    inputs = _write(tmp_path / "releases.jsonl", rels)
    news = _write(tmp_path / "news.jsonl", copies + news_pages())
    out = tmp_path / "out"
    proc = run_cli("links", "--out", str(out), str(inputs), str(news))
    assert proc.returncode == 0, proc.stderr.decode()
    links = _jsonl(out / "links.jsonl")
    assert {(link["release_id"], link["article_id"], link["kind"]) for link in links} == {
        (gangjin["id"], "gj-1", "verbatim"), (gangjin["id"], "gj-2", "edited"), (naju["id"], "nj-1", "verbatim")}
    gj2 = next(link for link in links if link["article_id"] == "gj-2")
    assert gj2["same_org"] is True and gj2["release_url"] == gangjin["url"]
    groups = _jsonl(out / "groups.jsonl")
    group = next(g for g in groups if g["release_id"] == gangjin["id"])
    assert group["republished_by"] == 2 and {a["id"] for a in group["articles"]} == {"gj-1", "gj-2"}
    assert group["organization"] == "전라남도 강진군"
    records = {r["id"]: r for r in _jsonl(out / "records.jsonl")}
    assert len(records) == len(rels) + len(copies) + len(news_pages())
    assert Record.model_validate(records["gj-1"]).derived_from[0].id == gangjin["id"]  # the record's own key
    derived = records["gj-1"]["derived_from"]
    assert derived == [{"id": gangjin["id"], "url": gangjin["url"], "organization": "전라남도 강진군",
                        "containment": 1.0, "similarity": derived[0]["similarity"]}]
    assert all(r["derived_from"] == [] for r in records.values() if r["id"].startswith("news") or
               (r["kind"] == "news_article" and r["id"] not in ("gj-1", "gj-2", "nj-1")))
    assert "derived_from" not in records[gangjin["id"]] or records[gangjin["id"]]["derived_from"] == []


def test_cli_links_incrementally_and_an_article_before_its_release(tmp_path: Path) -> None:
    """Run 1 sees only an article; run 2 brings its release (linked against the stored article), run 3 a new
    copy (linked against the stored release); nothing seen before is indexed again."""
    gangjin = release("gangjin.go.kr")
    out = tmp_path / "out"
    first = run_cli("links", "--out", str(out), str(_write(tmp_path / "a.jsonl", [copy_of(gangjin, "early")])))
    assert first.returncode == 0 and (out / "links.jsonl").read_text() == ""
    second = run_cli("links", "--out", str(out), str(_write(tmp_path / "r.jsonl", [gangjin])))
    assert second.returncode == 0
    assert [(x["release_id"], x["article_id"]) for x in _jsonl(out / "links.jsonl")] == [(gangjin["id"], "early")]
    third = run_cli("links", "--out", str(out), str(_write(tmp_path / "b.jsonl", [copy_of(gangjin, "late"), gangjin])))
    assert third.returncode == 0
    assert "2 records read, 1 indexed, 1 skipped" in third.stderr.decode()
    assert sorted(x["article_id"] for x in _jsonl(out / "links.jsonl")) == ["early", "late"]
    with sqlite3.connect(out / "links.sqlite") as db:
        assert db.execute("select count(*) from records").fetchone() == (3,)


def test_cli_links_reads_a_crawl_output_folder_and_stdin(tmp_path: Path) -> None:
    gangjin = release("gangjin.go.kr")
    folder = tmp_path / "crawl" / "gangjin-press" / "2025" / "12"
    folder.mkdir(parents=True)
    _write(folder / "10.jsonl", [gangjin])
    (tmp_path / "crawl" / "gangjin-press" / "errors.jsonl").write_text('{"url": "x", "error": {}}\n')
    stdin = (json.dumps(copy_of(gangjin, "piped"), ensure_ascii=False) + "\n").encode()
    proc = run_cli("links", "--out", str(tmp_path / "out"), str(tmp_path / "crawl"), "-", stdin=stdin)
    assert proc.returncode == 0, proc.stderr.decode()
    assert [x["article_id"] for x in _jsonl(tmp_path / "out" / "links.jsonl")] == ["piped"]
    assert {r["id"] for r in _jsonl(tmp_path / "out" / "records.jsonl")} == {gangjin["id"], "piped"}


def test_cli_links_errors(tmp_path: Path) -> None:
    assert run_cli("links", "--out", str(tmp_path / "o"), str(tmp_path / "missing.jsonl")).returncode == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('not json\n[1]\n{"id": "x", "kind": "news_article", "body": ["짧은 글"]}\n', encoding="utf-8")
    proc = run_cli("links", "--out", str(tmp_path / "o"), str(bad))
    assert proc.returncode == 1 and "2 bad lines" in proc.stderr.decode()
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "links.sqlite").write_text("not a database")
    assert run_cli("links", "--out", str(tmp_path / "p"), str(bad)).returncode == 2


def test_index_reopened_links_without_signing_again(tmp_path: Path) -> None:
    gangjin = release("gangjin.go.kr")
    with LinkIndex(tmp_path / "i.sqlite") as index:
        link_records(index, [gangjin], LinkRun(), keep=False)
    with LinkIndex(tmp_path / "i.sqlite") as index:
        assert len(index) == 1
        run = LinkRun()
        link_records(index, [copy_of(gangjin, "x")], run, keep=False)
        assert (run.added, run.links) == (1, 1)


@pytest.mark.parametrize("kind", ["press_release", "news_article"])
def test_records_without_body_or_id_are_skipped(tmp_path: Path, kind: str) -> None:
    with LinkIndex(tmp_path / "i.sqlite") as index:
        run = LinkRun()
        link_records(index, [{"id": "a", "kind": kind, "body": []}, {"kind": kind, "body": ["본문"]},
                             {"url": "u", "error": {"kind": "input"}}], run, keep=False)
        assert (run.read, run.added, run.skipped) == (3, 0, 3)


def test_a_ministry_credit_on_a_korea_kr_release_is_no_other_body(tmp_path: Path) -> None:
    """정책브리핑 posts the ministries' releases: an article crediting the ministry is linked at the usual bar."""
    korea = release("korea.kr")
    assert korea["organization"] is None  # the portal's host names no releasing body
    art = copy_of(korea, "k1", drop=2, credited="문화체육관광부")  # every other paragraph dropped
    with LinkIndex(tmp_path / "i.sqlite") as index:
        run = LinkRun()
        link_records(index, [korea, art], run, keep=False)
        assert [(r, a) for r, a, *_ in index.links()] == [(korea["id"], "k1")]


def test_cli_links_reads_a_bom_and_counts_cp949_lines_as_bad(tmp_path: Path) -> None:
    """Records saved again by a Windows editor start with a UTF-8 BOM: the first record is read. A line saved
    as cp949 (a spreadsheet's "save as") is a bad line, not a traceback; the other lines are read."""
    gangjin = release("gangjin.go.kr")
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + (json.dumps(gangjin, ensure_ascii=False) + "\n").encode())
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes((json.dumps(copy_of(gangjin, "cp"), ensure_ascii=False) + "\n").encode("cp949", "replace")
                      + (json.dumps(copy_of(gangjin, "ok"), ensure_ascii=False) + "\n").encode())
    proc = run_cli("links", "--out", str(tmp_path / "out"), str(bom), str(mixed))
    assert (proc.returncode, b"Traceback" in proc.stderr) == (1, False), proc.stderr.decode()
    assert "2 records read" in proc.stderr.decode() and "1 bad lines" in proc.stderr.decode()
    assert [x["article_id"] for x in _jsonl(tmp_path / "out" / "links.jsonl")] == ["ok"]
