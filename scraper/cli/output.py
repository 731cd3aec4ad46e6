"""What the commands print: JSON with Hangul unescaped, and timestamped log lines for cron."""

from __future__ import annotations

import json
from typing import Any


def dump_json(obj: Any, indent: int | None) -> str:
    """``obj`` as JSON text with Hangul unescaped (``indent=None``: one line).

    >>> dump_json({"title": "강진군"}, None)
    '{"title": "강진군"}'
    """
    return json.dumps(obj, ensure_ascii=False, indent=indent)
