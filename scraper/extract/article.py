"""HTML page -> :class:`RawArticle`: the stages of extraction and the one place they are assembled; pure.

Stages, each a function that returns its result: the profile (:func:`choose_profile`, checked by
:func:`profile_missed`), the container (``container.choose_container``), the page facts
(``facts.page_facts``: headline, kind, date and byline candidates), the press-release fields and
attachments (``release``), the body read from a copy of the container (``body.read_body``). A site hook,
the inline app state of a client-rendered page (``appstate``) and trafilatura (``fallback``) come after,
when the body is still too short. No I/O.
"""

from __future__ import annotations

import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.errors import ExtractionError
from scraper.extract import hooks as hook_registry
from scraper.extract.appstate import app_state_article
from scraper.extract.blocks import bounded_text, node_text
from scraper.extract.body import BodyText, read_body
from scraper.extract.container import MIN_BODY_CHARS, choose_container
from scraper.extract.discovery import count_items
from scraper.extract.embargo import page_embargo
from scraper.extract.facts import PageFacts, page_facts
from scraper.extract.fallback import fallback_lines
from scraper.extract.generic import (
    byline_texts,
    drop_meta_nodes,
    in_list_block,
    main_articles,
    time_dates,
    unlabelled_dates,
)
from scraper.extract.lines import sort_lines
from scraper.extract.markup import parse_guarded
from scraper.extract.pagetext import PageText, page_text, tab_spaced
from scraper.extract.release import (
    contact_tables,
    deck_lines,
    label_value_texts,
    read_release_fields,
    take_attachments,
)
from scraper.extract.rules import any_match, css_all, first_node, first_value, maybe_matching
from scraper.extract.title import place_selector
from scraper.models import RawArticle
from scraper.normalize.authors import split_authors
from scraper.normalize.dates import VALUE_START, has_date_label, may_have_date_label
from scraper.normalize.record import release_kind
from scraper.normalize.text import fold_space
from scraper.sources import matching_profiles
from scraper.sources.profile import SiteProfile
from scraper.vocab import DATE_LABEL_SUFFIXES, DELETED_POST_RE, LIST_SIGNALS, MODIFIED_LABELS, alternation

_DIGIT_RE = re.compile(r"\d")


def choose_profile(tree: LexborHTMLParser, url: str | None, profiles: tuple[SiteProfile, ...]) -> SiteProfile | None:
    """The profile for this page: by host or URL pattern first, then by a fingerprint selector."""
    best = next(matching_profiles(url, profiles), None)
    if best is not None:
        return best
    owners = [profile for profile in profiles for _ in profile.fingerprints]
    fingerprints = [fp for profile in profiles for fp in profile.fingerprints]
    if not any_match(tree, fingerprints):
        return None  # one query for all fingerprints: most pages match none
    for index in maybe_matching(tree, fingerprints):  # in profile order: the first profile with a match
        if css_all(tree, fingerprints[index]):
            return owners[index]
    return None


def profile_missed(tree: LexborHTMLParser, profile: SiteProfile, body: LexborNode | None = None) -> bool:
    """True when a profile no longer fits the page (the site changed its template): its body selectors
    find no text, or (a profile without body selectors) neither its title nor its date selectors give a
    value and none of its fingerprints matches. Such a page is read by the
    generic path instead, with warning ``profile_missed``, never as a junk record from stale selectors.
    A profile with a hook is judged by its hook (it reads app-state pages whose markup has no body).
    ``body``: what the profile's body selectors found, when the caller has looked already."""
    if profile.hook:
        return False  # the hook reads what the selectors cannot (app-state pages); it is the judge
    if profile.body:
        return (body or first_node(tree, profile.body)) is None
    named = [s for s in profile.title + profile.published if "@" not in s or not s.startswith("meta")]
    return bool(named) and first_value(tree, named) is None and not any(css_all(tree, f) for f in profile.fingerprints)


