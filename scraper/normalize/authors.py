"""Bylines -> author names (people only: no 기자/특파원 role words, no e-mail, no desks, never the outlet).

Shapes read (seen on Yonhap, NDSoft local papers, Naver copies, English editions of Korean papers)::

    홍길동 기자                    -> ['홍길동']
    홍길동·김철수 기자             -> ['홍길동', '김철수']
    (서울=연합뉴스) 홍길동 기자 =  -> ['홍길동']
    [매체=홍길동 기자]             -> ['홍길동']
    /홍길동기자                    -> ['홍길동']
    홍길동 기자 hong@example.com   -> ['홍길동']
    윤슬기 문화전문기자            -> ['윤슬기']
    By Kim Seo-yun and Lee Ha-na   -> ['Kim Seo-yun', 'Lee Ha-na']
    [한빛일보] / ⓒ 한빛일보        -> []   (the outlet, never an author)

A Korean name is 2–4 Hangul syllables led by a known surname (``data/surnames.txt``, Statistics Korea census
list, shipped as package data).

>>> split_authors("(서울=연합뉴스) 홍길동 기자 =")
['홍길동']
>>> split_authors("홍길동·김철수 기자")
['홍길동', '김철수']
>>> split_authors("[한빛일보=홍길동 기자]")
['홍길동']
>>> split_authors("/홍길동기자")
['홍길동']
>>> split_authors("홍길동 기자 hong@example.com")
['홍길동']
>>> split_authors("홍길동 기자, 김철수 특파원")
['홍길동', '김철수']
>>> split_authors("칼럼니스트 박생강 pillgoo9@gmail.com"), split_authors("이학영 상임논설고문")
(['박생강'], ['이학영'])
>>> split_authors("연합뉴스")
[]
>>> split_authors("글·사진 홍길동"), split_authors("By John Smith and Jane Doe")
(['홍길동'], ['John Smith', 'Jane Doe'])
>>> split_authors("홍길동, 한빛타임", outlet="한빛타임")
['홍길동']
"""

from __future__ import annotations

import re
import unicodedata
from importlib.resources import files

from scraper.vocab import (
    CONTRIBUTOR_TITLES,
    EN_ROLE_WORDS,
    REPORTER_ROLES,
    ROLE_BASES,
    ROLE_COMPOUNDS,
    ROLE_MODIFIERS,
    alternation,
)


def _load_surnames() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(single-syllable, compound, romanised) surnames from ``data/surnames.txt`` (read once, at import)."""
    text = files("scraper.normalize").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    entries = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    hangul = [e for e in entries if re.fullmatch(r"[가-힣]+", e)]
    return (
        frozenset(e for e in hangul if len(e) == 1),
        frozenset(e for e in hangul if len(e) == 2),
        frozenset(e.lower() for e in entries if re.fullmatch(r"[A-Za-z]+", e)),
    )


SURNAMES, COMPOUND_SURNAMES, ROMANISED_SURNAMES = _load_surnames()
"""Korean surnames: ``김``, ``이``, ... (one syllable); ``남궁``, ``제갈``, ... (compound); ``kim``, ... (romanised)."""

# Role words (scraper.vocab): a base, optionally led by up to two modifiers (문화+전문+기자, 객원+논설위원, 사회+부장).
ROLE_WORDS = ROLE_BASES + tuple(m + "기자" for m in ROLE_MODIFIERS) + ROLE_COMPOUNDS
"""Whole role words (bases and the ``...기자`` compounds) for callers that test membership."""

ROLE_RE = alternation(ROLE_MODIFIERS) + "{0,2}" + alternation(ROLE_BASES) + r"(?![가-힣A-Za-z])"
"""A role word as a regex: up to two ``vocab.ROLE_MODIFIERS``, then one of ``vocab.ROLE_BASES``
(``vocab.BYLINE_ROLES`` + ``vocab.TITLE_ROLES``), not glued to more letters.

