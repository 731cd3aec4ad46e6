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
from scraper.extract.blocks import bounded_text, leading_text, node_lines, node_text
from scraper.extract.headline import element_text
from scraper.extract.rules import css_all
from scraper.models import Attachment, Contact, RawArticle
from scraper.normalize.dates import may_have_date_label
from scraper.normalize.text import fold_space
from scraper.sources.profile import SiteProfile
from scraper.sources.selectors import split_selector
from scraper.vocab import (
    BOARD_META_LABELS,
    CONTACT_NAME_LABELS,
    DEPARTMENT_LABELS,
    DEPARTMENT_SUFFIXES,
    EMAIL_LABELS,
    PAGER_WORDS,
    PHONE_LABELS,
    PREV_NEXT_POSTS,
    TITLE_LABELS,
    alternation,
)

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


_DEPT_LABEL = re.compile("^" + alternation(DEPARTMENT_LABELS) + "$")
_NAME_LABEL = re.compile("^" + alternation(CONTACT_NAME_LABELS) + "$")
_PHONE_LABEL = re.compile("^" + alternation(PHONE_LABELS) + "$")
_MAIL_LABEL = re.compile("^" + alternation(EMAIL_LABELS) + "$", re.I)
_MANAGER_IDENT = re.compile(r"page_?info|satisf|survey|manager|footer|charge|kogl|opentype", re.I)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # starts a word: linear in a long word


def _in_manager_box(node: LexborNode) -> bool:
    """True inside the page manager's footer box (담당부서/전화 next to the 만족도 survey), not the release's."""
    current: LexborNode | None = node
    while current is not None and current.tag not in ("body", "html"):
        ident = f"{current.attributes.get('class') or ''} {current.attributes.get('id') or ''}"
        if current.tag == "footer" or _MANAGER_IDENT.search(ident):
            return True
        current = current.parent
    return False


def labelled_pairs(tree: LexborHTMLParser, wanted: re.Pattern[str] | None = None) -> list[tuple[str, str]]:
    """``(label, value)`` of th/td and dt/dd pairs outside prev/next blocks and the page-manager box;
    ``wanted``: only the pairs whose label it matches (the others' blocks and values are not read).

    >>> labelled_pairs(LexborHTMLParser("<dl><dt>담당부서</dt><dd>교통행정과</dd></dl>"))
    [('담당부서', '교통행정과')]
    """
    pairs: list[tuple[str, str]] = []
    for label in css_all(tree, "th, dt"):
        value = _value_cell(label)
        if value is None:
            continue
        text = node_text(label).strip(" :：")
        if (wanted is not None and not wanted.match(text)) or in_prev_next(label) or _in_manager_box(label):
            continue
        pairs.append((text, _cell_value(value)))
    return pairs


def _value_cell(label: LexborNode) -> LexborNode | None:
    """The ``td``/``dd`` right after a ``th``/``dt`` label (text nodes between skipped), or ``None``."""
    value = label.next
    while value is not None and value.tag == "-text":
        value = value.next
    return value if value is not None and value.tag in ("td", "dd") else None


def _cell_value(value: LexborNode) -> str:
    return " ".join(span_texts(value)) or node_text(value)


_HEADER_WORDS = DEPARTMENT_LABELS + CONTACT_NAME_LABELS + PHONE_LABELS
_HEADER_LABEL = re.compile("^" + alternation(_HEADER_WORDS) + "$")
_ANY_LABEL = re.compile("^" + alternation(_HEADER_WORDS + EMAIL_LABELS + BOARD_META_LABELS) + "$", re.I)
_INLINE_LINE = re.compile(r"^\s*(?P<label>" + alternation(_HEADER_WORDS) + r")\s*[:：]\s*(?P<value>[^:：,]{1,30})$")
_FIELD_LABEL = re.compile("^" + alternation(_HEADER_WORDS + EMAIL_LABELS) + "$", re.I)
_PIPE_PART = re.compile(
    r"^\s*(?P<label>" + alternation(_HEADER_WORDS + EMAIL_LABELS) + r")\s*(?:[:：]\s*|\s+)(?P<value>[^:：,|]{1,40})$",
    re.I,
)
_SOME_LABEL = re.compile(alternation(_HEADER_WORDS + EMAIL_LABELS), re.I)
_NAME_AND_PHONE = re.compile(r"^(?P<name>[가-힣]{2,4})\s*[(（]\s*(?P<phone>[\d\-\s.)]{9,16}?)\s*[)）]$")
_LABEL_TAGS = "span, strong, b, em, label, i, p.tit, span.tit"
_STOP_TAGS = frozenset({"br", "p", "div", "li", "dt", "dd", "tr", "td", "th", "ul", "ol", "dl", "table"})


