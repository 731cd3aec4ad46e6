"""HWPX (Hancom OWPML, KS X 6101: a zip of XML) -> text; pure, ``zipfile`` + ElementTree.

Body text is in ``Contents/section0.xml``, ``section1.xml``...: paragraphs ``hp:p`` hold runs ``hp:run``
whose ``hp:t`` hold text (with ``hp:tab``, ``hp:lineBreak``, ``hp:fwSpace``, ``hp:nbSpace`` inside);
tables are ``hp:tbl`` (``colCnt``) of rows ``hp:tr`` of cells ``hp:tc`` whose ``hp:subList`` holds
paragraphs; footnotes and text boxes hold ``hp:subList`` too.

Zip bombs: the members' declared sizes and compression ratios are checked before reading, and reading
stops at ``max_unpacked`` bytes whatever the headers claim. XML with a DOCTYPE (entity tricks) is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from xml.etree import ElementTree

from scraper.attachments.base import MAX_UNPACKED_BYTES, UnreadableAttachment
from scraper.attachments.layout import join_lines, table_lines

MAX_RATIO = 200
"""Largest uncompressed/compressed size ratio accepted for a member over 1 MiB (HWPX XML is ~5-20)."""
MAX_MEMBERS = 10_000
_SECTION_RE = re.compile(r"^Contents/section(\d+)\.xml$", re.IGNORECASE)
_INLINE_TEXT = {"tab": " ", "lineBreak": " ", "fwSpace": " ", "nbSpace": " ", "hyphen": "-"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_members(archive: zipfile.ZipFile, max_unpacked: int) -> list[zipfile.ZipInfo]:
    """The section members in order, after checking member count, declared total size and ratios."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnreadableAttachment(f"HWPX zip has {len(infos):,} members", kind="too_large")
    sections = sorted((i for i in infos if _SECTION_RE.match(i.filename)),
                      key=lambda i: int(_SECTION_RE.match(i.filename).group(1)))  # type: ignore[union-attr]
    if not sections:
        raise UnreadableAttachment("zip without Contents/section*.xml (not an HWPX document)", kind="unsupported")
    if any(i.flag_bits & 0x1 for i in sections) or _manifest_encrypted(archive):
        raise UnreadableAttachment("HWPX document is password-protected", kind="encrypted")
    declared = sum(i.file_size for i in sections)
    if declared > max_unpacked:
        raise UnreadableAttachment(f"HWPX sections declare {declared:,} bytes unpacked", kind="too_large")
    for info in sections:
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableAttachment(f"{info.filename}: compression ratio over {MAX_RATIO} (zip bomb?)",
                                       kind="too_large")
    return sections


def _manifest_encrypted(archive: zipfile.ZipFile) -> bool:
    """True when ``META-INF/manifest.xml`` declares ODF-style ``encryption-data`` (a password HWPX)."""
    try:
        info = archive.getinfo("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in read_member(archive, info, 1 << 20)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """A member's bytes, reading at most ``budget`` bytes whatever its header declares."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as handle:
        while chunk := handle.read(1 << 16):
            size += len(chunk)
            if size > budget:
                raise UnreadableAttachment(f"{info.filename} unpacks to over {budget:,} bytes", kind="too_large")
            chunks.append(chunk)
    return b"".join(chunks)


def _text_of(t: ElementTree.Element) -> str:
    parts = [t.text or ""]
    for child in t:
        parts.append(_INLINE_TEXT.get(_local(child.tag), ""))
        parts.append(child.tail or "")
    return "".join(parts)


def paragraph_lines(p: ElementTree.Element) -> list[str]:
    """A paragraph's text line, then the lines of the tables and boxes anchored in it."""
    text: list[str] = []
    after: list[str] = []

    def walk(node: ElementTree.Element) -> None:
        for child in node:
            name = _local(child.tag)
            if name == "t":
                text.append(_text_of(child))
            elif name == "tbl":
                after.extend(table(child))
            elif name == "subList":
                after.extend(block_lines(child))
            else:
                walk(child)

    walk(p)
    return ["".join(text), *after]


def block_lines(node: ElementTree.Element) -> list[str]:
    """Lines of the paragraphs directly in ``node`` (a section or an ``hp:subList``)."""
    lines: list[str] = []
    for child in node:
        if _local(child.tag) == "p":
            lines += paragraph_lines(child)
        else:
            lines += block_lines(child)
    return lines


def table(tbl: ElementTree.Element) -> list[str]:
    """Lines of an ``hp:tbl``: rows of tab-separated cells (a one-column table as paragraphs)."""
    rows: list[list[list[str]]] = []
    for tr in (c for c in tbl if _local(c.tag) == "tr"):
        rows.append([block_lines(tc) for tc in tr if _local(tc.tag) == "tc"])
    columns = int(tbl.get("colCnt") or max((len(r) for r in rows), default=1))
    return table_lines(rows, columns)


def parse_xml(data: bytes, name: str) -> ElementTree.Element:
    """An XML member parsed; a DOCTYPE (entity expansion) or malformed XML raises ``UnreadableAttachment``."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise UnreadableAttachment(f"{name}: XML with a DOCTYPE refused", kind="corrupt")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise UnreadableAttachment(f"{name}: malformed XML: {exc}", kind="corrupt") from exc


def hwpx_text(data: bytes, max_unpacked: int = MAX_UNPACKED_BYTES) -> str:
    """The text of an HWPX file (bytes): sections in order, paragraphs as lines, tables as tab rows.

    ``max_unpacked`` caps the bytes unpacked from the zip. Raises :class:`UnreadableAttachment`.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            budget, lines = max_unpacked, []
            for info in check_members(archive, max_unpacked):
                xml = read_member(archive, info, budget)
                budget -= len(xml)
                lines += block_lines(parse_xml(xml, info.filename))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise UnreadableAttachment(f"damaged HWPX zip: {type(exc).__name__}: {exc}", kind="corrupt") from exc
    return join_lines(lines)
