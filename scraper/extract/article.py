"""HTML page -> :class:`RawArticle`: site rules first, generic container search next, trafilatura last.

Pure: a function of the page text, its URL and the profiles; no I/O.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.errors import ExtractionError
from scraper.extract import hooks as hook_registry
from scraper.extract.appstate import app_state_article
from scraper.extract.blocks import node_lines, node_text
from scraper.extract.chrome import DROP_SELECTORS, classify_line
from scraper.extract.density import densest_container
from scraper.extract.embargo import page_embargo
from scraper.extract.fallback import fallback_lines
from scraper.extract.generic import (
    CAPTION_SELECTORS,
    byline_texts,
    drop_meta_nodes,
    gallery_container,
    loose_images,
    main_articles,
    photo_credit_images,
    time_dates,
    unlabelled_dates,
)
from scraper.extract.header import header_zone, visible_first, zone_dates
from scraper.extract.headline import generic_headline, is_board_name, looks_like_press_release
from scraper.extract.lines import SortedLines, caption_text, sort_lines
from scraper.extract.markup import flatten_deep_nesting
from scraper.extract.metadata import PageMeta, read_page_meta
from scraper.extract.release import (
    contact_tables,
    deck_lines,
    in_prev_next,
    label_value_texts,
    labelled_title,
    read_release_fields,
    take_attachments,
)
from scraper.extract.rules import css_all, drop_nodes, first_node, first_value, select_values, split_selector
from scraper.extract.title import find_headline
from scraper.models import ArticleKind, Image, RawArticle
from scraper.normalize.authors import find_byline_names, split_authors
from scraper.normalize.dates import has_date_label
from scraper.normalize.record import release_kind
from scraper.normalize.text import fold_space, unescape_entities
from scraper.sources import profiles_for_url
from scraper.sources.profile import SiteProfile
from scraper.vocab import DELETED_POST_RE

GENERIC_BODY = [
    "[itemprop='articleBody']", "#article-view-content-div", "#articleBodyContents", "#dic_area",
    "#articleBody", "#article_body", "#articletxt", "#newsContent", "#news_body_id", "#textBody",
    ".article_body", ".article-body", ".article_txt", ".news_body", ".view_cont", ".view_con",
    ".board_view .view_content", ".bbs_view .view_content", ".view_content", ".text_viewbox",
    ".board-view-content", "#contents .view", "article",
]
GENERIC_TITLE = [
    "h1.headline", "h1.title", ".article-head-title", ".news_title h1", ".view_title", "#article_title",
    ".article_title", ".tit_view", "h3.heading", "h1",
]
_CAPTION_SELECTORS = CAPTION_SELECTORS
_TITLE_SUFFIX_RE = re.compile(r"\s*(?:[|｜ㅣ\-–—:]|::|<|>)\s*[^|｜ㅣ\-–—:<>]{1,30}$")
_SECTION_SUFFIX_RE = re.compile(r"\s*[|｜ㅣ\-–—:]\s*[^\s|｜ㅣ\-–—:<>]{1,6}$")
MIN_BODY_CHARS = 40
_DIGIT_RE = re.compile(r"\d")


def choose_profile(tree: LexborHTMLParser, url: str | None, profiles: tuple[SiteProfile, ...]) -> SiteProfile | None:
    """The profile for this page: by host or URL pattern first, then by a fingerprint selector."""
    matches = profiles_for_url(url, profiles)
    if matches:
        return matches[0]
    for profile in profiles:
        if any(css_all(tree, fp) for fp in profile.fingerprints):
            return profile
    return None


def clean_title(title: str | None, site_name: str | None = None) -> str | None:
    """A headline without a site-name suffix (``제목 - 한빛일보``, ``제목 | 사이트``); breadcrumbs rejected.

    >>> clean_title("구청, 하천 정비 나서 - 한빛일보")
    '구청, 하천 정비 나서'
    >>> clean_title("알림마당>담양뉴스>보도자료") is None
    True
    >>> clean_title("한동훈 제명했지만… 부담 커졌다-정치ㅣ한국일보", "한국일보")
    '한동훈 제명했지만… 부담 커졌다'

    """
    if not title:
        return None
    title = fold_space(title)
    if title.count(">") >= 2 or title.count("|") >= 3:
        return None
    if site_name and title.endswith(site_name) and len(title) > len(site_name) + 5:
        title = title[: -len(site_name)].rstrip(" |｜ㅣ-–—:<>")
        title = _SECTION_SUFFIX_RE.sub("", title)  # 제목-정치ㅣ한국일보: the section before the site name
    else:
        stripped = _TITLE_SUFFIX_RE.sub("", title)
        if len(stripped) >= 8:
            title = stripped
    return title or None


def _generic_kind(tree: LexborHTMLParser, url: str | None) -> ArticleKind | None:
    """``press_release`` for a page carrying release markers (보도자료, 담당부서, 첨부파일) or served by a
    government host (``*.go.kr``, ``korea.kr``: their boards publish releases); else unknown (``None``)."""
    if looks_like_press_release(tree) or release_kind(None, url) == "press_release":
        return "press_release"
    return None


def _title(
    tree: LexborHTMLParser, profile: SiteProfile | None, meta: PageMeta, container: LexborNode | None
) -> tuple[str | None, LexborNode | None]:
    """``(headline, the element showing it or None)``: the profile's selectors, else (no profile) the
    labelled 제목 cell or the headline the declared and visible titles agree on, else the declared titles."""
    if profile and profile.title:
        value = first_value(tree, profile.title)
        if value:
            return (clean_title(value, meta.site_name) if "@" in profile.title[0] else value), None
    node = tree.css_first("title")
    page_title = node.text() if node else None
    if profile is None:
        cell = labelled_title(tree)  # <th>제목</th><td>...</td> beats a board-name <title>
        if cell:
            return cell, None
        declared = ([page_title] if page_title else []) + meta.title
        chosen, shown_in = find_headline(tree, declared, container, meta.site_name)
        if chosen:
            return chosen, shown_in
    for candidate in meta.title:
        cleaned = clean_title(unescape_entities(candidate), meta.site_name)
        if cleaned:
            return cleaned, None
    value = first_value(tree, GENERIC_TITLE)
    if value and not is_board_name(value):
        return value, None
    fallback = clean_title(page_title, meta.site_name)
    return generic_headline(tree, page_title) or (None if fallback and is_board_name(fallback) else fallback), None


def _deck(tree: LexborHTMLParser, selectors: list[str], raw: RawArticle) -> str | None:
    """The deck (subtitle): its lines joined with `` / ``; a byline line in it goes to ``raw.bylines``.

    Multi-line decks with a closing byline line were seen on mk.co.kr and Naver legacy (media_end_summary).
    """
    for selector in selectors:
        css, attr = split_selector(selector)
        if attr:
            value = first_value(tree, [selector])
            if value:
                return value
            continue
        for node in css_all(tree, css):
            lines = node_lines(node)
            raw.bylines += [line for line in lines if classify_line(line) == "byline"]
            deck = [line for line in lines if classify_line(line) == "body"]
            if deck:
                return " / ".join(deck)
    return None


def drop_title_repeat(paragraphs: list[str], title: str | None) -> list[str]:
    """Paragraphs without a first line that only repeats the headline (yonhapnewstv.co.kr video pages).

    >>> drop_title_repeat(["[이슈+] 고물가", "본문이다."], "[이슈+] 고물가")
    ['본문이다.']
    """
    if paragraphs and title and fold_space(paragraphs[0]) == fold_space(title):
        return paragraphs[1:]
    return paragraphs


def _images(container: LexborNode, base: str | None) -> list[Image]:
    images: list[Image] = []
    for figure in css_all(container, "figure"):
        img = figure.css_first("img")
        cap = figure.css_first("figcaption")
        src = img.attributes.get("data-src") or img.attributes.get("src") if img else None
        caption = caption_text(node_text(cap)) if cap else None
        images.append(Image(url=urljoin(base or "", src) if src else None, caption=caption or None))
    return images + loose_images(container, base)


def _container(tree: LexborHTMLParser, profile: SiteProfile | None) -> LexborNode | None:
    if profile and profile.body:
        node = first_node(tree, profile.body)
        if node is not None:
            return node
    return generic_container(tree) or (None if profile else gallery_container(tree))


def _text_size(node: LexborNode) -> int:
    """Characters of text under ``node`` without scripts and styles (lexbor's C text walk)."""
    size = len(node.text(deep=True, strip=True))
    for skipped in node.css("script, style, noscript"):
        size -= len(skipped.text(deep=True, strip=True))
    return size


def generic_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The article container of a page no profile covers: the largest well-known container
    (``itemprop=articleBody``, ``#article-view-content-div``, ``article``, ...) unless the densest block of
    own paragraphs holds clearly more text (a teaser ``<article>`` or a ``<body id="article_body">``)."""
    named: LexborNode | None = None
    named_size = 0
    for selector in GENERIC_BODY:
        for node in css_all(tree, selector):
            size = _text_size(node) if node.tag not in ("body", "html") else 0
            if size > named_size:
                named, named_size = node, size
        if named_size >= MIN_BODY_CHARS * 12:  # a confident match of an earlier, more specific selector
            break
    dense = densest_container(tree)
    if dense is None:
        return named
    if named is None or _text_size(dense) > 2 * named_size:
        return dense
    return named


def _read_container(
    container: LexborNode, profile: SiteProfile | None, raw: RawArticle, base: str | None
) -> SortedLines:
    caption_selectors = (profile.captions if profile else []) + _CAPTION_SELECTORS
    raw.images.extend(_images(container, base))
    for selector in caption_selectors:
        for node in css_all(container, selector):
            text = caption_text(node_text(node))
            if text and text not in raw.captions:
                raw.captions.append(text)
            node.decompose()
    drop_nodes(container, list(profile.drop) if profile else [])
    drop_nodes(container, DROP_SELECTORS)
    credit_images = photo_credit_images(container, base)
    sorted_lines = sort_lines(node_lines(container), keep_notes=raw.kind == "press_release")
    raw.paragraphs = sorted_lines.paragraphs
    raw.captions.extend(c for c in sorted_lines.captions if c not in raw.captions)
    raw.bylines.extend(sorted_lines.bylines)
    raw.dateline = sorted_lines.dateline
    if sorted_lines.credits:
        raw.source_credit = sorted_lines.credits[0]
    attach_photo_credits(raw, sorted_lines.photo_credits, credit_images)
    return sorted_lines


def attach_photo_credits(raw: RawArticle, credits: list[str], previous: dict[str, str]) -> None:
    """Standalone photo credits (``[사진=연합뉴스]``): appended to the caption of the image just before the
    credit line (``previous``: credit -> that image's URL), else of the last image with a URL, else of the last
    caption; with no picture at all the credit becomes the record's ``photo_credit``, so no image with a null
    URL is invented for it and the text's ``source_credit`` is not taken. Captions already on an image are not
    repeated."""
    on_images = {i.caption for i in raw.images}
    raw.captions = [c for c in raw.captions if c not in on_images]
    for credit in credits:
        with_url = [n for n, image in enumerate(raw.images) if image.url]
        before = [n for n in with_url if raw.images[n].url == previous.get(credit)]
        if with_url:
            image = raw.images[(before or with_url)[-1]]
            caption = f"{image.caption} {credit}" if image.caption else credit
            raw.images[(before or with_url)[-1]] = image.model_copy(update={"caption": caption})
        elif raw.captions:
            raw.captions[-1] = f"{raw.captions[-1]} {credit}"
        else:
            raw.photo_credit = raw.photo_credit or credit.strip("[]()")


def is_script_shell(tree: LexborHTMLParser) -> bool:
    """True for a JavaScript-only page: no readable body text, only an app div and/or a noscript notice.
    Reads the text without scripts (``node_text`` skips them), so ``tree`` is not changed."""
    body = tree.body
    if body is None:
        return True
    return len(node_text(body)) < MIN_BODY_CHARS and bool(tree.css("noscript, script"))


def extract_article(
    html: str, url: str | None = None, profiles: tuple[SiteProfile, ...] = (), *, now: str | None = None,
    profile_name: str | None = None,
) -> RawArticle:
    """Read one article from page text; ``profile_name`` forces that profile (a crawl source's ``profile``).

    Stages: page facts (profile, title, dates, bylines) -> release fields and attachments -> the body
    container -> the trafilatura fallback when the body is too short -> dates from visible text.
    Raises :class:`ExtractionError` (kind ``no_content``) when the page holds no article text, e.g. a
    JavaScript-only shell whose only text is a ``<noscript>`` notice.
    """
    html, flattened = flatten_deep_nesting(html)
    tree = LexborHTMLParser(html)
    forced = [p for p in profiles if p.name == profile_name] if profile_name else []
    profile = forced[0] if forced else choose_profile(tree, url, profiles)
    if profile is not None and profile_missed(tree, profile):
        raw = extract_article(html, url, (), now=now)
        raw.warnings.append("profile_missed")
        return raw
    container = _container(tree, profile)
    raw = _page_facts(tree, profile, url, container, now)
    raw.warnings += ["deep_nesting_flattened"] if flattened else []
    line_dates = _body(tree, profile, raw, url, container)
    if profile and profile.hook:
        hook_registry.HOOKS[profile.hook](html, tree, raw, profile)
    if profile is None and sum(len(p) for p in raw.paragraphs) < MIN_BODY_CHARS:
        _read_app_state(html, raw)
    if sum(len(p) for p in raw.paragraphs) < MISSING_POST_CHARS:
        _raise_if_missing_post(html, tree, url)
    if sum(len(p) for p in raw.paragraphs) < MIN_BODY_CHARS:
        line_dates += _fallback(html, url, raw, tree)
    if not raw.paragraphs and sum(1 for i in raw.images if i.url and i.caption) >= 2:  # a photo gallery
        raw.paragraphs = [i.caption for i in raw.images if i.caption]
    if not raw.published_raw or not raw.modified_raw:
        visible = _visible_date_text(tree)  # labelled texts: 입력 goes to published, 수정 to modified
        visible = visible or line_dates or (unlabelled_dates(tree) if profile is None else [])
        raw.published_raw = raw.published_raw or visible
        raw.modified_raw = raw.modified_raw or [t for t in visible if has_date_label(t)]  # never a lone date
    return raw


def profile_missed(tree: LexborHTMLParser, profile: SiteProfile) -> bool:
    """True when a profile no longer fits the page (the site changed its template): its body selectors
    find no text, or neither its title nor its date selectors give a value. Such a page is read by the
    generic path instead, with warning ``profile_missed``, never as a junk record from stale selectors.
    A profile whose body comes from a hook (no body selectors: app-state pages) is judged by its hook."""
    if profile.body and first_node(tree, profile.body) is None:
        return True
    named = [s for s in profile.title + profile.published if "@" not in s or not s.startswith("meta")]
    return bool(named) and first_value(tree, named) is None and not any(css_all(tree, f) for f in profile.fingerprints)


def _page_facts(
    tree: LexborHTMLParser, profile: SiteProfile | None, url: str | None, container: LexborNode | None,
    now: str | None = None,
) -> RawArticle:
    """Kind, site, canonical URL, title, deck, date and byline candidates (profile selectors and metadata)."""
    meta = read_page_meta(tree)
    raw = RawArticle(extractor=profile.name if profile else "generic")
    raw.kind = profile.kind if profile else _generic_kind(tree, url)
    raw.site_name = (profile.site if profile else None) or meta.site_name
    raw.organization = profile.organization if profile else None
    raw.canonical_url = urljoin(url or "", meta.canonical_url) if meta.canonical_url else None
    raw.title, headline = _title(tree, profile, meta, container)
    if profile:
        raw.subtitle = _deck(tree, profile.subtitle, raw)
        raw.published_raw += [v for s in profile.published for v in select_values(tree, s)]
        raw.modified_shown = [v for s in profile.modified for v in select_values(tree, s)]
        raw.modified_raw += raw.modified_shown
        raw.bylines += [v for s in profile.byline for v in select_values(tree, s)]
    if profile is None and headline is not None:
        zone = header_zone(headline, container)
        raw.header_bylines = [name for line in zone.after[:12] for name in find_byline_names(line)]
        raw.decks = [line for line in node_lines(headline) if line != raw.title and raw.title and
                     fold_space(node_text(headline)).startswith(raw.title)] + zone.decks
        shown_pub, shown_mod = zone_dates(zone.after, now)
        if not (shown_pub or shown_mod):
            shown_pub, shown_mod = zone_dates(zone.before, now)
        time_pub, time_mod = ([], []) if meta.published else time_dates(tree)  # <time datetime> as declared
        raw.published_raw = visible_first(meta.published + time_pub, shown_pub, now)
        raw.modified_raw = visible_first(meta.modified + (time_mod if not meta.modified else []), shown_mod, now,
                                         role=1)
        raw.modified_shown = shown_mod
    elif not (profile and not profile.date_from_meta_first):
        raw.published_raw = meta.published + raw.published_raw
        raw.modified_raw = meta.modified + raw.modified_raw
    else:
        raw.published_raw += meta.published
        raw.modified_raw += meta.modified
    raw.authors_hint = meta.authors
    return raw


def _body(
    tree: LexborHTMLParser, profile: SiteProfile | None, raw: RawArticle, url: str | None,
    container: LexborNode | None,
) -> list[str]:
    """Release fields, attachments and the body container's lines; returns dates found on body lines.

    The body is read from a copy of the container (attachment entries, contact tables, captions and page
    chrome are removed from the copy), so every reader of ``tree`` sees the page as served."""
    read_release_fields(tree, profile, url or raw.canonical_url, raw)
    raw.embargo_until = page_embargo(tree)
    if profile is None:
        container = _generic_facts(tree, container, raw)
    body = container.clone() if container is not None else None
    raw.attachments = take_attachments(tree, body, profile, url or raw.canonical_url)
    node_bylines = byline_texts(tree) if profile is None else []
    if body is None:
        return []
    if profile is None:
        if raw.kind == "press_release":
            for table in contact_tables(body):
                table.decompose()
        drop_meta_nodes(body)
    line_dates = _read_container(body, profile, raw, url).dates
    if not raw.bylines and not split_authors(raw.dateline):
        raw.bylines = node_bylines
    if raw.kind != "press_release":  # releases keep a typed-in title line (gov gold convention)
        raw.paragraphs = drop_title_repeat(raw.paragraphs, raw.title)
    raw.paragraphs = (deck_lines(tree, profile) if profile else []) + raw.paragraphs
    _place_decks(raw, url)

    return line_dates


def _fallback(html: str, url: str | None, raw: RawArticle, tree: LexborHTMLParser) -> list[str]:
    """trafilatura's lines when the container gave too little; raises ``ExtractionError`` for a JS-only page.
    Returns dates found on the fallback's lines. ``tree`` is the page as served (the body was read from a
    copy)."""
    if is_script_shell(tree):
        raise ExtractionError("the page has no article text (JavaScript-only page)", url=url, kind="no_content")
    fallback = sort_lines(fallback_lines(html, url))
    fallback.paragraphs = drop_page_furniture(fallback.paragraphs, raw.title, tree)
    size = sum(len(p) for p in fallback.paragraphs)
    if size < MIN_BODY_CHARS or size <= sum(len(p) for p in raw.paragraphs):
        return []
    raw.paragraphs, raw.extractor = fallback.paragraphs, raw.extractor + "+trafilatura"
    raw.captions += fallback.captions
    raw.bylines += fallback.bylines
    raw.dateline = raw.dateline or fallback.dateline
    raw.warnings.append("fallback_extractor")
    return list(fallback.dates)


def _place_decks(raw: RawArticle, url: str | None) -> None:
    """Deck lines under the headline: a press release's first body paragraphs (the gov boards' convention:
    the 부제 lines are part of the release text, seen on korea.kr, mois.go.kr), a news article's subtitle
    (joined with `` / ``). Lines the body already holds are not repeated."""
    decks = [line for line in raw.decks if line not in raw.paragraphs]
    if not decks:
        return
    if release_kind(raw.kind, url) == "press_release":
        raw.paragraphs = decks + raw.paragraphs
    elif not raw.subtitle:
        raw.subtitle = " / ".join(decks)


MISSING_POST_CHARS = 200
"""A body shorter than this on a page that says the post is gone is that notice, not an article."""
_ALERT_RE = re.compile(
    r"alert\s*\(\s*['\"](?P<text>[^'\"]{4,200})['\"]\s*\)\s*;?\s*(?:history\.(?:back|go)|(?:window\.|document\.)?"
    r"location|self\.close|window\.close)"
)
"""An alert that leaves the page at once (``alert('...'); history.back();``): the page IS the notice, unlike
an alert inside a handler that runs on a click (``alert('삭제되었습니다')`` of a comment box)."""


def _raise_if_missing_post(html: str, tree: LexborHTMLParser, url: str | None) -> None:
    """Raise ``no_content`` for a deleted or missing post served with status 200: a script ``alert`` or a
    short visible notice saying so (``삭제되었거나 존재하지 않는 게시물입니다``; gov boards and news CMSs
    answer removed posts this way), so the record is never the page's menus and footer."""
    notice = None
    for m in _ALERT_RE.finditer(html[:200_000]):
        if DELETED_POST_RE.search(m.group("text")):
            notice = m.group("text")
            break
    if notice is None:
        for node in css_all(tree, "p, div, span, strong, h1, h2, h3, h4, td, li"):
            quick = node.text(deep=True, strip=True)
            if 6 <= len(quick) <= 120 and DELETED_POST_RE.search(quick):
                notice = fold_space(quick)
                break
    if notice:
        raise ExtractionError(f"the post is deleted or missing (the page says: {notice})", url=url, kind="no_content")


def _read_app_state(html: str, raw: RawArticle) -> None:
    """Body, captions, bylines and dates of a client-rendered page from its inline app state
    (:mod:`scraper.extract.appstate`); the shell has no visible dates, so the state's come first."""
    app = app_state_article(html)
    if app is None:
        return
    raw.paragraphs, raw.captions = app.paragraphs, [*raw.captions, *app.captions]
    raw.bylines = app.bylines + raw.bylines
    raw.dateline = raw.dateline or app.dateline
    raw.title = app.title or raw.title
    raw.subtitle = app.subtitle or raw.subtitle
    raw.published_raw = app.published + raw.published_raw
    raw.modified_raw = app.modified + raw.modified_raw
    raw.extractor += f"+{app.source}"


def _generic_facts(tree: LexborHTMLParser, container: LexborNode | None, raw: RawArticle) -> LexborNode | None:
    """Facts of a page without a profile (see ``extract.generic``): ``<time datetime>`` dates when no meta
    date exists, and the first of several full articles (warning ``multiple_articles``). Returns the
    container to read."""
    if not raw.published_raw:
        raw.published_raw, modified = time_dates(tree)
        raw.modified_raw = raw.modified_raw or modified
    articles = main_articles(tree)
    if len(articles) >= 2:
        raw.warnings.append("multiple_articles")
        if container is None or container in articles:
            return articles[0]
    return container


def drop_page_furniture(lines: list[str], title: str | None, tree: LexborHTMLParser) -> list[str]:
    """Fallback lines without the headline and the page's label/value cells (담당부서, 등록일, ...), which
    trafilatura returns as the "content" of a release page whose body is empty (seen on gov boards).

    >>> tree = LexborHTMLParser("<dl><dt>담당부서</dt><dd>기획예산과</dd></dl>")
    >>> drop_page_furniture(["제목", "- 담당부서", "- 기획예산과", "본문 문장이다."], "제목", tree)
    ['본문 문장이다.']
    """
    furniture = {fold_space(title or "")}
    for node in css_all(tree, "dt, dd, th, td, label"):
        text = node_text(node)
        if len(text) <= 40:
            furniture.add(text)
    return [line for line in lines if fold_space(line.lstrip("-•· ")) not in furniture]


def _visible_date_text(tree: LexborHTMLParser) -> list[str]:
    """Short texts near the headline that carry 입력/등록/수정 labels (used when no selector found dates)."""
    texts: list[str] = []
    for node in css_all(tree, "span, em, li, p, dd, td, div.info, div.date, time, div.byline, div[class*='date']"):
        quick = node.text(deep=True)  # C-level text first: most nodes are long or carry no digit
        if len(quick) > 400 or not _DIGIT_RE.search(quick):
            continue
        text = node_text(node)
        if 6 <= len(text) <= 80 and has_date_label(text) and not in_prev_next(node):
            texts.append(text)
        if len(texts) >= 6:
            break
    return texts or [t for t in label_value_texts(tree) if has_date_label(t)][:6]
