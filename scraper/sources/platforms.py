"""Board platforms of Korean government and local-news sites, as data, and recognising one on a list page.

Most of the 243 local governments' boards run on a handful of platforms. Each :class:`Platform` row says how
to recognise it (list URL patterns, view-link patterns, markup markers), where a post's id lives, how its
list pages advance, and the item selectors its usual skin uses; ``seen`` names where each rule was seen
(a site of ``shared/corpus/real/gov``, ``shared/design/gov-boards.md``, or a public repository).
:func:`recognise` is pure: HTML text and its URL in, a :class:`Recognition` out. Turning a recognition into
a ``[[source]]`` stanza, which needs the HTML parser and the listing code, is :mod:`scraper.onboard`'s job.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from typing import Literal

PagingMethod = Literal["get", "offset", "post"]


@dataclass(frozen=True)
class Pattern:
    """A regular expression (searched, case-insensitive) and what it means in words, for the report."""

    regex: str
    what: str

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in ``text``, or ``None``."""
        return re.search(self.regex, text, re.I)


@dataclass(frozen=True)
class PagingHint:
    """How the platform's list pages usually advance (``scraper.sources.board.Paging`` fields)."""

    method: PagingMethod = "get"
    param: str = "page"
    first: int = 1
    step: int = 1


@dataclass(frozen=True)
class ItemHint:
    """Selectors of the platform's usual skin (``scraper.sources.board.ItemRules`` fields); ``item`` empty
    when only the link is typical and the rows differ per site."""

    link: str
    item: str = ""
    title: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    pinned: str | None = None


@dataclass(frozen=True)
class Platform:
    """One board platform: how to recognise it and the typical values of a source on it."""

    name: str
    label: str
    view_link: Pattern
    """Matches a post link (href or javascript call) of the platform; group ``id`` is the post id."""
    list_url: tuple[Pattern, ...] = ()
    markers: tuple[Pattern, ...] = ()
    id_param: str | None = None
    paging: PagingHint | None = None
    board_params: tuple[str, ...] = ()
    """List-URL parameters naming the board (``bbsNo``); a post link with another value is another board's."""
    items: tuple[ItemHint, ...] = ()
    seen: str = ""


