"""The headline of a page no profile covers, by agreement of what the page declares and what it shows; pure.

Rules (each for a kind of page, measured on ../shared/corpus/real):

* The headline is a visible heading-like element (``h1``–``h4``, a ``*title*``/``*subject*``/``*tit*`` class,
  a ``<dt>`` of a title list) whose text the page's declared titles repeat (``<title>``, og:title, twitter:title,
  JSON-LD ``headline``). The comparison ignores spacing, punctuation and quote style, so a visible
  ``"첫눈"`` matches a declared ``“첫눈”`` and ``(2보)`` matches ``[2보]``; the VISIBLE text is returned,
  as readers see it (news sites whose og:title re-types the quotes: insight.co.kr, zum.com).
* A declared title that is a prefix of a visible heading means the heading also holds the deck
  (``<h4 class="subject">제목<span>부제</span></h4>``, eGovFrame boards such as mois.go.kr): the declared
  text is the headline.
* A visible heading that is a prefix of a declared title means the declared title carries extra words
  (og:title with the site's keywords appended, ybmodule boards: ``제목, 나주시, Naju City``).
* With no echo at all (the ``<title>`` is only the board's breadcrumb, ``알림마당>담양뉴스>보도자료``, seen
  on many 시·군 boards), the heading closest to the article body in the DOM wins: the deepest common
  ancestor with the body container, then page order. Menu, header, footer and board-name headings
  (``보도자료``, ``상세보기``) never count.
* Declared titles are HTML-unescaped until stable (``&amp;quot;`` escaped twice) and lose a site suffix.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import bounded_text, is_inside, node_text
from scraper.extract.chrome import classify_line
from scraper.extract.headline import element_text, generic_headline, is_board_name
from scraper.extract.metadata import PageMeta
from scraper.extract.release import labelled_title
from scraper.extract.rules import css_all, first_value
from scraper.normalize.dates import has_date_label
from scraper.normalize.text import fold_space, unescape_entities
from scraper.sources.profile import SiteProfile

GENERIC_TITLE = [
    "h1.headline", "h1.title", ".article-head-title", ".news_title h1", ".view_title", "#article_title",
    ".article_title", ".tit_view", "h3.heading", "h1",
]
"""Headline elements of common news and board templates, tried when nothing the page declares agrees."""
HEADING_SELECTOR = (
    "h1, h2, h3, h4, [class*='tit' i], [class*='subject' i], [id*='title' i], [class*='headline' i]"
)
"""Heading-like elements: h1-h4 and elements named as titles. ``[class*='tit' i]`` also matches every class
holding ``title`` (one selector fewer to test on every node of the page)."""
_TITLE_SUFFIX_RE = re.compile(r"\s*(?:[|｜ㅣ\-–—:]|::|<|>)\s*[^|｜ㅣ\-–—:<>]{1,30}$")
_SECTION_SUFFIX_RE = re.compile(r"\s*[|｜ㅣ\-–—:]\s*[^\s|｜ㅣ\-–—:<>]{1,6}$")
MIN_KEY = 6
"""Key characters (letters and digits) a prefix match needs, so a two-word menu label never matches."""
_SEPARATORS = re.compile(r"\s+[|｜:<>·\-–—]\s+|\s*[|｜<>]\s*|\s*::\s*|\s+:\s*")
_WORD = re.compile(r"\w+")
_CHROME_TAGS = frozenset({"nav", "footer", "aside"})
_CHROME_WORDS = (
    r"(?:gnb|lnb|snb|tnb|nav|navi|navigation|menu|allmenu|footer|sitemap|breadcrumb|location|quick|util|"
    r"skip|family|banner|popup|aside|side|sidebar|wing|rank|ranking|popular|best|hot|most|related|relate|recommend|"
    r"satisfaction|survey|research|poll|tab|issue|sns|share|comment|reply)"
)
_CHROME_NAME = re.compile(r"(?:^|[-_])" + _CHROME_WORDS + r"(?:$|[-_\d])", re.I)
"""Class/id tokens of menus, sidebars, ranking and related lists, satisfaction surveys (gov boards' 만족도조사
box) and comment areas. ``header`` is not among them: an article's own ``<header>`` holds its headline."""
_ASCII_CHROME_NAMES = re.compile(r"(?:^|[-_\s])" + _CHROME_WORDS + r"(?:$|[-_\d\s])")
""":data:`_CHROME_NAME` for a whole lower-cased ASCII ``"id class"`` string (see :func:`is_chrome_element`)."""


