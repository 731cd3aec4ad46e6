"""Board sources: loading ``[[source]]`` tables from TOML files and matching a list URL to its source."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from pydantic import ValidationError

from scraper.errors import ConfigError
from scraper.sources import config_error, default_profiles, validation_messages
from scraper.sources.board import BoardSource

BOARDS_DIR = Path(__file__).parent / "boards"

__all__ = ["BOARDS_DIR", "BoardSource", "load_sources", "source_for_url"]


def load_sources(path: Path | str = BOARDS_DIR) -> dict[str, BoardSource]:
    """Sources of a TOML file, or of every ``*.toml`` in a folder, keyed by name.

    Every selector compiles, every ``profile`` names a bundled site profile, and names are safe folder
    names, unique ignoring case across all the files read (a name is the source's output folder).
    Raises ``ConfigError`` for the first bad file, naming it and every bad source and field of it
    (``…/korea.toml: source[2] 'wando-press' field 'items.title'[0]: bad CSS selector 'div..title': …``).
    """
    path = Path(path)
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    sources: dict[str, BoardSource] = {}
    folders: dict[str, tuple[str, Path]] = {}  # name.casefold() -> (name, file): case-insensitive file systems
    profiles = {p.name for p in default_profiles()}
    for file in files:
        found, messages = _read_file(file)
        for index, source in found:
            where = f"source[{index}] {source.name!r}"
            other = folders.get(source.name.casefold())
            if other is not None:
                other_file = "this file" if other[1] == file else str(other[1])
                messages.append(f"{where} field 'name': duplicate source name (same output folder as "
                                f"{other[0]!r} in {other_file}; names are compared ignoring case)")
                continue
            if source.profile and source.profile not in profiles:
                messages.append(f"{where} field 'profile': no site profile named {source.profile!r} "
                                f"(known: {', '.join(sorted(profiles))})")
            folders[source.name.casefold()] = (source.name, file)
            sources[source.name] = source
        if messages:
            raise config_error(str(file), messages)
    return sources


def _read_file(file: Path) -> tuple[list[tuple[int, BoardSource]], list[str]]:
    """The valid sources of ``file`` with their table index, and a message for each error of the others."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8-sig"))  # a BOM (Windows editors) is no TOML
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read sources file: {exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: invalid TOML: {exc}") from exc
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{file}: field 'source': expected one or more [[source]] tables")
    found: list[tuple[int, BoardSource]] = []
    messages: list[str] = []
    for index, table in enumerate(tables):
        try:
            found.append((index, BoardSource.model_validate(table)))
        except ValidationError as exc:
            name = table.get("name") if isinstance(table, dict) else None
            where = f"source[{index}]" + (f" {name!r}" if isinstance(name, str) else "")
            messages += [f"{where} {message}" for message in validation_messages(exc)]
    return found, messages


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