PLATFORMS: tuple[Platform, ...] = (
    Platform(
        name="si-bbsntt",
        label="SI selectBbsNtt board (선진 SI platform)",
        view_link=Pattern(r"selectBbsNttView\.do[^?\"'\s]*\?[^\"'\s]*?\bnttNo=(?P<id>\d+)",
                          "selectBbsNttView.do?...nttNo=N links"),
        list_url=(Pattern(r"selectBbsNttList\.do", "selectBbsNttList.do"),),
        markers=(Pattern(r"class=\"[^\"]*\bp-table\b", "table.p-table"),
                 Pattern(r"class=\"[^\"]*\bp-subject\b", "td.p-subject")),
        id_param="nttNo",
        paging=PagingHint("get", "pageIndex"),
        board_params=("bbsNo",),
        items=(ItemHint(item="table.p-table tbody tr", link="td.p-subject a"),),
        seen="songpa.go.kr/www/selectBbsNttList.do?bbsNo=96&key=2781, guri.go.kr (bbsNo=42), hanam.go.kr (bbsNo=1164, "
             "card skin) in shared/corpus/real/gov 019-021; 성동 (bbsNo 184/188), 영등포, 은평, 양주, 남양주, 옥천 in "
             "gov-boards.md (selectors table.p-table / td.p-subject from a scraper's tests there)",
    ),
    Platform(
        name="egov",
        label="eGovFrame board (bbsId/nttId)",
        view_link=Pattern(r"[?&;]nttId=(?P<id>\d+)|fn_egov_inqire_notice\(\s*'?(?P<js>\d+)",
                          "nttId=N post links"),
        list_url=(Pattern(r"(?:commonSelectBoardList|selectBoardList)\.do", "selectBoardList.do"),
                  Pattern(r"[?&]bbsId=BBSMSTR_", "bbsId=BBSMSTR_..."),),
        markers=(Pattern(r"BBSMSTR_\d+", "BBSMSTR_ board ids"),
                 Pattern(r"fn_egov_(?:link_page|inqire_notice|select)", "fn_egov_* scripts")),
        id_param="nttId",
        paging=PagingHint("get", "pageIndex"),
        board_params=("bbsId",),
        items=(ItemHint(item="table tbody tr", link="a[href*='nttId=']"),),
        seen="wando.go.kr/wando/sub.cs?m=299 (nttId, BBSMSTR_000000000036, pageIndex; shared/corpus/real/gov 008); "
             "행정안전부 commonSelectBoardList.do?bbsId=BBSMSTR_000000000008 (017); 곡성, 구례, 해남 in gov-boards.md",
    ),
    Platform(
        name="ybmodule",
        label="ybmodule / ybscript.io CMS",
        view_link=Pattern(r"[?&]idx=(?P<id>\d+)&(?:amp;)?mode=view|[?&]mode=view&(?:amp;)?idx=(?P<id2>\d+)",
                          "?idx=N&mode=view links"),
        markers=(Pattern(r"ybmodule\.file", "ybmodule.file paths"), Pattern(r"ybscript", "ybscript assets")),
        id_param="idx",
        paging=PagingHint("get", "page"),
        items=(ItemHint(link="a[href*='idx='][href*='mode=view']"),),
        seen="gangjin.go.kr/www/government/news/press (shared/corpus/real/gov 002), "
             "naju.go.kr/www/administration/reporting/coverage (005); 목포, 장흥, 무안, 보성 in gov-boards.md",
    ),
    Platform(
        name="board-es",
        label=".es board engine (board.es / gallery.es)",
        view_link=Pattern(r"(?:board|gallery)\.es\?[^\"'\s]*?\blist_no=(?P<id>\d+)", "board.es?...list_no=N links"),
        list_url=(Pattern(r"(?:board|gallery)\.es\?", "board.es?mid=...&bid=..."),),
        id_param="list_no",
        paging=PagingHint("get", "nPage"),
        board_params=("bid",),
        items=(ItemHint(link="a[href*='list_no=']"),),
        seen="보건복지부 mohw.go.kr/board.es?mid=a10503000000&bid=0027 (nPage paging in a public scraper's list URL), "
             "국가데이터처 mods.go.kr bid=213, 광주 gallery.es?mid=a40205000000&bid=0009 (gov-boards.md)",
    ),
    Platform(
        name="siiru",
        label="boardList.do / boardView.do board (siiru)",
        view_link=Pattern(r"boardView\.do\?[^\"'\s]*?\bseq=(?P<id>\d+)", "boardView.do?...seq=N links"),
        list_url=(Pattern(r"boardList\.do", "boardList.do"),),
        markers=(Pattern(r"class=\"board_list_body\"", "div.board_list_body"),
                 Pattern(r"class=\"body_row\"", "div.body_row rows")),
        id_param="seq",
        paging=PagingHint("post", "movePage"),
        board_params=("boardId",),
        items=(ItemHint(item="div.board_list_body > div.body_row", link="div.subject a"),),
        seen="gwangju.go.kr/boardList.do?boardId=BD_0000000022 (shared/corpus/real/gov 012; POST movePage), "
             "전라남도 /M7116/boardView.do?seq= (010); 고흥 BD_00025, 함평 boardId=NEWS in gov-boards.md",
    ),
    Platform(
        name="netis",
        label="NETIS board (교육청 selectNttList.do)",
        view_link=Pattern(r"selectNttInfo\.do\?[^\"'\s]*?\bnttSn=(?P<id>\d+)", "selectNttInfo.do?...nttSn=N links"),
        list_url=(Pattern(r"selectNttList\.do", "selectNttList.do"),),
        id_param="nttSn",
        board_params=("bbsId",),
        items=(ItemHint(link="a[href*='nttSn=']"),),
        seen="부산·대구·인천·세종·경기·충북·경북 교육청 /na/ntt/selectNttList.do?mi=..&bbsId=.. (gov-boards.md)",
    ),
    Platform(
        name="gpms",
        label="GPMS board (boardCnts/list.do)",
        view_link=Pattern(r"boardCnts/view\.do\?[^\"'\s]*?\bboardSeq=(?P<id>\d+)",
                          "boardCnts/view.do?boardSeq=N links"),
        list_url=(Pattern(r"boardCnts/list\.do", "boardCnts/list.do"),),
        id_param="boardSeq",
        board_params=("boardID",),
        items=(ItemHint(link="a[href*='boardSeq=']"),),
        seen="대전·충남 교육청 boardCnts/list.do?boardID=.. (gov-boards.md)",
    ),
    Platform(
        name="gnuboard",
        label="gnuboard (그누보드) board",
        view_link=Pattern(r"board\.php\?[^\"'\s]*?\bwr_id=(?P<id>\d+)", "board.php?bo_table=..&wr_id=N links"),
        list_url=(Pattern(r"board\.php\?(?:[^#]*&)?bo_table=", "board.php?bo_table=..."),),
        markers=(Pattern(r"\bg5_(?:url|bbs_url)\b", "g5_url script variables"),
                 Pattern(r"id=\"bo_list\"", "div#bo_list")),
        id_param="wr_id",
        paging=PagingHint("get", "page"),
        board_params=("bo_table",),
        items=(ItemHint(item="#bo_list tbody tr", link="td.td_subject a[href*='wr_id=']", date=("td.td_date",),
                        pinned="tr.bo_notice"),),
        seen="gnuboard/gnuboard5 skin/board/basic/list.skin.php (div#bo_list table, td.td_subject, td.td_date, "
             "tr.bo_notice, ?page=N)",
    ),
    Platform(
        name="xe",
        label="XpressEngine / Rhymix board",
        view_link=Pattern(r"[?&](?:amp;)?document_srl=(?P<id>\d+)", "document_srl=N links"),
        list_url=(Pattern(r"index\.php\?(?:[^#]*&)?mid=", "index.php?mid=..."),),
        markers=(Pattern(r"xe_content|/modules/board/|rhymix", "XE/Rhymix module assets"),),
        id_param="document_srl",
        paging=PagingHint("get", "page"),
        board_params=("mid",),
        items=(ItemHint(item="#board_list tbody tr", link="td.title a", date=("td.time",), pinned="tr.notice"),),
        seen="xpressengine/xe-core modules/board/skins/default/list.html (div#board_list table, td.title a, "
             "td.time, tr.notice, page=N)",
    ),
    Platform(
        name="ndsoft",
        label="NDSoft news CMS (articleList.html)",
        view_link=Pattern(r"articleView\.html\?[^\"'\s]*?\bidxno=(?P<id>\d+)", "articleView.html?idxno=N links"),
        list_url=(Pattern(r"articleList\.html", "articleList.html"),),
        id_param="idxno",
        paging=PagingHint("get", "page"),
        items=(ItemHint(link="a[href*='articleView.html']"),),
        seen="local news sites on NDSoft (fixtures/pages/01-ndsoft-local-news.html; public scrapers page "
             "articleList.html?page=N&view_type=sm on gnmaeil.com, aitimes.com, idaegu.co.kr)",
    ),
)
"""The platforms known, most specific first (a tie in :func:`recognise` goes to the earlier row)."""