def title_key(text: str) -> str:
    """The comparison key of a title: NFC, letters and digits only, lower case.

    >>> title_key("“내일 ‘첫눈’ 온다”") == title_key('"내일 \\'첫눈\\' 온다"')
    True
    >>> title_key("최소(2보)") == title_key("최소[2보]")
    True
    """
    return "".join(_WORD.findall(unicodedata.normalize("NFC", unescape_entities(text)))).replace("_", "").lower()


def declared_segments(titles: Iterable[str]) -> list[str]:
    """Each declared title and the segments between its separators (``제목 | 보도자료 | 전라남도청``).

    >>> declared_segments(["구청, 하천 정비 < 보도자료 < 나주시청"])
    ['구청, 하천 정비 < 보도자료 < 나주시청', '구청, 하천 정비', '보도자료', '나주시청']
    """
    segments: list[str] = []
    for title in titles:
        title = fold_space(unescape_entities(title))
        for part in [title, *_SEPARATORS.split(title)]:
            part = part.strip()
            if part and part not in segments:
                segments.append(part)
    return segments


def split_declared(titles: Iterable[str]) -> tuple[list[str], set[str]]:
    """``(headline texts, site-ish keys)`` of the declared titles: each whole title and its longest
    segment may be the headline; its other segments are the site, section or board names around it
    (``제목 - 한빛일보``, ``한빛일보 - 사회``), whose visible copies (a logo ``<h1>``) are no headline.

    >>> split_declared(["한빛시, 버스 노선 개편 - 한빛일보"])
    (['한빛시, 버스 노선 개편 - 한빛일보', '한빛시, 버스 노선 개편'], {'한빛일보'})
    """
    main: list[str] = []
    around: set[str] = set()
    for title in titles:
        title = fold_space(unescape_entities(title))
        parts = [p.strip() for p in _SEPARATORS.split(title) if p.strip()]
        longest = max(parts, key=lambda p: len(title_key(p)), default=title)
        main += [t for t in (title, longest) if t not in main]
        around |= {title_key(p) for p in parts if p != longest}
    return main, around - {title_key(m) for m in main}


_TITLEISH = re.compile(
    r"(?i)(?:view|art|article|news|board|bbs|post|detail|content|read)[-_]?(?:title|tit|ttl|subject|head)|"
    r"^(?:title|subject|headline|tit|ttl)$|headline"
)
"""Class/id names of an article or board-view title (``view_title``, ``news_ttl``, ``subject``), preferred
when nothing the page declares echoes a heading."""


@dataclass(frozen=True, eq=False)
class _Candidate:
    node: LexborNode
    text: str
    key: str
    order: int
    closeness: int
    titleish: bool


def in_page_chrome(node: LexborNode, limit: int = 40, known: dict[int, bool] | None = None) -> bool:
    """True when ``node`` sits in a menu, sidebar, ranking/related list, survey box or footer (an ancestor
    within ``limit`` levels below ``<body>`` is one). ``known``: what :func:`is_chrome_element` said of
    ancestors already looked at (by ``mem_id``), for a caller asking of many nodes of one unchanged tree.

    >>> tree = LexborHTMLParser('<div class="side-rank"><h3 class="tit">많이 본 기사 제목</h3></div>')
    >>> in_page_chrome(tree.css_first("h3")), in_page_chrome(tree.css_first("h3"), known={})
    (True, True)
    """
    parent = node.parent
    for _ in range(limit):
        if parent is None or parent.tag in ("body", "html"):
            return False
        cached = known.get(parent.mem_id) if known is not None else None
        chrome = is_chrome_element(parent) if cached is None else cached
        if known is not None:
            known[parent.mem_id] = chrome
        if chrome:
            return True
        parent = parent.parent
    return False


