"""Board sources: loading ``[[source]]`` tables from TOML files and matching a list URL to its source."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import ValidationError

from scraper.errors import ConfigError
from scraper.sources import default_profiles
from scraper.sources.board import BoardSource

BOARDS_DIR = Path(__file__).parent / "boards"

__all__ = ["BOARDS_DIR", "BoardSource", "load_sources", "source_for_url"]


def load_sources(path: Path | str = BOARDS_DIR) -> dict[str, BoardSource]:
    """Sources of a TOML file, or of every ``*.toml`` in a folder, keyed by name.

    Raises ``ConfigError`` naming the file and the field for a bad file, a bad field or a duplicate name.
    """
    path = Path(path)
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    sources: dict[str, BoardSource] = {}
    profiles = {p.name for p in default_profiles()}
    for file in files:
        for source in _read_file(file):
            if source.name in sources:
                raise ConfigError(f"{file}: duplicate source name {source.name!r}")
            if source.profile and source.profile not in profiles:
                raise ConfigError(f"{file}: source {source.name!r} field 'profile': no site profile named "
                                  f"{source.profile!r} (known: {', '.join(sorted(profiles))})")
            sources[source.name] = source
    return sources


def _read_file(file: Path) -> list[BoardSource]:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read sources file: {exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from exc
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{file}: field 'source': expected one or more [[source]] tables")
    return [_build(file, i, table) for i, table in enumerate(tables)]


def _build(file: Path, index: int, table: Any) -> BoardSource:
    try:
        return BoardSource.model_validate(table)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(table)"
        name = table.get("name") if isinstance(table, dict) else None
        raise ConfigError(f"{file}: source[{index}] {name or ''} field {field!r}: {first['msg']}") from exc


def _host_path(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    return host, parts.path.rstrip("/")


def _same_board(url: str, list_url: str) -> bool:
    """Same host and path, and every query parameter of ``list_url`` (``m=299``) present in ``url``."""
    if _host_path(url) != _host_path(list_url):
        return False
    have = set(parse_qsl(urlsplit(url).query))
    return set(parse_qsl(urlsplit(list_url).query)) <= have


def source_for_url(url: str | None, sources: dict[str, BoardSource]) -> BoardSource | None:
    """The source whose list URL has the host (``www.``/``m.`` ignored), path and query of ``url``.

    >>> src = BoardSource(name="n", organization="o", list_url="https://www.naju.go.kr/a/b", items={"item": "tr"})
    >>> source_for_url("https://naju.go.kr/a/b?page=3", {"n": src}).name
    'n'
    """
    if not url:
        return None
    return next((s for s in sources.values() if _same_board(url, s.list_url)), None)
