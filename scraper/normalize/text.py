"""Whitespace and Unicode normalization of text; pure.

>>> fold_space("  가\\u00a0 나\\n다 ")
'가 나 다'
"""

from __future__ import annotations

import re
import unicodedata

_SPACE_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")


def fold_space(text: str) -> str:
    """NFC, and one space for every run of whitespace (NBSP, ideographic and zero-width spaces too)."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()