def inline_pairs(tree: LexborHTMLParser | LexborNode) -> list[tuple[str, str]]:
    """``(label, value)`` written inline rather than in th/td or dt/dd: a label element followed by its
    value text (``<span>작성자</span> : 재정정책과``, eGovFrame ``div.table_info``;
    ``<li><span class="tit">담당부서</span> 도시계획과</li>``), and a short line ``담당부서 : 도시계획과``.
    Prev/next blocks and the page manager's box are skipped.

    >>> inline_pairs(LexborHTMLParser("<div><span>등록일</span> : 2021.08.30. <span>작성자</span> : 재정정책과</div>"))
    [('작성자', '재정정책과')]
    >>> inline_pairs(LexborHTMLParser("<ul><li>담당부서 : 도시계획과</li></ul>"))
    [('담당부서', '도시계획과')]
    >>> inline_pairs(LexborHTMLParser("<div>담당부서 도시계획과 | 담당자 김민지(02-120-3456) | 조회 5</div>"))
    [('담당부서', '도시계획과'), ('담당자', '김민지'), ('전화', '02-120-3456')]
    """
    pairs: list[tuple[str, str]] = []
    for node in css_all(tree, _LABEL_TAGS):
        label = element_text(node).strip(" :：")
        if not label or len(label) > 12 or not _FIELD_LABEL.match(label) or _skipped(node):
            continue
        value = _text_after(node).strip(" :：")
        if value and len(value) <= 60:
            pairs += _split_value(label, value)
    for node in css_all(tree, "li, p, span, div"):
        own = node.text(deep=False)  # the node's own text (C level): a label line shows its mark there
        if not _has_mark(own):
            continue
        quick = bounded_text(node, 160)
        if not quick or not _has_mark(quick):
            continue
        text = fold_space(quick)
        if not _SOME_LABEL.search(text):
            continue  # both line forms below start with a label: a line with none gives no pair
        if any(child.tag in ("li", "p", "div") for child in node.iter()) or _skipped(node):
            continue
        found: list[tuple[str, str]] = []
        if "|" in text:  # 작성자 홍보담당관 | 담당부서 도시계획과 | 담당자 김민지(02-120-3456)
            for part in text.split("|"):
                m = _PIPE_PART.match(part)
                found += _split_value(m.group("label"), m.group("value").strip()) if m else []
        elif len(text) <= 80 and (m := _INLINE_LINE.match(text)):
            found = [(m.group("label"), m.group("value").strip())]
        pairs += [pair for pair in found if pair not in pairs]
    return pairs


def _has_mark(text: str) -> bool:
    return ":" in text or "：" in text or "|" in text


def _split_value(label: str, value: str) -> list[tuple[str, str]]:
    """A contact value ``김민지(02-120-3456)`` as a name and a phone; other values as they are."""
    m = _NAME_AND_PHONE.match(value)
    if m and _NAME_LABEL.match(label):
        return [(label, m.group("name")), ("전화", m.group("phone").strip())]
    return [(label, value)]


def _skipped(node: LexborNode) -> bool:
    return in_prev_next(node) or _in_manager_box(node)


def _text_after(label: LexborNode) -> str:
    """The text after a label element up to the next label element or block boundary."""
    parts: list[str] = []
    sibling = label.next
    while sibling is not None:
        if sibling.tag in _STOP_TAGS:
            break
        text = sibling.text_content if sibling.tag == "-text" else node_text(sibling)
        if sibling.tag != "-text" and _ANY_LABEL.match((text or "").strip(" :：")):
            break
        parts.append(text or "")
        sibling = sibling.next
    return fold_space(" ".join(parts))


_DEPT_SUFFIX = re.compile(alternation(DEPARTMENT_SUFFIXES) + "$")
_TITLE_LABEL = re.compile("^" + alternation(TITLE_LABELS) + "$", re.I)


def is_department(value: str) -> bool:
    """True for a unit name rather than a person (``기획감사실``, ``홍보담당관``, ``보건소``).

    >>> is_department("홍보담당관"), is_department("기획감사실"), is_department("이농부")
    (True, True, False)
    """
    return bool(_DEPT_SUFFIX.search(value.replace(" ", "")))


def _cells(row: LexborNode) -> list[LexborNode]:
    return [c for c in css_all(row, "th, td") if c.parent is not None and c.parent.mem_id == row.mem_id]


def header_row_pairs(tree: LexborHTMLParser | LexborNode) -> list[tuple[str, str]]:
    """``(label, value)`` of contact tables laid out as a header row and a value row
    (``담당부서 | 담당자 | 연락처`` over ``기획예산과 | 이농부 | 061-123-4567``).

    >>> html = "<table><tr><th>담당부서</th><th>담당자</th></tr><tr><td>기획예산과</td><td>이농부</td></tr></table>"
    >>> header_row_pairs(LexborHTMLParser(html))
    [('담당부서', '기획예산과'), ('담당자', '이농부')]
    """
    pairs: list[tuple[str, str]] = []
    for table in contact_tables(tree):
        rows = css_all(table, "tr")
        labels = [node_text(c) for c in _cells(rows[0])]
        values = [node_text(c) for c in _cells(rows[1])]
        pairs += [(label.strip(" :："), value) for label, value in zip(labels, values, strict=False)]
    return pairs


