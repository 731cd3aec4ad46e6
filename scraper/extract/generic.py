"""Facts of a page no site profile covers, read from common markup; pure.

* ``<time datetime>`` (WordPress ``time.entry-date`` / ``time.updated``) and unlabelled dates in date-ish
  containers (``span.date``: ``2024.03.05 14:00``, ``3시간 전``) — used only when no meta or labelled date exists;
* byline nodes (``[rel=author]``, ``.author``, ``.byline``, ``.writer``, ``.reporter``);
* images whose caption is not in a ``<figure>`` (WordPress ``div.wp-caption``, ``table.photo`` with a ``▲``
  cell, ``div.photo`` with ``p.caption``);
* several full articles on one page (``<article>`` twice).

Nodes in prev/next blocks and in related/popular/list boxes are skipped: their dates and names are other posts'.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import bounded_text, is_inside, node_text
from scraper.extract.chrome import classify_line
from scraper.extract.lines import caption_text, is_photo_credit
from scraper.extract.release import in_prev_next
from scraper.extract.rules import css_all
from scraper.models import Image
from scraper.normalize.dates import parse_kst
from scraper.normalize.text import fold_space
from scraper.normalize.urls import join_url

_LIST_IDENT = re.compile(r"relat|relation|popular|ranking|recommend|most|hot|list|other|more|side|aside|widget", re.I)
_DATE_BOXES = "time, div.date, span.date, p.date, .article-date, .info, [class*='date']"
_BYLINE_NODES = "[rel='author'], .author, .byline, .writer, .reporter"
CAPTION_SELECTORS = ["figcaption", ".photo_caption", ".caption", "[class*='caption']", ".img_desc"]
_ANY_CAPTION = ", ".join(CAPTION_SELECTORS)
"""One query that tells whether any caption selector matches (most images' blocks have none)."""
MAX_CAPTION_BLOCK = 300
"""An image's caption block holds at most this many characters; a larger ancestor is the article itself."""
_PROBE_NOW = "2000-01-01T12:00:00+09:00"  # only to test that a relative date parses; build_record uses the real now


def in_list_block(node: LexborNode, depth: int = 8) -> bool:
    """True inside a prev/next block or a related/popular/list box (other posts' dates and bylines)."""
    if in_prev_next(node):
        return True
    current = node.parent
    for _ in range(depth):
        if current is None or current.tag in ("body", "html", "main", "article"):
            return False
        if current.tag in ("aside", "nav", "footer"):
            return True
        ident = f"{current.attributes.get('class') or ''} {current.attributes.get('id') or ''}"
        if _LIST_IDENT.search(ident):
            return True
        current = current.parent
    return False


def time_dates(tree: LexborHTMLParser) -> tuple[list[str], list[str]]:
    """``(published, modified)`` from ``<time datetime>``; ``time.updated`` / ``.modified`` is the modified one."""
    published: list[str] = []
    modified: list[str] = []
    for node in css_all(tree, "time[datetime]"):
        value = (node.attributes.get("datetime") or "").strip()
        if not value or in_list_block(node) or parse_kst(value) is None:
            continue
        classes = (node.attributes.get("class") or "").lower()
        updated = "updated" in classes or "modified" in classes
        (modified if updated and "published" not in classes else published).append(value)
    return published[:1], modified[:1]


def unlabelled_dates(tree: LexborHTMLParser) -> list[str]:
    """Short texts of date-ish containers that hold a date with no label (``2024.03.05 14:00``, ``2시간전``)."""
    for node in css_all(tree, _DATE_BOXES):
        quick = node.text(deep=True, strip=True)  # C-level text first
        if not 2 <= len(quick) <= 60 or in_list_block(node):
            continue
        text = node_text(node)
        if parse_kst(text, now=_PROBE_NOW):
            return [text]
    return []


def byline_texts(tree: LexborHTMLParser) -> list[str]:
    """Texts of byline nodes outside list boxes (``<span class="author vcard"><a>김산골</a></span>``)."""
    texts: list[str] = []
    for node in css_all(tree, _BYLINE_NODES):
        quick = node.text(deep=True, strip=True)
        if not quick or len(quick) > 80 or in_list_block(node):
            continue
        text = node_text(node)
        if text not in texts:
            texts.append(text)
    return texts[:4]


def _caption_near(img: LexborNode, root: LexborNode) -> str | None:
    """The caption of an image outside ``<figure>``: a caption-class node or a ``▲`` line in a close ancestor
    (the first of up to 4 ancestors that holds any text, if that text is short). Each ancestor's text is read
    with a bounded walk, so a page with thousands of images costs linear time."""
    current = img.parent
    for _ in range(4):
        if current is None or current.mem_id == root.mem_id:
            return None
        quick = bounded_text(current, MAX_CAPTION_BLOCK)
        if quick is None:
            return None
        if not quick.strip():
            after = _caption_after(current)
            if after:
                return after
        if quick.strip():
            for selector in CAPTION_SELECTORS if current.css_first(_ANY_CAPTION) is not None else ():
                cap = current.css_first(selector)  # in selector order: the first match of each, if it has text
                if cap is not None and node_text(cap):
                    return caption_text(node_text(cap))
            text = node_text(current)
            return caption_text(text) if classify_line(text) == "caption" else None
        current = current.parent
    return None


def _caption_after(block: LexborNode) -> str | None:
    """The caption line right after an image's own (textless) block: ``<p><img></p><p>▲ 설명</p>``."""
    sibling = block.next
    while sibling is not None and sibling.tag in ("-text", "-comment") and not (sibling.text_content or "").strip():
        sibling = sibling.next
    if sibling is None or sibling.tag in ("-text", "-comment", "img"):
        return None
    text = bounded_text(sibling, MAX_CAPTION_BLOCK)
    if not text or not text.strip():
        return None
    line = fold_space(text)
    return caption_text(line) if classify_line(line) == "caption" else None


def loose_images(container: LexborNode, base: str | None) -> list[Image]:
    """Captioned images not in a ``<figure>`` with their absolute ``src`` (images without a caption are left
    out, as before: they are mostly icons and ads)."""
    images: list[Image] = []
    for img in css_all(container, "img"):
        parent, inside_figure = img.parent, False
        for _ in range(6):
            if parent is None:
                break
            inside_figure = inside_figure or parent.tag == "figure"
            parent = parent.parent
        src = img.attributes.get("data-src") or img.attributes.get("src")
        caption = None if inside_figure or not src else _caption_near(img, container)
        if caption:
            images.append(Image(url=join_url(base, src) if src else None, caption=caption))
    return images


def main_articles(tree: LexborHTMLParser) -> list[LexborNode]:
    """Top-level ``<article>`` elements that each hold a headline and a full text (two or more: several
    articles on one page)."""
    found: list[LexborNode] = []
    for node in css_all(tree, "article"):
        if any(node.mem_id != other.mem_id and is_inside(node, other) for other in found):
            continue
        if len(node.text(deep=True, strip=True)) >= 200 and node.css_first("h1, h2") is not None:
            found.append(node)
    return found


_CREDIT_HOLDERS = frozenset({"p", "div", "td", "span", "li", "em", "font"})


def photo_credit_images(container: LexborNode, base: str | None) -> dict[str, str]:
    """Standalone photo credit line (``[사진=연합뉴스]``) -> absolute ``src`` of the image just before it."""
    found: dict[str, str] = {}
    if "사진" not in container.text(deep=True):  # C-level pre-filter: most containers have no credit line
        return found
    last: str | None = None
    for node in container.traverse():
        if node.tag == "img":
            src = node.attributes.get("data-src") or node.attributes.get("src")
            last = (join_url(base, src) if src else None) or last
        elif node.tag in _CREDIT_HOLDERS and last:
            text = fold_space(node.text(deep=True))
            if len(text) <= 40 and is_photo_credit(text):
                found.setdefault(text, last)
    return found


def drop_meta_nodes(container: LexborNode) -> None:
    """Remove ``<time>`` and byline nodes that sit in a short meta line of the container (``entry-meta``);
    they are read as dates and authors, never body."""
    for node in css_all(container, "time, " + _BYLINE_NODES):
        parent = node.parent
        if parent is not None and len(parent.text(deep=True, strip=True)) <= 100:
            node.decompose()


def gallery_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The block of a photo gallery page (two or more captioned images and little text), or ``None``:
    the images' common ancestor, widened by one level for the credit/byline line next to the photo list."""
    body = tree.body
    if body is None:
        return None
    captioned = [img for img in css_all(body, "img") if _caption_near(img, body)]
    if len(captioned) < 2:
        return None
    common = captioned[0].parent
    while common is not None and not all(is_inside(img, common) for img in captioned[1:]):
        common = common.parent
    if common is None or common.tag in ("body", "html"):
        return common
    parent = common.parent
    if parent is not None and parent.tag not in ("body", "html"):
        if len(parent.text(deep=True, strip=True)) <= len(common.text(deep=True, strip=True)) + 300:
            return parent
    return common