def extract_article(
    html: str, url: str | None = None, profiles: tuple[SiteProfile, ...] = (), *, now: str | None = None,
    profile_name: str | None = None, headline_hint: str | None = None, utf8: bytes | None = None,
) -> RawArticle:
    """Read one article from page text; ``profile_name`` forces that profile (a crawl source's ``profile``);
    ``headline_hint``: where this host's other pages show their headline (a CSS selector learned by
    ``scraper.learn``), used on the generic path when the page's own titles do not agree (warning
    ``headline_learned``); ``utf8``: ``html.encode("utf-8")`` when the caller has it (not encoded again).

    See the module docstring for the stages. A profile that no longer fits the page gives the generic
    path's result with warning ``profile_missed``. Raises :class:`ExtractionError` (kind ``no_content``)
    when the page holds no article text (a JavaScript-only shell, a deleted-post notice).
    """
    html, tree, guards = parse_guarded(html, utf8)
    forced = [p for p in profiles if p.name == profile_name] if profile_name else []
    profile = forced[0] if forced else choose_profile(tree, url, profiles)
    profile_body = first_node(tree, profile.body) if profile is not None and profile.body else None
    missed = profile is not None and profile_missed(tree, profile, profile_body)
    if missed:  # the tree is as served (bodies are read from copies): the generic path reads it again
        profile, profile_body = None, None
    raw = _read_page(html, tree, profile, profile_body, url, now, headline_hint, guards)
    raw.warnings += ["profile_missed"] if missed else []
    return raw


def _read_page(
    html: str, tree: LexborHTMLParser, profile: SiteProfile | None, profile_body: LexborNode | None,
    url: str | None, now: str | None, headline_hint: str | None, guards: list[str],
) -> RawArticle:
    """The stages on one parsed page with its chosen profile (or none); see :func:`extract_article`."""
    container = profile_body or choose_container(tree, profile)
    facts = page_facts(tree, profile, url, container, now, None if profile else headline_hint)
    raw = _from_facts(facts, profile)
    raw.warnings += ["headline_learned"] if facts.headline_how == "learned" else []
    raw.warnings += guards
    base = url or raw.canonical_url
    read_release_fields(tree, profile, base, raw)
    text = page_text(tree)  # read once for the page-wide word scans below
    raw.embargo_until = page_embargo(tree, text)
    if profile is None:
        container = _one_article(tree, container, raw)
    copy = container.clone() if container is not None else None  # the tree stays as served
    raw.attachments = take_attachments(tree, copy, profile, base)
    line_dates: list[str] = []
    if copy is not None:
        body = read_body(_without_page_meta(copy, raw) if profile is None else copy, profile,
                         release=raw.kind == "press_release", base=url)
        _assemble_body(raw, body, byline_texts(tree) if profile is None else [])
        raw.paragraphs = (deck_lines(tree, profile) if profile else []) + raw.paragraphs
        _place_decks(raw, url)
        line_dates = body.dates
    if profile and profile.hook:
        hook_registry.HOOKS[profile.hook](html, tree, raw, profile)
    if profile is None and sum(len(p) for p in raw.paragraphs) < MIN_BODY_CHARS:
        _read_app_state(html, raw)
    if sum(len(p) for p in raw.paragraphs) < MISSING_POST_CHARS:
        _raise_if_missing_post(html, tree, url)
        if profile is None and facts.headline_how not in ("echo", "label") and not raw.attachments:
            _raise_if_not_an_article(html, tree, url)  # a release whose text is only in its file is an article
    if sum(len(p) for p in raw.paragraphs) < MIN_BODY_CHARS:
        line_dates += _fallback(html, url, raw, tree)
    if not raw.paragraphs and sum(1 for i in raw.images if i.url and i.caption) >= 2:  # a photo gallery
        raw.paragraphs = [i.caption for i in raw.images if i.caption]
    if not raw.published_raw or not raw.modified_raw:
        # labelled texts: 입력 goes to published, 수정 to modified
        visible = _visible_date_text(tree, len(html), text, published=not raw.published_raw)
        visible = visible or line_dates or (unlabelled_dates(tree) if profile is None else [])
        raw.published_raw = raw.published_raw or visible
        raw.modified_raw = raw.modified_raw or [t for t in visible if has_date_label(t)]  # never a lone date
    return raw


