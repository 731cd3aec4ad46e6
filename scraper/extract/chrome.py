"""Boilerplate (page chrome) of Korean news and government pages, as data, plus the line classifier.

Two kinds of rules:

* ``DROP_SELECTORS``: nodes removed from an article container before it is read (share/print bars,
  related and popular lists, ads, comment boxes, reporter boxes, gov page-manager footers).
* line patterns: what a single text line of the container is. ``classify_line`` returns one of
  ``body``, ``chrome``, ``caption``, ``credit``, ``byline``, ``stop`` (``stop``: the article ended,
  e.g. a 저작권자 tail or a 관련기사 heading; nothing after it is body), ``date`` (a 입력/등록 date line,
  maybe with the byline: its dates and names are read, it is never body).

The words these patterns look for (role words, date labels, headings, controls, caption and credit labels)
are the named groups of ``scraper.vocab``; the patterns here only add the shapes around them.

Seen on: NDSoft articleView sites (sporbiz.co.kr), Naver legacy, mk.co.kr, hankookilbo.com,
ybmodule gov boards (gangjin.go.kr, naju.go.kr), and the field cases in shared/cases.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from scraper.normalize.authors import english_names
from scraper.vocab import (
    AD_LABELS,
    BYLINE_ROLES,
    CHROME_CONTROLS,
    CHROME_HEADINGS,
    CONTROL_WORDS,
    COUNTED_CONTROLS,
    CREDIT_LABELS,
    DATE_LABEL_PREFIXES,
    DATE_LABEL_SUFFIXES,
    FOOTER_MARKERS,
    LICENSE_NOTICES,
    MODIFIED_LABELS,
    PHOTO_CREDIT_LABELS,
    PICTURE_LABELS,
    PREV_NEXT_POSTS,
    PROMO_PHRASES,
    PUBLISHED_LABELS,
    REPORTER_ROLES,
    ROLE_COMPOUNDS,
    ROLE_FIRST_ROLES,
    SOURCE_WORDS,
    STATUS_MODIFIERS,
    TIP_OFF,
    TIP_OFF_CONTACTS,
    TRAINEE_MODIFIERS,
    alternation,
)

LineKind = Literal["body", "chrome", "caption", "credit", "byline", "stop", "date"]

_AD = ("[class*=' ad-'], [class^='ad-'], [class*='_ad_'], [class*='-ad '], [id^='ad-'], [id^='ad_'], [class*='adsby'], "
       "[class~='ad'], [id~='ad'], [class~='ads'], [class~='AD'], [class*='advertis' i]")
DROP_SELECTORS: tuple[str, ...] = (
    "script", "style", "noscript", "iframe", "form", "button", "nav", "select", "textarea", "input",
    "ins", "template", "aside",
    _AD,
    "[class*='banner']", "[id*='banner']", "[class*='advert']", "[id*='advert']",
    "[class*='taboola']", "[id*='taboola']", "[class*='dable']", "[id*='dable']",
    "[class*='share']", "[class*='sns']", "[class*='social']", "[class*='print']",
    "[class*='font-size']", "[class*='fontsize']", "[class*='font_size']",
    "[class*='related']", "[class*='relation']", "[class*='popular']", "[class*='ranking']",
    "[class*='most-view']", "[class*='mostview']", "[class*='hot-news']", "[class*='hotnews']",
    "[class*='comment']", "[id*='comment']", "[class*='reply']",
    "[class*='copyright']", "[class*='reporter']", "[class*='journalist']", "[class*='writer-info']",
    "[class*='tag-list']", "[class*='taglist']", "[class*='keyword-list']",
    "[class*='subscribe']", "[class*='recommend']", "[class*='prev-next']", "[class*='prevnext']",
    "[class*='satisfy']", "[class*='page_info']", "[id*='page_info']", "[class*='manager']",
    "[class*='kogl']", "[class*='opentype']", "[class*='survey']",
    "[class*='summary_ai']", "[class*='ai-summary']", "[class*='ai_summary']",
)

_STOP_PATTERNS = [
    r"^\s*[<\[(]?\s*(?:저작권자|Copyrights?|ⓒ|©|\(c\)|\(C\))",
    r"무단\s*전재.{0,15}(?:재배포|금지)|재배포\s*금지|All\s+rights\s+reserved",
    # [관련기사] with brackets too (old table-layout pages)
    r"^\s*[\[【<(■□▶◆]?\s*" + alternation(CHROME_HEADINGS) + r"\s*[\]】>)]?\s*(?:더보기)?\s*$",
    r"^\s*" + alternation(PREV_NEXT_POSTS),
    r"^\s*" + alternation(TIP_OFF) + r"\b",
    r"^.{0,15}" + alternation(TIP_OFF_CONTACTS) + r"\s*[:：]",  # 연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23
    r"^\s*\(?끝\)?\s*$",
]
_CHROME_PATTERNS = [
    r"^\s*(?:" + alternation(CHROME_CONTROLS) + "|" + alternation(COUNTED_CONTROLS) + r"(?:\s*\d+)?)\s*$",
    r"^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$",
    alternation(PROMO_PHRASES + LICENSE_NOTICES),
    r"^\s*▶\s*\S.{0,60}$",
    r"^\s*#[^\s#]+(?:\s+#[^\s#]+)+\s*$",  # hashtag line: #고물가 #짠테크 (yonhapnewstv.co.kr)
    r"^[\W_]+$",  # no letter or digit: ad-script residue such as "*/" (sporbiz.co.kr)
    r"^\s*(?:\[[^\]]{0,20}\]\s*)?\d[\d,.]*\s*(?:KB|MB|kB|Byte|bytes)\s*\]?\s*$",
]
_CAPTION_PATTERNS = [
    # a wire photo's caption: a wire dateline, the picture's description, the wire's copyright tail
    # (【서울=뉴시스】홍길동 기자 = ... 상담을 받고 있다. <저작권자ⓒ 뉴시스. 무단전재-재배포 금지.>; bought wire
    # photos inside news.mt.co.kr and many local papers' bodies): a caption, not the article's end
    r"^\s*[【\[(][^】\])]{1,30}=[^】\])]{1,30}[】\])].{10,}(?:무단\s*전재|재배포\s*금지|저작권자|ⓒ|©).{0,40}$",
    r"^\s*[▲△▶◀▷]\s*\S",
    r"^\s*\[" + alternation(PICTURE_LABELS) + r"\]\s*\S.{0,40}$",  # [사진]OSEN DB (osen.co.kr)
    r"^\s*[\[(]?\s*" + alternation(PICTURE_LABELS + PHOTO_CREDIT_LABELS) + r"\s*[=:/]\s*[^\]\)]{1,40}[\])]?\s*$",
    r"^\s*\(?\s*" + alternation(PICTURE_LABELS) + r"\s*" + alternation(SOURCE_WORDS)
    + r"?\s*[=:\-–]\s*\S.{0,40}\)?\s*$",
]
_CREDIT_PATTERNS = [
    r"^\s*[\[(<]?\s*" + alternation(CREDIT_LABELS) + r"\s*[:=]\s*(?P<credit>[^\])>]{2,60})[\])>]?\s*$",
]
_REPORTER = alternation(REPORTER_ROLES)
_TRAINEE = alternation(TRAINEE_MODIFIERS)
_BYLINE_PATTERNS = [
    r"^\s*[/\[(]?\s*[가-힣]{2,5}(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*\s*" + alternation(STATUS_MODIFIERS) + r"?\s*"
    + alternation(BYLINE_ROLES + ROLE_COMPOUNDS) + r"\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)?\s*[\])]?\s*$",
    r"^\s*" + alternation(ROLE_FIRST_ROLES) + r"\s+[가-힣]{2,5}\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+)?\s*$",
    r"^\s*\[?[^\]=]{1,30}=\s*[가-힣]{2,5}(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*\s*" + _REPORTER
    + r"\s*(?:\(\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*\))?\s*\]?\s*$",  # [머니투데이방송 MTN = 유찬 기자 (e-mail)]
    r"^\s*[가-힣]{2,5}\s*" + _TRAINEE + r"?\s*" + _REPORTER
    + r"(?:\s*[,·ㆍ]\s*[가-힣]{2,5}\s*" + _TRAINEE + r"?\s*" + _REPORTER + r")+\s*$",
    # ^ a list of reporters: "조성훈 기자, 김은령 기자, 정혜윤 기자" (news.mt.co.kr)
    r"^\s*[\[(]?\s*(?:글\s*[·ㆍ,/]\s*사진|사진\s*[·ㆍ,/]\s*글|글)\s*[=:]?\s*[가-힣]{2,5}"
    r"(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*\s*(?:기자)?\s*[\])]?\s*$",  # 글·사진 홍길동 / 사진·글=홍길동 (feature pages)
]
# A date/byline line inside the container: "입력 2024.06.01 10:00 | 이바다 기자", a bare "2024.02.03 10:00".
_DATE_PATTERNS = [
    r"^(?!.*[다요][.!?]\s*$)\s*[\[(]?\s*(?:" + alternation(DATE_LABEL_PREFIXES) + r"\s*)?"
    + alternation(PUBLISHED_LABELS + MODIFIED_LABELS) + r"\s*" + alternation(DATE_LABEL_SUFFIXES)
    + r"?\s*[:：]?\s*[\[(]?\s*(?:(?:19|20)\d{2}\s*[-./년]|어제|오늘|\d{1,2}\s*(?:분|시간)\s*전)"
    r".{0,90}$",
    r"^\s*[\[(]?\s*(?:19|20)\d{2}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\.?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*[\])]?\s*$",
]

_COMPILED: dict[LineKind, list[re.Pattern[str]]] = {
    "stop": [re.compile(p, re.IGNORECASE) for p in _STOP_PATTERNS],
    "chrome": [re.compile(p, re.IGNORECASE) for p in _CHROME_PATTERNS],
    "caption": [re.compile(p) for p in _CAPTION_PATTERNS],
    "credit": [re.compile(p) for p in _CREDIT_PATTERNS],
    "byline": [re.compile(p) for p in _BYLINE_PATTERNS],
    "date": [re.compile(p) for p in _DATE_PATTERNS],
}


_CONTROL_WORDS = frozenset(w.lower() for w in CONTROL_WORDS)
_WORD_SPLIT = re.compile(r"[\s|·/,]+")
_FOOTER_RE = re.compile(alternation(FOOTER_MARKERS))
MAX_CONTROL_LINE = 80
"""A share/print bar typed as text is short; longer lines are never only controls."""
_AD_LINE = re.compile(r"^\s*[\[(]?\s*" + alternation(AD_LABELS) + r"\s*[\])]?\s*$", re.I)


_PHONE_IN_LINE = re.compile(r"\d{2,4}[-)]\s?\d{3,4}-\d{4}")


def is_footer_line(line: str) -> bool:
    """True for a line of the site's footer: two of ``vocab.FOOTER_MARKERS`` (등록번호, 발행인, 팩스, ...), or one
    with a phone number (``... | 전화 063-000-0000 | 팩스 063-000-0001``).

    >>> is_footer_line("한빛일보 | 등록번호 한빛 아00123 | 발행인 최영수"), is_footer_line("팩스로 신청하면 된다.")
    (True, False)
    """
    if len(line) > 300:
        return False
    found = set(_FOOTER_RE.findall(line))
    return len(found) >= 2 or (len(found) == 1 and bool(_PHONE_IN_LINE.search(line)))


def is_control_line(line: str) -> bool:
    """True for a line made only of share/print/font controls (two or more of ``vocab.CONTROL_WORDS``) or
    only an ad slot's label (``광고``).

    >>> is_control_line("기사공유 페이스북 트위터 카카오스토리 인쇄 글자크기 크게 작게"), is_control_line("광고")
    (True, True)
    >>> is_control_line("페이스북 이용자가 크게 늘었다")
    False
    """
    if len(line) > MAX_CONTROL_LINE:
        return False
    words = _WORD_SPLIT.split(line.strip())
    if words[0].lower() not in _CONTROL_WORDS:  # most lines: the first word already tells
        return len(words) <= 2 and bool(_AD_LINE.match(line))
    words = [w.lower() for w in words if w]
    return len(words) >= 2 and all(w in _CONTROL_WORDS for w in words)


@lru_cache(maxsize=8192)
def classify_line(line: str) -> LineKind:
    """What one text line of an article container is.

    >>> classify_line("저작권자 © 한빛일보 무단전재 및 재배포 금지")
    'stop'
    >>> classify_line("▲ 사진=한빛구 제공")
    'caption'
    >>> classify_line("출처: 광진구청 보도자료")
    'credit'
    >>> classify_line("홍길동 기자 hong@example.com")
    'byline'
    >>> classify_line("칼럼니스트 홍길동 hong@example.com"), classify_line("홍길동 상임논설고문")
    ('byline', 'byline')
    >>> classify_line("기사수정")
    'chrome'
    >>> classify_line("구청은 5일 하천 정비를 시작한다고 밝혔다.")
    'body'
    >>> classify_line("입력 2024.06.01 10:00 | 이바다 기자"), classify_line("글·사진 홍길동")
    ('date', 'byline')
    >>> classify_line("By John Smith")
    'byline'
    >>> classify_line("【서울=뉴시스】홍길동 기자 = 박람회를 찾은 시민들. <저작권자ⓒ 뉴시스. 무단전재-재배포 금지.>")
    'caption'
    """
    if len(line) > 200:
        return "body"
    if is_control_line(line) or is_footer_line(line):
        return "chrome"
    order: tuple[LineKind, ...] = ("date", "credit", "byline", "caption", "stop", "chrome")
    for kind in order:
        if any(p.search(line) for p in _COMPILED[kind]):
            return kind
    return "byline" if line[:3].lower() == "by " and english_names(line) else "body"


_COPYRIGHT_TAIL = re.compile(
    r"[<\[(]?\s*(?:저작권자|Copyrights?|ⓒ|©).{0,60}(?:무단\s*전재|재배포\s*금지|All\s+rights\s+reserved).{0,10}$",
    re.IGNORECASE,
)


def is_copyright_tail(line: str) -> bool:
    """True for a line that ends with a copyright tail (``<저작권자 ⓒ 뉴스1코리아, 무단전재 및 재배포 금지>``).

    >>> is_copyright_tail("국회 정무위원회 모습. 2018.11.28/뉴스1 <저작권자 ⓒ 뉴스1코리아, 무단전재 및 재배포 금지>")
    True
    """
    return bool(_COPYRIGHT_TAIL.search(line))


def credit_of(line: str) -> str | None:
    """The credited source of a ``출처: ...`` / ``자료제공: ...`` line, or ``None``.

    >>> credit_of("출처: 광진구청 보도자료")
    '광진구청 보도자료'
    """
    for pattern in _COMPILED["credit"]:
        m = pattern.search(line)
        if m:
            return m.group("credit").strip()
    return None


_TRAILING_EMAIL = re.compile(
    r"\s*[/\[(]?\s*(?:[가-힣]{2,5}\s*" + _REPORTER + r"\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[\])]?\s*$"
)


EMAIL_TAIL_CHARS = 300
"""Characters at the end of a paragraph searched for a glued e-mail (with the reporter's name before it): the
pattern tried at every position of a whole long paragraph is quadratic in a long word (47,000 characters
without a space took 10 s)."""


def strip_trailing_email(line: str) -> str:
    """Remove a reporter e-mail glued to the end of a paragraph (``...했다./seon@osen.co.kr``).

    >>> strip_trailing_email("밝혔다. /seon@osen.co.kr")
    '밝혔다.'
    """
    head, tail = line[:-EMAIL_TAIL_CHARS], line[-EMAIL_TAIL_CHARS:]
    if "@" not in tail:
        return line.rstrip()
    return (head + _TRAILING_EMAIL.sub("", tail)).rstrip()
