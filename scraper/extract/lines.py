"""Sorting an article container's text lines into body, captions, credit, bylines and dateline; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scraper.extract.chrome import classify_line, credit_of, is_copyright_tail, strip_trailing_email
from scraper.normalize.authors import find_byline_names, split_trailing_byline
from scraper.vocab import (
    COMMENT_RE,
    DATELINE_NOT_COLUMN,
    PHOTO_CREDIT_LABELS,
    PICTURE_LABELS,
    REPORTER_ROLES,
    alternation,
)

_REPORTER = alternation(REPORTER_ROLES)
_DATELINE_RE = re.compile(
    r"^\s*(?P<dateline>"
    r"\([^()]{1,25}=[^()]{1,25}\)\s*(?:[가-힣]{2,5}(?:(?:\s*[·ㆍ,]\s*|\s+)[가-힣]{2,5})*\s*" + _REPORTER + r"\s*=)?"
    r"|【[^】]{1,30}】\s*(?:[가-힣]{2,5}\s*" + _REPORTER + r"\s*=)?"
    r"|\[[^\[\]]{1,30}\]\s*[가-힣]{2,5}(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*\s*" + _REPORTER + r"\s*="
    r"|\[[^\[\]=]{1,20}=\s*[가-힣]{2,5}(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*\s*" + _REPORTER + r"?\s*\]"
    r"|\[[^\[\]\s]{2,15}\s[가-힣]{2,4}\]"
    r"|\[[^\[\]]{1,30}\]\s*[가-힣]{2,8}\s*="  # desk byline: [인사이트] 디지털뉴스팀 =
    r"|\[(?!" + alternation(DATELINE_NOT_COLUMN) + r")[^\[\]=]{1,20}=[^\[\]=]{1,30}\]"  # [엔터미디어=정덕현의 이슈공감]
    r")\s*"
)


@dataclass
class SortedLines:
    """The lines of an article container, sorted by what they are."""

    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    dateline: str | None = None
    dates: list[str] = field(default_factory=list)
    """Date lines (``입력 2024.06.01 10:00 | 이바다 기자``): read as dates, never body."""
    photo_credits: list[str] = field(default_factory=list)
    """Standalone photo credit lines (``[사진=연합뉴스]``), attached to an image by the caller."""
    lead_in: list[str] = field(default_factory=list)
    """Deck lines before a wire story's dateline paragraph (the caller makes them the subtitle)."""


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Split a leading dateline/byline bracket off the first paragraph.

    >>> split_dateline("(서울=연합뉴스) 홍길동 기자 = 정부가 5일 발표했다.")
    ('(서울=연합뉴스) 홍길동 기자 =', '정부가 5일 발표했다.')
    >>> split_dateline("[한국스포츠경제 김정희] 두산과 롯데의")
    ('[한국스포츠경제 김정희]', '두산과 롯데의')
    >>> split_dateline("[엔터미디어=정덕현의 이슈공감] 시작은 사진 공개였다.")
    ('[엔터미디어=정덕현의 이슈공감]', '시작은 사진 공개였다.')
    >>> split_dateline("정부가 발표했다.")
    (None, '정부가 발표했다.')
    """
    m = _DATELINE_RE.match(paragraph)
    if not m or len(paragraph) - m.end() < 2:
        return None, paragraph
    return m.group("dateline").strip(), paragraph[m.end():].strip()


def caption_text(line: str) -> str:
    """A caption line without its leading marker (``▲``, ``△``).

    >>> caption_text("▲ 옹벽 균열을 측정하는 모습")
    '옹벽 균열을 측정하는 모습'
    """
    return re.sub(r"^\s*[▲△▶◀▷]\s*", "", line).strip()


_GLUED_CREDIT_RE = re.compile(
    r"(?<=[.!?\"”’'])\s+(?P<credit>[\[(]?" + alternation(PICTURE_LABELS + PHOTO_CREDIT_LABELS)
    + r"\s*[=:]\s*[^\s\[\]()=]{1,20}[\])]?)\s*$"
)


def split_glued_credit(paragraph: str) -> tuple[str, str | None]:
    """Split a photo credit glued to the end of a paragraph (seen on sporbiz.co.kr: ``...예정이다. 사진=OSEN``).

    >>> split_glued_credit("입대할 예정이다. 사진=OSEN")
    ('입대할 예정이다.', '사진=OSEN')
    >>> split_glued_credit("사진=OSEN 제공으로 알려졌다.")
    ('사진=OSEN 제공으로 알려졌다.', None)
    """
    m = _GLUED_CREDIT_RE.search(paragraph)
    if not m:
        return paragraph, None
    return paragraph[: m.start()].rstrip(), m.group("credit")


_PHOTO_CREDIT_RE = re.compile(
    r"^\s*[\[(]?\s*" + alternation(PHOTO_CREDIT_LABELS) + r"\s*[=:]\s*[^\[\]()=▲]{1,30}?\s*[\])]?\s*$"
)


def is_photo_credit(line: str) -> bool:
    """True for a line that only credits a photo (``[사진=연합뉴스]``, ``(사진 제공=한빛구)``).

    >>> is_photo_credit("[사진=연합뉴스]"), is_photo_credit("▲ 행사 모습 [사진=연합뉴스]")
    (True, False)
    """
    return bool(_PHOTO_CREDIT_RE.match(line))


MAX_STOP_LINE = 100
_KO_SENTENCE = re.compile(r"(?:다|요|죠)[.!?][\"”’']?\s*$")
"""A copyright line that ends the article is short, or ends with the tail; a longer line only quoting the
phrase is body."""
MIN_CAPTION_WITH_TAIL = 60
"""A copyright-tailed line this long that more article follows is a bought photo's caption (its text, a
date and the agency's tail: ``... 2018.11.28/뉴스1 <저작권자 ⓒ 뉴스1코리아, 무단전재 및 재배포 금지>``)."""
FOLLOWING_PARAGRAPHS = 2
FOLLOWING_CHARS = 80
_SENTENCE_END = re.compile(r"[.!?。…\"”'’)]\s*$")


