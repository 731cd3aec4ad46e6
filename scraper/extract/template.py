"""A site's template learned from its own pages: text lines and DOM blocks that recur across the pages
of one host are chrome (menus, footers, 많이 본 뉴스 lists, copyright lines, 담당부서/전화 page-manager
boxes, share bars) and are taken out of an article body, even on a site with no profile. Pure.

Kind of page: any set of two or more pages of ONE host that share a layout (news article views, a gov
board's view and list pages). Nothing here names a host or a class name; what is chrome is learned.

Learning (:func:`learn_template`):

* every page is read into text lines (a new line at each block element and ``<br>``, as
  :func:`scraper.extract.blocks.node_lines` does), each with its *path*: the chain of tag + ``#id`` /
  ``.class`` from ``<body>`` down to the block that holds the line, e.g. ``body>div#wrap>div.footer>p``.
* a line is **recurring** when it sits at the same *place* (the last three steps of its path) on at
  least ``max(2, ceil(n / 2))`` of the ``n`` pages AND every page that shows the line shows it at such
  a shared place. The second half is the guard against *teasers*: article A's lead sentence quoted in
  the 많이 본 뉴스 box of pages B and C sits at the box's place there but at the body's place on A, so it
  is not learned as chrome.
* a short line has a recurring **shape** when the same holds for its words with one word replaced by
  ``*``: a reporter box ``김정희 기자 다른기사 보기`` / ``정진영 기자 다른기사 보기`` gives
  ``* 기자 다른기사 보기`` (seen on an NDSoft news site).
* a block path is **boilerplate** when the text of its subtree is the same on that many pages (only the
  outermost such paths are kept). These are for a DOM-level filter; the paragraph filter needs only
  the lines (every line of a boilerplate block is a recurring line).

Safety (real articles of one host never share a whole body paragraph; what they do share is in-article
boilerplate such as a press release's ``* 담당자 : 재정정책과 ...`` or ``자세한 내용은 첨부를 참고하시기
바랍니다.`` line, which the gold keeps as body):

* a recurring line or shape that sits among the page's own paragraphs (at the *main path*, see
  :func:`main_path`, or in a sibling block of the same tag, see :func:`among_paragraphs`) on at least
  half the pages that show it is the article's text, never chrome. A box inside the article container
  (a reporter box, a share bar) has a path of its own, so it is still learned.

Stripping (:func:`strip_template`, :func:`apply_template`) drops a body paragraph that equals a recurring
line or has a recurring shape, except:

* a paragraph longer than ``LONG_PARAGRAPH_CHARS`` is dropped only when it recurs on at least
  ``LONG_MIN_PAGES`` pages (two pages of one host can carry the same long teaser by chance, three at
  the same place can only be layout);
* when every paragraph would go, the body is kept as it was (a template never empties a record).
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import BLOCK_TAGS, SKIP_TAGS, child_nodes
from scraper.extract.markup import parse_guarded
from scraper.models import Record
from scraper.normalize.record import record_id
from scraper.normalize.text import fold_space

MIN_LINE_CHARS = 4
"""Shorter lines are not learned: 2-3 characters (``AD``, ``공유``, ``사진``) can be a word of a body too."""
MIN_BLOCK_CHARS = 10
"""A boilerplate block holds at least this much text (an empty or one-word wrapper says nothing)."""
MAIN_LINE_CHARS = 50
"""Lines this long are sentences: the article's paragraphs are found by them (headlines are shorter)."""
SHAPE_MAX_WORDS = 8
"""Shapes are learned from short lines only (a reporter box, a counter), 3 to this many words."""
SHAPE_MIN_FIXED_CHARS = 6
"""The words a shape keeps hold at least this many characters (``* 기자 다른기사 보기``: 9)."""
WILDCARD = "*"
LONG_PARAGRAPH_CHARS = 80
LONG_MIN_PAGES = 3
_MAX_SELECTOR_CLASSES = 3
PLACE_STEPS = 3


class SiteTemplate(BaseModel):
    """What recurs across the pages of one host; JSON via ``model_dump_json`` / ``model_validate_json``.

    ``pages``: how many pages it was learned from. ``lines``: recurring text line (NFC, whitespace
    folded) -> on how many pages it recurs at a shared path. ``shapes``: recurring line shapes, the
    words of a short line with the one word that changes from page to page as ``*`` (``* 기자 다른기사
    보기``) -> on how many pages. ``blocks``: boilerplate block paths
    (``body>div#wrap>div.footer``) -> on how many pages their text is the same.
    """

    model_config = ConfigDict(frozen=True)

    pages: int
    lines: dict[str, int] = Field(default_factory=dict)
    shapes: dict[str, int] = Field(default_factory=dict)
    blocks: dict[str, int] = Field(default_factory=dict)


