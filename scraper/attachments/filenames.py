"""Attachment file names: from ``Content-Disposition`` headers, and safe names for saving; pure but
:func:`save_file`.

Header rules: RFC 6266 §4.3 (``filename*`` wins over ``filename``) and RFC 8187/5987 (``filename*=
UTF-8''%EB%B3%B4...``). Korean servers also send the raw UTF-8 or EUC-KR (cp949) bytes of the name in
``filename=``, which HTTP clients decode as latin-1 (httpx does when the bytes are not UTF-8), and some
send the name percent-encoded; both are decoded back here (utf-8 first, then cp949).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

_PARAM_RE = re.compile(r';\s*([!#$&+.^_`|~0-9A-Za-z*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_DEVICE_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"] + [f"{p}{i}" for p in ("COM", "LPT") for i in "0123456789¹²³"]
)
"""Windows reserved device names (Win32 naming rules, 'Naming Files, Paths, and Namespaces')."""
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME_BYTES = 200
"""Longest saved name in UTF-8 bytes (file systems allow 255)."""


def _params(value: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for key, raw in _PARAM_RE.findall(";" + value.split(";", 1)[1] if ";" in value else ""):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params.setdefault(key.lower(), raw)
    return params


def repair_text(text: str) -> str:
    """A header string whose bytes were decoded as latin-1, decoded again as UTF-8, else cp949 (EUC-KR).

    >>> repair_text("보도자료.hwp".encode("utf-8").decode("latin-1"))
    '보도자료.hwp'
    >>> repair_text("보도자료.hwp".encode("cp949").decode("latin-1"))
    '보도자료.hwp'
    >>> repair_text("보도자료.hwp"), repair_text("plan.pdf")
    ('보도자료.hwp', 'plan.pdf')
    """
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text  # already decoded properly (httpx decodes valid UTF-8 headers as UTF-8)
    return _korean_bytes(raw) or text


def _korean_bytes(raw: bytes) -> str | None:
    """``raw`` as UTF-8, else as cp949 (the two encodings Korean servers send names in), else ``None``."""
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _decode_ext_value(value: str) -> str | None:
    """An RFC 8187 ext-value ``charset'lang'pct-encoded``; ``None`` when malformed."""
    parts = value.split("'", 2)
    if len(parts) != 3:
        return None
    charset = parts[0].strip().lower() or "utf-8"
    try:
        return unquote_to_bytes(parts[2]).decode(charset if charset != "euc-kr" else "cp949")
    except (LookupError, UnicodeDecodeError):
        return None


def _percent_decoded(name: str) -> str:
    if not re.search(r"%[0-9A-Fa-f]{2}", name):
        return name
    return _korean_bytes(unquote_to_bytes(name)) or name


def disposition_filename(header: str | None) -> str | None:
    """The file name in a ``Content-Disposition`` value, decoded; ``None`` when there is none.

    >>> disposition_filename("attachment; filename*=UTF-8''%EB%B3%B4%EB%8F%84%EC%9E%90%EB%A3%8C.hwp")
    '보도자료.hwp'
    >>> disposition_filename('attachment; filename="%EA%B3%84%ED%9A%8D.pdf"')
    '계획.pdf'
    >>> disposition_filename("inline") is None
    True
    """
    if not header:
        return None
    params = _params(header)
    name = _decode_ext_value(params["filename*"]) if "filename*" in params else None
    if not name and params.get("filename"):
        name = _percent_decoded(repair_text(params["filename"]))
    name = unicodedata.normalize("NFC", name.strip()) if name else None
    return name or None


def url_filename(url: str | None) -> str | None:
    """The last path segment of ``url``, percent-decoded; ``None`` when it is empty or a script name.

    >>> url_filename("https://x.go.kr/files/%EA%B3%84%ED%9A%8D.hwp?x=1"), url_filename("https://x.go.kr/down.do?id=1")
    ('계획.hwp', None)
    """
    if not url:
        return None
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    if not segment or re.search(r"\.(?:do|jsp|php|aspx?|cgi)$", segment, re.I):
        return None
    return segment


def safe_filename(name: str | None, fallback: str = "attachment") -> str:
    """A file name that stays inside its folder on POSIX and Windows: no directories (``../``, ``/``,
    ``C:\\``), no NUL or control characters, no reserved device names (``CON``, ``NUL``, ``COM1``...),
    no trailing dots or spaces, at most ``MAX_NAME_BYTES`` bytes (extension kept).

    >>> safe_filename("../../etc/passwd"), safe_filename("C:\\\\Windows\\\\x.hwp"), safe_filename("CON.hwp")
    ('passwd', 'x.hwp', '_CON.hwp')
    >>> safe_filename("보도\\x00자료 .hwp. "), safe_filename(".."), safe_filename("/")
    ('보도_자료 .hwp', 'attachment', 'attachment')
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_CHARS.sub("_", name).strip(" .")
    if not name or set(name) <= {"_", "."}:
        name = fallback
    if name.partition(".")[0].upper().rstrip(" ") in _DEVICE_NAMES:
        name = "_" + name
    return _shorten(name)


def _shorten(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    stem, ext = os.path.splitext(name)
    ext = ext if len(ext.encode("utf-8")) <= 16 else ""
    budget = MAX_NAME_BYTES - len(ext.encode("utf-8"))
    return stem.encode("utf-8")[:budget].decode("utf-8", "ignore").rstrip(" .") + ext


def save_file(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``folder/safe_filename(name)``; an existing file is never overwritten
    (``이름 (2).hwp``, ``이름 (3).hwp``... are tried, created exclusively). Returns the path written."""
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    safe = safe_filename(name)
    stem, ext = os.path.splitext(safe)
    for number in range(1, 10_000):
        candidate = root / (safe if number == 1 else f"{stem} ({number}){ext}")
        if candidate.resolve().parent != root:
            raise ValueError(f"unsafe attachment name {name!r}")
        try:
            with candidate.open("xb") as handle:
                handle.write(data)
            return candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"too many files named {safe!r} in {root}")
