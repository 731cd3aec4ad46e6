"""The link output (``scraper links`` / ``crawl --links``) read for the report: how many news copies link to
each release, from ``DIR/groups.jsonl`` (one line per release with copies: ``{"release_id", "url",
"organization", "title", "republished_by", "articles": [...]}``, see README's links section).

Only read; a missing folder or file is no error (the report says nothing was found). A line that is no JSON
object, or has no ``release_id`` or no count, is counted as unreadable and skipped. A folder holding
``links.sqlite`` is a link output, never a source's folder (:data:`INDEX_FILE`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scraper.health.model import Republished
from scraper.sinks.jsonl import read_objects

INDEX_FILE = "links.sqlite"
GROUPS_FILE = "groups.jsonl"


@dataclass
class LinkGroups:
    """The releases with copies (by release id), whether ``groups.jsonl`` was found, its unreadable lines."""

    found: bool = False
    releases: dict[str, Republished] = field(default_factory=dict)
    unreadable_lines: int = 0


def is_link_output(folder: Path) -> bool:
    """True when ``folder`` holds a link index (it is a link output, not a source's records)."""
    return (folder / INDEX_FILE).is_file()


def read_groups(folder: Path) -> LinkGroups:
    """``folder/groups.jsonl`` as :class:`LinkGroups` (empty, ``found`` false, when there is no such file)."""
    path = folder / GROUPS_FILE
    groups = LinkGroups(found=path.is_file())
    if not groups.found:
        return groups
    for value in read_objects(path):
        count = value.get("republished_by") if value is not None else None
        release_id = value.get("release_id") if value is not None else None
        if value is None or not isinstance(release_id, str) or not isinstance(count, int) or isinstance(count, bool):
            groups.unreadable_lines += 1
            continue
        groups.releases[release_id] = Republished(
            release_id=release_id, url=_text(value.get("url")), title=_text(value.get("title")),
            organization=_text(value.get("organization")), republished_by=count)
    return groups


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
