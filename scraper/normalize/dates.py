"""Korean and ISO date strings -> ISO 8601 in KST (``+09:00``), or a plain date when no time is shown.

Shapes read (all seen on Korean news and 시·군·구청 boards)::

    2024-03-05 14:22            2024.03.05 14:22:07        2024/03/05 14:22
    2024. 3. 5.                 2024. 03. 05. 09:28        2024년 3월 5일 오후 2시 22분
    2024-03-05 오후 2:22        오전 12:10 (= 00:10)       20190107164708
    2019-01-07T16:47:08+00:00   (converted to KST)         naive ISO (read as KST)
    3시간 전 / 10분 전 / 어제 / 2일 전   (relative to ``now``)

>>> parse_kst("2024.03.05 14:22")
'2024-03-05T14:22:00+09:00'
>>> parse_kst("2024. 3. 5.")
'2024-03-05'
>>> parse_kst("2024년 3월 5일 오후 2시 22분")
'2024-03-05T14:22:00+09:00'
>>> parse_kst("2024-03-06 오전 12:10")
'2024-03-06T00:10:00+09:00'
>>> parse_kst("2019-01-07T07:47:08Z")
'2019-01-07T16:47:08+09:00'
>>> parse_kst("3시간 전", now="2024-03-05T14:00:00+09:00")
'2024-03-05T11:00:00+09:00'
>>> parse_kst("어제", now="2024-03-05T14:00:00+09:00")
'2024-03-04'
>>> parse_kst("어제 10:30", now="2024-03-05T14:00:00+09:00"), parse_kst("2시간전", now="2024-03-05T14:00:00+09:00")
('2024-03-04T10:30:00+09:00', '2024-03-05T12:00:00+09:00')
>>> parse_kst("no date here") is None
True
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from scraper.vocab import DATE_LABEL_PREFIXES, DATE_LABEL_SUFFIXES, MODIFIED_LABELS, PUBLISHED_LABELS, alternation

KST = timezone(timedelta(hours=9), "KST")

_AMPM = r"(?:(?P<ampm>오전|오후|AM|PM|am|pm)\s*)?"
_TIME = (
    r"(?:\s*[T ,]?\s*" + _AMPM + r"(?P<h>\d{1,2})\s*(?::|시)\s*(?P<mi>\d{1,2})\s*분?"
    r"(?:\s*:\s*(?P<s>\d{1,2})(?:\.\d+)?|\s*(?P<s2>\d{1,2})\s*초)?"  # :SS, or SS초 after 분
    r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}))?"
    r"|\s*" + _AMPM.replace("ampm", "ampm2") + r"(?P<h2>\d{1,2})\s*시(?!간))?"
)
_DATE_PATTERNS = [
    re.compile(
        r"(?P<y>(?:19|20)\d{2})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일(?:\s*\([월화수목금토일]\))?" + _TIME
    ),
    re.compile(
        r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-./])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?!\d)\.?"
        r"(?:\s*\([월화수목금토일]\))?" + _TIME
    ),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?P<h>[0-2]\d)(?P<mi>[0-5]\d)(?P<s>[0-5]\d)?(?!\d)"),
]
# Two-digit year ``24.03.05`` (local papers' 입력 lines): month and day two digits, one separator throughout.
# Read only after a label, or unlabelled when a time follows (``24.03.05 14:30``): bare ``12.05.13`` may be a score.
_SHORT_YEAR = re.compile(
    r"(?<![\d.\-/])(?P<y>\d{2})(?P<sep>[-./])(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?![\d]|[-./]\d)\.?"
    r"(?:\s*\([월화수목금토일]\))?" + _TIME
)
SHORT_YEAR_PIVOT = 70  # 24 -> 2024, 98 -> 1998
# RFC 2822 (``Tue, 05 Mar 2024 05:22:00 GMT``), seen in RSS-fed meta tags
_RFC2822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s+)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+"
    r"\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{4}|GMT|UTC|UT|KST)?",
    re.IGNORECASE,
)
RELATIVE_UNITS = {"초": "seconds", "분": "minutes", "시간": "hours", "일": "days", "주": "weeks"}
"""Units of ``N단위 전`` (``3시간 전``, ``2일 전``); 일 and 주 give a date, the others a time.

>>> sorted(RELATIVE_UNITS)
['분', '시간', '일', '주', '초']
"""
JUST_NOW_WORDS = ("방금 전", "방금전", "방금", "조금 전", "just now")
"""Words for "a moment ago": the ``now`` itself.

