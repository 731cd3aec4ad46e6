"""Item URLs: the board's own post id, and a canonical form used as a state key; pure (w3lib).

Seen on Korean boards: ``?idx=647621&mode=view`` (ybmodule: 강진/나주/목포), ``sub.cs?m=1023&nttId=..``
(eGovFrame, 완도), ``?act=read&articleId=..`` (진도), ``boardView.do?boardId=..&seq=..`` (광주),
``page.do?..&B_NUM=..&B_STEP=..`` (경상북도), ``pressReleaseView.do?newsId=..`` (korea.kr),
``/news/articleView.html?idxno=..`` (ndsoft news CMS), ``/show/138492`` (신안 wscms), and list links
that carry paging/search state (``pageIndex``, ``startDate``, ``movePage``, ``recordCnt``).
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Content-id parameters, most specific first (matched case-insensitively).
ID_PARAMS = (
    "nttid", "nttsn", "idxno", "articleid", "article_id", "newsid", "news_id", "datasid", "b_step",
    "wr_id", "document_srl", "articleno", "article_no", "bbsidx", "bbs_idx",
    "seq", "idx", "bidx", "postid", "post_id", "boardseq", "board_seq", "sno", "aid",
)
# Bare ids (``?id=``, ``?no=``, ``?num=``): too common to trust alone; an id only on a view/read path or, for
# list discovery, in a list row (gnuboard ``wr_id``, XE/Rhymix ``document_srl`` need no such check).
WEAK_ID_PARAMS = ("id", "no", "num")
_VIEW_WORD = re.compile(r"(?i)view|read|detail|show|article|content")
PAGING_PARAMS = frozenset(
    "page pageindex pageno page_no pagenum pg cpage curpage currentpage nowpage movepage start offset "
    "startcount firstindex recordcnt recordcountperpage pagesize pageunit listcnt list_count page_scale rows".split()
)
SEARCH_PARAMS = frozenset(
    "searchwrd searchcnd searchcondition searchkeyword searchtype searchword srchword srchwrd search keyword "
    "key word sword skey startdate enddate start_date end_date finish_date b_start b_end sdate edate period "
    "sort order orderby".split()
)
TRACKING_PARAMS = frozenset("from fbclid gclid dclid msclkid yclid igshid mc_cid mc_eid _ga _gl ref ncid".split())
_VIEW_PATH = re.compile(
    r"/(?:show|archives|view|read|article|articles|detail|post|posts)/(?:[^/]+/)*?(\d{3,})(?:\.html?)?/?$"
)
_LAST_NUMBER = re.compile(r"/(\d{5,})(?:\.html?)?/?$")
_MOBILE_HOST = re.compile(r"^(?:m|mobile)\.", re.I)
_MOBILE_PATH = re.compile(r"^/(?:m|mobile)(?=/)", re.I)


def item_id_from_url(url: str | None, *, weak: bool = False) -> str | None:
    """The board's own post id in ``url``: a content-id parameter, else a numeric view path segment.

    >>> item_id_from_url("/www/government/news/press?idx=647621&mode=view")
    '647621'
    >>> item_id_from_url("/wando/sub.cs?m=1023&nttId=10010538&pBoardId=BBSMSTR_000000000036")
    '10010538'
    >>> item_id_from_url("./page.do?mnu_uid=6792&cmd=2&Start=0&B_NUM=506274201&B_STEP=506274200")
    '506274200'
    >>> item_id_from_url("https://shinan.go.kr/home/www/openinfo/participation_07/show/138492")
    '138492'
    >>> item_id_from_url("/www/government/news/press?page=2") is None
    True
    >>> item_id_from_url("/bbs/board.php?bo_table=news&wr_id=77"), item_id_from_url("/index.php?mid=b&document_srl=9")
    ('77', '9')
    >>> item_id_from_url("/news/view.php?no=12"), item_id_from_url("/shop/list.php?id=3")
    ('12', None)

    ``weak``: also read a bare ``id``/``no``/``num`` off a path that is no view page (the link sits in a list row).
    """
    if not url:
        return None
    parts = split_url(url)
    if parts is None:  # ``http://[::1``: no URL, no id
        return None
    params = {k.lower(): v for k, v in parse_qsl(parts.query) if v.strip()}
    for name in ID_PARAMS:
        if name in params:
            return params[name].strip()
    if weak or _VIEW_WORD.search(parts.path):
        for name in WEAK_ID_PARAMS:
            if params.get(name, "").strip().isdigit():
                return params[name].strip()
    m = _VIEW_PATH.search(parts.path) or _LAST_NUMBER.search(parts.path)
    return m.group(1) if m else None


def is_state_param(name: str) -> bool:
    """True for tracking (``utm_*``, ``fbclid``) and paging/search-state parameters.

    >>> is_state_param("utm_source"), is_state_param("pageIndex"), is_state_param("idxno")
    (True, True, False)
    """
    key = name.lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS or key in PAGING_PARAMS or key in SEARCH_PARAMS


def canonical_item_url(url: str) -> str:
    """``url`` as a state key: tracking and paging/search state and blank parameters removed, content ids
    kept, the rest sorted, fragment dropped, mobile host/path mapped to desktop.

    >>> canonical_item_url("https://m.example.com/news/articleView.html?utm_source=x&idxno=123&fbclid=y")
    'https://example.com/news/articleView.html?idxno=123'
    >>> canonical_item_url("https://www.korea.kr/briefing/pressReleaseView.do?newsId=1&pageIndex=1&startDate=2025-01-07")
    'https://www.korea.kr/briefing/pressReleaseView.do?newsId=1'
    >>> canonical_item_url("https://example.com/m/news/view.do?seq=5&movePage=2&boardId=B")
    'https://example.com/news/view.do?boardId=B&seq=5'
    """
    try:
        parts = urlsplit(url.strip())
        host = _MOBILE_HOST.sub("", parts.netloc)
        path = _MOBILE_PATH.sub("", parts.path)
        cleaned = urlunsplit((parts.scheme, host, path, parts.query, ""))
        drop = [k for k, v in parse_qsl(parts.query, keep_blank_values=True) if is_state_param(k) or not v.strip()]
        if drop:
            cleaned = url_query_cleaner(cleaned, drop, remove=True, unique=False)
        return canonicalize_url(cleaned, keep_blank_values=False)
    except ValueError:  # no URL at all (``http://[::1``, port 99999, a lone surrogate): the text is its own key
        return url.strip()


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or ``None`` for text that is no URL (``http://[::1``: an unclosed IPv6 bracket).

    >>> split_url("?page=2").query, split_url("//[x/?page=2")
    ('page=2', None)
    """
    try:
        return urlsplit(url)
    except ValueError:
        return None


def join_url(base: str | None, href: str) -> str | None:
    """``href`` made absolute against ``base`` (``href`` as it is without a base), or ``None`` when either is
    no URL at all: ``urllib`` raises on an unclosed IPv6 bracket (``http://[::1``), which a page can hold in
    any ``href`` or ``src``.

    >>> join_url("https://a.kr/board/list.do", "view.do?nttId=1"), join_url("https://a.kr/", "http://[::1")
    ('https://a.kr/board/view.do?nttId=1', None)
    """
    try:
        joined = urljoin(base, href) if base else href
        urlsplit(joined)
    except ValueError:
        return None
    return joined


def is_web_url(url: str | None) -> bool:
    """True for an ``http(s)`` URL that parses: brackets closed, port in range, no lone surrogate.

    >>> is_web_url("https://www.korea.kr/x?newsId=1"), is_web_url("http://[::1/x"), is_web_url("https://a.kr:99999/")
    (True, False, False)
    """
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises for a port out of range
        url.encode("utf-8")
    except ValueError:
        return False
    return parts.scheme in ("http", "https")
