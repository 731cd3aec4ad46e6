"""Whitespace, Unicode and entity normalization of text; pure.

>>> fold_space("  가\\u00a0 나\\n다 ")
'가 나 다'
"""

from __future__ import annotations

import html
import re
import unicodedata

_SPACE_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
MAX_UNESCAPE_ROUNDS = 5  # og:title escaped twice is common (CMS escapes, template escapes again); 5 is plenty


def fold_space(text: str) -> str:
    r"""NFC, and one space for every run of whitespace (NBSP, ideographic and zero-width spaces too); a lone
    surrogate (a ``\ud800`` escape in a page's JSON state decodes to one, and UTF-8 cannot hold it) becomes
    U+FFFD.

    What ``_SPACE_RE.sub(" ", ...).strip()`` gives, done with ``str.split`` (the regex's ``\s`` is
    ``str.isspace``; only U+200B and U+FEFF are added to it): three times faster, and this runs for every
    line of every page.

    >>> fold_space("\u200b가\ufeff나 ") == _SPACE_RE.sub(" ", "\u200b가\ufeff나 ").strip()
    True
    >>> fold_space("제목\ud800") == "제목\ufffd"
    True

    A text that is folded already (most lines are folded twice: by ``blocks.node_lines``, then by the record)
    is given back after three C-level scans: printable (so its only whitespace is U+0020, and it has no
    U+200B, U+FEFF or surrogate: those are not printable), no double, leading or trailing space, and NFC.

    >>> fold_space("가 나"), fold_space("가  나"), fold_space(" 가"), fold_space("가\u00a0나"), fold_space("e\u0301")
    ('가 나', '가 나', '가', '가 나', 'é')
    """
    if (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "
            and unicodedata.is_normalized("NFC", text)):
        return text
    text = unicodedata.normalize("NFC", text)
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", " ").replace("\ufeff", " ")
    folded = " ".join(text.split())
    if folded.isascii() or folded.isprintable():  # a lone surrogate is not printable (category Cs)
        return folded
    try:
        folded.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE_RE.sub("\ufffd", folded)
    return folded


def fold_row(text: str) -> str:
    """:func:`fold_space` for each tab-separated cell of a table row (the tabs kept); plain text as
    :func:`fold_space`.

    >>> fold_row("구분 \t 1분기\u00a0 합계")
    '구분\t1분기 합계'
    """
    if "\t" not in text:
        return fold_space(text)
    return "\t".join(fold_space(cell) for cell in text.split("\t")).strip("\t")


def unescape_entities(text: str) -> str:
    """HTML character references decoded until none is left (at most ``MAX_UNESCAPE_ROUNDS`` rounds).

    The HTML parser decodes an attribute once; a CMS that escapes twice leaves ``&quot;`` behind
    (og:title ``&amp;quot;한빛&amp;quot;`` on Korean news pages). A bare ``&`` (``R&D``) is left alone.

    >>> unescape_entities("&amp;quot;한빛&amp;quot;"), unescape_entities("R&D")
    ('"한빛"', 'R&D')
    """
    for _ in range(MAX_UNESCAPE_ROUNDS):
        if not _ENTITY_RE.search(text):
            break
        text = html.unescape(text)
    return text
