"""Bytes -> text, the way browsers pick a charset, made safe for Korean pages.

Order (after w3lib ``html_to_unicode`` and the WHATWG Encoding Standard,
https://encoding.spec.whatwg.org/): BOM, then the HTTP ``Content-Type`` charset, then the
``<meta charset>`` / ``http-equiv`` declaration in the first 64 KiB, each *checked against the
bytes* (a label that does not decode the bytes strictly loses to the next one), then strict UTF-8,
then strict cp949 when it yields Hangul (undeclared EUC-KR), then the least damaged of the declared
codec, UTF-8 and cp949 when only a few bytes fail (:func:`least_damaged`: those replaced by U+FFFD, as
a browser does with a declared charset), then charset-normalizer, then UTF-8 with replacement. A
single-byte Western label (ISO-8859-1, windows-1252) on bytes that read as Korean is skipped: such a
label decodes any bytes, so it cannot be checked (the result is flagged ``charset_guessed`` by the
pipeline). Every EUC-KR label (euc-kr, ks_c_5601-1987, x-windows-949, ...) decodes as cp949, as
browsers do. A few stray NUL bytes (:func:`looks_binary`) are dropped, as browsers ignore them.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from scraper.errors import DecodeError

# WHATWG: all these labels mean "EUC-KR", which browsers decode as windows-949 (cp949).
_KOREAN_LABELS = {
    "euc-kr", "euckr", "cseuckr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601",
    "korean", "iso-ir-149", "csksc56011987", "windows-949", "x-windows-949", "cp949", "uhc", "ms949",
}
_WINDOWS_LATIN = {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso8859-1"}
_META_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE
)
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?([^\s;"']+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_WINDOW = 64 * 1024
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


@dataclass(frozen=True)
class Decoded:
    """Decoded page text: ``encoding`` is the Python codec used, ``source`` how it was decided
    (``bom``, ``header``, ``meta``; ``detected``: strict UTF-8, or strict cp949 with Hangul; ``replaced``: a
    declared or detected codec with a few bytes replaced (:func:`least_damaged`); ``guessed``: charset-normalizer;
    ``fallback``: UTF-8 with replacement characters)."""

    text: str
    encoding: str
    source: str
    utf8: bytes | None = None
    """``text`` as UTF-8 when those are the page's own bytes (strict UTF-8 from a label or detection, nothing
    dropped), for a caller that would encode the text again (the parser takes bytes)."""
    nuls_dropped: bool = False
    """Stray NUL characters were dropped from the text (:data:`MAX_STRAY_NULS`)."""


def normalize_label(label: str) -> str | None:
    """Map a charset label to the Python codec that browsers would use, or ``None`` if unknown.

    >>> normalize_label("KS_C_5601-1987")
    'cp949'
    >>> normalize_label("ISO-8859-1")
    'cp1252'
    >>> normalize_label("no-such-charset") is None
    True
    """
    name = label.strip().strip("\"'").lower()
    if name in _KOREAN_LABELS:
        return "cp949"
    if name in _WINDOWS_LATIN:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a label holding a NUL character
        return None


def header_charset(content_type: str | None) -> str | None:
    """The charset label of a ``Content-Type`` header value, or ``None``.

    >>> header_charset("text/html; charset=EUC-KR")
    'EUC-KR'
    """
    if not content_type:
        return None
    match = _HEADER_RE.search(content_type)
    return match.group(1) if match else None


def meta_charset(data: bytes) -> str | None:
    """The charset declared by ``<meta charset>`` or ``http-equiv`` in the page's head, or ``None``."""
    match = _META_RE.search(data[:_META_WINDOW])
    return match.group(1).decode("ascii", "replace") if match else None


MAX_STRAY_NULS = 16
"""NUL bytes in the first 8 KiB that a text page may hold (a CMS storing a C string's terminator in a field, a
paste from a word processor): browsers ignore them. Binary files hold far more (OLE/HWP, images, archives)."""


