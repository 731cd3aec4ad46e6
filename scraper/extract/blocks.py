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


def node_lines(root: LexborNode) -> list[str]:
    """Text lines of ``root``: a new line at each block element and ``<br>``; empty lines dropped.

    Iterative (no recursion), so deeply nested broken markup cannot overflow the stack.
    """
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
        if tag == "br":
            flush()
            continue
        if tag in BLOCK_TAGS:
            flush()
        stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        for child in reversed(children):
            stack.append((child, False))
    flush()
    return lines


def node_text(node: LexborNode) -> str:
    """All text of ``node`` on one line, whitespace folded (scripts and styles skipped)."""
    return fold_space(" ".join(node_lines(node)))