def is_chrome_element(node: LexborNode) -> bool:
    """True for a ``nav``/``footer``/``aside`` element or one whose id or class names page chrome: a token of
    ``"id class"`` (split at whitespace) that :data:`_CHROME_NAME` finds.

    An ASCII string is lower-cased and searched whole, without ``re.I`` (twice as fast: the case-blind
    alternation was most of the cost). The same answer: on ASCII text ``re.I`` folds only A-Z, as
    ``lower()`` does, and the pattern's words are lower-case letters; a token's start is the string's start
    or a whitespace before it, its end the string's end or a whitespace after it (``str.split`` and ``\\s``
    agree on whitespace), and no word holds a whitespace, so a word bounded in a token is one bounded in the
    whole string, and back. Other strings are read token by token as before (``re.I`` folds the Kelvin sign
    and the long s to ASCII letters). Checked against that reading in tests/test_rules_merged.py."""
    if node.tag in _CHROME_TAGS:
        return True
    attrs = node.attributes
    return chrome_names(f"{attrs.get('id') or ''} {attrs.get('class') or ''}")


def chrome_names(names: str) -> bool:
    """True when a whitespace-separated token of ``names`` (an ``"id class"`` string) names page chrome
    (:data:`_CHROME_NAME`); see :func:`is_chrome_element` for the ASCII fast path.

    >>> chrome_names("wrap side-Rank2"), chrome_names("sidewalk title"), chrome_names("ſide")
    (True, False, True)
    """
    if names.isascii():
        return _ASCII_CHROME_NAMES.search(names.lower()) is not None
    return any(_CHROME_NAME.search(name) for name in names.split())


def _ancestor_depths(node: LexborNode | None) -> dict[int, int]:
    depths: dict[int, int] = {}
    chain: list[LexborNode] = []
    while node is not None:
        chain.append(node)
        node = node.parent
    for depth, item in enumerate(reversed(chain)):
        depths[item.mem_id] = depth
    return depths


def _closeness(node: LexborNode, container_depths: dict[int, int]) -> int:
    """Depth of the deepest common ancestor of ``node`` and the body container (0 without a container)."""
    current: LexborNode | None = node
    for _ in range(200):
        if current is None:
            break
        depth = container_depths.get(current.mem_id)
        if depth is not None:
            return depth
        current = current.parent
    return 0


_LOGO_NAME = re.compile(r"(?i)logo|brand|site[-_]?name|sitename|(?:^|[-_])ci(?:$|[-_])")


def is_logo(node: LexborNode, text: str | None = None) -> bool:
    """True for the site's logo or name block (class/id ``logo``, ``brand``, ``site_name`` on the node or
    two ancestors; or a heading that is only a link to the site's front page: ``<h1><a href="/">…</a></h1>``).
    ``text``: ``node_text(node)`` when the caller has it.

    >>> is_logo(LexborHTMLParser('<h1><a href="/">한빛일보</a></h1>').css_first("h1"))
    True
    """
    current: LexborNode | None = node
    for _ in range(3):
        if current is None or current.tag in ("body", "html"):
            break
        names = f"{current.attributes.get('id') or ''} {current.attributes.get('class') or ''}"
        if _LOGO_NAME.search(names):
            return True
        current = current.parent
    links = node.css("a")
    if len(links) == 1 and node_text(links[0]) == (node_text(node) if text is None else text):
        href = (links[0].attributes.get("href") or "").strip()
        return href in ("/", "./", "#", "") or (href.rstrip("/").count("/") <= 2 and "://" in href)
    return False


def _headings(tree: LexborHTMLParser) -> list[LexborNode]:
    """The nodes :data:`HEADING_SELECTOR` matches, in page order, each once.

    Lexbor gives a node once for each selector of a list it matches, the copies side by side, in page order
    (``<h2 class="subject">``: twice); :func:`_visible` gains nothing from a copy (its tests are pure but for the
    ``seen`` texts, which only grow: a copy is skipped for the reason its first was, or as seen), and its
    ``order`` is only compared, so the first copies' ranks are enough. Checked against the list with
    ``[class*='title' i]``, copies and all, in tests/test_rules_merged.py."""
    nodes: list[LexborNode] = []
    ids: set[int] = set()
    for node in css_all(tree, HEADING_SELECTOR):
        mem_id = node.mem_id
        if mem_id not in ids:
            ids.add(mem_id)
            nodes.append(node)
    return nodes