>>> bool(re.fullmatch(ROLE_RE, "문화전문기자")), bool(re.fullmatch(ROLE_RE, "객원논설위원"))
(True, True)
>>> [b for b in ("기자", "논설위원", "PD", "기상캐스터") if re.fullmatch(ROLE_RE, b)]
['기자', '논설위원', 'PD', '기상캐스터']
"""
_ROLE_RE = ROLE_RE
_REPORTER = alternation(REPORTER_ROLES)

OUTLET_SUFFIXES = (
    "일보", "신문", "뉴스", "방송", "통신", "미디어", "타임스", "타임즈", "저널", "데일리", "투데이", "닷컴", "매일",
)
"""Endings of an outlet's name: ``한빛일보``, ``전남일보`` are papers, not people (a stem of 2+ syllables must lead).

>>> is_outlet_word("한빛일보"), is_outlet_word("김신문")
(True, False)
"""

NOT_NAMES = frozenset({
    "연합뉴스", "연합", "뉴시스", "뉴스1", "온라인", "디지털", "뉴스팀", "편집국", "취재팀", "사진부", "기획팀",
    "보도자료", "기자", "특파원", "온라인팀", "디지털뉴스팀", "인사이트", "다른기사", "기사", "사진", "제공",
    "무단전재", "재배포", "금지", "저작권자", "구독", "문의", "제보",
    # byline furniture led by a surname syllable: 사진·영상·편집·정리 ... 홍길동
    "영상", "편집", "정리", "취재", "구성", "기획", "진행", "촬영", "연출", "번역", "감수", "그래픽", "자료",
    "출처", "도움", "제작", "인턴", "수습", "선임", "전문", "객원", "명예", "시민", "기자단", "공동취재",
})
"""Words that are never a person though they look like one (2–4 syllables led by a surname syllable)."""

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # starts a word: linear in a long word
_NAME_RE = re.compile(r"^[가-힣]{2,4}$")
_PAREN_RE = re.compile(r"\([^()]*=[^()]*\)|【[^】]*】|<[^>]*>")
_COPYRIGHT_RE = re.compile(r"(?:ⓒ|©|\([cC]\)|Copyrights?)\s*[^\s\[\]()]+", re.IGNORECASE)
DESK_STEMS = (
    "정치", "사회", "경제", "국제", "문화", "사진", "편집", "체육", "스포츠", "연예", "산업", "금융", "디지털",
    "온라인", "보도", "지역", "전국",
)
"""Newsroom desks: ``사회부``, ``편집국`` are desks, while ``김정국`` is a person (a 부/국 ending alone says nothing).