>>> parse_kst("방금 전", now="2024-03-05T14:00:00+09:00")
'2024-03-05T14:00:00+09:00'
"""
# "전" must end the word: "5일 전남도청" is a day of the month and a place, not 5 days ago ("전에" is fine)
_RELATIVE = re.compile(
    r"(?<!\d)(?P<n>\d+)\s*(?P<unit>" + "|".join(sorted(RELATIVE_UNITS, key=len, reverse=True)) + r")"
    r"\s*전(?=에|[^가-힣]|$)"
)
_JUST_NOW_RE = re.compile("|".join(re.escape(w) for w in JUST_NOW_WORDS), re.IGNORECASE)
_DAY_WORDS = {"오늘": 0, "어제": 1, "그제": 2, "그저께": 2}
_DAY_WORD_RE = re.compile(
    r"(?P<word>그저께|그제|어제|오늘)(?:\s*(?:(?P<ampm>오전|오후)\s*)?(?P<h>\d{1,2})\s*(?::|시)\s*(?P<mi>\d{1,2})?)?"
)


def _to_24h(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    if ampm in ("오후", "PM", "pm"):
        return hour if hour == 12 else hour + 12
    return 0 if hour == 12 else hour


def _now(now: str | datetime | None) -> datetime:
    if isinstance(now, datetime):
        return now if now.tzinfo else now.replace(tzinfo=KST)
    if isinstance(now, str):
        parsed = parse_kst_datetime(now)
        if parsed is not None:
            return parsed
    return datetime.now(KST)


def _from_match(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
    if len(g["y"]) == 2:
        y += 2000 if y < SHORT_YEAR_PIVOT else 1900
    hour_text = g.get("h") or g.get("h2")
    try:
        if hour_text is None:
            return datetime(y, mo, d).date().isoformat()
        hour = _to_24h(int(hour_text), g.get("ampm") or g.get("ampm2"))
        value = datetime(y, mo, d, hour, int(g.get("mi") or 0), int(g.get("s") or g.get("s2") or 0))
        tz = g.get("tz")
        if tz:  # an offset of 24 hours or more (``+25:00``) is no offset: no date
            offset = UTC if tz == "Z" else _offset(tz)
            return value.replace(tzinfo=offset).astimezone(KST).isoformat()
    except (ValueError, OverflowError):
        return None
    return value.replace(tzinfo=KST).isoformat()


def _offset(tz: str) -> timezone:
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _relative(text: str, now: str | datetime | None) -> str | None:
    if _JUST_NOW_RE.search(text):
        return _now(now).replace(microsecond=0).isoformat()
    m = _RELATIVE.search(text)
    if m:
        unit = m.group("unit")
        try:  # ``99999999999시간 전``: before the year 1, no date
            value = _now(now) - timedelta(**{RELATIVE_UNITS[unit]: int(m.group("n"))})
        except OverflowError:
            return None
        if unit in ("일", "주"):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    return _day_word(text, now)


def _day_word(text: str, now: str | datetime | None) -> str | None:
    """``어제`` -> that day; ``어제 10:30`` / ``어제 오후 2시`` -> that day with the time (shared by tester pages)."""
    m = _DAY_WORD_RE.search(text)
    if not m:
        return None
    try:
        day = _now(now) - timedelta(days=_DAY_WORDS[m.group("word")])
    except OverflowError:  # a ``now`` in the first days of the year 1
        return None
    if m.group("h") is None:
        return day.date().isoformat()
    hour = _to_24h(int(m.group("h")), m.group("ampm"))
    try:
        value = day.replace(hour=hour, minute=int(m.group("mi") or 0), second=0, microsecond=0)
    except ValueError:
        return day.date().isoformat()
    return value.isoformat()


def parse_kst(text: str | None, now: str | datetime | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601 in KST, or ``None`` when it holds no date.

    Returns ``YYYY-MM-DDTHH:MM:SS+09:00`` when a time is given, ``YYYY-MM-DD`` when only a date is.
    ``now`` (ISO string or aware datetime; default: the clock) resolves relative forms. A two-digit year
    (``24.03.05 14:30``) is read only with a time here; after a label see :func:`labeled_dates`.
    Seconds need a colon or 초: in ``수정 2025.05.15 20:57 4면`` the ``4`` is a page number (hankookilbo.com).

    >>> parse_kst("수정 2025.05.15 20:57 4면"), parse_kst("2025년 5월 15일 20시 57분 4초")
    ('2025-05-15T20:57:00+09:00', '2025-05-15T20:57:04+09:00')
    """
    return _parse(text, now, labelled=False)


def _parse(text: str | None, now: str | datetime | None, *, labelled: bool) -> str | None:
    if not text or not text.strip():
        return None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            value = _from_match(m)
            if value:
                return value
    rfc = _RFC2822.search(text)
    if rfc:
        try:
            moment = parsedate_to_datetime(rfc.group(0).replace("KST", "+0900"))
        except (TypeError, ValueError, IndexError, OverflowError):
            moment = None
        if moment is not None:
            aware = moment if moment.tzinfo else moment.replace(tzinfo=KST)
            try:
                return aware.astimezone(KST).isoformat()
            except OverflowError:  # ``31 Dec 9999 23:00 -1200``: past the year 9999 in KST
                pass
    for m in _SHORT_YEAR.finditer(text):
        if labelled or m.group("h") is not None:
            value = _from_match(m)
            if value:
                return value
    return _relative(text, now)


def parse_kst_datetime(text: str) -> datetime | None:
    """Like :func:`parse_kst` but returns an aware ``datetime`` (midnight KST for date-only values)."""
    value = parse_kst(text, now=datetime(2000, 1, 1, tzinfo=KST))
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)