MIN_SCORE = 3
"""Evidence needed to name a platform: its list URL, two of its post links, or one link and two markers."""

_LINK_ATTR = re.compile(r"""\b(?:href|onclick)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def platform(name: str) -> Platform:
    """The platform named ``name``; raises ``KeyError`` for an unknown name.

    >>> platform("ybmodule").id_param
    'idx'
    """
    for row in PLATFORMS:
        if row.name == name:
            return row
    raise KeyError(name)


def page_links(html: str) -> list[str]:
    """Every ``href`` and ``onclick`` value of ``html`` with entities decoded, in page order.

    >>> page_links('<a href="./v.do?a=1&amp;nttNo=5">x</a><tr onclick="go(3)">')
    ['./v.do?a=1&nttNo=5', 'go(3)']
    """
    return [htmllib.unescape(m.group(1) if m.group(1) is not None else m.group(2)) for m in _LINK_ATTR.finditer(html)]


def post_ids(links: list[str], row: Platform) -> list[str]:
    """The distinct post ids of the platform's view links among ``links``, in page order.

    >>> post_ids(["/www/news?idx=7&mode=view", "/www/news?page=2", "?mode=view&idx=8"], platform("ybmodule"))
    ['7', '8']
    """
    seen: dict[str, None] = {}
    for link in links:
        m = row.view_link.search(link)
        if m:
            value = next((v for v in m.groups() if v), None)
            if value:
                seen.setdefault(value)
    return list(seen)


@dataclass(frozen=True)
class Evidence:
    """What speaks for one platform on a page: its score and the reasons, in words."""

    platform: Platform
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Recognition:
    """The platform a list page runs on (``None``: no platform had enough evidence; use generic rules), the
    reasons, and the evidence for every platform that scored."""

    platform: Platform | None
    reasons: tuple[str, ...]
    candidates: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        """The platform's name, or ``generic``."""
        return self.platform.name if self.platform else "generic"


def evidence(html: str, url: str | None, row: Platform, links: list[str] | None = None) -> Evidence:
    """How much the page speaks for ``row``: +3 for a list URL pattern, +3 for two or more post links (+1 for
    one), +1 per markup marker (at most 2)."""
    score, reasons = 0, []
    for pattern in row.list_url:
        if url and pattern.search(url):
            score += 3
            reasons.append(f"the list URL has {pattern.what}")
            break
    ids = post_ids(page_links(html) if links is None else links, row)
    if ids:
        score += 3 if len(ids) >= 2 else 1
        reasons.append(f"{len(ids)} {row.view_link.what} (first id {ids[0]})")
    markers = [p.what for p in row.markers if p.search(html)][:2]
    if markers:
        score += len(markers)
        reasons.append("markup has " + " and ".join(markers))
    return Evidence(row, score, tuple(reasons))


def recognise(html: str, url: str | None = None) -> Recognition:
    """The board platform of a list page, from its URL and markup; pure.

    The platform with the highest score of at least :data:`MIN_SCORE` wins (ties: the earlier row of
    :data:`PLATFORMS`); with none, the page gets generic rules (``Recognition.platform is None``).

    >>> page = '<a href="./selectBbsNttView.do?bbsNo=96&amp;nttNo=19278949">a</a>'
    >>> r = recognise(page + page.replace("949", "948"), "https://www.songpa.go.kr/www/selectBbsNttList.do?bbsNo=96")
    >>> r.name, r.reasons[0]
    ('si-bbsntt', 'the list URL has selectBbsNttList.do')
    >>> recognise('<a href="/news/15448">x</a>', "https://www.example.go.kr/news/list").name
    'generic'
    """
    links = page_links(html)
    found = sorted((e for e in (evidence(html, url, row, links) for row in PLATFORMS) if e.score),
                   key=lambda e: -e.score)
    best = found[0] if found and found[0].score >= MIN_SCORE else None
    if best is None:
        why = ("no platform had enough evidence (best: " + ", ".join(f"{e.platform.name} {e.score}" for e in found[:3])
               + f"; {MIN_SCORE} needed)") if found else "no known platform's URLs or markup on the page"
        return Recognition(None, (why,), tuple(found))
    return Recognition(best.platform, best.reasons, tuple(found))
