"""Attachment lists of government press releases (첨부파일) -> :class:`Attachment`; pure.

A file is shown as a name, a size tag and a download link, next to viewer buttons (미리보기, 바로보기,
바로듣기) that are not attachments. The download link may be a plain ``href``, a ``javascript:`` call
(``fn_egov_downFile('FILE_1','0')``, ``pf_download('/boardDown.do?...')``), an ``onclick`` with
``window.open('...')`` (ybmodule: gangjin.go.kr, naju.go.kr) or only ``data-*`` attributes
(damyang.go.kr ``data-file-mask``).

Items come from the profile's ``attachments`` selectors (one node per file: ``li`` or ``a``); without
them, any link whose text is a file name (``계획.hwp``) is an attachment.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.blocks import node_text
from scraper.extract.rules import css_all
from scraper.models import Attachment
from scraper.normalize.text import fold_space
from scraper.normalize.urls import join_url

FILE_EXTENSIONS = (
    "hwp hwpx pdf doc docx xls xlsx ppt pptx odt ods odp txt rtf csv zip 7z alz egg rar "
    "jpg jpeg png gif bmp tif tiff webp mp3 mp4 avi wmv mov hwt show cell"
).split()
_EXT_RE = re.compile(r"\.(?:" + "|".join(FILE_EXTENSIONS) + r")$", re.IGNORECASE)
_EXT_ANYWHERE = re.compile(r"\.(?:" + "|".join(FILE_EXTENSIONS) + r")\b", re.IGNORECASE)
_VIEWER_WORDS = re.compile(r"미리\s*보기|바로\s*보기|바로\s*듣기|미리\s*듣기|뷰어|preview|viewer|synap|prelisten", re.I)
_DOWNLOAD_BUTTON = re.compile(
    r"\[?\s*(?:(?:붙임|첨부)\s*(?:자료|파일|문서)?\s*\d{0,2}\.?\s*)?(?:다운로드|내려받기|파일\s*받기|download)\s*\]?"
    r"|\[?\s*(?:붙임|첨부)\s*(?:자료|파일|문서)\s*\d{0,2}\s*\]?",
    re.I,
)
"""A download control with no file name: ``다운로드``, ``내려받기``, ``붙임자료 다운로드``, ``첨부파일 1`` (gov boards
link the file's download URL with such text; the server names the file)."""
_DOWNLOAD_HREF = re.compile(r"down|atchfile|fileid|file_?no|filesn|attach", re.I)
_BUTTON_WORDS = re.compile(
    r"\s*(?:\[?\s*(?:다운로드|내려받기|download|미리\s*보기|바로\s*보기|바로\s*듣기|미리\s*듣기)\s*\]?\s*"
    r"|\(\s*새\s*창\s*\))+$",
    re.I,
)
_SIZE_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(KB|MB|GB|kB|Kb|kb|mb|gb|Byte|bytes|B)\b")
_SIZE_TAIL = re.compile(
    r"\s*[\[(]\s*(?:[a-z0-9]{2,5}\s*,\s*)?\d[\d,]*(?:\.\d+)?\s*(?:KB|MB|GB|Byte|bytes|B)\s*[\])]"
    r"(?:\s*\[\s*\d+\s*hit\s*\])?\s*$",
    re.I,
)
_JS_CALL = re.compile(r"(?P<fn>[\w.$]+)\s*\((?P<args>[^()]*)\)")
_JS_ARG = re.compile(r"'([^']*)'|\"([^\"]*)\"")
_JS_URL_CALL = re.compile(
    r"(?:window\.open|location\.href\s*=|location\.assign|location\.replace)\s*\(?\s*['\"]([^'\"]+)"
)
GENERIC_JS_TEMPLATES: dict[str, str] = {
    "fn_egov_downFile": "/cmm/fms/FileDown.do?atchFileId={0}&fileSn={1}",
}
"""URL templates of well-known download functions (eGovFrame's ``fn_egov_downFile(atchFileId, fileSn)``)."""
_LINKS = "a, button, [onclick], [data-file-mask], [data-file-nm]"
_ROW_TAGS = ("li", "td", "dd", "p", "div")
_NAME_NODES = ".name, .fileNM, .fileName, .file_name, .filename, .fileNm, strong"


_HANGUL_OFFICE_TYPES = {".hwp": "application/x-hwp", ".hwpx": "application/hwp+zip", ".hwt": "application/x-hwt"}


def media_type_of(name: str) -> str | None:
    """The media type a file name declares by its extension (downloads are sniffed again by their bytes).

    >>> media_type_of("보도자료.hwpx"), media_type_of("안내도.PDF"), media_type_of("이름없음")
    ('application/hwp+zip', 'application/pdf', None)
    """
    suffix = PurePosixPath(name.lower()).suffix
    return _HANGUL_OFFICE_TYPES.get(suffix) or (mimetypes.guess_type("f" + suffix)[0] if suffix else None)


def clean_name(text: str) -> str:
    """A file name as shown, without size tags and download/viewer button words.

    >>> clean_name("붙임2. 통제구간 안내도.pdf [1.2 MB] 바로보기")
    '붙임2. 통제구간 안내도.pdf'
    >>> clean_name("(12.11)인증.hwp(87 kb)")
    '(12.11)인증.hwp'
    >>> clean_name("계획.hwp 다운로드(새창)")
    '계획.hwp'
    """
    name = fold_space(text)
    for _ in range(3):
        name = _BUTTON_WORDS.sub("", name)
        name = _SIZE_TAIL.sub("", name).strip()
    return name


def find_size(text: str) -> str | None:
    """The first file size printed in ``text`` (``'[jpg,11.46 MB][0 hit]'`` -> ``'11.46 MB'``).

    >>> find_size("(Down : 1, Size : 689.0 KB)")
    '689.0 KB'
    >>> find_size("첨부파일 없음") is None
    True
    """
    m = _SIZE_RE.search(text)
    return fold_space(m.group(0)) if m else None


def js_call_url(code: str, template: str | None = None) -> str | None:
    """The download URL a ``javascript:``/``onclick`` snippet opens, or ``None``.

    ``window.open('URL')`` and ``location.href='URL'`` give their URL; a call ``fn('a', 'b')`` fills
    ``template`` (``{0}``, ``{1}``...) or a known template, or gives its first argument when that is a path.

    >>> js_call_url("window.open('/file/1.jpg', '_blank')")
    '/file/1.jpg'
    >>> js_call_url("javascript:fn_egov_downFile('FILE_1','0')")
    '/cmm/fms/FileDown.do?atchFileId=FILE_1&fileSn=0'
    >>> js_call_url("fn_download('12', '3')", "/down.do?id={0}&sn={1}")
    '/down.do?id=12&sn=3'
    >>> js_call_url("pf_download('/boardDown.do?seq=1');")
    '/boardDown.do?seq=1'
    >>> js_call_url("javascript:void(0);") is None
    True
    """
    m = _JS_URL_CALL.search(code)
    if m:
        return m.group(1)
    for call in _JS_CALL.finditer(code):
        args = [a or b for a, b in _JS_ARG.findall(call.group("args"))]
        fn = call.group("fn").rsplit(".", 1)[-1]
        chosen = template or GENERIC_JS_TEMPLATES.get(fn)
        if chosen and args:
            try:
                return str(chosen.format(*args))
            except IndexError:
                continue
        if args and re.match(r"(?:https?:)?/|\./|\w[\w-]*\.(?:do|jsp|php|asp|aspx)\b", args[0]):
            return str(args[0])
    return None


def _is_viewer(node: LexborNode) -> bool:
    """A viewer/listen button or link (미리보기, 바로보기, synap/viewstory viewers), not a download."""
    attrs = node.attributes
    label = " ".join([node_text(node), attrs.get("title") or "", attrs.get("class") or ""])
    target = " ".join([attrs.get("href") or "", attrs.get("onclick") or ""])
    if _VIEWER_WORDS.search(label) and not re.search(r"다운로드|download", node_text(node), re.I):
        return True
    return bool(re.search(r"[Vv]iewer|[Pp]re[Vv]iew|preListen|prelisten|synap", target))


def _link_url(node: LexborNode, template: str | None) -> str | None:
    attrs = node.attributes
    href = (attrs.get("href") or "").strip()
    if href and not href.lower().startswith("javascript:") and href != "#" and not href.startswith("#"):
        return href
    for code in (href, attrs.get("onclick") or ""):
        url = js_call_url(code, template) if code else None
        if url:
            return url
    mask = attrs.get("data-file-mask") or attrs.get("data-file-id")
    if mask and template:
        return template.format(mask)
    return None


def _links(item: LexborNode) -> list[LexborNode]:
    nodes = [item] if item.tag in ("a", "button") else []
    return nodes + [n for n in css_all(item, _LINKS) if n is not item]


def _item_name(item: LexborNode, links: list[LexborNode]) -> str:
    for node in css_all(item, _NAME_NODES):
        name = clean_name(node_text(node))
        if name and not _VIEWER_WORDS.search(name):
            return name
    for link in links:
        name = link.attributes.get("data-file-nm") or ""
        if name:
            return clean_name(name)
    for link in links:
        name = clean_name(node_text(link))
        if name and not _VIEWER_WORDS.search(name):
            return name
    return clean_name(node_text(item))


def _url_name(url: str) -> str | None:
    """The file name in a download URL's last path segment (``/files/계획.hwp``), else ``None``."""
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return segment if _EXT_RE.search(segment) and not re.search(r"\.(?:do|jsp|php|aspx?)$", segment, re.I) else None


def read_item(item: LexborNode, base: str | None, template: str | None = None) -> Attachment | None:
    """One attachment from one file entry (``li`` or ``a``); ``None`` when it has no name.

    >>> tree = LexborHTMLParser('<li><a href="/f?id=1">보도자료.hwp</a> [35 KB] '
    ...                         '<a href="/viewer?id=1">미리보기</a></li>')
    >>> item = read_item(tree.css_first("li"), "https://x.go.kr/board/view?id=9")
    >>> (item.name, item.url, item.size)
    ('보도자료.hwp', 'https://x.go.kr/f?id=1', '35 KB')
    """
    links = [n for n in _links(item) if not _is_viewer(n)]
    name = _item_name(item, links)
    url = next((u for u in (_link_url(n, template) for n in links) if u), None)
    if (not name or _VIEWER_WORDS.fullmatch(name)) and url:
        # only a 내려받기 button (gwangju.go.kr): named by the link's title, the URL, or the server's
        # Content-Disposition once downloaded (--attachments)
        name = clean_name(links[0].attributes.get("title") or "") or _url_name(url) or ""
    elif not name or _VIEWER_WORDS.fullmatch(name):
        return None
    if url and not _EXT_RE.search(name):
        ext = _EXT_RE.search(url.split("?")[0])
        name = name + ext.group(0) if ext and not url.split("?")[0].endswith(name) else name
    size = find_size(node_text(item))
    if size is None and item.tag in ("a", "button") and item.parent is not None and item.parent.tag in _ROW_TAGS:
        size = find_size(node_text(item.parent))
    return Attachment(name=name, url=join_url(base, url) if url else None, size=size,
                      media_type=media_type_of(name))


MAX_NAME_TEXT = 1_000
"""Longest link text read as a file name: press-release file names repeat the release's title and can pass
300 characters (a 350-character ``.hwp`` name was seen on a 시청 board); a longer text is a paragraph."""


def _generic_items(tree: LexborHTMLParser | LexborNode) -> list[LexborNode]:
    """Links whose text (or ``data-file-nm``) is a file name, e.g. ``계획.hwp`` (case 020)."""
    items: list[LexborNode] = []
    named = tree.css_first("[data-file-nm]") is not None  # else no link's attributes need reading (a dict each)
    for node in css_all(tree, "a, button"):
        raw = (named and node.attributes.get("data-file-nm")) or node.text(deep=True)
        if raw and _DOWNLOAD_BUTTON.fullmatch(raw.strip()) and _DOWNLOAD_HREF.search(node.attributes.get("href") or ""):
            items.append(node)  # a bare 내려받기 button on a download URL (gwangju.go.kr-style file lists)
            continue
        if not raw or len(raw) > MAX_NAME_TEXT or not _EXT_ANYWHERE.search(raw):  # cheap pre-filter
            continue
        text = clean_name(raw)
        if _EXT_RE.search(text) and not _is_viewer(node):
            items.append(node)
    return items


_FILE_LIST = "ul[class*='file' i], ol[class*='file' i], ul[class*='attach' i], div[class*='file' i] > ul"
"""Lists of attached files on gov boards (``ul.file_list``, ``div.file_area > ul``; ybmodule, many
시·군 CMSs): each row names one file and holds its download button."""
_ROW_NAME = re.compile(r"\[\s*(?:[a-z0-9]{2,5})\s*,\s*\d[\d,.]*\s*(?:KB|MB|GB|Byte|bytes|B)\s*\]", re.I)


def _file_list_rows(tree: LexborHTMLParser | LexborNode) -> list[LexborNode]:
    """Rows of file lists whose entry shows a type-and-size tag (``[jpg,474.7 KB]``) and a download control:
    the file's name may carry no extension (nothing else marks it as a file)."""
    rows: list[LexborNode] = []
    for listing in css_all(tree, _FILE_LIST):
        for row in css_all(listing, "li"):
            if row.parent is None or row.parent.mem_id != listing.mem_id:
                continue
            text = row.text(deep=True)
            if len(text) <= 400 and _ROW_NAME.search(text) and any(_link_url(n, None) for n in _links(row)):
                rows.append(row)
    return rows


def attachment_nodes(
    tree: LexborHTMLParser | LexborNode, selectors: list[str] | None = None
) -> list[LexborNode]:
    """One node per attached file: the profile's ``attachments`` selectors, or file-list rows and
    file-name links (a link inside a row is not counted again)."""
    for selector in selectors or []:
        nodes = css_all(tree, selector)
        if nodes:
            return nodes
    rows = _file_list_rows(tree)
    if not rows:
        return _generic_items(tree)
    inside = {n.mem_id for row in rows for n in css_all(row, "a, button")}
    return rows + [n for n in _generic_items(tree) if n.mem_id not in inside]


def read_attachments(
    tree: LexborHTMLParser | LexborNode,
    base: str | None = None,
    selectors: list[str] | None = None,
    template: str | None = None,
) -> list[Attachment]:
    """The attachments of a page, in page order, without duplicates (same URL or same name and no URL).

    >>> html = ('<ul><li><a href="javascript:fn_egov_downFile(\\'F1\\',\\'0\\')">계획.hwp</a> [35 KB]'
    ...         ' <a href="javascript:fn_preview(\\'F1\\',\\'0\\')">미리보기</a></li></ul>')
    >>> [(a.name, a.url, a.size) for a in read_attachments(LexborHTMLParser(html), "https://x.go.kr/v")]
    [('계획.hwp', 'https://x.go.kr/cmm/fms/FileDown.do?atchFileId=F1&fileSn=0', '35 KB')]
    """
    found: list[Attachment] = []
    for node in attachment_nodes(tree, selectors):
        item = read_item(node, base, template)
        if item is None:
            continue
        if any((item.url and a.url == item.url) or (not item.url and a.name == item.name) for a in found):
            continue
        found.append(item)
    return found


def is_standalone(node: LexborNode) -> bool:
    """True unless ``node`` is a link inside running text (seoul.go.kr links a PDF mid-sentence).

    Standalone attachment entries are removed from the body; inline links keep their text there.
    """
    if node.tag not in ("a", "button"):
        return True
    parent = node.parent
    return parent is None or node_text(parent) == node_text(node)
