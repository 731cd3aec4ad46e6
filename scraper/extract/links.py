"""Where a list item's link points: ``href``, ``javascript:fn_view('123')``, ``onclick``, ``data-*``; pure.

Seen on Korean boards: ``href="javascript:fn_view('N0000012');"``, ``href="#none" onclick="fn_view('..')"``,
``href="javascript:void(0)" onclick=...`` (eGovFrame 구청 boards), ``data-seq="16222"`` (광주 boardList.do),
``onclick="pageLink(2)"`` pagers (정책브리핑 korea.kr).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from scraper.normalize.urls import join_url

# Possessive quantifiers, a call name starting after no name character, and arguments read one after the
# other: linear in the attribute's length (a 20,000-character ``onclick`` took 7 s, an unclosed quote 11 s).
_CALL = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$.]*+)\s*+\(([^()]*+)\)")
_ARG = re.compile(r"""\s*+(?:'([^']*+)'|"([^"]*+)"|([^,'"]*+))\s*+(?:,|$)""")
_NOT_CALLS = frozenset({"void", "return", "if", "function", "alert", "confirm"})
ID_DATA_ATTRS = ("data-ntt-id", "data-nttid", "data-article-id", "data-articleid", "data-news-id", "data-newsid",
                 "data-idx", "data-seq", "data-no", "data-id")


@dataclass(frozen=True)
class JsCall:
    """A javascript call found in an ``href`` or ``onclick``: function name and its literal arguments."""

    name: str
    args: tuple[str, ...]


def js_calls(code: str | None) -> list[JsCall]:
    """Function calls with literal arguments in ``code`` (``void(0)`` and the like skipped).

    >>> js_calls("javascript:fn_view('N0000012');")
    [JsCall(name='fn_view', args=('N0000012',))]
    >>> js_calls("fn_view('20240304001'); return false;")[0].args
    ('20240304001',)
    >>> js_calls("javascript:void(0);")
    []
    """
    if not code:
        return []
    calls = []
    for m in _CALL.finditer(code.removeprefix("javascript:")):
        name = m.group(1).split(".")[-1]
        if name in _NOT_CALLS:
            continue
        calls.append(JsCall(name, tuple(a for a in _call_args(m.group(2)) if a)))
    return calls


def _call_args(text: str) -> list[str]:
    """The literal arguments of a call, left to right, up to the first one that is no literal.

    >>> _call_args("'N01', 2, 'x y' "), _call_args("1, 'unclosed")
    (['N01', '2', 'x y'], ['1'])
    """
    args: list[str] = []
    pos = 0
    while pos < len(text):
        m = _ARG.match(text, pos)
        if m is None or m.end() == pos:
            break
        args.append(next(a for a in m.groups() if a is not None).strip())
        pos = m.end()
    return args


def link_calls(node: LexborNode) -> list[JsCall]:
    """The javascript calls of a link's ``href`` (when ``javascript:``) and ``onclick``."""
    href = node.attributes.get("href") or ""
    code = (href if href.strip().lower().startswith("javascript:") else "") + ";" + (
        node.attributes.get("onclick") or "")
    return js_calls(code)


def plain_href(node: LexborNode, base: str | None) -> str | None:
    """The absolute ``href`` of a link, or ``None`` for ``#``, ``#none`` and ``javascript:`` links."""
    href = (node.attributes.get("href") or "").strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:", "tel:")):
        return None
    return join_url(base, href)


def data_id(node: LexborNode, attr: str | None = None) -> str | None:
    """An id held in a ``data-*`` attribute of the link (``attr`` when given, else the usual names)."""
    for name in (attr,) if attr else ID_DATA_ATTRS:
        value = (node.attributes.get(name) or "").strip()
        if value:
            return value
    return None


def fill_template(template: str, args: tuple[str, ...], base: str | None) -> str | None:
    """A view URL from a template such as ``/board/view.do?nttId={0}`` and call arguments.

    >>> fill_template("/board/view.do?nttId={0}", ("123",), "http://h/board/list.do")
    'http://h/board/view.do?nttId=123'
    """
    try:
        path = template.format(*args)
    except (IndexError, KeyError, ValueError):
        return None
    return join_url(base, path)
