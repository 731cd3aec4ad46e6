"""Fast paths (merged CSS queries, early-exit walks, bounded scans, an unrolled regex, byte counts, the page-text word
test before a walk) give what the slow paths they replace gave (properties on random trees and texts)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract import title
from scraper.extract.blocks import has_text, node_text
from scraper.extract.markup import _TAG_RE, max_nesting, nests_deeper_than
from scraper.extract.rules import css_all, drop_nodes

_TAGS = ("div", "p", "span", "b", "ul", "li")
_CLASSES = ("", "ad", "x", "ad x", "share", "copyright")
_SELECTORS = st.lists(st.sampled_from([
    ".ad", "p.x", "div > p", "div .share", "li", "span.ad", "[class~='x']", "[class*='copy']", "p:first-child",
    "li + li", "div:has(> b)", "b ~ span", "ul li.x", ":not(p)", "div.copyright, .share", "p:empty",
]), max_size=6)


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    children = draw(st.lists(st.sampled_from(_TAGS), max_size=0 if depth > 3 else 4))
    parts = []
    for tag in children:
        cls = draw(st.sampled_from(_CLASSES))
        inner = draw(_markup(depth + 1)) if draw(st.booleans()) else "t"
        parts.append(f"<{tag} class='{cls}'>{inner}</{tag}>" if cls else f"<{tag}>{inner}</{tag}>")
    return "".join(parts)


def _one_by_one(root: LexborNode, selectors: list[str]) -> None:
    for selector in selectors:
        for node in css_all(root, selector):
            if node.mem_id != root.mem_id:
                node.decompose()


@given(_markup(), _SELECTORS)
@settings(max_examples=300, deadline=None)
def test_drop_nodes_is_dropping_selector_by_selector(markup: str, selectors: list[str]) -> None:
    html = f"<div id='root'>{markup}</div>"
    merged, plain = LexborHTMLParser(html).css_first("#root"), LexborHTMLParser(html).css_first("#root")
    assert merged is not None and plain is not None
    drop_nodes(merged, selectors)
    _one_by_one(plain, selectors)
    assert merged.html == plain.html


_PIECES = st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<script>x</script>", "<style>p{}</style>", "<!-- c -->", " ", "\u00a0",
    "\u200b", "\u3000", "<br>", "가", "x", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
    "<table><caption>표</caption><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>", "<td>",
    "<noscript>n</noscript>", "<span>", "</span>", "&nbsp;", "e\u0301",
])


@given(st.lists(_PIECES, max_size=20).map("".join))
@settings(max_examples=400, deadline=None)
def test_has_text_is_node_text_not_empty(markup: str) -> None:
    root = LexborHTMLParser(f"<section>{markup}</section>").css_first("section")
    assert root is not None
    assert has_text(root) == bool(node_text(root))


def _node_lines_before(root: LexborNode) -> list[str]:
    """node_lines as it was before it pushed children from the last one back (the reference)."""
    from scraper.extract.blocks import BLOCK_TAGS, SKIP_TAGS, child_nodes, table_rows
    from scraper.normalize.text import fold_space

    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = fold_space("".join(current))
        if text:
            lines.append(text)
        current.clear()

    stack: list[tuple[LexborNode | None, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if node is None:
            continue
        tag = node.tag
        if closing:
            if tag in BLOCK_TAGS:
                flush()
            continue
        if tag == "-text":
            current.append(node.text_content or "")
            continue
        if tag in SKIP_TAGS or tag == "-comment" or tag is None:
            continue
        if tag == "table":
            rows = table_rows(node)
            if rows is not None:
                flush()
                lines.extend(rows)
                continue
        if tag == "br":
            flush()
            continue
        if tag in BLOCK_TAGS:
            flush()
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(child_nodes(node)))
    flush()
    return lines


@given(st.lists(_PIECES, max_size=25).map("".join))
@settings(max_examples=400, deadline=None)
def test_node_lines_is_the_walk_it_replaced(markup: str) -> None:
    root = LexborHTMLParser(f"<section>{markup}</section>").css_first("section")
    assert root is not None
    from scraper.extract.blocks import node_lines

    assert node_lines(root) == _node_lines_before(root)


def _loop_depth(html: str) -> int:
    """The deepest level of ``flatten_deep_nesting``'s tag-by-tag scan (the loop ``max_nesting`` replaces)."""
    depth = deepest = 0
    for m in _TAG_RE.finditer(html):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(0).endswith("/>"):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