def _visible(
    tree: LexborHTMLParser, container: LexborNode | None, site_name: str | None, around: set[str] | None = None
) -> list[_Candidate]:
    depths = _ancestor_depths(container)
    site_keys = (around or set()) | ({title_key(site_name)} if site_name else set())
    found: list[_Candidate] = []
    seen: set[str] = set()
    chrome: dict[int, bool] = {}  # ancestors' verdicts, shared by the candidates (they have many in common)
    for order, node in enumerate(_headings(tree)):
        if node.tag in ("html", "body", "title", "meta") or in_page_chrome(node, known=chrome):
            continue  # chrome first: most heading-like elements of a page are its menus' and lists' (pure tests)
        text = element_text(node)
        if not 4 <= len(text) <= 200 or text in seen:
            continue
        key = title_key(text)
        if len(key) < 2 or key in site_keys or is_board_name(text) or is_logo(node, text):
            continue
        if classify_line(text) in ("stop", "chrome"):  # 많이 본 뉴스, 관련기사: list headings
            continue
        seen.add(text)
        names = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}".split()
        titleish = any(_TITLEISH.search(name) for name in names)
        found.append(_Candidate(node, text, key, order, _closeness(node, depths), titleish))
    return found


def _echo(candidate: _Candidate, declared: list[tuple[str, str]]) -> tuple[int, str]:
    """(strength, text) of the best agreement of a visible heading with a declared title."""
    best: tuple[int, str] = (0, candidate.text)
    for text, key in declared:
        if key == candidate.key:
            return 3, candidate.text
        if len(candidate.key) >= MIN_KEY and key.startswith(candidate.key) and best[0] < 2:
            best = (2, candidate.text)
        elif len(key) >= MIN_KEY and candidate.key.startswith(key) and best[0] < 1 and _own_text(candidate, key):
            best = (1, text)
    return best


def _own_text(candidate: _Candidate, key: str) -> bool:
    """True when a text node of the heading is exactly the declared title (the rest sits in child elements,
    a deck ``<span>``), not a heading that merely starts with a shortened ``<title>``."""
    return any(
        title_key(node.text_content or "") == key
        for node in candidate.node.traverse(include_text=True)
        if node.tag == "-text"
    )


def choose_headline(
    tree: LexborHTMLParser, declared: list[str], container: LexborNode | None, site_name: str | None = None
) -> str | None:
    """The headline (see the module docstring) or ``None`` when the page shows no heading.

    ``declared``: the page's own titles, ``<title>`` first, then og:title, twitter:title, JSON-LD headline.
    """
    return find_headline(tree, declared, container, site_name)[0]


def find_headline(
    tree: LexborHTMLParser, declared: list[str], container: LexborNode | None, site_name: str | None = None,
    hint: str | None = None,
) -> tuple[str | None, LexborNode | None]:
    """``(headline, the element showing it)``, as :func:`choose_headline`; ``(None, None)`` when not found."""
    found = locate_headline(tree, declared, container, site_name, hint)
    return found.text, found.node


@dataclass(frozen=True, eq=False)
class Headline:
    """The headline found on a page: its text, the element showing it, and how it was decided
    (``echo``: declared and visible titles agree; ``learned``: the host's learned headline place;
    ``nearest``: a title-classed heading or the block before the date line, with no agreement)."""

    text: str | None
    node: LexborNode | None
    how: str = "none"

    @property
    def confident(self) -> bool:
        """True when the page itself proves this is the headline (declared and visible titles agree)."""
        return self.how == "echo"


def locate_headline(
    tree: LexborHTMLParser, declared: list[str], container: LexborNode | None, site_name: str | None = None,
    hint: str | None = None,
) -> Headline:
    """The headline (module docstring). ``hint``: a CSS selector of where this host's other pages show
    their headline (learned, ``scraper.learn``), used only when nothing the page declares agrees with a
    visible heading."""
    main, around = split_declared(declared)
    segments = [(s, title_key(s)) for s in main]
    segments = [(s, k) for s, k in segments if len(k) >= 2 and not is_board_name(s)]
    candidates = _visible(tree, container, site_name, around)
    scored = [(*_echo(c, segments), c) for c in candidates]
    echoed = [item for item in scored if item[0] > 0]
    if echoed:
        _strength, text, best = max(echoed, key=lambda item: (item[0], item[2].closeness, -item[2].order))
        return Headline(text, best.node, "echo")
    echoed_node = _echoed_text(tree, {k for _, k in segments if len(k) >= MIN_KEY})
    if echoed_node is not None:
        return Headline(node_text(echoed_node), echoed_node, "echo")
    learned = _at_hint(tree, hint) if hint else None
    if learned is not None:
        return Headline(node_text(learned), learned, "learned")
    titled = [c for c in candidates if c.titleish]
    if titled and container is not None:
        chosen = max(titled, key=lambda c: (c.closeness, -c.order))
        return Headline(chosen.text, chosen.node, "nearest")
    before = line_before_dateline(container) if container is not None else None
    if before is not None:
        return Headline(node_text(before), before, "nearest")
    return Headline(None, None)


