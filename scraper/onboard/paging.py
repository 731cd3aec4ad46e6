"""How a board's list pages advance, read off one page's pager; pure.

Three shapes: pager links with a page parameter (``?page=2`` 강진, ``pageIndex=2`` 완도/진도), with a row
offset (``Start=10`` 경상북도: first 0, step 10), and a javascript pager posting a form field
(``paging(2)`` + hidden ``movePage`` 광주, ``pageLink(2)`` + hidden ``pageIndex`` 정책브리핑). Without a
pager (a one-page board, a cut-down fixture) the platform's usual paging is proposed, else ``?page=N``.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.discovery import link_target
from scraper.extract.links import link_calls
from scraper.extract.pagination import OFFSET_PARAMS, PAGE_PARAMS
from scraper.extract.rules import css_all
from scraper.normalize.text import fold_space
from scraper.normalize.urls import is_state_param
from scraper.sources.board import Paging
from scraper.sources.platforms import Platform

_PAGER_FN = re.compile(r"(?i)pag")
Triple = tuple[str, int, int | None]
"""(parameter, its value in the link, the page number the link shows or ``None``)."""


def _pager_triples(tree: LexborHTMLParser, url: str, names: frozenset[str]) -> list[Triple]:
    """Values of the page parameters ``names`` (lower case) in the pager links on the list's own path (other
    paths when none is)."""
    own_path = urlsplit(url).path
    found: list[tuple[bool, Triple]] = []
    for node in css_all(tree, "a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")) or link_target(node, url) is not None:
            continue  # a post link carries pageIndex=1 too
        text = fold_space(node.text(deep=True))
        shown = int(text) if text.isdigit() and len(text) < 7 else None
        for key, value in parse_qsl(urlsplit(href).query):
            if key.lower() in names and value.isdigit():
                same = urlsplit(urljoin(url, href)).path == own_path
                found.append((same, (key, int(value), shown)))
    same_path = [t for same, t in found if same]
    return same_path or [t for _, t in found]


def _fit(triples: list[Triple], param: str) -> Paging:
    """Paging for ``param`` from the (value, shown page) pairs: ``get`` with first/step 1, else ``offset``."""
    pairs = sorted({(shown, value) for key, value, shown in triples if key == param and shown})
    offset = param.lower() in OFFSET_PARAMS
    if len(pairs) >= 2:
        (n1, v1), (n2, v2) = pairs[0], pairs[-1]
        step = (v2 - v1) // (n2 - n1) if n2 != n1 else 1
        if step >= 1 and all(v == v1 + (n - n1) * step for n, v in pairs):
            first = v1 - (n1 - 1) * step
            if first != 1 or step != 1 or offset:
                return Paging(method="offset", param=param, first=first, step=step)
            return Paging(method="get", param=param)
    if offset:
        values = sorted({value for key, value, _ in triples if key == param and value > 0})
        return Paging(method="offset", param=param, first=0, step=values[0] if values else 10)
    return Paging(method="get", param=param)


def _js_pager(tree: LexborHTMLParser) -> bool:
    """True when pager links call a javascript function (``pageLink(2)``, ``paging(1,2,3)``)."""
    return any(_PAGER_FN.search(c.name) for node in css_all(tree, "a, button") for c in link_calls(node))


def _form_of(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag != "form":
        parent = parent.parent
    return parent


def _posted_page(tree: LexborHTMLParser) -> Paging | None:
    """POST paging from a hidden page field (``movePage``, ``pageIndex``) and its form's other fields
    (paging, search and blank fields left out: a date window must not be frozen into the source)."""
    for node in css_all(tree, "input[type=hidden][name]"):
        name = node.attributes.get("name") or ""
        if name.lower() not in PAGE_PARAMS:
            continue
        form = _form_of(node)
        fields: dict[str, str] = {}
        for other in css_all(form, "input[type=hidden][name]") if form is not None else []:
            key, value = other.attributes.get("name") or "", (other.attributes.get("value") or "").strip()
            if key != name and value and not is_state_param(key):
                fields[key] = value
        return Paging(method="post", param=name, form=fields)
    return None


def infer_paging(tree: LexborHTMLParser, url: str, platform: Platform | None) -> tuple[Paging, str]:
    """The list's paging and how it was found (for the report)."""
    names = PAGE_PARAMS | OFFSET_PARAMS
    if platform is not None and platform.paging is not None:
        names |= {platform.paging.param.lower()}  # nPage (board.es) is no common name
    triples = _pager_triples(tree, url, names)
    if triples:
        param = Counter(key for key, _, shown in triples if shown is not None).most_common(1) or \
            Counter(key for key, _, _ in triples).most_common(1)
        paging = _fit(triples, param[0][0])
        pages = sorted({shown for key, _, shown in triples if key == paging.param and shown})
        return paging, f"paging: pager links {paging.param}=N" + (
            f" (pages {', '.join(map(str, pages[:5]))}{', ...' if len(pages) > 5 else ''})" if pages else "")
    posted = _posted_page(tree)
    if posted is not None:
        how = "javascript pager posting" if _js_pager(tree) else "no pager links (drawn by javascript); posting"
        return posted, f"paging: {how} the hidden form field {posted.param}" + (
            f" with {', '.join(f'{k}={v}' for k, v in posted.form.items())}" if posted.form else "")
    if platform is not None and platform.paging is not None:
        hint = platform.paging
        paging = Paging(method=hint.method, param=hint.param, first=hint.first, step=hint.step)
        return paging, f"paging: no pager links on the page; the usual {platform.name} paging {hint.param}=N"
    return Paging(), "paging: no pager links on the page; page=N guessed (check page 2 in a browser)"
