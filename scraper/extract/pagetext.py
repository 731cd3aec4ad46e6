"""The text of a page's body, read once for the page-wide scans of one extraction; pure.

Several stages look for words anywhere on the page (embargo labels, 수정 date labels). Reading the body's
text costs about a third of the parse, and looking for a word in it far less, so the text is read once
(:func:`page_text`) and a stage can first ask it whether its words occur on the page at all before it walks
the page's elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser


@dataclass(frozen=True)
class PageText:
    """The body's text as lexbor reads it: every text node in page order, scripts and styles included, a
    tab between two (``body.text(deep=True, separator="\\t")``; th/td, dt/dd and span pairs stay apart, as the
    embargo label scan wants them).

    The deep text of any element of the body (``node.text(deep=True)``) is a run of those text nodes, so a
    word it holds is in ``cells`` with at most a tab between two of its characters: :func:`tab_spaced`
    writes a word so.
    """

    cells: str


def tab_spaced(word: str) -> str:
    r"""A regex source for ``word`` as it stands in :attr:`PageText.cells`, where a text-node boundary inside
    it (``수<b>정</b>``) is a tab.

    >>> tab_spaced("수정"), bool(re.fullmatch(tab_spaced("수정"), "수\t정"))
    ('수\t*정', True)
    """
    return "\t*".join(re.escape(char) for char in word)


def page_text(tree: LexborHTMLParser) -> PageText | None:
    """The :class:`PageText` of a parsed page; ``None`` for a page without a body (a frameset), for which
    the stages scan as they would without it.

    >>> page_text(LexborHTMLParser("<p>보도<b>시점</b></p><p>2024</p>")).cells
    '보도\\t시점\\t2024'
    """
    body = tree.body
    return PageText(body.text(deep=True, separator="\t")) if body is not None else None