>>> is_person_name("사회부"), is_person_name("김정국")
(False, True)
"""
_DESK_RE = re.compile(r"(?:팀|(?:" + "|".join(DESK_STEMS) + r")[부국])$")


def is_outlet_word(token: str) -> bool:
    """True for a Hangul word ending in an outlet suffix after a stem of 2+ syllables (``한빛일보``)."""
    return any(token.endswith(s) and len(token) - len(s) >= 2 for s in OUTLET_SUFFIXES)


def is_person_name(token: str) -> bool:
    """True for a token that looks like a Korean personal name.

    2–4 Hangul syllables led by a known surname (single ``김`` + 1–3, compound ``남궁`` + 1–2), not a desk
    (``사회부``, ``온라인팀``), an outlet (``한빛일보``) or byline furniture (``사진``, ``편집``).

    >>> is_person_name("홍길동"), is_person_name("연합뉴스"), is_person_name("hong"), is_person_name("남궁민수")
    (True, False, False, True)
    """
    if not _NAME_RE.match(token) or token in NOT_NAMES or _DESK_RE.search(token) or is_outlet_word(token):
        return False
    return token[0] in SURNAMES or (len(token) >= 3 and token[:2] in COMPOUND_SURNAMES)


def _outlet_names(outlet: str | None, text: str) -> set[str]:
    """Names the outlet goes by: the site name and its parts (``한빛타임 - 지역뉴스``), and the outlets the
    byline itself names in a wire bracket (``(서울=연합뉴스)``) or a lone bracket (``[한빛일보]``)."""
    names: set[str] = set()
    if outlet:
        folded = unicodedata.normalize("NFC", outlet).strip()
        names.add(folded.lower())
        names.update(p.strip().lower() for p in re.split(r"\s+[-–—|:·]\s+|\s*[|｜]\s*", folded) if p.strip())
        names.update(n[4:] for n in list(names) if n.startswith("the "))
    names.update(m.group(1).strip().lower() for m in re.finditer(r"\([^()=]{1,25}=\s*([^()=]{1,25})\)", text))
    names.update(m.group(1).strip().lower() for m in re.finditer(r"[\[【]\s*([^\s\[\]【】=]{2,20})\s*[\]】]", text))
    return names


# "홍길동·김철수 기자", "홍길동기자" (names lazy so a glued role is not swallowed: 홍길동사진기자)
_BYLINE_IN_TEXT = re.compile(r"(?P<names>[가-힣]{2,5}?(?:\s*[·ㆍ,]\s*[가-힣]{2,5}?)*)\s*(?:" + _ROLE_RE + r")")

# "칼럼니스트 박생강" (role word first; seen on entermedia.co.kr column tails)
_ROLE_FIRST = re.compile(r"(?:" + _ROLE_RE + r")\s*(?P<names>[가-힣]{2,5})(?![가-힣])")


def _inside_brackets(text: str) -> str:
    """``[매체=홍길동 기자]`` -> ``홍길동 기자``; other text unchanged."""
    m = re.search(r"[\[(]\s*[^\[\]()=]{1,30}=\s*([^\[\]()]*?)\s*[\])]", text)
    if m and re.search(_ROLE_RE, m.group(1)):
        return m.group(1)
    return text


# Yonhap dateline with space-separated reporters: "(세종=연합뉴스) 이세원 이대희 민경락 기자 =" (news.zum.com copy)
_WIRE_NAMES_RE = re.compile(
    r"^\s*\([^()]{1,25}=[^()]{1,25}\)\s*(?P<names>[가-힣]{2,4}(?:\s+[가-힣]{2,4})+)\s*" + _REPORTER + r"\s*=?\s*$"
)

_EN_ROLE_RE = re.compile(r"\b" + alternation(EN_ROLE_WORDS, spacing=r"\s+") + r"\b\.?", re.I)
"""``vocab.EN_ROLE_WORDS`` of a romanised byline (``Kim Seo-yun, Staff Reporter``), dropped like 기자.

