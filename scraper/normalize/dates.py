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
from datetime import UTC, datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")

_AMPM = r"(?:(?P<ampm>오전|오후|AM|PM|am|pm)\s*)?"
_TIME = (
    r"(?:\s*[T ,]?\s*" + _AMPM + r"(?P<h>\d{1,2})\s*(?::|시)\s*(?P<mi>\d{1,2})\s*분?"
    r"(?:\s*(?::|초)?\s*(?P<s>\d{1,2})(?:\.\d+)?\s*초?)?"
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
_RELATIVE = re.compile(r"(?P<n>\d+)\s*(?P<unit>초|분|시간|일|주)\s*전")
_UNITS = {"초": "seconds", "분": "minutes", "시간": "hours", "일": "days", "주": "weeks"}
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
    hour_text = g.get("h") or g.get("h2")
    try:
        if hour_text is None:
            return datetime(y, mo, d).date().isoformat()
        hour = _to_24h(int(hour_text), g.get("ampm") or g.get("ampm2"))
        value = datetime(y, mo, d, hour, int(g.get("mi") or 0), int(g.get("s") or 0))
    except ValueError:
        return None
    tz = g.get("tz")
    if tz:
        offset = UTC if tz == "Z" else _offset(tz)
        return value.replace(tzinfo=offset).astimezone(KST).isoformat()
    return value.replace(tzinfo=KST).isoformat()


def _offset(tz: str) -> timezone:
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _relative(text: str, now: str | datetime | None) -> str | None:
    m = _RELATIVE.search(text)
    if m:
        unit = m.group("unit")
        value = _now(now) - timedelta(**{_UNITS[unit]: int(m.group("n"))})
        if unit in ("일", "주"):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    return _day_word(text, now)


def _day_word(text: str, now: str | datetime | None) -> str | None:
    """``어제`` -> that day; ``어제 10:30`` / ``어제 오후 2시`` -> that day with the time (shared by tester pages)."""
    m = _DAY_WORD_RE.search(text)
    if not m:
        return None
    day = _now(now) - timedelta(days=_DAY_WORDS[m.group("word")])
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
    ``now`` (ISO string or aware datetime; default: the clock) resolves relative forms.
    """
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
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


_PUBLISHED_LABELS = (
    "최초입력", "기사입력", "기사승인", "입력", "등록", "승인", "게재", "작성", "발행", "게시", "보도", "배포",
    "송고", "Posted", "Published",
)
_MODIFIED_LABELS = ("최종수정", "최종 수정", "기사수정", "수정", "업데이트", "Updated", "Modified")
_LABEL_RE = re.compile(
    r"(?P<label>" + "|".join(sorted(_PUBLISHED_LABELS + _MODIFIED_LABELS, key=len, reverse=True)) + r")"
    # 기사입력 :[ 2018-08-25 15:24 ] (entermedia); 등록 : 어제 10:30
    r"\s*(?:일시|일자|시간|시각|일|날짜)?\s*[:：|]?\s*\[?\s*(?=[\d(오어그])"
)


def has_date_label(text: str) -> bool:
    """True when ``text`` holds a labelled date (``입력 2024.03.05``, ``송고시간 2024-03-05 14:22``).

    >>> has_date_label("송고시간 2024-03-05 14:22"), has_date_label("2024 예산")
    (True, False)
    """
    return any(parse_kst(text[m.end(): m.end() + 40]) for m in _LABEL_RE.finditer(text))


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
    for m in _LABEL_RE.finditer(text):
        value = parse_kst(text[m.end(): m.end() + 40], now)
        if not value or not re.match(r"\s*[\d(오어그]", text[m.end(): m.end() + 3]):
            continue
        target = modified if m.group("label") in _MODIFIED_LABELS else published
        target.append(value)
    return published, modified
