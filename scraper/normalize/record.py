"""``build_record``: the one place where a RawArticle, the page's URL and the clock meet; pure."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

from scraper.models import Contact, Image, RawArticle, Record
from scraper.normalize.authors import split_authors
from scraper.normalize.credits import credited_organization
from scraper.normalize.dates import has_time, labeled_dates, parse_kst
from scraper.normalize.organizations import organization_by_name, organization_for_host
from scraper.normalize.text import fold_row, fold_space, unescape_entities
from scraper.normalize.urls import canonical_item_url, is_web_url, item_id_from_url


def _host_body(url: str | None) -> str | None:
    """The body whose own site ``url`` is on (registry), for a release that names none; ``None`` on a portal
    (정책브리핑 korea.kr republishes every ministry's releases: its host names the publisher, not the body)."""
    body = organization_for_host(urlsplit(url or "").netloc)
    entry = organization_by_name(body) if body else None
    return None if entry is not None and entry.kind == "portal" else body


def _candidates(raw_values: list[str], now: str | None) -> tuple[list[str], list[str]]:
    """(published, modified) candidates from raw strings; labelled text decides the role itself."""
    published: list[str] = []
    modified: list[str] = []
    for text in raw_values:
        pub, mod = labeled_dates(text, now)
        if pub or mod:
            published += pub
            modified += mod
            continue
        value = parse_kst(text, now)
        if value:
            published.append(value)
    return published, modified


def _modified_candidates(raw_values: list[str], now: str | None) -> list[str]:
    """Modified candidates in the order found (meta first when the profile prefers it); a labelled text gives
    only its 수정 dates. So JSON-LD ``dateModified`` 20:57:36 beats a visible ``수정 20:57`` (hankookilbo.com)."""
    values: list[str] = []
    for text in raw_values:
        pub, mod = labeled_dates(text, now)
        if pub or mod:
            values += mod
            continue
        value = parse_kst(text, now)
        if value:
            values.append(value)
    return values


def pick_date(candidates: list[str]) -> str | None:
    """The first candidate; a date-only first value is upgraded by a later one of the same day with a time.

    >>> pick_date(["2024-03-05", "2024-03-05T14:22:00+09:00"])
    '2024-03-05T14:22:00+09:00'
    >>> pick_date(["2024-03-05", "2024-03-04T14:22:00+09:00"])
    '2024-03-05'
    """
    if not candidates:
        return None
    first = candidates[0]
    if not has_time(first):
        for other in candidates[1:]:
            if has_time(other) and other[:10] == first:
                return other
    return first


def resolve_dates(raw: RawArticle, now: str | None) -> tuple[str | None, str | None]:
    """``(published, modified)`` in KST ISO 8601.

    ``modified`` is ``None`` when it is earlier than ``published``, or equal to it and only declared in
    metadata (CMSs copy ``datePublished`` into ``dateModified``, seen on mk.co.kr); a 수정 time the page
    prints itself is kept even when equal (news.donga.com ``기사수정``)."""
    pub_c, mod_from_pub = _candidates(raw.published_raw, now)
    published = pick_date(pub_c)
    modified = pick_date(_modified_candidates(raw.modified_raw, now) + mod_from_pub)
    shown = modified in _modified_candidates(raw.modified_shown, now)
    if modified and published and (modified[:19] < published[:19] or (modified == published and not shown)):
        modified = None
    return published, modified


def resolve_authors(raw: RawArticle) -> list[str]:
    """Person names from the bylines, else from the dateline, else from meta author, else from the article
    header's byline lines (``입력 ... | 홍길동 기자`` between headline and body), in that order: a meta author
    list names every co-writer where the header often shows one (``박준석 기자 외 1명``, hankookilbo.com).

    The dateline is only a fallback: a column bracket such as ``[엔터미디어=정덕현의 이슈공감]``
    (entermedia.co.kr) names the column, not just the writer. The outlet (``raw.site_name``) is never an
    author, however it is offered (a meta author equal to og:site_name, a ``[한빛일보]`` byline).
    """
    names: list[str] = []
    for sources in (raw.bylines, [raw.dateline or ""], raw.authors_hint, raw.header_bylines):
        for text in sources:
            for name in split_authors(text, outlet=raw.site_name):
                if name not in names:
                    names.append(name)
        if names:
            return names
    return names


def canonical_url_of(declared: str | None, url: str | None) -> str | None:
    """The article's canonical URL: the page's declared one unless it names no article (a bare site root
    such as gwangju.go.kr's ``https://www.gwangju.go.kr``, or a section root such as ybmodule boards'
    ``og:url`` ``http://www.naju.go.kr/www`` while the page URL carries a post id), else the page URL;
    tracking and paging parameters removed, mobile mapped to desktop.

    >>> canonical_url_of("https://www.gwangju.go.kr", "https://www.gwangju.go.kr/boardView.do?seq=21180&movePage=1")
    'https://www.gwangju.go.kr/boardView.do?seq=21180'
    >>> canonical_url_of("http://www.naju.go.kr/www", "https://www.naju.go.kr/www/coverage?idx=591764&mode=view")
    'https://www.naju.go.kr/www/coverage?idx=591764&mode=view'
    >>> canonical_url_of(None, None) is None
    True
    """
    declared = declared if is_web_url(declared) else None  # a declared URL that does not parse is none
    if declared and _names_an_article(declared, url):
        return canonical_item_url(declared)
    if url and is_web_url(url):
        return canonical_item_url(url)
    return canonical_item_url(declared) if declared else None


def _names_an_article(declared: str, url: str | None) -> bool:
    parts = urlsplit(declared)
    if parts.scheme not in ("http", "https") or not parts.path.strip("/"):
        return False
    return not (url and item_id_from_url(url) and not item_id_from_url(declared))


def record_id(canonical_url: str | None, body: list[str]) -> str:
    """A stable id: SHA-256 of the canonical URL, or of the body text when there is no URL (16 hex digits)."""
    basis = canonical_url or "\n".join(body)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


_HANGUL_RE = re.compile(r"[가-힣]+")
_LATIN_RE = re.compile(r"[A-Za-z]+")
KO_SHARE = 0.3  # Korean text mixes in Latin words and acronyms; 30 % Hangul letters is already Korean
_LATIN_BYTES = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_ALL_BUT_EB_EC = bytes(b for b in range(256) if b not in (0xEB, 0xEC))
"""Every byte but the UTF-8 lead bytes of U+B000-U+CFFF (밀 ... 퓿), which are all Hangul syllables."""


def detect_language(texts: list[str]) -> str:
    """``ko`` when Hangul is at least ``KO_SHARE`` of the letters, ``en`` for Latin text, else ``und``.
    Counted by C-level byte operations: the Latin letters exactly (``bytes.translate`` of the ASCII
    characters), the Hangul syllables first only those of U+B000-U+CFFF (their UTF-8 lead bytes), which
    already decides ``ko`` for almost every Korean text (more Hangul only adds to the share); else all of them.

    >>> detect_language(["구청은 AI 정책을 발표했다."]), detect_language(["The council met."]), detect_language([""])
    ('ko', 'en', 'und')
    >>> detect_language(["가가가 abcdefg"]), detect_language(["가가가가 abcdefg"]), detect_language(["가 ab"])
    ('ko', 'ko', 'ko')
    >>> detect_language(["가가 abcdefgh"]), detect_language(["가 abcdefgh"]), detect_language(["가 \\ud800 a"])
    ('en', 'en', 'ko')
    """
    text = " ".join(texts)
    ascii_text = text.encode("ascii", "ignore")
    latin = len(ascii_text) - len(ascii_text.translate(None, _LATIN_BYTES))
    hangul = len(text.encode("utf-8", "surrogatepass").translate(None, _ALL_BUT_EB_EC))  # a lower bound
    if not (hangul and hangul >= KO_SHARE * (hangul + latin)):
        # runs, not single letters: one string per word instead of one per letter (the same counts)
        hangul = sum(map(len, _HANGUL_RE.findall(text)))
    if hangul and hangul >= KO_SHARE * (hangul + latin):
        return "ko"
    return "en" if latin > hangul else "und"


def release_kind(kind: str | None, url: str | None) -> str:
    """The record's kind: the one found on the page, else ``press_release`` for a government host
    (``*.go.kr``, ``korea.kr``) and ``news_article`` for any other.

    >>> release_kind(None, "https://www.korea.kr/briefing/x"), release_kind(None, "https://news.example.kr/1")
    ('press_release', 'news_article')
    """
    if kind:
        return kind
    host = urlsplit(url or "").netloc.lower().split(":")[0]
    return "press_release" if host.endswith(".go.kr") or host == "korea.kr" or host.endswith(".korea.kr") else (
        "news_article"
    )


def _kind(raw: RawArticle, url: str | None) -> str:
    return release_kind(raw.kind, url)


def _nfc(text: str | None) -> str | None:
    return fold_space(text) if text else None


def build_record(raw: RawArticle, url: str | None = None, *, now: str | None = None) -> Record:
    """Normalize a RawArticle into a Record (dates in KST, author names only, NFC paragraphs)."""
    body = [p for p in (fold_row(p) for p in raw.paragraphs) if p]
    published, modified = resolve_dates(raw, now)
    warnings = list(raw.warnings)
    if not published:
        warnings.append("no_published_date")
    title = _nfc(unescape_entities(raw.title)) if raw.title else None  # og:title escaped twice: decode until stable
    if not title:
        warnings.append("no_title")
    canonical = canonical_url_of(raw.canonical_url, url)
    images = [Image(url=i.url, caption=_nfc(i.caption)) for i in raw.images]
    known = {i.caption for i in images}
    images += [Image(caption=_nfc(c)) for c in raw.captions if _nfc(c) not in known]
    contact = raw.contact if raw.contact and any(raw.contact.model_dump().values()) else None
    kind = _kind(raw, url)
    organization = _nfc(raw.organization)
    if kind == "press_release" and not organization:
        organization = _host_body(canonical or url)
    credited = None
    if kind == "news_article":
        credited = credited_organization(_nfc(raw.source_credit), _nfc(raw.photo_credit),
                                         [i.caption for i in images if i.caption], body)
    return Record(
        id=record_id(canonical, body),
        url=url,
        canonical_url=canonical,
        kind=kind,  # type: ignore[arg-type]
        site=_nfc(raw.site_name),
        title=title,
        subtitle=_nfc(unescape_entities(raw.subtitle)) if raw.subtitle else None,
        published=published,
        modified=modified,
        authors=resolve_authors(raw),
        dateline=_nfc(raw.dateline),
        body=[unicodedata.normalize("NFC", p) for p in body],
        images=images,
        source_credit=_nfc(raw.source_credit),
        photo_credit=_nfc(raw.photo_credit),
        organization=organization,
        department=_nfc(raw.department),
        contact=Contact(**contact.model_dump()) if contact else None,
        attachments=list(raw.attachments),
        language=detect_language(body or [title or ""]),
        embargo_until=raw.embargo_until,
        extractor=raw.extractor,
        warnings=sorted(set(warnings), key=warnings.index),
        credited_organization=credited,
    )