def _more_article_follows(rest: list[str]) -> bool:
    """True when at least :data:`FOLLOWING_PARAGRAPHS` body paragraphs of :data:`FOLLOWING_CHARS`+ characters
    come after a line: a copyright tail there is not the end of the article (wire photos' captions inside
    the body, multi-part 종합 stories; seen on news.mt.co.kr). A paragraph ends a sentence; a list of other
    headlines under the tail (``You may also like``, 많이 본 뉴스) does not count. Stops at the next
    copyright tail."""
    found = 0
    for line in rest[:40]:
        if is_copyright_tail(line) and len(line) < MIN_CAPTION_WITH_TAIL:
            return False
        if len(line) >= FOLLOWING_CHARS and _SENTENCE_END.search(line) and classify_line(line) == "body":
            found += 1
            if found >= FOLLOWING_PARAGRAPHS:
                return True
    return False


def sort_lines(lines: list[str], *, keep_notes: bool = False) -> SortedLines:
    """Classify each line (see ``chrome.classify_line``); a ``stop`` line after body text ends the article.

    ``keep_notes``: caption and credit lines stay body paragraphs (press releases type ``(사진 제공-나주시)``,
    ``자료제공: 노인건강과 ...`` into the release text; seen on naju.go.kr, shinan.go.kr).
    """
    out = SortedLines()
    for index, line in enumerate(lines):
        kind = "body" if "\t" in line else classify_line(line)  # a data table's row is body whatever it holds
        if keep_notes and kind in ("caption", "credit"):
            out.paragraphs.append(line)
            continue
        if kind == "stop" and not is_copyright_tail(line) and (len(line) > MAX_STOP_LINE or _KO_SENTENCE.search(line)):
            kind = "body"  # a sentence that quotes 무단 전재 ... 금지 is article text
        if COMMENT_RE.match(line):
            kind = "stop"  # 댓글 3 / 독자 의견: readers' comments follow, never body
        elif kind == "stop" and is_copyright_tail(line) and _more_article_follows(lines[index + 1:]):
            kind = "caption" if len(line) >= MIN_CAPTION_WITH_TAIL else "chrome"
        if kind == "stop":
            if out.paragraphs:
                break
            continue
        if kind == "date":
            out.dates.append(line)
            out.bylines += [line] if find_byline_names(line) else []
        elif kind == "caption" and is_photo_credit(line):
            out.photo_credits.append(line.strip())
        elif kind == "caption":
            out.captions.append(caption_text(line))
        elif kind == "credit":
            out.credits.append(credit_of(line) or line)
        elif kind == "byline":
            out.bylines.append(line)
        elif kind == "body":
            text, credit = split_glued_credit(strip_trailing_email(line))
            if credit:
                out.captions.append(credit)
            text, byline = split_trailing_byline(text)  # "...밝혔다./윤슬기기자": the byline, not body
            if byline:
                out.bylines.append(byline)
            if text:
                out.paragraphs.append(text)
    if out.paragraphs:
        _split_lead_in(out)
        dateline, first = split_dateline(out.paragraphs[0])
        if dateline:
            out.dateline = dateline
            out.paragraphs[0] = first
    return out


LEAD_IN_LINES = 3
_WIRE_DATELINE = re.compile(
    r"^\s*(?:\([^()]{1,25}=[^()]{1,25}\)|【[^】]{1,30}=[^】]{1,30}】|\[[^\[\]]{1,25}=[^\[\]]{1,25}\])"
)
MIN_LEAD_DECK = 15


MAX_LEAD_LINE = 80


def _lead_in_line(line: str) -> bool:
    """A line that can stand before a wire dateline without being article text: short, and not a sentence
    (``작년 실업자 107만명…최다``, ``취업 (CG)``; not ``…예방에 나섰다.``)."""
    return len(line) <= MAX_LEAD_LINE and not _KO_SENTENCE.search(line)


def _split_lead_in(out: SortedLines) -> None:
    """A wire story whose dateline paragraph (``(세종=연합뉴스) 홍길동 기자 = ...``) comes after a few short lines:
    the article starts at the dateline; a longer line before it is the deck, shorter ones are the photo's
    caption and credit (``취업 (CG)``, ``[연합뉴스TV 제공]``; portals that republish wire copy, zum.com)."""
    for index in range(1, min(LEAD_IN_LINES, len(out.paragraphs) - 1) + 1):
        if not _lead_in_line(out.paragraphs[index - 1]):
            return  # a sentence of the article itself comes first: nothing to split off
        if _WIRE_DATELINE.match(out.paragraphs[index]) and split_dateline(out.paragraphs[index])[0]:
            lead, out.paragraphs = out.paragraphs[:index], out.paragraphs[index:]
            out.lead_in += [line for line in lead if len(line) >= MIN_LEAD_DECK and not line.startswith("[")]
            out.captions += [line for line in lead if line not in out.lead_in]
            return
