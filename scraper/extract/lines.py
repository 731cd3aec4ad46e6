"""Sorting an article container's text lines into body, captions, credit, bylines and dateline; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scraper.extract.chrome import classify_line, credit_of, strip_trailing_email

_DATELINE_RE = re.compile(
    r"^\s*(?P<dateline>"
    r"\([^()]{1,25}=[^()]{1,25}\)\s*(?:[가-힣]{2,5}(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*\s*(?:기자|특파원)\s*=)?"
    r"|【[^】]{1,30}】\s*(?:[가-힣]{2,5}\s*(?:기자|특파원)\s*=)?"
    r"|\[[^\[\]]{1,30}\]\s*[가-힣]{2,5}(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*\s*(?:기자|특파원)\s*="
    r"|\[[^\[\]=]{1,20}=\s*[가-힣]{2,5}(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*\s*(?:기자|특파원)?\s*\]"
    r"|\[[^\[\]\s]{2,15}\s[가-힣]{2,4}\]"
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


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Split a leading dateline/byline bracket off the first paragraph.

    >>> split_dateline("(서울=연합뉴스) 홍길동 기자 = 정부가 5일 발표했다.")
    ('(서울=연합뉴스) 홍길동 기자 =', '정부가 5일 발표했다.')
    >>> split_dateline("[한국스포츠경제 김정희] 두산과 롯데의")
    ('[한국스포츠경제 김정희]', '두산과 롯데의')
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


def sort_lines(lines: list[str]) -> SortedLines:
    """Classify each line (see ``chrome.classify_line``); a ``stop`` line after body text ends the article."""
    out = SortedLines()
    for line in lines:
        kind = classify_line(line)
        if kind == "stop":
            if out.paragraphs:
                break
            continue
        if kind == "caption":
            out.captions.append(caption_text(line))
        elif kind == "credit":
            out.credits.append(credit_of(line) or line)
        elif kind == "byline":
            out.bylines.append(line)
        elif kind == "body":
            text = strip_trailing_email(line)
            if text:
                out.paragraphs.append(text)
    if out.paragraphs:
        dateline, first = split_dateline(out.paragraphs[0])
        if dateline:
            out.dateline = dateline
            out.paragraphs[0] = first
    return out