def _at_hint(tree: LexborHTMLParser, hint: str) -> LexborNode | None:
    for node in css_all(tree, hint):
        text = node_text(node)
        if 4 <= len(text) <= 200 and not is_board_name(text) and not in_page_chrome(node):
            return node
    return None


def place_selector(node: LexborNode, steps: int = 3) -> str:
    """A CSS selector for where ``node`` sits: its last ``steps`` element steps from ``<body>`` (tag, then
    ``#id`` or up to two classes), joined by ``>``; the form a headline place is learned and stored in.

    >>> tree = LexborHTMLParser("<div id='wrap'><div class='view_head top'><h3 class='tit'>제목</h3></div></div>")
    >>> place_selector(tree.css_first("h3"))
    'div#wrap > div.view_head.top > h3.tit'
    """
    parts: list[str] = []
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html", None) and len(parts) < steps:
        attrs = current.attributes
        node_id = (attrs.get("id") or "").strip()
        classes = [c for c in (attrs.get("class") or "").split() if _SAFE_NAME.fullmatch(c)][:2]
        if node_id and _SAFE_NAME.fullmatch(node_id):
            parts.append(f"{current.tag}#{node_id}")
        else:
            parts.append(str(current.tag) + "".join(f".{c}" for c in classes))
        current = current.parent
    return " > ".join(reversed(parts))


_SAFE_NAME = re.compile(r"[A-Za-z_][\w-]*")


def line_before_dateline(container: LexborNode) -> LexborNode | None:
    """The headline of a page with no heading tag or title class, read off the date line (old table and
    ``<b>`` layouts: ``<b>제목</b>`` / ``입력 : 2024.03.05`` / body): the text right before the first labelled
    date, inside the block that holds the date (``div.art_head``, the body's own ``<td>``) or, when that
    block starts with the date, the block before it. Texts of the date's own meta list (작성자, 조회) are
    skipped."""
    own = _text_before_date(container, DATE_SCAN_NODES)  # the headline and date at the top of the body
    if own is not None:
        return own
    blocks: list[LexborNode] = []
    node: LexborNode | None = container
    while node is not None and len(blocks) < 6 and node.tag not in ("body", "html"):
        sibling = node.prev
        while sibling is not None and len(blocks) < 6:
            if sibling.tag not in ("-text", "-comment", "script", "style"):
                blocks.append(sibling)
            sibling = sibling.prev
        node = node.parent
    for index, block in enumerate(blocks[:-1]):
        text = bounded_text(block, 300)
        if text and has_date_label(fold_space(text)):
            inside = _text_before_date(block, DATE_SCAN_NODES)
            if inside is not None:
                return inside
            previous = blocks[index + 1]
            title = bounded_text(previous, 200)
            if title and 6 <= len(fold_space(title)) and classify_line(fold_space(title)) == "body":
                return previous
            return None
    return None


DATE_SCAN_NODES = 40
"""Text nodes read from the top of a block to find its date line."""
_META_LISTS = frozenset({"ul", "ol", "dl", "table", "tr"})


