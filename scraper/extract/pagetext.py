"""The text of a page's body, read once for the page-wide scans of one extraction; pure.

Several stages look for words anywhere on the page (embargo labels, 수정 date labels, file names and
download buttons). Reading the body's text costs about as much as a third of the parse, and looking for a
word in it far less, so the text is read once (:func:`page_text`) and each stage first asks it whether its
words occur on the page at all (:meth:`PageText.may_hold`) before it walks the page's elements.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser


@dataclass(frozen=True)
class PageText:
    """The body's text as lexbor reads it (``body.text(deep=True, separator="\\t")``): every text node in
    page order, scripts and styles included, a tab between two.

    ``cells``: that text (th/td, dt/dd and span pairs stay apart, as the embargo label scan wants them).
    """

    cells: str

    @functools.cached_property
    def joined(self) -> str:
        """``cells`` without its tabs. The deep text of any element of the body (``node.text(deep=True)``),
        less its tabs, is a slice of it: a word without a tab that an element's text holds, it holds too."""
        return self.cells.replace("\t", "")

    def may_hold(self, words: tuple[str, ...], *, folded: bool = False) -> bool:
        r"""False only when no element of the body has a text that holds one of ``words`` (none holds a tab):
        none is in :attr:`joined` (``str`` searches: a regex alternation scans Hangul text several times
        slower). ``folded``: the caller looks at the element's text after ``fold_space``, which normalizes
        to NFC, so a page not in NFC (Hangul typed as jamo) says ``True``.

        A word split by a ``<script>`` inside it (``수<script>..</script>정``) is not seen; no page does that.

        >>> text = PageText("최종\t수정 2024.03.05\t본문")
        >>> text.may_hold(("수정",)), text.may_hold(("종수",)), text.may_hold(("입력", "등록"))
        (True, True, False)
        >>> PageText("\u1109\u116e\u110c\u1165\u11bc").may_hold(("수정",), folded=True)  # 수정 typed as jamo
        True
        """
        joined = self.joined
        return any(word in joined for word in words) or (folded and not unicodedata.is_normalized("NFC", joined))


def page_text(tree: LexborHTMLParser) -> PageText | None:
    """The :class:`PageText` of a parsed page; ``None`` for a page without a body (a frameset), for which
    the stages scan as they would without it.

    >>> page_text(LexborHTMLParser("<p>보도<b>시점</b></p><p>2024</p>")).cells
    '보도\\t시점\\t2024'
    """
    body = tree.body
    return PageText(body.text(deep=True, separator="\t")) if body is not None else None
