"""Appending a proposed stanza to a sources TOML file without ever leaving it broken.

The new text is written to a temporary file beside the target, loaded with
:func:`scraper.sources.boards.load_sources` (every selector compiled, names unique), and only then renamed
over the target (``os.replace``: the file is the old one or the new one, never half of each).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import tomllib
from pathlib import Path

from scraper.errors import ConfigError
from scraper.sources.board import BoardSource
from scraper.sources.boards import load_sources


def append_stanza(path: Path, stanza: str, name: str) -> dict[str, BoardSource]:
    """Append ``stanza`` (one ``[[source]]`` table named ``name``) to the sources file ``path``, created when
    missing; returns the file's sources after the change.

    Raises ``ConfigError`` when ``path`` is a folder, cannot be read or written, does not load as it is, already
    has a source called ``name`` (ignoring case) or one with the stanza's list URL, or would not load with the
    stanza; the file is then unchanged.
    """
    if path.is_dir():
        raise ConfigError(f"{path} is a folder: 'sources add --sources' takes one TOML file")
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read sources file: {exc}") from exc
    if old.strip():
        existing = load_sources(path)
        clash = next((n for n in existing if n.casefold() == name.casefold()), None)
        if clash is not None:
            raise ConfigError(f"{path} already has a source named {clash!r}: choose another --name")
    text = old + ("\n" if old and not old.endswith("\n") else "") + ("\n" if old.strip() else "") + stanza
    if old.strip():
        tables = tomllib.loads(stanza).get("source") or [{}]
        url = tables[0].get("list_url")
        twin = next((n for n, source in existing.items() if source.list_url == url), None)
        if twin is not None:  # one board under two names would be crawled twice, its records in two folders
            raise ConfigError(f"{path} already crawls {url} as source {twin!r}")
    return _replace_checked(path, text)


def _replace_checked(path: Path, text: str) -> dict[str, BoardSource]:
    """Write ``text`` to a temporary file beside ``path``, load it, then rename it over ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=f".{path.name}.",
                                             suffix=".tmp", delete=False)
    except OSError as exc:
        raise ConfigError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    tmp = Path(handle.name)
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            sources = load_sources(tmp)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(tmp), str(path)), url=exc.url) from None
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _sync_folder(folder)
    return sources


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry of the renamed file to disk (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
