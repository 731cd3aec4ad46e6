"""Plain-text captures of article pages (a browser's "save as text" or a copy of the rendered page).

Line rules, seen on local news pages (뉴스21 family; shared/corpus/seed):

* the headline is the first line that is no chrome, no bullet and no date, before the byline/date block;
* bullet lines (``•``, ``·``, ``-``) right after it hold the byline and ``등록``/``입력``/``수정`` dates;
* the body runs until a stop line (``출처:``/copyright/``목록``/``이전 기사``/``많이 본 뉴스``);
* ``▲`` lines are photo captions, ``출처:``/``자료제공:`` lines the source credit.
"""

from __future__ import annotations

import re

from scraper.extract.chrome import classify_line, credit_of
from scraper.extract.lines import caption_text, split_dateline
from scraper.models import RawArticle
from scraper.normalize.text import fold_space
from scraper.vocab import DATE_LABEL_PREFIXES, MODIFIED_LABELS, PUBLISHED_LABELS, alternation

_BULLET_RE = re.compile(r"^\s*[•·∙◦‧\-*]\s*")
_HTML_RE = re.compile(r"<\s*(?:html|head|body|div|p|meta|title|script|span|table|a)\b", re.IGNORECASE)
_DATE_LINE_RE = re.compile(
    "(?:" + alternation(DATE_LABEL_PREFIXES) + r"\s*)?" + alternation(PUBLISHED_LABELS + MODIFIED_LABELS)
    + r"\s*[:：]?\s*\d{4}"
)


def looks_like_text_capture(text: str) -> bool:
    """True when ``text`` is not HTML (no tags in the first 4,000 characters) but has several lines."""
    head = text[:4000]
    return not _HTML_RE.search(head) and head.count("\n") >= 3


def _header(lines: list[str], raw: RawArticle) -> int:
    """Read headline, byline and dates from the top; return the index where the body starts."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if raw.title is None:
            if classify_line(line) == "body" and not _BULLET_RE.match(line) and len(line) >= 5:
                raw.title = line
            i += 1
            continue
        bare = _BULLET_RE.sub("", line)
        if _BULLET_RE.match(line) or _DATE_LINE_RE.search(line) or classify_line(line) == "chrome":
            if _DATE_LINE_RE.search(bare):
                raw.published_raw.append(bare)
            elif _BULLET_RE.match(line) and len(bare) <= 30:
                raw.bylines.append(bare)
            i += 1
            continue
        break
    return i


def extract_text_capture(text: str) -> RawArticle:
    """Read one article from a plain-text capture (see the module docstring for the rules)."""
    lines = [fold_space(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    raw = RawArticle(extractor="text-capture")
    start = _header(lines, raw)
    for line in lines[start:]:
        kind = classify_line(line)
        if kind == "credit":
            raw.source_credit = raw.source_credit or credit_of(line)
            if raw.paragraphs:
                break
        elif kind == "stop" and raw.paragraphs:
            break
        elif kind == "caption":
            raw.captions.append(caption_text(line))
        elif kind == "byline":
            raw.bylines.append(line)
        elif kind == "body" and not _BULLET_RE.match(line):
            raw.paragraphs.append(line)
        elif kind == "body" and raw.paragraphs:
            break
    if raw.paragraphs:
        dateline, first = split_dateline(raw.paragraphs[0])
        if dateline:
            raw.dateline, raw.paragraphs[0] = dateline, first
    return raw