def min_pages(n: int) -> int:
    """Pages a line or block must recur on, out of ``n``: at least 2 and at least half.

    >>> [min_pages(n) for n in (2, 3, 4, 5)]
    [2, 2, 2, 3]
    """
    return max(2, math.ceil(n / 2))


def _step(node: LexborNode) -> str:
    """One path step: tag, then ``#id`` when the node has one, else up to three classes (``div.a.b``)."""
    tag = node.tag or ""
    attrs = node.attributes
    node_id = (attrs.get("id") or "").strip()
    if node_id:
        return f"{tag}#{node_id}"
    classes = (attrs.get("class") or "").split()[:_MAX_SELECTOR_CLASSES]
    return tag + "".join(f".{c}" for c in classes)


def place(path: str, steps: int = PLACE_STEPS) -> str:
    """Where a line sits, for comparing pages: the last ``steps`` steps of its block path.

    The full chain from ``<body>`` is too strict: one host wraps the same page in an extra
    ``div.off-canvas-wrapper`` on some saves (seen on an NDSoft site, two years apart), which moves
    every path while the footer's own ``div#footer>p`` stays.

    >>> place("body>div.wrap>div#footer>ul.links>li")
    'div#footer>ul.links>li'
    """
    return ">".join(path.split(">")[-steps:])


def shapes_of(line: str) -> list[str]:
    """The shapes of a short line: its words with one of them replaced by ``*``, one shape per word.

    Only lines of 3 to ``SHAPE_MAX_WORDS`` words whose other words hold ``SHAPE_MIN_FIXED_CHARS``
    characters or more; any other line has no shape.

    >>> shapes_of("김정희 기자 다른기사 보기")
    ['* 기자 다른기사 보기', '김정희 * 다른기사 보기', '김정희 기자 * 보기', '김정희 기자 다른기사 *']
    >>> shapes_of("댓글 0")
    []
    """
    words = line.split(" ")
    if not 3 <= len(words) <= SHAPE_MAX_WORDS or WILDCARD in words:
        return []
    total = sum(len(w) for w in words)
    return [" ".join([*words[:i], WILDCARD, *words[i + 1:]]) for i in range(len(words))
            if total - len(words[i]) >= SHAPE_MIN_FIXED_CHARS]


def _shared_at_one_place(by_place: dict[str, set[int]], need: int) -> int:
    """Pages a line (or shape) recurs on at shared places; 0 unless it reaches ``need`` at one place and no
    page shows it only at a place of its own (the teaser guard of the module docstring)."""
    shared = [seen for seen in by_place.values() if len(seen) >= 2]
    if not shared or max(len(seen) for seen in shared) < need:
        return 0
    on_shared = set().union(*shared)
    on_any = set().union(*by_place.values())
    return len(on_shared) if on_any == on_shared else 0


class PageLines(NamedTuple):
    """One page read into lines: see :func:`page_lines`."""

    lines: list[tuple[str, str]]
    blocks: dict[str, str]
    elements: dict[str, int]


