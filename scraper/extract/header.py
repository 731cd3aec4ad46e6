"""The article header: the short run of text between the headline and the body, where a page shows its
dates and byline (``입력 2024.03.05 14:30 | 수정 ...``, ``날짜 2025.12.10 조회수 52``, ``홍길동 기자``); pure.

Read in document order from the headline element, so a date widget elsewhere on the page (a sidebar's
``2019.01.08. 08:30 ~ 11:30 기준``, the page manager's ``최종업데이트``) is never taken for the article's.
Seen on news CMSs (Naver legacy ``div.sponsor``, entermedia's bare ``기사입력 :[ ... ]`` text) and on gov
boards (ybmodule ``dl`` of 날짜/조회수, eGovFrame ``div.table_info`` with the value split by spans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from scraper.extract.blocks import BLOCK_TAGS, SKIP_TAGS
from scraper.extract.chrome import classify_line
from scraper.normalize.dates import before_labels, labeled_dates, parse_kst, parse_kst_datetime
from scraper.normalize.text import fold_space
from scraper.vocab import PREV_NEXT_RE

ZONE_CHARS = 400
"""Text characters read after the headline: an article header is a few short lines."""
BEFORE_CHARS = 120
"""Text characters read before the headline (a date line above it), only when none follows it."""
ZONE_NODES = 600
"""Nodes visited at most, so a page with a huge header cannot make this walk costly."""


@dataclass
class HeaderZone:
    """Lines of the article header: ``after`` the headline (up to the body container) and ``before`` it.
    ``decks``: the ``after`` lines shown as sub-headings (``h2``–``h6`` or a sub/deck/summary class) at
    the top of the header, before any date or label line; ``reached_body``: the walk met the container."""

    after: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    decks: list[str] = field(default_factory=list)
    reached_body: bool = False


_DECK_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
DECK_CLASS = re.compile(r"(?i)(?:^|[-_])(?:sub|deck|summary|subtitle|sub_?tit\w*|midtitle\w*)(?:$|[-_])")
"""Class names of a deck (subtitle) block (``h2.sub-tit``, ``div.midtitle_text``, Naver's
``strong.media_end_summary``), under the headline or at the top of the body. Not ``lead``: often the lede
paragraph itself. A ``summary`` box that is an AI summary (its lines are chrome: ``AI 요약``) is no deck."""
MIN_DECK_CHARS = 8


class _Walk:
    """Document-order text collector with line breaks at block elements, bounded in characters and nodes."""

    def __init__(self, stop: LexborNode | None, limit: int, restart_at: str | None = None) -> None:
        self.stop_id = stop.mem_id if stop is not None else None
        self.restart_at = restart_at
        self.limit = limit
        self.reached_stop = False
        self.lines: list[str] = []
        self.deck_flags: list[bool] = []
        self.blocks: list[bool] = []
        self.current: list[str] = []
        self.size = 0
        self.visited = 0
        self.done = False

    def flush(self) -> None:
        text = fold_space("".join(self.current))
        if text and text == self.restart_at:  # another copy of the headline: the header starts after it
            self.lines.clear()
            self.deck_flags.clear()
            self.size = 0
        elif text:
            self.lines.append(text)
            self.deck_flags.append(bool(self.blocks) and self.blocks[-1])
            self.size += len(text)
        self.current.clear()
        if self.size >= self.limit:
            self.done = True

    def visit(self, root: LexborNode) -> None:
        stack: list[tuple[LexborNode, bool]] = [(root, False)]
        while stack and not self.done:
            node, closing = stack.pop()
            self.visited += 1
            if self.visited > ZONE_NODES or node.mem_id == self.stop_id:
                self.reached_stop = node.mem_id == self.stop_id
                self.done = True
                break
            tag = node.tag
            if closing:
                if tag in BLOCK_TAGS:
                    self.flush()
                    self.blocks.pop()
                continue
            if tag == "-text":
                self.current.append(node.text_content or "")
                continue
            if tag in SKIP_TAGS or tag == "-comment" or tag is None:
                continue
            if tag == "br" or tag in BLOCK_TAGS:
                self.flush()
            if tag in BLOCK_TAGS:
                self.blocks.append((bool(self.blocks) and self.blocks[-1]) or tag in _DECK_TAGS or _deck_named(node))
            stack.append((node, True))
            child = node.last_child
            while child is not None:  # pushed last first: they pop in document order
                stack.append((child, False))
                child = child.prev


def _deck_named(node: LexborNode) -> bool:
    names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".split()
    return any(DECK_CLASS.search(n) for n in names)


def header_zone(headline: LexborNode, container: LexborNode | None) -> HeaderZone:
    """The header lines around ``headline``: after it in document order until ``container`` starts (or
    :data:`ZONE_CHARS` characters), and the text just before it inside its parent (:data:`BEFORE_CHARS`).
    A later copy of the headline (a sticky top bar repeats it before the article header, seen on
    hankookilbo.com and ndsoft CMS pages) restarts the header there."""
    walk = _Walk(container, ZONE_CHARS, restart_at=fold_space(headline.text(deep=True)))
    node: LexborNode | None = headline
    while node is not None and not walk.done and node.tag not in ("body", "html"):
        sibling = node.next
        while sibling is not None and not walk.done:
            walk.visit(sibling)
            sibling = sibling.next
        node = node.parent
    walk.flush()
    decks: list[str] = []
    for line, is_deck in zip(walk.lines, walk.deck_flags, strict=True):
        if not is_deck or len(line) < MIN_DECK_CHARS or labeled_dates(line)[0] or parse_kst(line):
            break
        if classify_line(line) in ("chrome", "stop"):
            continue  # an AI-summary heading or a promo line, not the deck
        decks.append(line)
    before = _Walk(headline, BEFORE_CHARS)
    parent = headline.parent
    if parent is not None:
        child = parent.child
        while child is not None and child.mem_id != headline.mem_id and not before.done:
            before.visit(child)
            child = child.next
        before.flush()
    return HeaderZone(after=walk.lines, before=before.lines[-2:], decks=decks, reached_body=walk.reached_stop)


def zone_dates(lines: list[str], now: str | None = None) -> tuple[list[str], list[str]]:
    """``(published, modified)`` raw texts of the header lines. With a date label anywhere, the joined
    header text is returned for both roles: the labels decide which date is which (입력/등록 = published,
    수정 = modified, in any order, the value in the same or the next node). With no label, the first line
    holding a date is ``published``, never ``modified``.

    >>> zone_dates(["홍길동 기자", "입력 2024.03.05 14:30", "수정 2024.03.06 09:00"])[0]
    ['홍길동 기자 입력 2024.03.05 14:30 수정 2024.03.06 09:00']
    >>> zone_dates(["날짜", "2025.12.10", "조회수", "52"])
    (['2025.12.10'], [])
    """
    lines = [line for line in lines if not PREV_NEXT_RE.match(line)]  # 이전글/다음글 dates are other posts'
    joined = " ".join(lines)
    published, modified = labeled_dates(joined, now)
    if published or modified:
        lead = before_labels(joined)
        if not published and parse_kst(lead, now):  # 2024.03.05 14:30 (최종수정 ...): the lone date is published
            return [lead], [joined]
        return [joined], [joined] if modified else []
    for line in lines:
        if parse_kst(line, now):
            return [line], []
    return [], []


def visible_first(
    declared: list[str], visible: list[str], now: str | None = None, *, role: int = 0
) -> list[str]:
    """Date candidates in the order the normalizer should try them: machine-readable values (meta, JSON-LD)
    that agree with the visible date (same day, and the same minute unless one of them is a bare date)
    first, since they are more precise; then the visible value; then the other declared values, which only
    count when the page shows no date. ``role``: 0 for published, 1 for modified (which labelled date of a
    visible text is compared). Within :data:`AGREE_MINUTES` counts as the same time: CMSs print the
    minute of saving and declare the second of publishing (sporbiz.co.kr: shown 07:53, declared 07:52:39).

    >>> visible_first(["2018-11-20"], ["입력 2018.11.20 14:50"])
    ['2018-11-20', '입력 2018.11.20 14:50']
    >>> visible_first(["2019-01-01T09:00:00+09:00"], ["입력 2018.11.20 14:50"])
    ['입력 2018.11.20 14:50', '2019-01-01T09:00:00+09:00']
    """
    shown = [v for v in (parse_kst(text, now) for text in _firsts(visible, now, role)) if v]
    if not shown:
        return [*visible, *declared]
    agreeing = [d for d in declared if _agrees(parse_kst(d, now), shown[0])]
    return [*agreeing, *visible, *(d for d in declared if d not in agreeing)]


def _firsts(texts: list[str], now: str | None, role: int) -> list[str]:
    values: list[str] = []
    for text in texts:
        labelled = labeled_dates(text, now)
        values += labelled[role] or ([] if any(labelled) else [text])
    return values


AGREE_MINUTES = 10


def _agrees(declared: str | None, shown: str) -> bool:
    if not declared or declared[:10] != shown[:10]:
        return False
    if len(declared) == 10 or len(shown) == 10:
        return True
    first, second = parse_kst_datetime(declared), parse_kst_datetime(shown)
    return bool(first and second and abs((first - second).total_seconds()) <= AGREE_MINUTES * 60)