def headline_place(html: str | LexborHTMLParser, url: str | None = None) -> str | None:
    """Where a page no profile covers shows its headline, as a CSS selector (``title.place_selector``),
    when the page proves it (its declared and visible titles agree); else ``None``. What a host's pages
    agree on is learned (``scraper.learn``) and given back as ``headline_hint`` to pages that prove nothing.
    ``html``: the page's text, or its tree as :func:`~scraper.extract.markup.parse_guarded` gives it (read only)."""
    tree = parse_guarded(html)[1] if isinstance(html, str) else html
    container = choose_container(tree, None)
    found = page_facts(tree, None, url, container)
    return place_selector(found.headline) if found.headline is not None and found.headline_how == "echo" else None


def _from_facts(facts: PageFacts, profile: SiteProfile | None) -> RawArticle:
    return RawArticle(
        extractor=profile.name if profile else "generic", kind=facts.kind, site_name=facts.site_name,
        organization=facts.organization, canonical_url=facts.canonical_url, title=facts.title,
        subtitle=facts.subtitle, decks=facts.decks, published_raw=facts.published, modified_raw=facts.modified,
        modified_shown=facts.modified_shown, bylines=facts.bylines, header_bylines=facts.header_bylines,
        authors_hint=facts.authors_hint,
    )


def _without_page_meta(copy: LexborNode, raw: RawArticle) -> LexborNode:
    """The container copy of a page no profile covers, without its contact table (a release's
    담당부서/담당자 grid) and its short ``<time>``/byline meta line: read as fields, never body."""
    if raw.kind == "press_release":
        for table in contact_tables(copy):
            table.decompose()
    drop_meta_nodes(copy)
    return copy


def _assemble_body(raw: RawArticle, body: BodyText, node_bylines: list[str]) -> None:
    """Put the body stage's result on the article: paragraphs (without a repeated headline, except in a
    release, which keeps a typed-in title line as the gov gold has it), images, captions, credits and
    bylines; byline nodes of the page count when the body and its dateline name nobody."""
    raw.paragraphs = body.paragraphs
    raw.decks += [line for line in body.decks if line not in raw.decks]
    raw.images += body.images
    raw.captions += [c for c in body.captions if c not in raw.captions]
    raw.bylines += body.bylines
    raw.dateline = body.dateline
    raw.source_credit = body.source_credit or raw.source_credit
    raw.photo_credit = raw.photo_credit or body.photo_credit
    if not raw.bylines and not split_authors(raw.dateline):
        raw.bylines = node_bylines
    if raw.kind != "press_release":
        raw.paragraphs = drop_title_repeat(raw.paragraphs, raw.title)


def drop_title_repeat(paragraphs: list[str], title: str | None) -> list[str]:
    """Paragraphs without a first line that only repeats the headline (yonhapnewstv.co.kr video pages).

    >>> drop_title_repeat(["[이슈+] 고물가", "본문이다."], "[이슈+] 고물가")
    ['본문이다.']
    """
    if paragraphs and title and fold_space(paragraphs[0]) == fold_space(title):
        return paragraphs[1:]
    return paragraphs


