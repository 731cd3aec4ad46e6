"""``credited_organization``: the public body a news page says its text or photo comes from; pure.

Local papers print where a republished release comes from in a few ways, read here from the record's fields:

- a source line (``출처: 광진구청 보도자료``, ``자료제공: 노인건강과``), already on ``source_credit``;
- a bracketed credit in the body (``(자료제공=목포시)``, ``[사진제공=강진군]``, ``(광진구 제공)``): wire and local
  papers end a paragraph with it;
- a photo credit in a caption or on ``photo_credit`` (``사진=신안군``, ``/사진=나주시 제공``, ``강진군 제공``).

The name is resolved with the registry (``scraper.normalize.organizations``) to its official form. A name that
resolves to nothing, or to several bodies (``중구청``: which city's?), is kept as printed, without the words
around it (``보도자료``, ``제공``) — but from a photo credit only when it has the shape of a public body (ends in
시/군/구/도/청/부/처/위원회), so ``사진=연합뉴스`` or ``사진=픽사베이`` (an agency, a stock site) is no organization.

>>> credited_organization("광진구청 보도자료", None, [], [])
'서울특별시 광진구'
>>> credited_organization(None, None, ["행사 모습. /사진=나주시 제공"], [])
'전라남도 나주시'
>>> credited_organization(None, "사진=연합뉴스", ["사진=픽사베이"], ["본문 (자료제공=한빛구)"])
'한빛구'
"""

from __future__ import annotations

import re

from scraper.normalize.organizations import resolve_organization

_NAME = r"[가-힣][가-힣·]{0,20}(?:\s[가-힣][가-힣·]{0,20}){0,3}"
_FILLER = frozenset({"보도자료", "제공", "자료", "사진", "홍보자료"})
_BODY_SHAPE_RE = re.compile(r"[가-힣]{1,10}(?:시|군|구|도|청|부|처|위원회)")

_LABELED_RE = re.compile(rf"(?:자료|사진|보도자료|그래픽|영상)?\s*(?:제공|출처)\s*[=:：]\s*({_NAME})")
"""``자료제공=목포시``, ``사진 제공: 강진군``, ``출처=광진구청`` (a label, then the name)."""
_PHOTO_RE = re.compile(rf"(?:^|[\s/(\[▲△])사진\s*[=:：]\s*({_NAME})")
"""``사진=신안군``, ``/사진=나주시 제공`` (captions and photo credits only)."""
_BRACKET_GIVEN_RE = re.compile(rf"[(\[]\s*({_NAME})\s*제공\s*[)\]]")
"""``(광진구 제공)``, ``[사진 강진군 제공]`` (in a body paragraph: only inside brackets)."""
_LABELED_HINT_RE = re.compile(r"(?:제공|출처)\s*[=:：]")
_BRACKET_HINT_RE = re.compile(r"제공\s*[)\]]")
_PHOTO_HINT_RE = re.compile(r"사진\s*[=:：]")
_GIVEN_HINT_RE = re.compile("제공")
"""What every match of ``_LABELED_RE``, ``_BRACKET_GIVEN_RE``, ``_PHOTO_RE``, ``_CAPTION_GIVEN_RE`` holds:
found by a search that starts at a literal word, before the searches whose name pattern is tried at every place
of a text (most paragraphs saying 제공, "provides", hold no credit)."""
_CAPTION_GIVEN_RE = re.compile(rf"(?:^|[\s/(\[▲△])({_NAME})\s*제공\s*[)\]]?\s*$")
"""``강진군 제공`` at the end of a caption."""
_BODY_CREDITS = ((_LABELED_RE, _LABELED_HINT_RE), (_BRACKET_GIVEN_RE, _BRACKET_HINT_RE))
_PHOTO_CREDITS = ((_LABELED_RE, _LABELED_HINT_RE), (_PHOTO_RE, _PHOTO_HINT_RE), (_CAPTION_GIVEN_RE, _GIVEN_HINT_RE))


def clean_credit(text: str) -> str:
    """The name part of a credit: the first label and the filler words (보도자료, 제공) dropped.

    >>> clean_credit("출처: 광진구청 보도자료"), clean_credit("사진 나주시 제공")
    ('광진구청', '나주시')
    """
    text = re.sub(r"^\s*(?:출처|자료\s*제공|보도자료\s*제공|제공|자료\s*출처)\s*[=:：]?\s*", "", text)
    words = [w for w in re.split(r"\s+", text.strip(" \t[]()<>/=:：")) if w]
    while words and words[0] in _FILLER:
        words.pop(0)
    while words and words[-1] in _FILLER:
        words.pop()
    return " ".join(words)


def resolve_credit(text: str) -> str | None:
    """The official name of the longest run of words that the registry resolves (leftmost first), else
    ``None``: ``광진구청 홍보과`` and ``현장 모습 광진구`` both name ``서울특별시 광진구``.

    >>> resolve_credit("서울 광진구청 홍보과"), resolve_credit("점검 모습 강진군"), resolve_credit("중구청") is None
    ('서울특별시 광진구', '전라남도 강진군', True)
    """
    words = clean_credit(text).split()[:8]
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            name = resolve_organization(" ".join(words[start:start + size]))
            if name:
                return name
    return None


def _credit_names(source_credit: str | None, photo: list[str], body: list[str]) -> list[tuple[str, bool]]:
    """``(printed credit, may stay unresolved)`` in the order they are trusted: the source line (any name),
    bracketed and labelled credits of the body, then photo credits (a public body's shape only)."""
    found: list[tuple[str, bool]] = []
    if source_credit:
        found.append((source_credit, True))
    for paragraph in body:
        if "제공" in paragraph or "출처" in paragraph:
            for regex, hint in _BODY_CREDITS:
                if hint.search(paragraph):
                    found += [(m.group(1), False) for m in regex.finditer(paragraph)]
    for caption in photo:
        for regex, hint in _PHOTO_CREDITS:
            if hint.search(caption):
                found += [(m.group(1), False) for m in regex.finditer(caption)]
    return found


def credited_organization(
    source_credit: str | None, photo_credit: str | None, captions: list[str], body: list[str]
) -> str | None:
    """The body a news page credits (official name), the first unresolved public-body-like credit as printed,
    or ``None`` (nothing credited, or only agencies and people). ``captions``: the images' captions;
    ``body``: the record's paragraphs (only bracketed or labelled credits are read there)."""
    photo = [c for c in [photo_credit, *captions] if c]
    printed: str | None = None
    for text, any_name in _credit_names(source_credit, photo, body):
        name = resolve_credit(text)
        if name:
            return name
        cleaned = clean_credit(text)
        if printed is None and cleaned:
            if any_name:
                printed = cleaned  # a source line names its source, whatever it is
            else:  # from running text only the name itself, when it has the shape of a public body
                printed = next((w for w in cleaned.split() if _BODY_SHAPE_RE.fullmatch(w)), None)
    return printed
