"""``scraper sources add`` and ``scraper sources check``: platform recognition, proposed stanzas proven on every
real list page of ../shared/corpus/real/gov (whatever pages are there), and end-to-end runs against real
HTTP servers on 127.0.0.1 (the synthetic board of ../shared/bench/crawl/site.py, a replay of 강진군's board)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from scripted_server import ScriptedServer
from support import SHARED, load_by_path, require_shared, run_cli

from scraper.cli import main
from scraper.errors import ConfigError
from scraper.extract.listing import parse_listing
from scraper.fetch.decode import decode_html
from scraper.onboard.propose import propose
from scraper.onboard.sourcefile import append_stanza
from scraper.sources.board import BoardSource
from scraper.sources.boards import load_sources
from scraper.sources.platforms import PLATFORMS, recognise

GOV = SHARED / "corpus" / "real" / "gov"
LIST_PAGES = sorted(p.name[: -len(".html")] for p in GOV.glob("*-list.html")) if GOV.is_dir() else []

# Platforms of the pages present when this was written; a page added later is checked against the platform
# its .meta.json names (board_family / board_software), or only for its items when it names none.
KNOWN_PLATFORMS = {
    "002-gangjin-gun-list": "ybmodule", "005-naju-si-list": "ybmodule", "008-wando-gun-list": "egov",
    "009-jindo-gun-list": "generic", "012-gwangju-metro-list": "siiru", "014-gyeongsangbuk-do-list": "generic",
    "016-korea-kr-list": "generic", "018-gangdong-gu-list": "generic", "019-songpa-gu-list": "si-bbsntt",
    "020-guri-si-list": "si-bbsntt", "021-hanam-si-list": "si-bbsntt", "022-gyeonggi-do-list": "generic",
}
META_HINTS = (("selectbbsntt", "si-bbsntt"), ("egovframe", "egov"), ("ybmodule", "ybmodule"),
              ("boardlist.do", "siiru"), ("board.es", "board-es"), ("gnuboard", "gnuboard"),
              ("xpressengine", "xe"), ("rhymix", "xe"), ("ndsoft", "ndsoft"), ("netis", "netis"))


def expected_platform(stem: str, meta: dict[str, Any]) -> str | None:
    """The platform a page must be recognised as (``None``: not asserted)."""
    if stem in KNOWN_PLATFORMS:
        return KNOWN_PLATFORMS[stem]
    said = f"{meta.get('board_family') or ''} {meta.get('board_software') or ''}".lower()
    return next((platform for word, platform in META_HINTS if word in said), None)


def page_url(meta: dict[str, Any]) -> str:
    """The list page's address; the site's root when the meta does not know it (경상북도's saved page)."""
    return str(meta.get("original_url") or f"https://{meta.get('site') or 'unknown.invalid'}/")


def gold_rows(gold: dict[str, Any], url: str) -> list[tuple[str | None, str, str, str | None]]:
    """(id or None, absolute URL, title, date) of each gold item; the id only where the gold names it."""
    return [(g.get("id"), g.get("url") or urljoin(url, g["url_or_id"]), g["title"], g.get("date"))
            for g in gold["items"]]


def url_parts(url: str) -> set[str]:
    """The query values and path segments of ``url`` (where a post id may sit)."""
    parts = urlsplit(url)
    return {v for _, v in parse_qsl(parts.query)} | {s for s in parts.path.split(";", 1)[0].split("/") if s}


@pytest.mark.parametrize("stem", LIST_PAGES or [None])
def test_sources_add_proves_a_stanza_on_every_real_list_page(
    stem: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = require_shared("corpus", "real", "gov")
    assert stem is not None, f"no *-list.html page in {folder}"
    meta = json.loads((folder / f"{stem}.meta.json").read_text(encoding="utf-8"))
    gold = json.loads((folder / f"{stem}.gold.json").read_text(encoding="utf-8"))
    url, page, boards = page_url(meta), folder / f"{stem}.html", tmp_path / "boards.toml"

    code = main(["sources", "add", str(page), "--url", url, "--name", "probe", "--sources", str(boards)])
    out = capsys.readouterr().out
    assert code == 0, out
    want = expected_platform(stem, meta)
    if want is not None:
        assert out.startswith(f"platform: {want} "), out.splitlines()[0]
    assert "\nproven: " in out and "appended source 'probe'" in out

    source = load_sources(boards)["probe"]  # the stanza as appended, loaded like any sources file
    items = parse_listing(decode_html(page.read_bytes()).text, url, source).items
    rows = gold_rows(gold, url)
    assert [(i.url, i.title, i.date) for i in items] == [r[1:] for r in rows]
    for item, (gold_id, gold_url, _, _), entry in zip(items, rows, gold["items"], strict=True):
        assert item.id == gold_id if gold_id else item.id in url_parts(gold_url)
        assert item.pinned == bool(entry.get("pinned", False))
    assert len({i.id for i in items}) == len(items)


@pytest.mark.parametrize("stem", LIST_PAGES or [None])
def test_recognition_gives_reasons_and_the_stanza_loads_as_a_board_source(stem: str | None) -> None:
    folder = require_shared("corpus", "real", "gov")
    assert stem is not None
    meta = json.loads((folder / f"{stem}.meta.json").read_text(encoding="utf-8"))
    text = decode_html((folder / f"{stem}.html").read_bytes()).text
    proposal = propose(text, page_url(meta))
    assert proposal.recognition.reasons and all(proposal.recognition.reasons)
    assert proposal.source is not None and proposal.differ == 0
    assert proposal.stanza.startswith(f"# platform: {proposal.recognition.name} (")
    assert proposal.found == len(proposal.items) == len(json.loads((folder / f"{stem}.gold.json").read_text(
        encoding="utf-8"))["items"])


def test_each_platform_row_names_where_it_was_seen() -> None:
    assert len({p.name for p in PLATFORMS}) == len(PLATFORMS)
    assert all(p.seen and p.view_link.regex for p in PLATFORMS)


# --- platforms without a page in the corpus: pages written from their skins' templates -------------------


PLATFORM_PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "listings" / "platforms"


@pytest.mark.parametrize(("name", "url", "ids", "param"), [
    ("gnuboard", "https://news.example.kr/bbs/board.php?bo_table=notice", ["3", "42", "41", "40"], "page"),
    ("xe", "https://www.garam.go.kr/index.php?mid=press", ["901", "900"], "page"),
    ("board-es", "https://www.mohw.go.kr/board.es?mid=a10503000000&bid=0027", ["1500", "1499"], "nPage"),
    ("ndsoft", "https://www.garamilbo.kr/news/articleList.html?view_type=sm", ["77", "76", "75"], "page"),
])
def test_platforms_without_a_corpus_page(name: str, url: str, ids: list[str], param: str) -> None:
    """Pages written from each platform's skin template (fixtures/listings/platforms/*.html)."""
    proposal = propose((PLATFORM_PAGES / f"{name}.html").read_text(encoding="utf-8"), url)
    assert proposal.recognition.name == name
    assert proposal.source is not None and proposal.differ == 0
    assert [i.id for i in proposal.items] == ids
    assert all(i.title.startswith(("게시판", "가람", "복지부")) and not i.title.endswith(("N", "[2]"))
               for i in proposal.items)
    assert all(i.date for i in proposal.items[-2:])
    assert proposal.source.paging.param == param


def test_gnuboard_notice_row_is_pinned_and_the_category_link_is_not_the_title() -> None:
    page = (PLATFORM_PAGES / "gnuboard.html").read_text(encoding="utf-8")
    proposal = propose(page, "https://news.example.kr/bbs/board.php?bo_table=notice")
    assert proposal.source is not None
    assert [(i.id, i.pinned, i.title, i.date) for i in proposal.items] == [
        ("3", True, "게시판 이용 안내", None), ("42", False, "가람읍 소식 42호", "2024-03-10"),
        ("41", False, "가람읍 소식 41호", "2024-03-11"), ("40", False, "가람읍 소식 40호", "2024-03-12")]
    assert proposal.source.items.id_param == "wr_id"


def test_a_javascript_board_proposes_no_view_url_and_says_so() -> None:
    page = Path(__file__).resolve().parents[1] / "fixtures" / "listings" / "egov-jsview-board.html"
    proposal = propose(page.read_text(encoding="utf-8"), "https://garam.example.go.kr/board/list.do")
    assert proposal.source is not None and proposal.source.items.view_url is None
    assert [i.id for i in proposal.items] == ["7001", "7002", "8123", "8122", "8120"]
    assert [i.pinned for i in proposal.items] == [True, True, False, False, False]
    assert any(n.startswith("view_url: the links are javascript calls") for n in proposal.notes)


def test_si_board_keeps_only_its_own_board_and_drops_new_badges() -> None:
    page = Path(__file__).resolve().parents[1] / "fixtures" / "listings" / "si-bbsntt-board.html"
    url = "https://garam.example.go.kr/www/selectBbsNttList.do?bbsNo=188&key=1002"
    proposal = propose(page.read_text(encoding="utf-8"), url)
    assert proposal.recognition.name == "si-bbsntt" and proposal.source is not None
    assert [(i.id, i.title, i.pinned) for i in proposal.items] == [
        ("2500001", "보도자료 게시판 운영 안내", True),
        ("2512345", "가람구, ‘골목상권 살리기’ 상품권 30억 원 발행", False),
        ("2512301", "가람구 2024년 구민 안전보험 가입", False),
        ("2512288", "“함께 걷는 가람천” 산책로 새 단장", False),
    ]
    assert proposal.source.paging.param == "pageIndex"
    assert proposal.source.items.view_url == "/www/selectBbsNttView.do?bbsNo=188&nttNo={0}"


def test_recognise_is_generic_without_evidence() -> None:
    recognition = recognise("<html><body><a href='/about'>소개</a></body></html>", "https://www.example.kr/")
    assert recognition.platform is None and recognition.name == "generic"


# --- the command line: files -------------------------------------------------------------------------------


def test_a_page_without_posts_is_not_proven_and_shows_what_it_holds(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>보도자료</title></head><body><p>등록된 게시물이 없습니다.</p>"
                    "<a href='/main.do'>홈</a></body></html>", encoding="utf-8")
    boards = tmp_path / "boards.toml"
    proc = run_cli("sources", "add", str(page), "--url", "https://www.example.go.kr/board/list.do",
                   "--sources", str(boards))
    out = proc.stdout.decode()
    assert proc.returncode == 1, out
    assert "not proven: no post links found" in out and "title: 보도자료" in out and "link: /main.do" in out
    assert not boards.exists()


def cli(*args: str) -> int:
    """``scraper ARGS`` in this process; the exit code (argparse's usage errors included)."""
    try:
        return main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "list.html"
    page.write_text("<a href='/v.do?nttId=1'>a</a>", encoding="utf-8")
    assert cli("sources", "add", str(page)) == 2  # a file with no address of its own
    assert "give it with --url" in capsys.readouterr().err
    assert cli("sources", "add", str(tmp_path / "missing.html"), "--url", "https://h.kr/l") == 2
    assert cli("sources", "add", "https://h.kr/l", "--url", "https://h.kr/l") == 2
    assert cli("sources", "add", str(page), "--url", "https://h.kr/l", "--name", "../x") == 2
    assert cli("sources", "add", str(page), "--url", "https://h.kr/l", "--sources", str(tmp_path)) == 2
    assert cli("sources", "check", "--sources", str(tmp_path)) == 2  # a folder with no sources
    assert cli("sources", "check", "--source", "no-such-board") == 2
    assert cli("sources") == 2
    assert "no source named 'no-such-board'" in capsys.readouterr().err


def _stanza(name: str, list_url: str = "https://h.kr/list.do") -> str:
    return (f'[[source]]\nname = "{name}"\norganization = "o"\nlist_url = "{list_url}"\n'
            '[source.items]\nitem = "tr"\n')


def test_append_refuses_a_taken_name_and_a_broken_file_and_leaves_them_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    boards = tmp_path / "boards.toml"
    boards.write_text("# my boards\n" + _stanza("alpha"), encoding="utf-8")
    before = boards.read_bytes()
    with pytest.raises(ConfigError, match=r"already has a source named 'alpha'"):
        append_stanza(boards, _stanza("ALPHA"), "ALPHA")
    assert boards.read_bytes() == before
    with pytest.raises(ConfigError, match=r"already crawls https://h.kr/list.do as source 'alpha'"):
        append_stanza(boards, _stanza("beta"), "beta")  # one board under two names: crawled twice
    assert boards.read_bytes() == before
    with pytest.raises(ConfigError, match=r"field 'items\.item'"):
        append_stanza(boards, _stanza("beta", "https://h.kr/b.do").replace('"tr"', '"tr[[["'), "beta")
    assert boards.read_bytes() == before
    assert sorted(append_stanza(boards, _stanza("beta", "https://h.kr/b.do"), "beta")) == ["alpha", "beta"]
    assert boards.read_bytes().startswith(before)
    assert not [p for p in tmp_path.iterdir() if p.name != "boards.toml"]  # no temp file left behind
    broken = tmp_path / "broken.toml"
    broken.write_text("[[source]\nname = ", encoding="utf-8")
    page = tmp_path / "p.html"
    page.write_text("<a href='/v.do?nttId=1'>a</a>", encoding="utf-8")
    assert cli("sources", "add", str(page), "--url", "https://h.kr/l", "--sources", str(broken)) == 2
    assert "invalid TOML" in capsys.readouterr().err
    assert broken.read_text(encoding="utf-8") == "[[source]\nname = "


# --- end to end: the synthetic board of ../shared/bench/crawl/site.py on 127.0.0.1 ------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def bench_site() -> Any:
    """``site.py serve`` (60 items, one host) as a child process; yields (base URL, its Site model)."""
    script = require_shared("bench", "crawl", "site.py")
    model: ModuleType = load_by_path(script, "crawlbench_site_onboard")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(script), "serve", "--items", "60", "--hosts", "1", "--bind", "ports",
                             "--port-base", str(port), "--log", os.devnull], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        assert ready["ready"], ready
        yield f"http://127.0.0.1:{port}", model.Site(items=60, hosts=1, seed=1), model.ID_BASE
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_sources_add_url_and_check_against_the_synthetic_board(bench_site: Any, tmp_path: Path) -> None:
    base, site, id_base = bench_site
    boards = tmp_path / "boards.toml"
    list_url = f"{base}/board/list.do"
    proc = run_cli("sources", "add", list_url, "--name", "bench-press", "--sources", str(boards), "--show", "30")
    out = proc.stdout.decode()
    assert proc.returncode == 0, out + proc.stderr.decode()
    assert out.startswith("platform: egov ") and "\nproven: " in out
    pinned = {int(n) for n in re.findall(r'<tr class="notice">.*?nttId=(\d+)', site.list_html(0, 1).decode())}
    newest = next(k for k in site.host_items[0] if id_base + k not in pinned)  # a pinned copy wins its row
    assert f"view page: {base}/board/view.do?nttId={id_base + newest}" in out  # the newest regular post
    assert f"  title: {site.meta[newest]['title']}" in out
    assert f"  published: {site.when[newest]:%Y-%m-%dT%H:%M}" in out
    source = load_sources(boards)["bench-press"]
    assert (source.paging.method, source.paging.param, source.items.id_param) == ("get", "page", "nttId")
    for k in site.host_items[0][:20]:  # every row of page 1 printed with its id, date and title
        assert f"  {id_base + k}  {site.when[k]:%Y-%m-%d}  " in out and site.meta[k]["title"] in out

    check = run_cli("sources", "check", "--sources", str(boards), "--delay", "0")
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
    assert check.stdout.decode().startswith("ok       bench-press  21 items (2 pinned, 21 dated); view: ")

    again = run_cli("sources", "add", list_url, "--name", "bench-press", "--sources", str(boards))
    assert again.returncode == 2 and b"already has a source named 'bench-press'" in again.stderr

    with boards.open("a", encoding="utf-8") as file:
        stale = _stanza("bench-stale").replace("https://h.kr/list.do", list_url).replace('"tr"', '"ul.x > li"')
        file.write("\n" + stale)
        file.write("\n" + _stanza("bench-gone").replace("https://h.kr/list.do", f"{base}/gone/list.do"))
    check = run_cli("sources", "check", "--sources", str(boards), "--delay", "0")
    lines = check.stdout.decode().splitlines()
    assert check.returncode == 1
    assert [line.split()[:2] for line in lines] == [["ok", "bench-press"], ["no_items", "bench-stale"],
                                                    ["failed", "bench-gone"]]
    assert "generic discovery sees 21 post links" in lines[1] and "http_status: HTTP 404" in lines[2]
    only = run_cli("sources", "check", "--sources", str(boards), "--source", "bench-gone", "--delay", "0")
    assert only.returncode == 1 and len(only.stdout.decode().splitlines()) == 1


# --- end to end: 강진군's real board replayed on 127.0.0.1 (ybmodule, a real view page) ---------------------


def test_sources_add_url_on_a_replayed_real_board(tmp_path: Path) -> None:
    folder = require_shared("corpus", "real", "gov")
    list_html = (folder / "002-gangjin-gun-list.html").read_bytes()
    view_html = (folder / "001-gangjin-gun-view.html").read_bytes()
    view_gold = json.loads((folder / "001-gangjin-gun-view.gold.json").read_text(encoding="utf-8"))
    html = {"Content-Type": "text/html; charset=utf-8"}

    def respond(path: str) -> dict[str, Any] | None:
        if not path.startswith("/www/government/news/press"):
            return None
        body = view_html if "mode=view" in path else list_html
        return {"status": 200, "headers": html, "body": body}

    with ScriptedServer({}, fallback=respond) as srv:
        started = time.monotonic()
        proc = run_cli("sources", "add", srv.url("/www/government/news/press"), "--name", "gangjin-press",
                       "--sources", str(tmp_path / "boards.toml"))
        out = proc.stdout.decode()
        assert proc.returncode == 0, out + proc.stderr.decode()
        assert time.monotonic() - started < 60
        assert out.startswith("platform: ybmodule ")
        assert f"view page: {srv.url('/www/government/news/press?idx=647621&mode=view')}" in out
        assert f"  title: {view_gold['title']}" in out
        assert f"body: {len(view_gold['body'])} paragraphs" in out
        assert [p for p in srv.paths() if "mode=view" in p] == ["/www/government/news/press?idx=647621&mode=view"]
    source: BoardSource = load_sources(tmp_path / "boards.toml")["gangjin-press"]
    assert source.list_url == srv.url("/www/government/news/press") and source.items.id_param == "idx"


@pytest.mark.parametrize("page", [
    "",
    "<html><body><p>등록된 게시물이 없습니다.</p></body></html>",
    "<table><tr><td><o:p><a href='/view.do?nttId=1'>하나뿐인 글</a></o:p></td><td>2024-01-02</td></tr></table>",
    "<ul>" + "".join(f"<li><a href=\"/v.do?a'b={n}&nttId={n}\">글 {n}</a></li>" for n in range(3)) + "</ul>",
    "<ul>" + "".join(f"<li><a href='#' onclick=\"$x['go']({n})\">글 {n}</a></li>" for n in range(3)) + "</ul>",
    "<div>" + "<div>" * 300 + "<a href='/read.do?idx=5'>깊은 글</a>" + "</div>" * 300 + "</div>",
])
def test_odd_pages_never_raise(page: str) -> None:
    proposal = propose(page, "https://www.example.go.kr/board/list.do")
    if proposal.source is None:
        assert proposal.problem
    else:
        assert load_sources_text(proposal.stanza)


def load_sources_text(stanza: str) -> dict[str, BoardSource]:
    """The stanza loaded from a file, as ``sources add --sources`` would."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "boards.toml"
        path.write_text(stanza, encoding="utf-8")
        return load_sources(path)