def is_script_shell(tree: LexborHTMLParser) -> bool:
    """True for a JavaScript-only page: no readable body text, only an app div and/or a noscript notice.
    Reads the text without scripts (``node_text`` skips them), so ``tree`` is not changed."""
    body = tree.body
    if body is None:
        return True
    return len(node_text(body)) < MIN_BODY_CHARS and bool(tree.css("noscript, script"))


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
    """Deck lines under the headline: the record's subtitle (joined with `` / ``) and, for a press release,
    also its first body paragraphs (the gov boards' convention: the 부제 lines are part of the release text,
    seen on korea.kr, mois.go.kr; a board's ``p.sub-tit`` deck). Lines the body already holds are not
    repeated in it."""
    decks = [line for line in raw.decks if line not in raw.paragraphs]
    if not decks:
        return
    if not raw.subtitle:
        raw.subtitle = " / ".join(decks)
    if release_kind(raw.kind, url) == "press_release":
        raw.paragraphs = decks + raw.paragraphs


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
    if notice is None and _page_mentions_deleted_post(tree):
        shown = [fold_space(quick) for node in css_all(tree, "p, div, span, strong, h1, h2, h3, h4, td, li")
                 if 6 <= len(quick := node.text(deep=True, strip=True)) <= 160 and DELETED_POST_RE.search(quick)]
        notice = min(shown, key=len) if shown else None  # the innermost element: the notice's own words
    if notice:
        raise ExtractionError(f"the post is deleted or missing (the page says: {notice})", url=url, kind="no_content")


def _page_mentions_deleted_post(tree: LexborHTMLParser) -> bool:
    """True when the page's text (its text nodes stripped and joined, as ``text(strip=True)`` joins them) has
    a deleted-post notice: every element's stripped text is a slice of it, so a page without one needs no
    element-by-element search (which reads each nested level's text again: quadratic on broken markup)."""
    root = tree.root
    return root is None or bool(DELETED_POST_RE.search(root.text(deep=True, strip=True)))


MIN_LIST_ITEMS = 5
LIST_LINK_SHARE = 0.3
LITTLE_TEXT = 2000
"""Characters of page text below which a leaving alert or a password field means the page is that notice
or login form (a header's login box on an article page does not count)."""
"""Share of a list page's text inside links (its rows' titles); an article's related links hold far less."""
_LIST_SIGNAL = re.compile(alternation(LIST_SIGNALS) + r"|총\s*<?b?>?\s*[\d,]+\s*건")


def _raise_if_not_an_article(html: str, tree: LexborHTMLParser, url: str | None) -> None:
    """Raise ``no_content`` for a page that is no article, when its body is short and its headline is not
    proved by its declared titles: a notice the page leaves at once (``alert('유료 회원만 ...');
    history.back()``), a login form, or a list of posts (a section front, a search result, a board's list
    page: :data:`MIN_LIST_ITEMS` or more article links holding :data:`LIST_LINK_SHARE` of its text, or two
    with a result count such as ``총 게시물 1,234건``). A junk record of its menus and footer is worse
    than an error record an archivist can see."""
    page_text = tree.body.text(strip=True) if tree.body else ""
    little = len(page_text) < LITTLE_TEXT  # a notice or a login page has little else; an article page has more
    m = _ALERT_RE.search(html[:200_000])
    if m and little:
        raise ExtractionError(f"the page only shows a notice and leaves: {m.group('text')}", url=url,
                              kind="no_content")
    if little and tree.css_first("input[type='password']") is not None:
        raise ExtractionError("a login page, not an article", url=url, kind="no_content")
    items = count_items(tree, url)
    linked = sum(len(a.text(strip=True)) for a in css_all(tree, "body a"))
    many = items >= MIN_LIST_ITEMS and linked >= LIST_LINK_SHARE * len(page_text)
    if many or (items >= 2 and _LIST_SIGNAL.search(page_text)):
        raise ExtractionError(f"a list page ({items} article links), not an article", url=url,
                              kind="no_content")


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


def _one_article(tree: LexborHTMLParser, container: LexborNode | None, raw: RawArticle) -> LexborNode | None:
    """The container to read on a page without a profile: ``<time datetime>`` dates when no other date
    was found, and the first of several full articles (warning ``multiple_articles``)."""
    if not raw.published_raw:
        raw.published_raw, modified = time_dates(tree)
        raw.modified_raw = raw.modified_raw or modified
    articles = main_articles(tree)
    if len(articles) >= 2:
        raw.warnings.append("multiple_articles")
        if container is None or any(a.mem_id == container.mem_id for a in articles):
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
        if bounded_text(node, 200, 20) is None:  # a long cell is no label; the bound keeps nested cells linear
            continue
        text = node_text(node)
        if len(text) <= 40:
            furniture.add(text)
    return [line for line in lines if fold_space(line.lstrip("-•· ")) not in furniture]