def page_lines(html: str | LexborHTMLParser) -> PageLines:
    """One page's text lines with their block paths, each block path's text, and its element count.

    ``lines`` = ``[(path, line), ...]`` in reading order (lines NFC, whitespace folded, empty ones
    dropped); ``blocks`` = block path -> the lines of every block at that path joined by newlines
    (siblings with the same path, e.g. ``li.item``, are joined in order); ``elements`` = block path ->
    how many elements have it. Iterative, so deeply nested markup cannot overflow the stack.

    >>> page = page_lines("<body><div id=m><p>메뉴 하나</p>본문<br>둘째<p>셋</p></div></body>")
    >>> page.lines
    [('body>div#m>p', '메뉴 하나'), ('body>div#m', '본문'), ('body>div#m', '둘째'), ('body>div#m>p', '셋')]
    >>> page.blocks["body>div#m"], page.elements["body>div#m>p"]
    ('메뉴 하나\\n본문\\n둘째\\n셋', 2)
    """
    body = (parse_guarded(html)[1] if isinstance(html, str) else html).body
    lines: list[tuple[str, str]] = []
    block_lines: dict[str, list[str]] = defaultdict(list)
    elements: dict[str, int] = defaultdict(int)
    if body is None:
        return PageLines(lines, {}, {})
    current: list[str] = []
    blocks: list[str] = ["body"]  # paths of the open block elements, innermost last
    line_path = "body"

    def flush() -> None:
        text = fold_space("".join(current))
        current.clear()
        if not text:
            return
        lines.append((line_path, text))
        for path in blocks:  # the open blocks are the line's block and its block ancestors
            block_lines[path].append(text)

    stack: list[tuple[LexborNode, str, bool]] = []
    stack.extend((c, "body", False) for c in reversed(child_nodes(body)))
    while stack:
        node, parent_path, closing = stack.pop()
        tag = node.tag
        if closing:
            if tag in BLOCK_TAGS:
                flush()
                blocks.pop()
                line_path = blocks[-1]
            continue
        if tag == "-text":
            if not current:
                line_path = blocks[-1]
            current.append(node.text_content or "")
            continue
        if tag in SKIP_TAGS or tag == "-comment" or tag is None:
            continue
        if tag == "br":
            flush()
            continue
        path = f"{parent_path}>{_step(node)}"
        if tag in BLOCK_TAGS:
            flush()
            blocks.append(path)
            elements[path] += 1
            line_path = path
        stack.append((node, path, True))
        stack.extend((c, path, False) for c in reversed(child_nodes(node)))
    flush()
    return PageLines(lines, {path: "\n".join(texts) for path, texts in block_lines.items()}, dict(elements))


def main_path(page: PageLines, recurring: Callable[[str], bool]) -> str | None:
    """The block path of the page's own paragraphs (the article's ``<p>``), or None on a page of chrome.

    The path whose non-recurring lines of ``MAIN_LINE_CHARS`` or more carry the most characters (a body
    is sentences; a list of headlines in an aside, however long, is short lines); when no line is that
    long, all non-recurring lines count. Seen on: news article views (``div#article-view-content-div>p``,
    text with ``<br>`` in one ``div``), gov board views (text in one ``td``).

    >>> page = page_lines("<body><ul><li>다른 기사 제목 하나</li><li>다른 기사 제목 둘</li></ul>"
    ...                   "<div id=a><p>" + "첫 문단의 문장이다. " * 5 + "</p></div></body>")
    >>> main_path(page, lambda line: False)
    'body>div#a>p'
    """
    long_chars: dict[str, int] = defaultdict(int)
    all_chars: dict[str, int] = defaultdict(int)
    for path, line in page.lines:
        if not recurring(line):
            all_chars[path] += len(line)
            if len(line) >= MAIN_LINE_CHARS:
                long_chars[path] += len(line)
    chars = long_chars or all_chars
    return max(chars, key=lambda path: chars[path]) if chars else None


class PageSample(BaseModel):
    """One page as learning needs it, without its HTML (compact JSON for a crawl's state; see
    :func:`sample_page`).

    ``paths``: the distinct block paths of the page. ``lines``: ``[path index, line]`` in reading order,
    as :func:`page_lines` gives them. ``blocks``: block path -> fingerprint of its text (a 16-hex-digit
    BLAKE2b digest), for blocks of ``MIN_BLOCK_CHARS`` characters or more. ``key``: what article the page
    shows (the caller's choice, e.g. a digest of its extracted body) or None; pages with the same key
    are learned from once (:func:`learn_from_samples`).
    """

    model_config = ConfigDict(frozen=True)

    paths: list[str] = Field(default_factory=list)
    lines: list[tuple[int, str]] = Field(default_factory=list)
    blocks: dict[str, str] = Field(default_factory=dict)
    key: str | None = None
    headline: str | None = None
    """Where the page shows its headline (a CSS selector), when the page proves it (its declared and visible
    titles agree; ``article.headline_place``); pages of one host that agree teach the others."""
    html: str | None = Field(default=None, exclude=True, repr=False)
    """The decoded page itself, kept in memory only (never stored): to read it again with a learned hint."""

    def path_lines(self) -> list[tuple[str, str]]:
        """``[(block path, line), ...]`` in reading order, as in :attr:`PageLines.lines`."""
        return [(self.paths[index], line) for index, line in self.lines]