def has_time(value: str | None) -> bool:
    """True when an ISO value carries a time of day (``T`` present).

    >>> has_time("2024-03-05"), has_time("2024-03-05T10:00:00+09:00")
    (False, True)
    """
    return bool(value and "T" in value)


VALUE_START = r"[\d(오어그방]"  # what a labelled value starts with: a digit, (화), 오후, 어제, 그제, 방금
_LABEL_RE = re.compile(
    # vocab.DATE_LABEL_PREFIXES + PUBLISHED_LABELS / MODIFIED_LABELS + DATE_LABEL_SUFFIXES: 최초입력, 등록일, 최종 수정
    r"(?P<label>(?:" + alternation(DATE_LABEL_PREFIXES) + r"\s*)?"
    r"(?:(?P<modified>" + alternation(MODIFIED_LABELS) + r")|" + alternation(PUBLISHED_LABELS) + r"))"
    # 기사입력 :[ 2018-08-25 15:24 ] (entermedia); 등록 : 어제 10:30
    r"\s*" + alternation(DATE_LABEL_SUFFIXES) + r"?\s*[:：|]?\s*\[?\s*(?=" + VALUE_START + r")"
)
"""A date label and what belongs to it up to its value: the labels decide the role (``vocab.PUBLISHED_LABELS``:
입력/등록/작성/게시 ..., ``vocab.MODIFIED_LABELS``: 수정/업데이트), a following 일/일시/일자/시간/시각/날짜 belongs to
the label (``등록일``, ``송고시간``).

>>> labeled_dates("작성일 2024.03.05 | 게시일 2024.03.06")[0]
['2024-03-05', '2024-03-06']
>>> labeled_dates("업데이트 2024.03.06 10:00")
([], ['2024-03-06T10:00:00+09:00'])
"""
LABEL_WINDOW = 40  # characters after a label where its value is read (cut at the next label)


def _labelled_values(text: str, now: str | datetime | None) -> list[tuple[bool, str]]:
    """``(is_modified, value)`` for each label whose value parses, in page order; a value is read up to the
    next label, so ``입력 방금 전 수정 2024.03.06`` does not give 입력 the 수정 date."""
    matches = list(_LABEL_RE.finditer(text))
    out: list[tuple[bool, str]] = []
    for i, m in enumerate(matches):
        end = min(m.end() + LABEL_WINDOW, matches[i + 1].start() if i + 1 < len(matches) else len(text))
        value = _parse(text[m.end(): end], now, labelled=True)
        if value:
            out.append((m.group("modified") is not None, value))
    return out


def before_labels(text: str) -> str:
    """The part of ``text`` before its first date label (all of it when it has none): where a page prints
    its publication time unlabelled in front of a labelled revision (``2024.03.05 14:30 (최종수정 ...)``).

    >>> before_labels("2024.03.05 14:30 (최종수정 2024.03.06 09:10)")
    '2024.03.05 14:30 ('
    """
    m = _LABEL_RE.search(text)
    return text[: m.start()] if m else text


_LABEL_WORD_RE = re.compile("|".join(re.escape(w.split()[0]) for w in PUBLISHED_LABELS + MODIFIED_LABELS))


def may_have_date_label(text: str) -> bool:
    """False when ``text`` cannot hold a date label: none of the label words is in it. A cheap test (one
    C-level scan, no parsing) before :func:`has_date_label` on texts that are not folded yet: folding
    (NFC, spacing) cannot make a label appear unless the text is not NFC, so such a text says ``True``.

    >>> may_have_date_label("기사입력2024"), may_have_date_label("2024 예산")
    (True, False)
    """
    return _LABEL_WORD_RE.search(text) is not None or not unicodedata.is_normalized("NFC", text)


def has_date_label(text: str) -> bool:
    """True when ``text`` holds a labelled date (``입력 2024.03.05``, ``송고시간 2024-03-05 14:22``).

    >>> has_date_label("송고시간 2024-03-05 14:22"), has_date_label("2024 예산")
    (True, False)
    """
    return bool(_labelled_values(text, datetime(2000, 1, 1, tzinfo=KST)))


def labeled_dates(text: str, now: str | datetime | None = None) -> tuple[list[str], list[str]]:
    """Dates printed after 입력/등록/승인 (published) and 수정/업데이트 (modified) labels, in page order.

    The labels decide the role, whatever their order on the page.

    >>> labeled_dates("수정 2024.03.06 00:10 | 입력 2024.03.05 14:22")
    (['2024-03-05T14:22:00+09:00'], ['2024-03-06T00:10:00+09:00'])
    >>> labeled_dates("등록 2026-02-27 13:12:07")
    (['2026-02-27T13:12:07+09:00'], [])
    >>> labeled_dates("기사입력 :[ 2018-08-25 15:24 ]")
    (['2018-08-25T15:24:00+09:00'], [])
    >>> labeled_dates("등록 : 어제 10:30", now="2024-03-05T14:00:00+09:00")
    (['2024-03-04T10:30:00+09:00'], [])
    """
    published: list[str] = []
    modified: list[str] = []
    for is_modified, value in _labelled_values(text, now):
        (modified if is_modified else published).append(value)
    return published, modified