SCAN_BUDGET = 4
"""Characters a page-wide scan may read, as a multiple of the page's size."""


_GAP = r"[\s\u200b\ufeff]*"
"""What ``fold_space`` turns into one space (U+200B and U+FEFF are no ``\\s``), a tab between text nodes too."""


def _in_cells(word: str) -> str:
    """``word`` as a regex for page text: a tab may split it, and a space in it is any gap (``vocab.alternation``)."""
    return _GAP.join(tab_spaced(piece) for piece in word.split())


_MODIFIED_DATES = tuple(
    re.compile(_in_cells(label) + _GAP + "(?:" + "|".join(map(_in_cells, DATE_LABEL_SUFFIXES)) + ")?"
               + _GAP + "[:：|]?" + _GAP + r"\[?" + _GAP + VALUE_START)
    for label in MODIFIED_LABELS
)
"""A 수정 label and the start of its value as ``normalize.dates``' label regex reads them, in page text (a tab
may split a word, and stand in any gap); one regex per label: each starts with a literal, which scans fast."""


def _may_show_modified_date(page: PageText) -> bool:
    """False when no element of the page can have a folded text with a labelled 수정 date: none of
    :data:`_MODIFIED_DATES` is in its text, and the text is NFC (``fold_space`` normalizes to NFC).

    Not seen: the text of an element the body reader skips (a script, a button) between a 수정 label and its
    date, and a word split by one; no page does that.

    >>> from scraper.extract.pagetext import page_text
    >>> [_may_show_modified_date(page_text(LexborHTMLParser(html))) for html in (
    ...     "<span>수<b>정</b> : 2024.03.05</span>", "<a>기사수정</a> <a>삭제</a> 2024",
    ...     "<p>업데이트\u200b[ 2025-01-02 ]</p>")]
    [True, False, True]
    """
    cells = page.cells
    return any(pattern.search(cells) for pattern in _MODIFIED_DATES) or not unicodedata.is_normalized("NFC", cells)


def _visible_date_text(
    tree: LexborHTMLParser, page_chars: int, page: PageText | None = None, *, published: bool = True,
) -> list[str]:
    """Short texts of the page that carry 입력/등록/수정 labels (used when neither a selector nor the article
    header gave dates); other posts' dates (prev/next rows, sidebars, related and popular lists) are skipped.

    ``published``: the caller still needs a published date. When it does not, only the texts' 수정 dates
    are used (``record.resolve_dates`` reads only the 수정 dates of a labelled modified text), so a page whose
    text ``page`` shows no 수정 label before a date (:func:`_may_show_modified_date`) is not walked."""
    if not published and page is not None and not _may_show_modified_date(page):
        return []
    texts: list[str] = []
    budget = SCAN_BUDGET * (page_chars + 1)  # nested nodes repeat their text: stay linear in the page
    for node in css_all(tree, "span, em, li, p, dd, td, div.info, div.date, time, div.byline, div[class*='date']"):
        quick = node.text(deep=True)  # C-level text first: most nodes are long or carry no digit
        budget -= len(quick)
        if budget < 0:
            break
        if len(quick) > 400 or not _DIGIT_RE.search(quick) or not may_have_date_label(quick):
            continue  # the folded text has no label when the raw one has none (a script's adds only)
        text = node_text(node)
        if 6 <= len(text) <= 80 and has_date_label(text) and not in_list_block(node):
            texts.append(text)
        if len(texts) >= 6:
            break
    return texts or [t for t in label_value_texts(tree, dated=True) if has_date_label(t)][:6]