def contact_tables(tree: LexborHTMLParser | LexborNode) -> list[LexborNode]:
    """Tables whose first row is two or more contact labels (담당부서, 담당자, 연락처) over a value row."""
    found: list[LexborNode] = []
    for table in css_all(tree, "table"):
        if len(table.text(deep=True)) > 400:  # C-level pre-filter: contact tables are small
            continue
        rows = css_all(table, "tr")
        if len(rows) < 2 or len(rows) > 3 or in_prev_next(table):
            continue
        labels = [node_text(c).strip(" :：") for c in _cells(rows[0])]
        if sum(bool(_HEADER_LABEL.match(label)) for label in labels) >= 2 and len(_cells(rows[1])) == len(labels):
            found.append(table)
    return found


def labelled_title(tree: LexborHTMLParser) -> str | None:
    """The value of a labelled 제목/title cell (``<th>제목</th><td>...</td>``), seen on table-layout gov boards."""
    for label in css_all(tree, "th, dt"):  # the first title pair of labelled_pairs, its label read first
        cell = _value_cell(label)
        if cell is None or not _TITLE_LABEL.match(node_text(label).strip(" :：")):
            continue
        if in_prev_next(label) or _in_manager_box(label):
            continue
        value = _cell_value(cell)
        if 4 <= len(value) <= 200:
            return value
    return None


def _department_of(pairs: list[tuple[str, str]]) -> str | None:
    """A 담당부서 value, else a 작성자/담당자 value that names a unit (``작성자 기획감사실``)."""
    for label, value in pairs:
        if _DEPT_LABEL.match(label):
            return value
    for label, value in pairs:
        if _NAME_LABEL.match(label) and is_department(value):
            return value
    return None


def _person_of(pairs: list[tuple[str, str]]) -> str | None:
    """The contact person: a 담당자 name first, then a 작성자 name; never a unit (홍보담당관)."""
    people = [(label, v) for label, v in pairs if _NAME_LABEL.match(label) and re.fullmatch(r"[가-힣]{2,5}", v)]
    people = [(label, v) for label, v in people if not is_department(v)]
    people.sort(key=lambda pair: pair[0].startswith("작성"))
    return people[0][1] if people else None


def generic_release_fields(tree: LexborHTMLParser, raw: RawArticle) -> None:
    """Department and contact from labelled pairs (담당부서, 담당자, 전화번호, 이메일) of a page no profile covers;
    header-row contact tables count too. A 작성자 that names a unit (``홍보담당관``) is the department."""
    labelled = labelled_pairs(tree, _FIELD_LABEL)  # the pairs of other labels are never read below
    pairs = [(label, value) for label, value in labelled + header_row_pairs(tree) + inline_pairs(tree)
             if value and len(value) <= 60]
    raw.department = raw.department or _department_of(pairs)
    name = _person_of(pairs)
    phone = email = None
    for label, value in pairs:
        if phone is None and _PHONE_LABEL.match(label):
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
_PAGER_TEXT = re.compile(r"^\s*" + alternation(PREV_NEXT_POSTS + PAGER_WORDS), re.I)


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
        if current.tag in ("tr", "li", "dl") and _PAGER_TEXT.match(leading_text(current, 16)):
            return True
        current = current.parent
    return False


def label_value_texts(tree: LexborHTMLParser | LexborNode, *, dated: bool = False) -> list[str]:
    """``'label value'`` texts of th/td and dt/dd pairs outside prev/next blocks (등록일 in a th cell).
    ``dated``: only pairs whose raw text holds a date-label word (``may_have_date_label``), for a caller
    that keeps only texts with a labelled date: the others are not walked.

    >>> label_value_texts(LexborHTMLParser("<table><tr><th>등록일</th><td>2024. 3. 5.</td></tr></table>"))
    ['등록일 2024. 3. 5.']
    """
    texts: list[str] = []
    for label in css_all(tree, "th, dt"):
        value = label.next
        while value is not None and value.tag == "-text":
            value = value.next
        if value is None or value.tag not in ("td", "dd"):
            continue
        if dated and not may_have_date_label(f"{label.text(deep=True)} {value.text(deep=True)}"):
            continue
        if in_prev_next(label):
            continue
        text = f"{node_text(label)} {node_text(value)}".strip()
        if 0 < len(text) <= 80:
            texts.append(text)
    return texts
