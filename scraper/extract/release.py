"""Press-release fields read from a profile's labelled per-release selectors; pure.

Department and contact come only from the release's own labelled fields (담당부서, 등록부서, 부서명,
작성자, 전화번호, 문의: dl/dt/dd on gangjin.go.kr, mokpo.go.kr, gb.go.kr; th/td on shinan.go.kr;
span pairs on naju.go.kr, jeonnam.go.kr), never from the page-manager footer next to the 만족도 survey.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.attachments import attachment_nodes, is_standalone, read_attachments
from scraper.extract.blocks import node_lines, node_text
from scraper.extract.rules import css_all, split_selector
from scraper.models import Attachment, Contact, RawArticle
from scraper.normalize.text import fold_space
from scraper.sources.profile import SiteProfile

_PHONE_RE = re.compile(r"(?:\+82[-\s]?)?0?\d{1,3}[-)\s.]\d{3,4}[-\s.]\d{4}")


def clean_phone(text: str | None) -> str | None:
    """The phone number in a labelled field (``'☎ 054-339-8233'`` -> ``'054-339-8233'``).

    >>> clean_phone("전화 : 054-339-8233")
    '054-339-8233'
    >>> clean_phone("없음") is None
    True
    """
    m = _PHONE_RE.search(text or "")
    return m.group(0).strip() if m else None


def _value(tree: LexborHTMLParser, selectors: list[str]) -> str | None:
    """The first non-empty labelled value; a value split over several spans is joined with a space."""
    for selector in selectors:
        css, attr = split_selector(selector)
        for node in css_all(tree, css):
            if attr:
                text = fold_space(node.attributes.get(attr) or "")
            else:
                text = " ".join(span_texts(node)) or node_text(node)
            if text:
                return text
    return None


def span_texts(node: LexborNode) -> list[str]:
    """Texts of ``node``'s direct ``span`` children when there are several (seoul.go.kr 담당부서), else ``[]``.

    >>> span_texts(LexborHTMLParser("<dd><span>정책기획관</span><span>기획담당관</span></dd>").css_first("dd"))
    ['정책기획관', '기획담당관']
    """
    spans = []
    child = node.child
    while child is not None:
        if child.tag == "span" and node_text(child):
            spans.append(node_text(child))
        child = child.next
    return spans if len(spans) > 1 else []


def read_contact(tree: LexborHTMLParser, profile: SiteProfile) -> Contact | None:
    """The release contact from the profile's ``contact_name``/``contact_phone`` fields, or ``None``."""
    name = _value(tree, profile.contact_name)
    phone = clean_phone(_value(tree, profile.contact_phone))
    return Contact(name=name, phone=phone) if name or phone else None


def deck_lines(tree: LexborHTMLParser, profile: SiteProfile) -> list[str]:
    """Deck lines shown under the title outside the body container (gwangju.go.kr ``p.tc``)."""
    lines: list[str] = []
    for selector in profile.deck:
        for node in css_all(tree, selector):
            lines += node_lines(node)
        if lines:
            break
    return lines


_DEPT_LABEL = re.compile(r"^(?:담당\s*부서|부서\s*명?|등록\s*부서|담당\s*과|작성\s*부서|주관\s*부서)$")
_NAME_LABEL = re.compile(r"^(?:담당자|작성자|담당\s*공무원)$")
_PHONE_LABEL = re.compile(r"^(?:전화|전화\s*번호|연락처|문의(?:\s*전화)?|담당자\s*연락처)$")
_MAIL_LABEL = re.compile(r"^(?:이메일|e-?mail|전자\s*우편)$", re.I)
_MANAGER_IDENT = re.compile(r"page_?info|satisf|survey|manager|footer|charge|kogl|opentype", re.I)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _in_manager_box(node: LexborNode) -> bool:
    """True inside the page manager's footer box (담당부서/전화 next to the 만족도 survey), not the release's."""
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        ident = f"{current.attributes.get('class') or ''} {current.attributes.get('id') or ''}"
        if current.tag == "footer" or _MANAGER_IDENT.search(ident):
            return True
        current = current.parent
    return False