>>> english_names("Kim Seo-yun, Staff Reporter")
['Kim Seo-yun']
"""
_EN_BY_RE = re.compile(r"^\s*by\s+(?P<rest>.+)$", re.IGNORECASE | re.DOTALL)
_EN_NAME_RE = re.compile(r"[A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*){1,3}")
_EN_WORD_RE = re.compile(r"[A-Z][A-Za-z.'-]*")


def english_names(byline: str, outlet: str | None = None) -> list[str]:
    """Names of a romanised byline, as written (``KIM SEO-YUN`` stays upper case), or ``[]``.

    ``By ...`` names any capitalised 2–4 word names (tester pages: ``By John Smith``); without ``By`` each
    name must start or end with a romanised Korean surname (meta ``author`` ``Kim Seo-yun``). One-word parts
    (``Yonhap``) and the outlet are left out; any other part (``the river``) means it is no byline.

    >>> english_names("By John Smith"), english_names("By the river"), english_names("By KIM SEO-YUN")
    (['John Smith'], [], ['KIM SEO-YUN'])
    >>> english_names("Kim Seo-yun"), english_names("Hanbit Times"), english_names("By Kim Seo-yun, Yonhap")
    (['Kim Seo-yun'], [], ['Kim Seo-yun'])
    """
    text = unicodedata.normalize("NFC", byline)
    by = _EN_BY_RE.match(text)
    rest = by.group("rest") if by else text
    if re.search(r"[가-힣]", rest):
        return []
    rest = _EN_ROLE_RE.sub(",", _EMAIL_RE.sub(",", rest))
    outlets = _outlet_names(outlet, "")
    names: list[str] = []
    for part in re.split(r"\s*(?:[,;&/|]|\band\b)\s*", rest, flags=re.IGNORECASE):
        part = part.strip(" .\t\u00a0")
        if not part or part.lower() in outlets or _EN_WORD_RE.fullmatch(part):
            continue
        if not _EN_NAME_RE.fullmatch(part):
            return []
        if not by and not {w.lower() for w in (part.split()[0], part.split()[-1])} & ROMANISED_SURNAMES:
            return []
        if part not in names:
            names.append(part)
    return names


_CONTRIBUTOR_RE = re.compile(r"(?<![가-힣])" + alternation(CONTRIBUTOR_TITLES) + r"\s+([가-힣]{2,4}?)의?(?![가-힣])")


def split_authors(byline: str | None, outlet: str | None = None) -> list[str]:
    """Every person named in a byline, in order, without role words, e-mail addresses or the outlet.

    ``outlet``: the page's site name (``og:site_name``, publisher), never returned as an author; outlets the
    byline names itself (``(서울=연합뉴스)``, ``[한빛일보]``, ``ⓒ 한빛일보``) are dropped too.
    Returns ``[]`` for desks and wires (연합뉴스, 온라인뉴스팀). Never raises.

    >>> split_authors("문화평론가 박생강"), split_authors("소설가 박생강의 옆구리tv")
    (['박생강'], ['박생강'])
    """
    if not byline:
        return []
    text = unicodedata.normalize("NFC", byline)
    english = english_names(text, outlet)
    if english:
        return english
    outlets = _outlet_names(outlet, text)
    wire = _WIRE_NAMES_RE.match(text)
    if wire:
        return [n for n in wire.group("names").split() if is_person_name(n) and n not in outlets]
    text = _COPYRIGHT_RE.sub(" ", _EMAIL_RE.sub(" ", text))
    text = _inside_brackets(text)
    text = _PAREN_RE.sub(" ", text)
    text = re.sub(r"[\[\]=/|]", " ", text)
    names: list[str] = []
    titled = _CONTRIBUTOR_RE.findall(text)
    if titled:  # 문화평론가 박생강, 소설가 박생강: the title is no name, the name follows it
        return [n for n in titled if is_person_name(n) and n not in outlets]
    if re.search(_ROLE_RE, text):
        # "홍길동·김철수 기자", "홍길동 기자, 김철수 특파원", "홍길동기자": only names right before a role word
        # ("사진기자 윤슬기": the "name" before 기자 is 사진, no person, so the role-first reading wins)
        before = [m.group("names") for m in _BYLINE_IN_TEXT.finditer(text)]
        if not any(is_person_name(t.strip()) for b in before for t in re.split(r"[·ㆍ,\s]+", b)):
            before = [m.group("names") for m in _ROLE_FIRST.finditer(text)]
        text = " ".join(before)
    for chunk in re.split(r"[,，·ㆍ&]|\s및\s|\s+", text):
        token = chunk.strip(" .·\u00a0\t")
        if not token or re.fullmatch(_ROLE_RE, token) or token.lower() in outlets:
            continue
        if is_person_name(token) and token not in names:
            names.append(token)
    return names


def find_byline_names(text: str) -> list[str]:
    """Names written as ``이름 기자`` (or 특파원, ...) anywhere in a line of text.

    >>> find_byline_names("(세종=연합뉴스) 김서윤 기자 = 정부가 ...")
    ['김서윤']
    >>> find_byline_names("기자 메일전송")
    []
    """
    names: list[str] = []
    for m in _BYLINE_IN_TEXT.finditer(text):
        for name in split_authors(m.group("names")):
            if name not in names:
                names.append(name)
    return names


_TRAILING_BYLINE_RE = re.compile(
    r"(?<=[.!?\"”’')\]])\s*(?P<byline>[/／]\s*[가-힣]{2,5}?(?:\s*[·ㆍ,]\s*[가-힣]{2,5}?)*\s*(?:" + _ROLE_RE + r"))\s*$"
)


def split_trailing_byline(paragraph: str) -> tuple[str, str | None]:
    """Split a byline glued after the last sentence of a paragraph: ``...밝혔다./윤슬기기자``.

    Returns ``(paragraph without it, byline)``, or ``(paragraph, None)`` when there is none. Only the slash
    form right after a sentence end, naming real people (surname rule), counts: ``현장의 기자`` stays text.
    Seen on local papers that type the byline into the last paragraph (NDSoft and self-built CMSs).

    >>> split_trailing_byline("밝혔다./윤슬기기자")
    ('밝혔다.', '/윤슬기기자')
    """
    m = _TRAILING_BYLINE_RE.search(paragraph)
    if not m or not split_authors(m.group("byline")):
        return paragraph, None
    return paragraph[: m.start()].rstrip(), m.group("byline").strip()