def looks_binary(data: bytes) -> bool:
    r"""True for bytes that are no text page: a PDF, more than :data:`MAX_STRAY_NULS` NUL bytes or more than 5%
    control bytes in the first 8 KiB (compressed or image data: about a tenth of random bytes are controls).

    >>> looks_binary(b"<p>\x00" + "본문".encode() * 100), looks_binary(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (False, True)
    """
    head = data[:8192]
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"%PDF-" in head[:1024] or head.count(b"\x00") > MAX_STRAY_NULS:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _checked(data: bytes, codec: str) -> str | None:
    """Decode with a declared codec if the bytes agree with it.

    A legacy (non-UTF) label on bytes that are valid, non-ASCII UTF-8 is taken as a lie: real EUC-KR
    Korean text is practically never valid UTF-8 (seen on news.mt.co.kr and Naver pages that declare
    euc-kr while serving UTF-8).
    """
    if codec != "utf-8" and not data.isascii() and _strict(data, "utf-8") is not None:
        return None
    return _strict(data, codec)


def decode_html(data: bytes, content_type: str | None = None, *, url: str | None = None) -> Decoded:
    """Decode page bytes to text (see the module docstring for the order).

    Raises :class:`DecodeError` (kind ``empty`` or ``binary``) for bytes that are no page.

    >>> decode_html('<meta charset="euc-kr">한글'.encode("cp949")).encoding
    'cp949'
    >>> decode_html('<meta charset="euc-kr">한글'.encode("utf-8"), "text/html").source
    'detected'
    """
    if not data.strip():
        raise DecodeError("the page is empty", url=url, kind="empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(codec, "replace")
            return Decoded(text.replace("\x00", ""), codec, "bom", nuls_dropped="\x00" in text)
    if looks_binary(data):
        raise DecodeError("the bytes are not a text page (binary content)", url=url, kind="binary")
    nuls = b"\x00" in data  # stray NULs are dropped (no byte of a UTF-8 or cp949 multi-byte character is NUL)
    decoded = _decode_text(data.replace(b"\x00", b"") if nuls else data, content_type)
    if nuls:
        return dataclasses.replace(decoded, utf8=None, nuls_dropped=True)  # the text is not the page's bytes
    return decoded


def _decode_text(data: bytes, content_type: str | None) -> Decoded:
    """The charset steps of :func:`decode_html` (after the BOM and the binary test) on bytes without NUL."""
    declared: tuple[tuple[str | None, str], ...] = (
        (header_charset(content_type), "header"), (meta_charset(data), "meta"))
    strong: list[str] = []
    for label, source in declared:
        label_codec = normalize_label(label) if label else None
        if label_codec and is_weak_label(label_codec) and not data.isascii() and _korean_bytes(data):
            continue  # a Western single-byte label on Korean bytes: any bytes "decode", so it proves nothing
        checked = _checked(data, label_codec) if label_codec else None
        if label_codec and checked is not None:
            return Decoded(checked, label_codec, source, data if label_codec == "utf-8" else None)
        if label_codec and not is_weak_label(label_codec):
            strong.append(label_codec)
    as_utf8 = _strict(data, "utf-8")
    if as_utf8 is not None:
        return Decoded(as_utf8, "utf-8", "detected", data)
    as_cp949 = _strict(data, "cp949")
    if as_cp949 is not None and _HANGUL_RE.search(as_cp949):  # undeclared EUC-KR: the usual Korean legacy case
        return Decoded(as_cp949, "cp949", "detected")
    return least_damaged(data, strong) or _detect(data)


MAX_DAMAGE = 0.005
"""Share of a page's non-ASCII bytes that may fail to decode in :func:`least_damaged` (at least
:data:`MIN_DAMAGE` bytes) in a codec nothing declares: a cut multi-byte character at the end of a truncated
``<meta description>``. Reading bytes in the wrong codec fails on far more of them (UTF-8 Hangul read as
cp949 fails at about every other character)."""
MAX_DECLARED_DAMAGE = 0.05
"""The same for the codec the page declares, as a browser reads it whatever fails: a pasted UTF-8 sentence in
a short EUC-KR release fails on about 1% of its bytes."""
MIN_DAMAGE = 4
_ASCII_BYTES = bytes(range(128))


def least_damaged(data: bytes, declared: list[str] | None = None) -> Decoded | None:
    r"""The page read with the codec that fails on the fewest bytes, those replaced by U+FFFD (source
    ``replaced``), of the declared codecs (strong labels only), UTF-8 and cp949 (with Hangul), in that order on
    a tie; ``None`` when even the best fails on more than :data:`MAX_DAMAGE` of the non-ASCII bytes
    (:data:`MAX_DECLARED_DAMAGE` for a declared codec). A browser
    reads a page in its declared charset and replaces what does not decode; a few bad bytes must not send an
    EUC-KR page to charset-normalizer, which then guesses a Cyrillic codec (seen on a 시청 board page whose
    ``<meta name="description">`` was cut inside a character).

    >>> page = "<meta charset='euc-kr'><p>광주시 보도자료</p>".encode("cp949") + b"\xb0"
    >>> found = least_damaged(page, ["cp949"])
    >>> found.text[-9:], found.encoding, found.source
    ('보도자료</p>\ufffd', 'cp949', 'replaced')
    """
    non_ascii = len(data) - len(data.translate(None, _ASCII_BYTES))
    best: tuple[int, str, str] | None = None
    for codec in dict.fromkeys([*(declared or []), "utf-8", "cp949"]):
        try:
            text = data.decode(codec, "replace")
        except LookupError:
            continue
        if codec == "cp949" and not _HANGUL_RE.search(text):
            continue  # cp949 reads many Western bytes as Hanja without failing: only Hangul proves it
        bad = text.count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, codec, text)
    share = MAX_DECLARED_DAMAGE if best is not None and best[1] in (declared or []) else MAX_DAMAGE
    if best is None or best[0] > max(MIN_DAMAGE, non_ascii * share):
        return None
    return Decoded(best[2], best[1], "replaced")


