"""A ``[[source]]`` stanza proposed for one list page, with the items it finds there; pure.

:func:`propose` recognises the platform (:mod:`scraper.sources.platforms`), finds the board's posts by
generic discovery (:mod:`scraper.onboard.posts`), writes item rules that give the same posts
(:mod:`scraper.onboard.rules`), reads the paging off the pager (:mod:`scraper.onboard.paging`), and renders
the stanza as TOML that :func:`scraper.sources.boards.load_sources` loads. Every step says in
``Proposal.notes`` what it found and from what.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from pydantic import ValidationError
from selectolax.lexbor import LexborHTMLParser
from w3lib.url import url_query_cleaner

from scraper.extract.discovery import family_id
from scraper.extract.listing import ListItem, parse_listing
from scraper.extract.markup import parse_guarded
from scraper.extract.rules import css_all
from scraper.names import safe_name
from scraper.normalize.text import fold_space
from scraper.normalize.urls import is_state_param, item_id_from_url
from scraper.onboard.paging import infer_paging
from scraper.onboard.posts import Post, assign_rows, board_posts
from scraper.onboard.rules import (
    Fit,
    best_of,
    fit_date,
    fit_pinned,
    fit_title,
    id_rule,
    item_selector,
    link_candidates,
    misses,
)
from scraper.sources.board import BoardSource, ItemRules, Paging
from scraper.sources.platforms import Platform, Recognition, recognise

Kind = Literal["press_release", "news"]


@dataclass(frozen=True)
class Proposal:
    """What ``sources add`` proposes for one list page.

    ``source`` is ``None`` when the page shows no posts (``problem`` says why, ``seen`` what the page holds);
    else ``stanza`` is its TOML, ``items`` what it finds on the page, and ``found`` how many posts generic
    discovery saw (the stanza is checked against them; ``differ`` counts the items where they disagree)."""

    url: str
    recognition: Recognition
    source: BoardSource | None
    stanza: str = ""
    items: list[ListItem] = field(default_factory=list)
    found: int = 0
    differ: int = 0
    notes: list[str] = field(default_factory=list)
    problem: str | None = None
    seen: list[str] = field(default_factory=list)


_BOARD_KEYS = ("bbsno", "boardid", "bbsid", "bid", "bo_table", "mid", "m")
"""Query parameters naming a board, most specific first (``board.es?mid=<menu>&bid=<board>``: bid)."""


def default_name(url: str) -> str:
    """A source name from the list URL: the host's first label and the board's number or id when the URL
    has one.

    >>> default_name("https://www.songpa.go.kr/www/selectBbsNttList.do?bbsNo=96&key=2781")
    'songpa-96'
    >>> default_name("https://www.mohw.go.kr/board.es?mid=a10503000000&bid=0027")
    'mohw-0027'
    >>> default_name("https://www.gangjin.go.kr/www/government/news/press")
    'gangjin-board'
    """
    parts = urlsplit(url)
    labels = [x for x in (parts.hostname or "board").split(".") if x not in ("www", "m")]
    params = {k.lower(): v for k, v in parse_qsl(parts.query) if v}
    board = next((params[k] for k in _BOARD_KEYS if k in params), "board")
    return safe_name(f"{labels[0] if labels else 'board'}-{board}".lower())


def page_organization(tree: LexborHTMLParser, url: str) -> str:
    """The publishing body as the page names it: ``og:site_name``, else the ``<title>`` part naming an
    office (``보도자료 | 한빛구청`` -> ``한빛구청``), else the host."""
    for node in css_all(tree, "meta[property='og:site_name']"):
        value = fold_space(node.attributes.get("content") or "")
        if value:
            return value
    title = tree.css_first("title")
    parts = [fold_space(p) for p in re.split(r"[|:>\-–—<]", title.text() if title else "")]
    offices = [p for p in parts if re.search(r"[가-힣]+(?:청|시|군|구|도|부|처|청사)$", p)]
    return offices[-1] if offices else (urlsplit(url).hostname or "unknown")


def page_address(html: str) -> str | None:
    """The page's own absolute address, from ``<link rel=canonical>`` or ``og:url`` (for a saved file).

    >>> page_address('<meta property="og:url" content="http://www.wando.go.kr/wando/sub.cs?m=299">')
    'http://www.wando.go.kr/wando/sub.cs?m=299'
    """
    tree = LexborHTMLParser(html)
    for css, attr in (("link[rel=canonical]", "href"), ("meta[property='og:url']", "content")):
        for node in css_all(tree, css):
            value = (node.attributes.get(attr) or "").strip()
            if urlsplit(value).scheme in ("http", "https") and urlsplit(value).netloc:
                return value
    return None


def _view_template(posts: list[Post], ids: dict[str, Any], paging: Paging) -> str | None:
    """The view URL pattern with ``{0}`` for the id: the parameters every post link shares (no paging or
    search state) plus the id."""
    urls = [p.item.url for p in posts]
    if not all(urls) or not ids:
        return None
    first = urlsplit(urls[0] or "")
    path = re.sub(r"(?i);jsessionid=[^/?#]*", "", first.path).replace("{", "{{").replace("}", "}}")
    if "id_segment" in ids:
        segments = path.split("/")
        index = [i for i, s in enumerate(segments) if s][ids["id_segment"]]
        segments[index] = "{0}"
        return "/".join(segments)
    name = ids.get("id_param")
    if not name:
        return None
    common = set(parse_qsl(first.query))
    for url in urls[1:]:
        common &= set(parse_qsl(urlsplit(url or "").query))
    keep = [(k, v) for k, v in parse_qsl(first.query)
            if k == name or ((k, v) in common and v.strip() and not is_state_param(k) and k != paging.param)]
    query = [(k, "{0}" if k == name else v.replace("{", "{{").replace("}", "}}")) for k, v in keep]
    return path + "?" + "&".join(f"{k}={v}" for k, v in query)


def _typical(fit: Fit, platform: Platform | None) -> bool:
    """Use the platform's usual row and link selectors when they give every post's id and URL (their title,
    date and pin rules too, when those hold)."""
    for hint in platform.items if platform else ():
        if not hint.item or fit.misses(("id", "url"), item=hint.item, link=[hint.link]):
            continue
        fit.rules.update(item=hint.item, link=[hint.link])
        fit.notes.append(f"items: the usual {platform.name if platform else ''} selectors {hint.item} / {hint.link}")
        extra = {"title": list(hint.title), "date": list(hint.date), "pinned": hint.pinned}
        for key, value in extra.items():
            if value and fit.misses(("id", key), **{key: value}) == 0:
                fit.rules[key] = value
        return True
    return False


def fit_rules(html: str, url: str, tree: LexborHTMLParser, posts: list[Post], platform: Platform | None,
              paging: Paging) -> Fit:
    """Item rules giving ``posts`` on the page: the platform's usual selectors, else written from the rows."""
    fit = Fit(html, url, posts)
    ids = id_rule(posts, platform)
    fit.rules.update(ids)
    if ids:
        fit.notes.append("id: " + ", ".join(f"{k} = {v}" for k, v in ids.items()))
    if not _typical(fit, platform):
        fit.rules["item"] = item_selector(tree, posts, url)
        link, _ = best_of(fit, "link", [[c] for c in link_candidates(posts, ids, platform)], ("id", "url"))
        fit.rules["link"] = link
        fit.notes.append(f"items: {fit.rules['item']} ({len(posts)} rows), link {link[0]}")
    fit_title(fit)
    fit_date(fit)
    fit_pinned(fit)
    template = _view_template(posts, ids, paging)
    if template:
        fit.rules["view_url"] = template
    elif not all(p.item.url for p in posts):
        fit.notes.append("view_url: the links are javascript calls; set view_url (the view page's URL with {0} "
                         "for the id) from a view page opened in a browser")
    return fit


