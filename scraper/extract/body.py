"""The body stage: an article container -> :class:`BodyText` (paragraphs, captions, images, credits,
byline and date lines); pure.

It is given a COPY of the container (``LexborNode.clone()``): captions, page chrome (share bars, related
lists, ads; see ``chrome.DROP_SELECTORS``) and the profile's ``drop`` nodes are removed from the copy, so
the page tree stays as served for every other reader.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import is_inside, node_lines, node_text
from scraper.extract.chrome import DROP_SELECTORS, classify_line
from scraper.extract.generic import CAPTION_SELECTORS, loose_images, photo_credit_images
from scraper.extract.header import DECK_CLASS
from scraper.extract.lines import caption_text, sort_lines
from scraper.extract.rules import css_all, drop_nodes, maybe_matching
from scraper.models import Image
from scraper.normalize.urls import join_url
from scraper.sources.profile import SiteProfile


@dataclass
class BodyText:
    """What the article container holds, sorted by what each line is."""

    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    """Captions not attached to an image (an image's own caption is on :attr:`images`)."""
    images: list[Image] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    dateline: str | None = None
    source_credit: str | None = None
    photo_credit: str | None = None
    dates: list[str] = field(default_factory=list)
    """Date lines in the body (``입력 2024.06.01 10:00 | 이바다 기자``): read as dates, never body."""
    decks: list[str] = field(default_factory=list)
    """Deck lines at the top of the container, before its text (``<h2 class="sub-tit">``): a news
    article's subtitle, a release's first paragraphs."""


def figure_images(container: LexborNode, base: str | None) -> list[Image]:
    """``<figure>`` images with their ``<figcaption>``, then captioned images outside figures; URLs absolute."""
    images: list[Image] = []
    for figure in css_all(container, "figure"):
        img = figure.css_first("img")
        cap = figure.css_first("figcaption")
        src = img.attributes.get("data-src") or img.attributes.get("src") if img else None
        caption = caption_text(node_text(cap)) if cap else None
        images.append(Image(url=join_url(base, src) if src else None, caption=caption or None))
    return images + loose_images(container, base)


MIN_LINK_ITEMS = 2
MIN_LINK_CHARS = 8


def link_lists(root: LexborNode) -> list[LexborNode]:
    """Lists inside the article that only link elsewhere: two or more items, each item nothing but one link
    of a headline's length (``<ul><li><a href="/news/view.php?no=31">다른 기사 제목</a></li>...``). A related
    or popular list with no heading (news CMSs append one under the text); never body.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser('<div><ul><li><a href="/v?no=1">한빛시 버스 요금 동결 결정</a></li>'
    ...                         '<li><a href="/v?no=2">한빛구 축제 개막 10만명 몰려</a></li></ul></div>')
    >>> [n.tag for n in link_lists(tree.css_first("div"))]
    ['ul']
    """
    found: list[LexborNode] = []
    for listing in css_all(root, "ul, ol"):
        items = [c for c in listing.iter() if c.tag == "li"]
        if len(items) < MIN_LINK_ITEMS:
            continue
        if all(_only_a_link(item) for item in items):
            found.append(listing)
    return found


def _only_a_link(item: LexborNode) -> bool:
    links = item.css("a")
    if len(links) != 1:
        return False
    href = (links[0].attributes.get("href") or "").strip()
    text = item.text(deep=True, strip=True)  # C-level text: lists can be long
    return (len(text) >= MIN_LINK_CHARS and links[0].text(deep=True, strip=True) == text and bool(href)
            and not href.startswith(("#", "javascript:", "mailto:")))


_CHROME_TAGS = frozenset(
    "script style noscript iframe form button nav select textarea input ins template aside".split()
)
_CHROME_WORDS = re.compile(
    r"(?i)ad|banner|advert|taboola|dable|share|sns|social|print|font|relat|popular|rank|most|hot|comment|"
    r"reply|copyright|reporter|journalist|writer|tag|keyword|subscribe|recommend|prev|next|satisf|page_info|"
    r"manager|kogl|opentype|survey|summary|display"
)
"""Words of the drop selectors' attribute tests (``chrome.DROP_SELECTORS``): a start tag without any of
them cannot match one. Keep in step when a drop selector is added."""


def is_chrome_block(node: LexborNode, profile: SiteProfile | None = None) -> bool:
    """True when ``node`` itself (not something inside it) is page chrome: it matches a drop selector
    (``div.copyright``, a share bar, a related list). Chosen as the article container only for lack of a
    better one, it holds no article. Tested on a copy of the node's start tag alone, so a container that
    merely holds a share bar is not chrome.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser("<div class='copyright'><p>x</p></div>"
    ...                         "<div class='view'><div class='share'></div></div>")
    >>> is_chrome_block(tree.css_first("div.copyright")), is_chrome_block(tree.css_first("div.view"))
    (True, False)
    """
    tag = node.tag or "div"
    names = " ".join(node.attributes.get(k) or "" for k in ("id", "class", "role", "style"))
    if tag not in _CHROME_TAGS and not _CHROME_WORDS.search(names):
        return False  # cheap test first: no drop selector can match this start tag
    attrs = " ".join(f'{k}="{html.escape(v or "", quote=True)}"' for k, v in node.attributes.items()
                     if k in ("id", "class", "role", "style"))
    alone = LexborHTMLParser(f"<{tag} {attrs}></{tag}>").css_first(tag)
    if alone is None:
        return False
    selectors = (*DROP_SELECTORS, *(profile.drop if profile else ()))
    try:  # one query for the list (a node with no children: "matches any" is "matches the list")
        return bool(alone.css_matches(", ".join(selectors)))
    except (ValueError, SyntaxError):
        return any(_matches(alone, selector) for selector in selectors)


def _matches(node: LexborNode, selector: str) -> bool:
    """``node`` matches ``selector`` (``css_matches`` also answers for its descendants; ``node`` has none)."""
    try:
        return bool(node.css_matches(selector))
    except (ValueError, SyntaxError):
        return False


MAX_DECK_LINE = 120
LEADING_TEXT = 60


def pull_leading_decks(copy: LexborNode) -> list[str]:
    """Remove and return the deck blocks at the top of an article container, before its first text of
    :data:`LEADING_TEXT`+ characters: an ``<h2>`` or a block classed as a deck (``h2.sub-tit-ll``,
    ``div.midtitle_text``; news CMSs put the subtitle inside the body element). Each line of such a block
    is a deck line.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> body = LexborHTMLParser("<div><h2 class='sub'>부제 하나<br>부제 둘</h2><p>" + "본문 " * 30 + "</p></div>")
    >>> pull_leading_decks(body.css_first("div"))
    ['부제 하나', '부제 둘']
    """
    found: list[LexborNode] = []
    sections = len(copy.css("h2")) >= 2  # several <h2>: the body's section headings, not a deck
    for node in copy.traverse(include_text=True):
        if node.mem_id == copy.mem_id:
            continue
        if node.tag == "-text":
            if len((node.text_content or "").strip()) >= LEADING_TEXT and not any(is_inside(node, d) for d in found):
                break
            continue
        if node.tag in ("script", "style", "img", "figure", "figcaption"):
            continue
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".split()
        is_deck = (node.tag == "h2" and not sections) or any(DECK_CLASS.search(n) for n in names)
        if is_deck and not any(is_inside(node, d) for d in found):
            found.append(node)
    lines: list[str] = []
    for deck in found:
        deck_lines = [line for line in node_lines(deck) if len(line) <= MAX_DECK_LINE]
        if any(classify_line(line) in ("chrome", "stop") for line in deck_lines):
            deck.decompose()  # an AI summary box or a promo, not the article's deck
            continue
        if deck_lines:
            lines += deck_lines
            deck.decompose()
    return lines


def read_body(copy: LexborNode, profile: SiteProfile | None, *, release: bool, base: str | None) -> BodyText:
    """Read a copy of the article container (it is changed: captions and chrome are removed from it).

    ``release``: a press release keeps caption and credit lines typed into its text (``(사진 제공-나주시)``)
    as paragraphs, the gov boards' convention. ``base``: the page URL, for absolute image URLs.
    """
    if is_chrome_block(copy, profile):
        return BodyText()  # the "container" is itself a copyright box, share bar or related list: no article
    decks = pull_leading_decks(copy)
    images = figure_images(copy, base)
    captions: list[str] = []
    caption_selectors = (profile.captions if profile else []) + CAPTION_SELECTORS
    for index in maybe_matching(copy, caption_selectors):  # tested as reached: after the removals before
        for node in css_all(copy, caption_selectors[index]):
            text = caption_text(node_text(node))
            if text and text not in captions:
                captions.append(text)
            node.decompose()
    drop_nodes(copy, list(profile.drop) if profile else [])
    drop_nodes(copy, DROP_SELECTORS)
    for listing in [] if release else link_lists(copy):  # a release's link lists (관련 누리집) are its text
        listing.decompose()
    credit_images = photo_credit_images(copy, base)
    lines = sort_lines(node_lines(copy), keep_notes=release)
    captions += [c for c in lines.captions if c not in captions]
    images, captions, photo_credit = attach_photo_credits(images, captions, lines.photo_credits, credit_images)
    return BodyText(
        paragraphs=lines.paragraphs, captions=captions, images=images, bylines=lines.bylines,
        dateline=lines.dateline, source_credit=lines.credits[0] if lines.credits else None,
        photo_credit=photo_credit, dates=lines.dates, decks=decks + lines.lead_in,
    )


def attach_photo_credits(
    images: list[Image], captions: list[str], credits: list[str], previous: dict[str, str]
) -> tuple[list[Image], list[str], str | None]:
    """``(images, captions, photo_credit)`` with standalone photo credits (``[사진=연합뉴스]``) placed: on the
    caption of the image just before the credit line (``previous``: credit -> that image's URL), else of the
    last image with a URL, else on the last loose caption; with no picture at all the credit becomes the
    record's ``photo_credit``, so no image with a null URL is invented for it (and the text's
    ``source_credit`` is not taken). Captions already on an image are not repeated.

    >>> imgs = [Image(url="https://x.kr/1.jpg", caption="행사 모습")]
    >>> attach_photo_credits(imgs, ["행사 모습"], ["[사진=연합뉴스]"], {})[0][0].caption
    '행사 모습 [사진=연합뉴스]'
    >>> attach_photo_credits([], [], ["[사진=한빛구]"], {})
    ([], [], '사진=한빛구')
    """
    images = list(images)
    on_images = {i.caption for i in images}
    captions = [c for c in captions if c not in on_images]
    photo_credit: str | None = None
    for credit in credits:
        with_url = [n for n, image in enumerate(images) if image.url]
        before = [n for n in with_url if images[n].url == previous.get(credit)]
        if with_url:
            index = (before or with_url)[-1]
            image = images[index]
            images[index] = image.model_copy(update={"caption": f"{image.caption} {credit}" if image.caption
                                                     else credit})
        elif captions:
            captions[-1] = f"{captions[-1]} {credit}"
        else:
            photo_credit = photo_credit or credit.strip("[]()")
    return images, captions, photo_credit
