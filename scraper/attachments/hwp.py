"""HWP 5.0 (Hancom, OLE compound file) -> text; pure, own record walk over ``olefile`` (BSD).

Spec: Hancom "한글 문서 파일 형식 5.0" (revision 1.3): the ``FileHeader`` stream holds the signature
``HWP Document File`` and a property word at byte 36 (bit 0 compressed, bit 1 password, bit 2
distribution/배포용, bit 4 DRM); ``BodyText/SectionN`` streams are raw-deflate (zlib ``wbits=-15``) when
compressed and hold records: a 32-bit header (tag 10 bits, level 10 bits, size 12 bits; size 0xFFF = a
32-bit size follows). ``PARA_HEADER`` (66) opens a paragraph, ``PARA_TEXT`` (67) is UTF-16LE with
control characters, ``CTRL_HEADER`` (71) opens a control (``tbl `` = table), ``LIST_HEADER`` (72) opens a
table cell (column at byte 8, row at byte 10), ``TABLE`` (77) gives rows and columns (bytes 4 and 6).
A record's children are the records after it with a deeper level.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

import olefile

from scraper.attachments.base import MAX_UNPACKED_BYTES, UnreadableAttachment
from scraper.attachments.layout import join_lines, table_lines

PARA_HEADER, PARA_TEXT, CTRL_HEADER, LIST_HEADER, TABLE = 66, 67, 71, 72, 77
SIGNATURE = b"HWP Document File"
FLAG_COMPRESSED, FLAG_PASSWORD, FLAG_DISTRIBUTION, FLAG_DRM = 0x1, 0x2, 0x4, 0x10
_WIDE_CONTROLS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23})
"""Inline and extended control characters: each takes 8 UTF-16 units (spec table 6)."""
_CHAR_CONTROLS = {9: " ", 10: " ", 24: "-", 30: " ", 31: " "}
"""Tab, line break, hyphen, 묶음 빈칸 and 고정폭 빈칸 as text; other 1-unit controls are dropped."""
_SECTION_RE = re.compile(r"^Section(\d+)$")


@dataclass
class Node:
    """One record and the records nested under it."""

    tag: int
    level: int
    data: bytes
    children: list[Node] = field(default_factory=list)


def read_records(data: bytes) -> Iterator[tuple[int, int, bytes]]:
    """``(tag, level, payload)`` of each record in a decompressed section stream.

    >>> list(read_records(struct.pack("<I", 67 | (1 << 10) | (4 << 20)) + "가나".encode("utf-16le")))
    [(67, 1, b'\\x00\\xac\\x98\\xb0')]
    """
    pos, end = 0, len(data)
    while pos + 4 <= end:
        (header,) = struct.unpack_from("<I", data, pos)
        pos += 4
        tag, level, size = header & 0x3FF, (header >> 10) & 0x3FF, header >> 20
        if size == 0xFFF:
            if pos + 4 > end:
                return
            (size,) = struct.unpack_from("<I", data, pos)
            pos += 4
        yield tag, level, data[pos:pos + size]
        pos += size


def record_tree(data: bytes) -> list[Node]:
    """The section's records as a forest: each record under the last one with a smaller level."""
    roots: list[Node] = []
    stack: list[Node] = []
    for tag, level, payload in read_records(data):
        node = Node(tag, level, payload)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def para_text(data: bytes) -> str:
    """The text of a ``PARA_TEXT`` record; controls skipped (8 units for inline/extended ones).

    >>> para_text("가\\t".encode("utf-16le") + bytes(14) + "나\\r".encode("utf-16le"))
    '가 나'
    """
    units = array("H", data[: len(data) // 2 * 2])
    if array("H", b"\x01\x00")[0] != 1:
        units.byteswap()
    out: list[str] = []
    start = i = 0
    while i < len(units):
        code = units[i]
        if code >= 32:
            i += 1
            continue
        out.append(data[start * 2:i * 2].decode("utf-16le", "replace"))
        out.append(_CHAR_CONTROLS.get(code, ""))
        i += 8 if code in _WIDE_CONTROLS else 1
        start = i
    out.append(data[start * 2:len(units) * 2].decode("utf-16le", "replace"))
    return "".join(out)


def render(nodes: list[Node]) -> list[str]:
    """Lines of a list of sibling records: paragraphs, then the tables and boxes they anchor."""
    lines: list[str] = []
    for node in nodes:
        if node.tag == PARA_HEADER:
            lines += [para_text(child.data) for child in node.children if child.tag == PARA_TEXT]
            for child in node.children:
                if child.tag == CTRL_HEADER:
                    lines += _control(child)
        elif node.tag == CTRL_HEADER:
            lines += _control(node)
        else:
            lines += render(node.children)
    return lines


def _control(node: Node) -> list[str]:
    table = next((c for c in node.children if c.tag == TABLE), None)
    if node.data[:4] == b" lbt" and table is not None:
        columns = struct.unpack_from("<H", table.data, 6)[0] if len(table.data) >= 8 else 1
        return table_lines(_table_rows(node.children), columns)
    return render(node.children)


def _table_rows(children: list[Node]) -> list[list[list[str]]]:
    """Cells grouped by row address: each ``LIST_HEADER`` opens a cell; its paragraphs follow it."""
    cells: list[tuple[int, int, list[Node]]] = []
    for child in children:
        if child.tag == LIST_HEADER:
            col, row = struct.unpack_from("<HH", child.data, 8) if len(child.data) >= 12 else (len(cells), 0)
            cells.append((row, col, []))
        elif child.tag == PARA_HEADER and cells:
            cells[-1][2].append(child)
    rows: dict[int, list[tuple[int, list[str]]]] = {}
    for row, col, paragraphs in cells:
        rows.setdefault(row, []).append((col, render(paragraphs)))
    return [[lines for _, lines in sorted(rows[r], key=lambda c: c[0])] for r in sorted(rows)]


def _inflate(raw: bytes, budget: int) -> bytes:
    engine = zlib.decompressobj(-15)
    try:
        out = engine.decompress(raw, budget + 1)
    except zlib.error as exc:
        raise UnreadableAttachment(f"HWP section is not valid deflate data: {exc}", kind="corrupt") from exc
    if len(out) > budget:
        raise UnreadableAttachment(f"HWP sections unpack to over {budget:,} bytes", kind="too_large")
    return out


def check_header(header: bytes) -> int:
    """The FileHeader property word; raises for non-HWP, password, DRM and distribution (배포용) files."""
    if not header.startswith(SIGNATURE) or len(header) < 40:
        raise UnreadableAttachment("OLE file without an HWP FileHeader (not an HWP 5 document)", kind="unsupported")
    (flags,) = struct.unpack_from("<I", header, 36)
    if flags & (FLAG_PASSWORD | FLAG_DRM):
        raise UnreadableAttachment("HWP document is password-protected or DRM-encrypted", kind="encrypted")
    if flags & FLAG_DISTRIBUTION:
        raise UnreadableAttachment("HWP distribution document (배포용 문서): body is encrypted", kind="distribution")
    return int(flags)


def section_streams(ole: olefile.OleFileIO) -> list[list[str]]:
    """``BodyText/SectionN`` stream paths in N order."""
    found = [e for e in ole.listdir() if len(e) == 2 and e[0] == "BodyText" and _SECTION_RE.match(e[1])]
    return sorted(found, key=lambda e: int(_SECTION_RE.match(e[1]).group(1)))  # type: ignore[union-attr]


def hwp_text(data: bytes, max_unpacked: int = MAX_UNPACKED_BYTES) -> str:
    """The text of an HWP 5.0 file (bytes): paragraphs in stream order, tables as tab-separated rows.

    ``max_unpacked`` caps the bytes decompressed from all sections together. Raises
    :class:`UnreadableAttachment` for a damaged, encrypted or distribution file.
    """
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise UnreadableAttachment(f"damaged OLE compound file: {exc}", kind="corrupt") from exc
    with ole:
        try:
            flags = check_header(ole.openstream("FileHeader").read(256))
            raws = [ole.openstream(path).read() for path in section_streams(ole)]
        except (OSError, ValueError, struct.error, IndexError) as exc:
            raise UnreadableAttachment(f"damaged HWP streams: {exc}", kind="corrupt") from exc
    if not raws:
        raise UnreadableAttachment("HWP file has no BodyText sections", kind="corrupt")
    lines: list[str] = []
    budget = max_unpacked
    for raw in raws:
        body = _inflate(raw, budget) if flags & FLAG_COMPRESSED else raw
        budget -= len(body)
        lines += render(record_tree(body))
    return join_lines(lines)