def link_target_id(url: str, platform: Platform | None) -> str | None:
    """The post id when ``url`` is itself a post link (of the platform, or by the generic id rules).

    >>> link_target_id("https://www.naju.go.kr/www/a/coverage?idx=591764&mode=view", None)
    '591764'
    >>> link_target_id("https://www.naju.go.kr/www/a/coverage?page=2", None) is None
    True
    """
    if platform is not None:
        m = platform.view_link.search(url)
        if m:
            return next((v for v in m.groups() if v), None)
    return family_id(url) or item_id_from_url(url)


def list_url_of(url: str, paging: Paging) -> str:
    """The list URL without the paging parameter (a page-2 URL proposes the board's page 1).

    >>> list_url_of("https://h/board/list.do?bbsId=B&pageIndex=3", Paging(param="pageIndex"))
    'https://h/board/list.do?bbsId=B'
    """
    if paging.method == "post" or paging.param not in dict(parse_qsl(urlsplit(url).query)):
        return url
    return str(url_query_cleaner(url, [paging.param], remove=True, unique=False, keep_fragments=True))


def _seen(tree: LexborHTMLParser) -> list[str]:
    """What a page without posts holds, for the report: its title, link count and a few link targets."""
    title = tree.css_first("title")
    links = [a.attributes.get("href") or "" for a in css_all(tree, "a[href]")]
    return [f"title: {fold_space(title.text()) if title else '(none)'}",
            f"{len(links)} links, {len(css_all(tree, 'table'))} tables, {len(css_all(tree, 'form'))} forms",
            *[f"link: {href[:120]}" for href in links[:5]]]


