"""A DOM subtree -> text lines in reading order (block elements and ``<br>`` end a line); pure."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from scraper.normalize.text import fold_space

BLOCK_TAGS = frozenset(
    "p div section article main header footer aside nav h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table thead "
    "tbody tfoot tr td th caption blockquote figure figcaption pre hr form center address fieldset "
    "details summary dialog".split()
)
SKIP_TAGS = frozenset("script style noscript template iframe object embed svg canvas video audio select "
                      "textarea input button map head".split())


def child_nodes(node: LexborNode) -> list[LexborNode]:
    """The direct children of ``node``, text and comment nodes included, in order."""
    children: list[LexborNode] = []
    child = node.child
    while child is not None:
        children.append(child)
        child = child.next
    return children


def push_children(stack: list[LexborNode], node: LexborNode) -> None:
    """Push the direct children of ``node`` onto ``stack`` last first, so they pop in document order
    (what ``stack.extend(reversed(child_nodes(node)))`` does, without the list)."""
    child = node.last_child
    while child is not None:
        stack.append(child)
        child = child.prev


def is_inside(node: LexborNode, ancestor: LexborNode) -> bool:
    """True when ``ancestor`` is a proper ancestor of ``node`` (compared by ``mem_id``: ``LexborNode ==``
    serialises both nodes).

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser("<div><p><b>x</b></p></div>")
    >>> is_inside(tree.css_first("b"), tree.css_first("div")), is_inside(tree.css_first("div"), tree.css_first("b"))
    (True, False)
    """
    current = node.parent
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False


def node_lines(root: LexborNode) -> list[str]:
    """Text lines of ``root``: a new line at each block element and ``<br>``; empty lines dropped.

    Iterative (no recursion), so deeply nested broken markup cannot overflow the stack. Runs for every
    container, cell and candidate node of a page, so it is kept lean: children are pushed from the last
    one back (``last_child``/``prev``, no list per node), and a block's end is a ``None`` on the stack.
    """
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            text = fold_space("".join(current))
            if text:
                lines.append(text)
            current.clear()

    stack: list[LexborNode | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:  # the end of a block element
            flush()
            continue
        tag = node.tag
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
            stack.append(None)
        child = node.last_child
        while child is not None:
            stack.append(child)
            child = child.prev
    flush()
    return lines


def bounded_text(root: LexborNode, limit: int, max_nodes: int | None = None) -> str | None:
    """The text of ``root`` (scripts and styles skipped, not folded) when it is at most ``limit`` characters,
    else ``None``; the walk stops as soon as it knows, and after ``max_nodes`` nodes (default
    ``4 * limit``), so asking "is this ancestor short?" costs at most that much however large the subtree
    (``node.text()`` would read all of it: quadratic when asked for every image of a long page).

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser("<div><p>짧은 설명</p><script>x</script></div>")
    >>> bounded_text(tree.css_first("div"), 10), bounded_text(tree.css_first("div"), 3)
    ('짧은 설명', None)
    """
    budget = max_nodes if max_nodes is not None else 4 * limit
    parts: list[str] = []
    size = 0
    stack = [root]
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            return None
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            size += len(text)
            if size > limit:
                return None
            parts.append(text)
            continue
        if tag in SKIP_TAGS or tag == "-comment":
            continue
        push_children(stack, node)
    return "".join(parts)


def text_longer_than(root: LexborNode, limit: int) -> bool:
    """True when ``root.text(deep=True)`` (every text node, scripts and ``<noscript>`` included) is longer
    than ``limit`` characters, found without reading more than that: the walk stops at the first text past
    the limit, so asking it of every element of a row stays linear however deep the markup nests.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser("<div><p>2024.03.05</p><script>var x = 1;</script></div>")
    >>> text_longer_than(tree.css_first("div"), 15), text_longer_than(tree.css_first("div"), 25)
    (True, False)
    """
    size = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag == "-text":
            size += len(node.text_content or "")
            if size > limit:
                return True
            continue
        push_children(stack, node)
    return False


def leading_text(root: LexborNode, chars: int) -> str:
    """The first ``chars`` or so characters of ``root``'s text, whitespace folded (scripts skipped): enough
    to test how a block starts (``이전글 ...``) without reading all of it.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> leading_text(LexborHTMLParser("<li><b>이전글</b> 구청 소식 " + "가" * 1000 + "</li>").css_first("li"), 12)
    '이전글 구청 소식 가가'
    """
    parts: list[str] = []
    size = 0
    stack = [root]
    while stack and size < chars:
        node = stack.pop()
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            parts.append(text[: chars - size + 1])
            size += len(text.strip())
            continue
        if tag in SKIP_TAGS or tag == "-comment":
            continue
        if tag in BLOCK_TAGS or tag == "br":
            parts.append(" ")
        push_children(stack, node)
    return fold_space("".join(parts))[:chars]


MAX_CELL_CHARS = 150
"""A cell longer than this is running text: the table lays out the page, it holds no data."""


def _children(node: LexborNode, tags: frozenset[str]) -> list[LexborNode]:
    return [child for child in child_nodes(node) if child.tag in tags]


_SECTIONS = frozenset({"thead", "tbody", "tfoot"})
_CELLS = frozenset({"td", "th"})


def table_rows(table: LexborNode) -> list[str] | None:
    r"""A data table's rows as text lines, cells joined by a tab (empty cells kept so columns stay aligned),
    or ``None`` for a layout table (a nested table, a cell of running text, or fewer than two rows of two
    cells), which is read as ordinary blocks. Seen in press releases' statistics and schedule tables
    (구분 | 1분기 | 2분기), as attachments' tables are read.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> table_rows(LexborHTMLParser("<table><tr><th>구분</th><th>1분기</th></tr>"
    ...                             "<tr><td>총투자</td><td>150억</td></tr></table>").css_first("table"))
    ['구분\t1분기', '총투자\t150억']
    """
    rows = [r for s in [table, *_children(table, _SECTIONS)] for r in _children(s, frozenset({"tr"}))]
    if len(rows) < 2 or len(table.css("table")) > 1:  # css() matches the table itself too
        return None
    cells_of = [_children(row, _CELLS) for row in rows]
    if any(len(c.text(deep=True, strip=True)) > MAX_CELL_CHARS for cells in cells_of for c in cells):
        return None  # C-level text first: a layout table shows itself by a long cell, usually at once
    lines: list[str] = []
    wide = 0
    for row_cells in cells_of:
        cells = [fold_space(" ".join(node_lines(c))) for c in row_cells]
        if any(len(c) > MAX_CELL_CHARS for c in cells):
            return None
        wide += len(cells) >= 2
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            lines.append("\t".join(cells))
    return lines if wide >= 2 else None


_NOT_TEXT = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200b\ufeff"
"""What ``fold_space`` removes entirely: ``str.isspace`` characters, U+200B and U+FEFF."""


def has_text(root: LexborNode) -> bool:
    """``bool(node_text(root))``, walking only up to the first visible text: a node's visible text is empty
    exactly when no text node outside scripts, styles and comments holds a character ``fold_space`` keeps.
    A table met before that is left to :func:`node_text` (a data table is read by its cells only).

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser("<div><script>x</script> <p>\u00a0</p></div><main><b>가</b></main>")
    >>> has_text(tree.css_first("div")), has_text(tree.css_first("main"))
    (False, True)
    """
    stack = [root]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == "-text":
            if (node.text_content or "").strip(_NOT_TEXT):
                return True
            continue
        if tag in SKIP_TAGS or tag == "-comment" or tag is None:
            continue
        if tag == "table":
            return bool(node_text(root))
        push_children(stack, node)
    return False


def node_text(node: LexborNode) -> str:
    """All text of ``node`` on one line, whitespace folded (scripts and styles skipped)."""
    return fold_space(" ".join(node_lines(node)))