_TAG_PIECES = st.sampled_from([
    "<div>", "</div>", "<SPAN class='a'>", "</span >", "<b/>", "<b //>", "<i a='/'>", "<br>", "</i>", "<p>", "x",
    "<div a='<span>'>", "<em", ">", "/>", "<blockquote>", "</dl>", "<dl/>", "<div가>", "<ſpan>", "</dİv>", "<b한 a>",
    "가", "<", "<blocKquote>", "<div\n>", "</div가>", "<div title='</div>'>", "<div\u00a0a='</div>'>",
    "</div\u00a0>", "<div가 ", "</span가 ", "<b\u3000x='</b>'>",
])


@given(st.lists(_TAG_PIECES, max_size=60).map("".join))
@settings(max_examples=400, deadline=None)
def test_max_nesting_is_the_scan_it_guards(html: str) -> None:
    assert max_nesting(html) == _loop_depth(html)
    assert max_nesting(html, stretch=3) == _loop_depth(html)  # stretch boundaries change nothing
    data = html.encode()
    assert max_nesting(html, data) == max_nesting(html, data, stretch=3) == _loop_depth(html)


@given(st.lists(_TAG_PIECES, max_size=60).map("".join), st.integers(0, 12), st.sampled_from([3, 16, 1 << 14]))
@example("<div></div가>" * 3, 2, 3)  # a close the text's scan does not see (no \b before Hangul): depth 3
@example("<div\u00a0a='</div>'>" * 3, 2, 3)  # a close inside an open tag: depth 3
@settings(max_examples=400, deadline=None)
def test_nests_deeper_than_is_max_nesting_over_limit(html: str, limit: int, stretch: int) -> None:
    data = html.encode()
    expected = _loop_depth(html) > limit
    assert nests_deeper_than(html, limit, data, stretch) == nests_deeper_than(html, limit) == expected


@given(st.lists(st.sampled_from(['self.__next_f.push([1, ', '"', "\\", "])", "x", "\n", "가", "]", ")"]), max_size=40)
       .map("".join))
@settings(max_examples=400, deadline=None)
def test_flight_push_is_the_alternation_it_unrolled(html: str) -> None:
    import re

    from scraper.extract.appstate import _FLIGHT_PUSH

    before = re.compile(r'self\.__next_f\.push\(\[1,\s*("(?:[^"\\]|\\.)*")\]\)')
    assert [m.span(1) for m in _FLIGHT_PUSH.finditer(html)] == [m.span(1) for m in before.finditer(html)]


@given(st.lists(st.lists(st.sampled_from(["가", "다", "이", "힣", "퓿", "\ud7a4", "밀", "a", "Z", " ", "é", "1", "ㄱ",
                                          "\ud800", "中"]), max_size=30).map("".join), max_size=3))
@settings(max_examples=600, deadline=None)
def test_detect_language_is_the_regex_count(texts: list[str]) -> None:
    import re

    from scraper.normalize.record import KO_SHARE, detect_language

    text = " ".join(texts)
    hangul, latin = len(re.findall(r"[가-힣]", text)), len(re.findall(r"[A-Za-z]", text))
    expected = "ko" if hangul and hangul >= KO_SHARE * (hangul + latin) else "en" if latin > hangul else "und"
    assert detect_language(texts) == expected


_TEXT_PIECES = st.sampled_from([
    "<span>", "</span>", "<b>", "</b>", "<li>", "<p>", "</p>", "<td>", "<tr>", "<table>", "</table>",
    "<div class='date'>", "</div>", "<br>", "<script>var a='수정';</script>", "<style>p{}</style>", "<!-- 수정 -->",
    "\t", " ", "\n", "수", "정", "입력", "수정", "등록일", " 2024.03.05 ", "14:22", "2024-03-06 10:00", "업데이트",
    "Updated", "이전글", "<dt>", "<dd>", "<th>", "\u1109\u116e", "\u110c\u1165\u11bc", "가",
    "<span>수<b>정</b> 2024.03.06 10:00</span>", "<li>입력 2024.03.05 <i>업</i>데이트 2024.03.07 09:00</li>",
    "<span>\u1109\u116e\u110c\u1165\u11bc 2024.03.08 08:00</span>", "<span>수정일\u200b: [2024.03.06 10:00]</span>",
    "<p>최종<b>수정</b><i>시</i>간 2024.03.06 11:00</p>", "<em>Upd<b>ated</b></em>\ufeff 2024-03-06 12:00", "수정 ",
])


