"""Names that become paths: a source's name is its output folder (bottom layer: imports nothing of ours).

One rule, shared by the sources loader (which refuses a name it would change) and the sinks (which write
under it), so no name reaches outside the output folder and two spellings never share a folder.
"""

from __future__ import annotations

import re

_SAFE_RE = re.compile(r"[^\w.\-가-힣]+")


def safe_name(name: str) -> str:
    """A file-system-safe folder name for a source (no separators, no ``..``).

    >>> safe_name("../광진구 보도자료")
    '광진구_보도자료'
    """
    cleaned = _SAFE_RE.sub("_", name).strip("._") or "source"
    return cleaned[:100]
