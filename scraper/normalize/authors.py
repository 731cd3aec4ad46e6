"""Bylines -> author names (people only: no 기자/특파원 role words, no e-mail, no desks).

Shapes read (seen on Yonhap, NDSoft local papers, Naver copies)::

    홍길동 기자                    -> ['홍길동']
    홍길동·김철수 기자             -> ['홍길동', '김철수']
    (서울=연합뉴스) 홍길동 기자 =  -> ['홍길동']
    [매체=홍길동 기자]             -> ['홍길동']
    /홍길동기자                    -> ['홍길동']
    홍길동 기자 hong@example.com   -> ['홍길동']

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
"""

from __future__ import annotations

import re
import unicodedata

ROLE_WORDS = (
    "선임기자", "수석기자", "전문기자", "객원기자", "수습기자", "인턴기자", "사진기자", "영상기자", "취재기자",
    "시민기자", "명예기자", "기자", "특파원", "논설위원", "논설실장", "편집위원", "칼럼니스트", "평론가",
    "상임논설고문", "논설고문",
    "객원논설위원", "통신원", "에디터", "리포터", "앵커", "작가", "대기자", "부장", "차장", "팀장", "위원",
)
_ROLE_RE = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME_RE = re.compile(r"^[가-힣]{2,5}$")
_PAREN_RE = re.compile(r"\([^()]*=[^()]*\)|【[^】]*】|<[^>]*>")
_NOT_NAMES = {
    "연합뉴스", "연합", "뉴시스", "뉴스1", "온라인", "디지털", "뉴스팀", "편집국", "취재팀", "사진부", "기획팀",
    "보도자료", "기자", "특파원", "온라인팀", "디지털뉴스팀", "인사이트", "다른기사", "기사", "사진", "제공",
    "무단전재", "재배포", "금지", "저작권자", "구독", "문의", "제보",
}


_BYLINE_IN_TEXT = re.compile(
    r"(?P<names>[가-힣]{2,5}(?:\s*[·ㆍ,]\s*[가-힣]{2,5})*)\s*(?:" + _ROLE_RE + r")(?![가-힣])"
)

# "칼럼니스트 박생강" (role word first; seen on entermedia.co.kr column tails)
_ROLE_FIRST = re.compile(r"(?:" + _ROLE_RE + r")\s+(?P<names>[가-힣]{2,5})(?![가-힣])")


def is_person_name(token: str) -> bool:
    """True for a token that looks like a Korean personal name (2–5 Hangul syllables, not a desk).

    >>> is_person_name("홍길동"), is_person_name("연합뉴스"), is_person_name("hong")
    (True, False, False)
    """
    return bool(_NAME_RE.match(token)) and token not in _NOT_NAMES and not token.endswith(("팀", "부", "국"))


def _inside_brackets(text: str) -> str:
    """``[매체=홍길동 기자]`` -> ``홍길동 기자``; other text unchanged."""
    m = re.search(r"[\[(]\s*[^\[\]()=]{1,30}=\s*([^\[\]()]*?)\s*[\])]", text)
    if m and re.search(_ROLE_RE, m.group(1)):
        return m.group(1)
    return text


# Yonhap dateline with space-separated reporters: "(세종=연합뉴스) 이세원 이대희 민경락 기자 =" (news.zum.com copy)
_WIRE_NAMES_RE = re.compile(
    r"^\s*\([^()]{1,25}=[^()]{1,25}\)\s*(?P<names>[가-힣]{2,4}(?:\s+[가-힣]{2,4})+)\s*(?:기자|특파원)\s*=?\s*$"
)


# English byline: "By John Smith", "By John Smith and Jane Doe" (tester pages in English)
EN_BYLINE_RE = re.compile(
    r"^\s*by\s+(?P<names>[A-Z][a-zA-Z.'-]+(?:\s+[A-Z][a-zA-Z.'-]+){1,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][a-zA-Z.'-]+(?:\s+[A-Z][a-zA-Z.'-]+){1,3})*)\s*$",
    re.IGNORECASE,
)


def english_names(byline: str) -> list[str]:
    """Names of an English ``By ...`` byline, or ``[]``.

    >>> english_names("By John Smith"), english_names("By the river")
    (['John Smith'], [])
    """
    m = EN_BYLINE_RE.match(byline)
    if not m or not all(w[0].isupper() for w in re.findall(r"[A-Za-z][\w.'-]*", m.group("names")) if w != "and"):
        return []
    return [n.strip() for n in re.split(r"\s*(?:,|\band\b|&)\s*", m.group("names")) if n.strip()]


def split_authors(byline: str | None) -> list[str]:
    """Every person named in a byline, in order, without role words or e-mail addresses.

    Returns ``[]`` for desks and wires (연합뉴스, 온라인뉴스팀). Never raises.
    """
    if not byline:
        return []
    text = unicodedata.normalize("NFC", byline)
    english = english_names(text)
    if english:
        return english
    wire = _WIRE_NAMES_RE.match(text)
    if wire:
        return [n for n in wire.group("names").split() if is_person_name(n)]
    text = _EMAIL_RE.sub(" ", text)
    text = _inside_brackets(text)
    text = _PAREN_RE.sub(" ", text)
    text = re.sub(r"[\[\]=/|]", " ", text)
    names: list[str] = []
    if re.search(_ROLE_RE, text):
        # "홍길동·김철수 기자", "홍길동 기자, 김철수 특파원", "홍길동기자": only names right before a role word
        before = " ".join(m.group("names") for m in _BYLINE_IN_TEXT.finditer(text))
        text = before or " ".join(m.group("names") for m in _ROLE_FIRST.finditer(text))
    for chunk in re.split(r"[,，·ㆍ&]|\s및\s|\s+", text):
        token = chunk.strip(" .·\u00a0\t")
        if not token or re.fullmatch(_ROLE_RE, token):
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