def labelled_pairs(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """``(label, value)`` of th/td and dt/dd pairs outside prev/next blocks and the page-manager box.

    >>> labelled_pairs(LexborHTMLParser("<dl><dt>담당부서</dt><dd>교통행정과</dd></dl>"))
    [('담당부서', '교통행정과')]
    """
    pairs: list[tuple[str, str]] = []
    for label in css_all(tree, "th, dt"):
        value = label.next
        while value is not None and value.tag == "-text":
            value = value.next
        if value is None or value.tag not in ("td", "dd") or in_prev_next(label) or _in_manager_box(label):
            continue
        pairs.append((node_text(label).strip(" :："), node_text(value)))
    return pairs


def generic_release_fields(tree: LexborHTMLParser, raw: RawArticle) -> None:
    """Department and contact from labelled pairs (담당부서, 담당자, 전화번호, 이메일) of a page no profile covers."""
    name = phone = email = None
    for label, value in labelled_pairs(tree):
        if not value or len(value) > 60:
            continue
        if raw.department is None and _DEPT_LABEL.match(label):
            raw.department = value
        elif name is None and _NAME_LABEL.match(label) and re.fullmatch(r"[가-힣]{2,5}", value):
            name = value
        elif phone is None and _PHONE_LABEL.match(label):
            phone = clean_phone(value)
        elif email is None and _MAIL_LABEL.match(label):
            found = _EMAIL_RE.search(value)
            email = found.group(0) if found else None
    if raw.contact is None and (name or phone or email):
        raw.contact = Contact(name=name, phone=phone, email=email)


def read_release_fields(tree: LexborHTMLParser, profile: SiteProfile | None, url: str | None, raw: RawArticle) -> None:
    """Fill organization, department and contact of ``raw`` from the profile (before the body is read);
    pages without a profile use labelled pairs when they look like a press release."""
    if profile is None:
        if raw.kind == "press_release":
            generic_release_fields(tree, raw)
        return
    raw.organization = profile.organization_for(urlsplit(url or "").netloc) or raw.organization
    raw.department = _value(tree, profile.department)
    raw.contact = read_contact(tree, profile)


def take_attachments(
    tree: LexborHTMLParser, container: LexborNode | None, profile: SiteProfile | None, url: str | None
) -> list[Attachment]:
    """The page's attachments; their standalone entries inside ``container`` are removed from it."""
    selectors = profile.attachments if profile else []
    template = profile.attachment_url_template if profile else None
    found = read_attachments(tree, url, selectors, template)
    if container is not None and found:
        for node in attachment_nodes(container, selectors):
            if is_standalone(node):
                node.decompose()
    return found


_PAGER_IDENT = re.compile(r"(?<![a-z])(?:prev(?!iew)|next)|pager|paging|inventory", re.I)
_PAGER_TEXT = re.compile(r"^\s*(?:이전\s*글|다음\s*글|이전\s*게시물|다음\s*게시물|윗글|아랫글|prev|next)", re.I)


def in_prev_next(node: LexborNode, depth: int = 8) -> bool:
    """True for a node inside a prev/next (이전글/다음글) or pager block, whose dates are other posts' dates.

    Seen as ``table.bbs_prevnext`` rows (shared/cases/003), ``div.board_view_pager`` (ybmodule),
    ``div.bbs_inventory`` (jeonnam.go.kr), ``dl.nav.prev`` (gb.go.kr).

    >>> tree = LexborHTMLParser("<table class='x'><tr><th>이전글</th><td>2024. 3. 4.</td></tr></table>")
    >>> in_prev_next(tree.css_first("td"))
    True
    >>> in_prev_next(LexborHTMLParser("<ul><li>등록일 2024. 3. 5.</li></ul>").css_first("li"))
    False
    """
    current: LexborNode | None = node
    for _ in range(depth):
        if current is None or current.tag in ("body", "html", "main"):
            return False
        ident = f"{current.attributes.get('class') or ''} {current.attributes.get('id') or ''}"
        if _PAGER_IDENT.search(ident):
            return True
        if current.tag in ("tr", "li", "dl") and _PAGER_TEXT.match(node_text(current)):
            return True
        current = current.parent
    return False


def label_value_texts(tree: LexborHTMLParser | LexborNode) -> list[str]:
    """``'label value'`` texts of th/td and dt/dd pairs outside prev/next blocks (등록일 in a th cell).

    >>> label_value_texts(LexborHTMLParser("<table><tr><th>등록일</th><td>2024. 3. 5.</td></tr></table>"))
    ['등록일 2024. 3. 5.']
    """
    texts: list[str] = []
    for label in css_all(tree, "th, dt"):
        value = label.next
        while value is not None and value.tag == "-text":
            value = value.next
        if value is None or value.tag not in ("td", "dd") or in_prev_next(label):
            continue
        text = f"{node_text(label)} {node_text(value)}".strip()
        if 0 < len(text) <= 80:
            texts.append(text)
    return texts