def fingerprint(text: str) -> str:
    """A short digest of ``text`` (16 hex digits of BLAKE2b over its UTF-8): equal texts, equal prints."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def sample_page(html: str | LexborHTMLParser, key: str | None = None) -> PageSample:
    """The :class:`PageSample` of one page's decoded HTML (``key``: see :class:`PageSample`).

    Never raises on broken markup (a page without ``<body>`` gives an empty sample).

    >>> sample = sample_page("<body><div id=f><p>무단 전재 및 재배포 금지</p></div></body>")
    >>> sample.paths, sample.lines, sorted(sample.blocks)
    (['body>div#f>p'], [(0, '무단 전재 및 재배포 금지')], ['body', 'body>div#f', 'body>div#f>p'])
    """
    page = page_lines(html)
    index: dict[str, int] = {}
    lines: list[tuple[int, str]] = []
    for path, line in page.lines:
        lines.append((index.setdefault(path, len(index)), line))
    blocks = {path: fingerprint(text) for path, text in page.blocks.items() if len(text) >= MIN_BLOCK_CHARS}
    return PageSample(paths=list(index), lines=lines, blocks=blocks, key=key)


def _tag(step: str) -> str:
    """The tag of one path step (``p.sub-tit`` -> ``p``, ``div#a`` -> ``div``)."""
    return step.split("#", 1)[0].split(".", 1)[0]


def among_paragraphs(path: str, main: str) -> bool:
    """True when a line at block ``path`` is one of the page's own paragraphs: at the ``main`` path, or in
    a sibling block of the same tag (a ``p`` among the ``p``s of the article container, whatever its class).

    Seen on gov board views: the 부제 ``<p class="sub-tit">- 지역경제 활성화 기대</p>`` sits beside the body's
    ``<p>``s and, from a small set of stock phrases, recurs on a few releases of one office; chrome inside
    the container (a reporter box, a share bar) is a nested box of another tag.

    >>> among_paragraphs("body>div.view>p.sub-tit", "body>div.view>p")
    True
    >>> among_paragraphs("body>div.view>div.editors>p", "body>div.view>p")
    False
    """
    if path == main:
        return True
    parent, _, step = path.rpartition(">")
    main_parent, _, main_step = main.rpartition(">")
    return bool(parent) and parent == main_parent and _tag(step) == _tag(main_step)


def learn_template(pages: Sequence[str]) -> SiteTemplate:
    """Learn what recurs across ``pages`` (decoded HTML texts of ≥ 2 pages of one host).

    A line is recurring when it sits at one shared path on ``min_pages(len(pages))`` pages and no page
    shows it elsewhere (see the module docstring); a block is boilerplate when its text is the same on
    that many pages. Fewer than two pages give an empty template (nothing can recur). Never raises on
    broken markup (a page without ``<body>`` just contributes nothing). The same as
    :func:`learn_from_samples` over :func:`sample_page` of each page.
    """
    return learn_from_samples([sample_page(html) for html in pages])


def learn_from_samples(samples: Sequence[PageSample]) -> SiteTemplate:
    """Learn what recurs across the pages ``samples`` stand for (see :func:`learn_template`).

    Samples whose ``key`` (not None) was already seen are left out first: one article reached by two
    addresses (a mobile or ``utm_`` link, a board that lists a post twice) would make its own body
    recur. ``pages`` of the answer counts the samples learned from.
    """
    seen_keys: set[str] = set()
    read: list[PageSample] = []
    for sample in samples:
        if sample.key is not None:
            if sample.key in seen_keys:
                continue
            seen_keys.add(sample.key)
        read.append(sample)
    n = len(read)
    if n < 2:
        return SiteTemplate(pages=n)
    need = min_pages(n)
    line_paths: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    shape_paths: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    shape_words: dict[str, set[str]] = defaultdict(set)
    block_texts: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    pages = [PageLines(sample.path_lines(), {}, {}) for sample in read]
    shape_memo: dict[str, list[str]] = {}  # pages of one host repeat most of their lines and paths
    place_memo: dict[str, str] = {}

    def shapes(line: str) -> list[str]:
        found = shape_memo.get(line)
        if found is None:
            found = shape_memo[line] = shapes_of(line)
        return found

    for index, (sample, page) in enumerate(zip(read, pages, strict=True)):
        for path, line in page.lines:
            where = place_memo.get(path)
            if where is None:
                where = place_memo[path] = place(path)
            if len(line) >= MIN_LINE_CHARS:
                line_paths[line][where].add(index)
            for shape in shapes(line):
                shape_paths[shape][where].add(index)
                shape_words[shape].add(line)
        for path, digest in sample.blocks.items():
            block_texts[path][digest].add(index)
    learned = {line: count for line, by_place in line_paths.items()
               if (count := _shared_at_one_place(by_place, need))}
    # a shape is worth keeping only when the changing word does change (else the line itself is learned)
    learned_shapes = {shape: count for shape, by_place in shape_paths.items()
                      if len(shape_words[shape]) >= 2 and (count := _shared_at_one_place(by_place, need))}

    def recurring(line: str) -> bool:
        return line in learned or any(shape in learned_shapes for shape in shapes(line))

    # in-article boilerplate (a release's 담당자 line, "자세한 내용은 첨부를 참고하시기 바랍니다.") is the
    # article's own text: a line or shape among the page's own paragraphs (at the main path or a sibling
    # of its tag) on half the pages showing it is not chrome. A box inside the article container (a
    # reporter box) is another path.
    in_main: dict[str, set[int]] = defaultdict(set)
    shown: dict[str, set[int]] = defaultdict(set)
    for index, page in enumerate(pages):
        main = main_path(page, recurring)
        for path, line in page.lines:
            keys = [k for k in (line, *shapes(line)) if k in learned or k in learned_shapes]
            for key in keys:
                shown[key].add(index)
                if main is not None and among_paragraphs(path, main):
                    in_main[key].add(index)
    learned = {k: v for k, v in learned.items() if 2 * len(in_main[k]) < len(shown[k])}
    learned_shapes = {k: v for k, v in learned_shapes.items() if 2 * len(in_main[k]) < len(shown[k])}
    boiler: dict[str, int] = {}
    for path, by_text in block_texts.items():
        best = max(len(seen) for seen in by_text.values())
        if best >= need:
            boiler[path] = best
    outer = {path: count for path, count in boiler.items()
             if not any(path.startswith(other + ">") for other in boiler)}
    return SiteTemplate(pages=n, lines=dict(sorted(learned.items())), shapes=dict(sorted(learned_shapes.items())),
                        blocks=dict(sorted(outer.items())))


def chrome_lines(template: SiteTemplate, paragraphs: Sequence[str]) -> set[int]:
    """Indexes of the ``paragraphs`` (body paragraphs, NFC and whitespace folded) the template marks as chrome.

    A paragraph is chrome when it equals a recurring line of the template or has a recurring shape; one longer than
    ``LONG_PARAGRAPH_CHARS`` only when it recurs on ``LONG_MIN_PAGES`` pages or more. When every
    paragraph would be chrome the answer is the empty set (the body is kept: a template never empties it).
    """
    marked: set[int] = set()
    for index, paragraph in enumerate(paragraphs):
        line = fold_space(paragraph)
        count = template.lines.get(line, 0)
        if count < 2 and template.shapes:
            count = max((template.shapes.get(shape, 0) for shape in shapes_of(line)), default=0)
        if count < 2:
            continue
        if len(paragraph) > LONG_PARAGRAPH_CHARS and count < LONG_MIN_PAGES:
            continue
        marked.add(index)
    if len(marked) == len(paragraphs):
        return set()
    return marked


def strip_template(template: SiteTemplate, paragraphs: Sequence[str]) -> list[str]:
    """``paragraphs`` without those :func:`chrome_lines` marks, in their order.

    >>> t = SiteTemplate(pages=3, lines={"기사 URL이 복사되었습니다.": 3})
    >>> strip_template(t, ["본문 첫 문단.", "기사 URL이 복사되었습니다."])
    ['본문 첫 문단.']
    >>> strip_template(t, ["기사 URL이 복사되었습니다."])
    ['기사 URL이 복사되었습니다.']
    """
    marked = chrome_lines(template, paragraphs)
    return [p for i, p in enumerate(paragraphs) if i not in marked]


def apply_template(record: Record, template: SiteTemplate) -> Record:
    """The record with its body passed through :func:`strip_template` (a copy; the input is untouched).

    Only ``body`` changes, and ``id`` when it was derived from the body (no canonical URL); the same
    record object is returned when nothing is dropped.
    """
    body = strip_template(template, record.body)
    if len(body) == len(record.body):
        return record
    update: dict[str, object] = {"body": body}
    if not record.canonical_url:
        update["id"] = record_id(None, body)
    return record.model_copy(update=update)