@given(st.lists(_TEXT_PIECES, max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
def test_every_element_text_is_a_slice_of_the_page_text(markup: str) -> None:
    from scraper.extract.pagetext import page_text

    tree = LexborHTMLParser(f"<html><head><title>t</title></head><body>{markup}</body></html>")
    text = page_text(tree)
    assert text is not None and tree.body is not None
    joined = text.cells.replace("\t", "")
    for node in tree.body.css("*"):
        assert node.text(deep=True).replace("\t", "") in joined


@given(st.lists(_TEXT_PIECES, max_size=40).map("".join), st.booleans())
@settings(max_examples=400, deadline=None)
def test_visible_dates_skip_only_pages_that_give_nothing_used(markup: str, published: bool) -> None:
    """The page-text word test before ``_visible_date_text``'s walk changes nothing the record uses: the
    texts themselves when a published date is wanted, else their 수정 dates (``record.resolve_dates``)."""
    from scraper.extract.article import _visible_date_text
    from scraper.extract.pagetext import page_text
    from scraper.normalize.dates import labeled_dates

    html = f"<html><body>{markup}</body></html>"
    tree = LexborHTMLParser(html)
    walked = _visible_date_text(tree, len(html))
    tested = _visible_date_text(tree, len(html), page_text(tree), published=published)
    if published:
        assert tested == walked
    else:
        assert tested == walked or (tested == [] and not any(labeled_dates(t)[1] for t in walked))


_NAME_PIECES = st.sampled_from([
    "menu", "MENU", "Side", "sidebar", "nav", "navi", "navbar", "best", "tab", "tabs", "rank", "ranking", "x",
    "-", "_", "1", "9", " ", "\t", "\n", "\x1c", "\u00a0", "\u3000", ".", "K", "\u212a", "\u017f", "ſide", "가",
    "wrap", "title", "hot", "issue",
])


def _chrome_names_by_token(names: str) -> bool:
    """The reading :func:`title.chrome_names` replaced: each token on its own, case-blind."""
    return any(title._CHROME_NAME.search(name) for name in names.split())


@given(st.lists(_NAME_PIECES, max_size=12).map("".join))
@example("a menu\n")  # '$' before a final newline
@example("x\x1cside")  # a whitespace str.split and \s know beyond ASCII's usual six
@settings(max_examples=600, deadline=None)
def test_chrome_names_is_the_token_by_token_search(names: str) -> None:
    assert title.chrome_names(names) == _chrome_names_by_token(names)


_HEADING_TAGS = ("div", "h2", "h3", "span", "p", "nav", "li")
_HEADING_ATTRS = (
    "", " class='title'", " class='Sub-TITLE x'", " class='tit'", " class='subject'", " class='headline'",
    " id='title'", " class='menu'", " id='side'", " class='subject title'", " class='titel'",
)
_HEADING_TEXTS = ("한빛시 버스 노선 개편", "보도자료", "x", "많이 본 뉴스", "한빛시 버스 노선 개편 안내")


@st.composite
def _heading_markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for tag in draw(st.lists(st.sampled_from(_HEADING_TAGS), max_size=0 if depth > 2 else 4)):
        attrs = draw(st.sampled_from(_HEADING_ATTRS))
        inner = draw(_heading_markup(depth + 1)) if draw(st.booleans()) else draw(st.sampled_from(_HEADING_TEXTS))
        parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
    return "".join(parts)


_FULL_HEADINGS = (
    "h1, h2, h3, h4, [class*='title' i], [class*='subject' i], [class*='tit' i], [id*='title' i], "
    "[class*='headline' i]"
)
"""The heading selector list before ``[class*='title' i]`` was dropped from it (the reference)."""


def _visible_by_full_list(tree: LexborHTMLParser, container: LexborNode | None) -> list[tuple[object, ...]]:
    """The candidates the heading loop found over the whole selector list, copies and all (before _headings)."""
    found: list[tuple[object, ...]] = []
    seen: set[str] = set()
    depths = title._ancestor_depths(container)
    for order, node in enumerate(css_all(tree, _FULL_HEADINGS)):
        if node.tag in ("html", "body", "title", "meta") or title.in_page_chrome(node):
            continue
        text = title.element_text(node)
        if not 4 <= len(text) <= 200 or text in seen:
            continue
        key = title.title_key(text)
        if len(key) < 2 or title.is_board_name(text) or title.is_logo(node, text):
            continue
        if title.classify_line(text) in ("stop", "chrome"):
            continue
        seen.add(text)
        found.append((node.mem_id, text, key, order, title._closeness(node, depths)))
    return found


@given(_heading_markup())
@settings(max_examples=400, deadline=None)
def test_visible_headings_are_those_of_the_full_selector_list(markup: str) -> None:
    tree = LexborHTMLParser(f"<html><body><div id='c'>{markup}</div></body></html>")
    container = tree.css_first("#c")
    got = title._visible(tree, container, None)
    want = _visible_by_full_list(tree, container)
    assert [(c.node.mem_id, c.text, c.key, c.closeness) for c in got] == [(m, t, k, c) for m, t, k, _o, c in want]
    assert [c.order for c in got] == sorted(c.order for c in got)  # ranks kept: order is only compared
    assert [n.mem_id for n in title._headings(tree)] == list(dict.fromkeys(
        n.mem_id for n in css_all(tree, _FULL_HEADINGS)))