_HANGUL_RE = re.compile(r"[가-힣]{2}")
_WEAK_PREFIXES = ("cp125", "iso8859", "latin", "ascii", "mac-roman", "mac_roman", "cp850", "cp437")


def is_weak_label(codec: str) -> bool:
    """True for a single-byte Western codec (windows-1252, ISO-8859-x, ASCII): every byte sequence
    decodes in it, so on Korean pages such a label is weak evidence (servers and old CMS templates
    default to it while serving EUC-KR).

    >>> is_weak_label("cp1252"), is_weak_label("iso8859-15"), is_weak_label("cp949")
    (True, True, False)
    """
    return codec.lower().startswith(_WEAK_PREFIXES)


def _korean_bytes(data: bytes) -> bool:
    """True when the bytes read as Korean in UTF-8 or cp949 (strictly, with Hangul)."""
    for codec in ("utf-8", "cp949"):
        text = _strict(data, codec)
        if text is not None and _HANGUL_RE.search(text):
            return True
    return False


def _detect(data: bytes) -> Decoded:
    """charset-normalizer on a window around the first non-ASCII byte (a page may open with hundreds of
    kilobytes of ASCII script, which makes a head-only guess say "ascii")."""
    first = next((i for i, b in enumerate(data[:4_000_000]) if b > 0x7F), 0)
    window = data[max(0, first - 1000): first + 200_000]
    best = from_bytes(window).best()
    if best is not None and best.encoding not in ("ascii", "us-ascii"):
        codec = normalize_label(best.encoding) or best.encoding
        if codec in {"euc_kr", "cp949", "johab", "iso2022_kr"}:
            codec = "cp949"
        return Decoded(data.decode(codec, "replace"), codec, "guessed")
    return Decoded(data.decode("utf-8", "replace"), "utf-8", "fallback")
