"""Generic headline and page-kind guesses for pages no site profile covers; pure.

The headline is the heading-like element whose text the ``<title>`` repeats (``제목 - 신문사``), else the
first heading-like element of reasonable length that is no board name (``보도자료 상세보기``) — gov boards
often title every view page with the board's name (seen on eGovFrame boards and the shared cases).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import SKIP_TAGS, node_text
from scraper.extract.discovery import in_chrome
from scraper.extract.rules import css_all
from scraper.normalize.text import fold_space
from scraper.vocab import BOARD_WORDS, RELEASE_MARKERS, alternation

HEADING_SELECTORS = (
    "h1, h2, h3, h4, [class*='title'], [class*='subject'], [class*='tit'], [id*='title'], [class*='headline']"
)
_BOARD_WORDS = re.compile(alternation(BOARD_WORDS) + r"|[>|:·\-\s]", re.IGNORECASE)
def heading_candidates(tree: LexborHTMLParser) -> list[str]:
    """Texts of heading-like elements (8–200 characters, outside menus and footers), in page order."""
    texts: list[str] = []
    for node in css_all(tree, HEADING_SELECTORS):
        if node.tag in ("html", "body", "title", "meta"):
            continue
        text = node_text(node)
        if 8 <= len(text) <= 200 and text not in texts and not in_chrome(node):
            texts.append(text)
    return texts


def is_board_name(text: str) -> bool:
    """True for a board/page name rather than a headline.

    >>> is_board_name("보도자료 상세보기"), is_board_name("한빛구, 봄꽃축제 교통통제 안내")
    (True, False)
    >>> is_board_name("보도자료 게시판 이용 안내")
    False
    """
    rest = _BOARD_WORDS.sub("", text)
    return len(rest) <= 2 and len(rest) < len(text.strip())


def generic_headline(tree: LexborHTMLParser, page_title: str | None) -> str | None:
    """The headline of a page without a profile (see the module docstring), or ``None``."""
    candidates = [c for c in heading_candidates(tree) if not is_board_name(c)]
    if page_title:
        echoed = [c for c in candidates if c in page_title]
        if echoed:
            return max(echoed, key=len)
    if candidates:
        return candidates[0]
    return None


_RELEASE_MARKERS = re.compile(alternation(RELEASE_MARKERS))


def looks_like_press_release(tree: LexborHTMLParser) -> bool:
    """True when the page carries two or more press-release markers (보도자료, 담당부서, 첨부파일, ...) in its
    title, breadcrumb, headings or field labels (``<th>``, ``<dt>``, ``<span class="tit">`` of a board's
    info list)."""
    text = " ".join(element_text(n) for n in css_all(tree, "title, .location, .breadcrumb, dt, th, strong, h2, h3"))
    text += " ".join(n.text(deep=False) for n in css_all(tree, "span[class*='tit' i], label"))
    return len(set(_RELEASE_MARKERS.findall(text))) >= 2


def element_text(node: LexborNode) -> str:
    """``node_text(node)``, read at once when the element holds a single text node (most labels, headings and
    bold words): the same folded text without the line walk.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser("<p><b> 담당\u00a0부서 </b><i></i><span>가<br>나</span></p>")
    >>> [element_text(tree.css_first(t)) == node_text(tree.css_first(t)) for t in ("b", "i", "span", "p")]
    [True, True, True, True]
    """
    child = node.child
    if child is not None and child.next is None and child.tag == "-text" and node.tag is not None:
        return "" if node.tag in SKIP_TAGS else fold_space(child.text_content or "")
    return node_text(node)