def _text_before_date(block: LexborNode, limit: int) -> LexborNode | None:
    texts: list[LexborNode] = []
    for node in block.traverse(include_text=True):
        if node.tag == "-text" and (node.text_content or "").strip():
            parent = node.parent
            if parent is not None and parent.tag not in ("script", "style", "noscript", "option"):
                texts.append(node)
        if len(texts) >= limit:
            break
    for index, node in enumerate(texts):
        joined = " ".join(fold_space(t.text_content or "") for t in texts[index:index + 2])
        if not has_date_label(joined) or not has_date_label(fold_space(node.text_content or "") + " 2000.01.01"):
            continue
        fence = _meta_fence(node, block)
        for earlier in reversed(texts[:index]):
            if fence is not None and is_inside(earlier, fence):
                continue
            text = fold_space(earlier.text_content or "")
            if 6 <= len(text) <= 200 and classify_line(text) == "body" and not is_board_name(text):
                return earlier.parent
        return None
    return None


def _meta_fence(node: LexborNode, stop: LexborNode) -> LexborNode | None:
    """The meta list (``ul.etc``, a ``<tr>``) around a date text, whose other items are no headline."""
    current = node.parent
    while current is not None and current.mem_id != stop.mem_id:
        if current.tag in _META_LISTS:
            return current
        current = current.parent
    return None


def _echoed_text(tree: LexborHTMLParser, keys: set[str]) -> LexborNode | None:
    """The element of the first visible text whose key equals a declared title's: a headline in an element with no
    heading tag or title class (utility-class CSS such as Tailwind's, seen on Next.js news apps)."""
    body = tree.body
    if body is None or not keys:
        return None
    for node in body.traverse(include_text=True):
        if node.tag != "-text":
            continue
        text = node.text_content or ""
        if len(text) < MIN_KEY or len(text) > 300:
            continue
        parent = node.parent
        if parent is None or parent.tag in ("script", "style", "title", "noscript", "template"):
            continue
        if title_key(text) in keys and not in_page_chrome(parent):
            return parent
    return None


def clean_title(title: str | None, site_name: str | None = None) -> str | None:
    """A headline without a site-name suffix (``제목 - 한빛일보``, ``제목 | 사이트``); breadcrumbs rejected.

    >>> clean_title("구청, 하천 정비 나서 - 한빛일보")
    '구청, 하천 정비 나서'
    >>> clean_title("알림마당>담양뉴스>보도자료") is None
    True
    >>> clean_title("한동훈 제명했지만… 부담 커졌다-정치ㅣ한국일보", "한국일보")
    '한동훈 제명했지만… 부담 커졌다'
    """
    if not title:
        return None
    title = fold_space(title)
    if title.count(">") >= 2 or title.count("|") >= 3:
        return None
    if site_name and title.endswith(site_name) and len(title) > len(site_name) + 5:
        title = title[: -len(site_name)].rstrip(" |｜ㅣ-–—:<>")
        title = _SECTION_SUFFIX_RE.sub("", title)  # 제목-정치ㅣ한국일보: the section before the site name
    else:
        stripped = _TITLE_SUFFIX_RE.sub("", title)
        if len(stripped) >= 8:
            title = stripped
    return title or None


def page_headline(
    tree: LexborHTMLParser, profile: SiteProfile | None, meta: PageMeta, container: LexborNode | None,
    hint: str | None = None,
) -> Headline:
    """The headline: the profile's selectors, else (no profile) the labelled 제목 cell or the headline the
    declared and visible titles agree on (:func:`locate_headline`, ``hint``: a learned headline place),
    else the declared titles without their site suffix, else a heading-like element."""
    if profile and profile.title:
        value = first_value(tree, profile.title)
        if value:
            return Headline(clean_title(value, meta.site_name) if "@" in profile.title[0] else value, None, "profile")
    node = tree.css_first("title")
    page_title = node.text() if node else None
    if profile is None:
        cell = labelled_title(tree)  # <th>제목</th><td>...</td> beats a board-name <title>
        if cell:
            return Headline(cell, None, "label")
        declared = ([page_title] if page_title else []) + meta.title
        found = locate_headline(tree, declared, container, meta.site_name, hint)
        if found.text:
            return found
    for candidate in meta.title:
        cleaned = clean_title(unescape_entities(candidate), meta.site_name)
        if cleaned:
            return Headline(cleaned, None, "declared")
    value = first_value(tree, GENERIC_TITLE)
    if value and not is_board_name(value):
        return Headline(value, None, "nearest")
    fallback = clean_title(page_title, meta.site_name)
    text = generic_headline(tree, page_title) or (None if fallback and is_board_name(fallback) else fallback)
    return Headline(text, None, "nearest" if text else "none")