def propose(html: str, url: str, *, name: str | None = None, organization: str | None = None,
            kind: Kind = "press_release") -> Proposal:
    """The stanza proposed for the list page ``html`` at ``url`` and what it finds there; never raises
    for a page (a page without posts gives a Proposal with ``source`` None and ``problem`` set)."""
    recognition = recognise(html, url)
    tree = parse_guarded(html)[1]
    posts, notes = board_posts(tree, url, recognition.platform)
    if not posts:
        return Proposal(url, recognition, None, problem="no post links found on the page (links to view pages "
                        "with a post id, outside menus and footers)", seen=_seen(tree), notes=notes)
    assign_rows(posts)
    own_id = link_target_id(url, recognition.platform)
    if own_id:
        notes.append(f"the URL itself is a post (id {own_id}): this looks like a view page; give the board's "
                     "list page")
    paging, paging_note = infer_paging(tree, url, recognition.platform)
    fit = fit_rules(html, url, tree, posts, recognition.platform, paging)
    label = recognition.platform.label if recognition.platform else "board (no known platform: generic rules)"
    try:
        source = BoardSource(
            name=name or default_name(url), organization=organization or page_organization(tree, url), kind=kind,
            description=f"{label}; proposed by 'scraper sources add' from {url}", list_url=list_url_of(url, paging),
            paging=paging, items=ItemRules.model_validate(fit.rules),
        )
        stanza = render_stanza(source, recognition)
        loaded = BoardSource.model_validate(tomllib.loads(stanza)["source"][0])
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        return Proposal(url, recognition, None, found=len(posts), notes=[*notes, *fit.notes, paging_note],
                        problem=f"the rules written from the page do not make a valid source: {exc}",
                        seen=_seen(tree))
    items = parse_listing(html, url, loaded).items
    differ = misses(items, [p.item for p in posts])
    return Proposal(url, recognition, loaded, stanza, items, len(posts), differ,
                    [*notes, *fit.notes, paging_note])


def _toml(value: Any) -> str:
    """A TOML value: JSON's string escapes are TOML basic-string escapes; lists and inline tables likewise."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def render_stanza(source: BoardSource, recognition: Recognition | None = None) -> str:
    """``source`` as a ``[[source]]`` TOML table (fields at their defaults left out), with a comment line
    naming the platform and why it was recognised."""
    sparse = source.model_dump(exclude_defaults=True)
    data = {k: sparse.get(k, v) for k, v in source.model_dump().items() if k in sparse or k in ("kind", "paging")}
    data["paging"] = {"method": source.paging.method, "param": source.paging.param, **sparse.get("paging", {})}
    lines = []
    if recognition is not None:
        lines.append(f"# platform: {recognition.name} ({'; '.join(recognition.reasons)})")
    lines.append("[[source]]")
    tables = {k: data.pop(k) for k in ("paging", "items", "overrides") if k in data}
    lines += [f"{_key(k)} = {_toml(v)}" for k, v in data.items()]
    for table, values in tables.items():
        lines.append(f"[source.{table}]")
        lines += [f"{_key(k)} = {_toml(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"
