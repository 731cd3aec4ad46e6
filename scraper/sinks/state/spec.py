"""The ``--state`` value: which backend, where (:func:`parse_state`), and opening it (:func:`open_store`)."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

from scraper.errors import ConfigError
from scraper.sinks.state.store import StateBase

POSTGRES_SCHEMES = ("postgresql", "postgres")
CLUSTER_HINT = "pip install 'korean-press-scraper[cluster]'"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def parse_state(value: str | Path) -> Path | str:
    """The state named by ``--state``: a ``Path`` for SQLite (a plain path, or a SQLAlchemy-style URL:
    ``sqlite:///rel/file`` is ``rel/file``, ``sqlite:////abs/file`` is ``/abs/file``) or the URL itself for
    PostgreSQL (``postgresql://`` or ``postgres://``, libpq's URL form). Raises ``ConfigError`` for any other
    ``scheme://`` (and for ``sqlite:`` without its three slashes).

    >>> parse_state("out/state.sqlite"), parse_state("sqlite:////var/state.sqlite")
    (PosixPath('out/state.sqlite'), PosixPath('/var/state.sqlite'))
    >>> parse_state("postgresql://crawl@db/state")
    'postgresql://crawl@db/state'
    """
    if isinstance(value, Path):
        return value
    match = _SCHEME.match(value)
    if match is None:
        return Path(value)
    scheme = match.group(1).lower()
    if scheme in POSTGRES_SCHEMES:
        return value
    if scheme == "sqlite":
        rest = value[match.end():]
        if not rest.startswith("/") or rest == "/":
            raise ConfigError(f"--state {value}: a SQLite URL is sqlite:///path (three slashes, then the path)")
        return Path(rest[1:])
    raise ConfigError(f"--state {value}: unknown scheme {scheme}://; the state is a SQLite file (a path or "
                      "sqlite:///path) or a PostgreSQL database (postgresql://user@host/db)")


def is_postgres(spec: Path | str) -> bool:
    """True when a :func:`parse_state` value names a PostgreSQL database."""
    return isinstance(spec, str)


def open_store(spec: Path | str) -> StateBase:
    """Open the state named by a :func:`parse_state` value: the SQLite file (created when missing; raises
    ``sqlite3.DatabaseError`` when it is no SQLite database) or the PostgreSQL database (tables created when
    missing). Raises ``ConfigError`` when psycopg is not installed (with the pip command) or the server cannot be
    reached."""
    if isinstance(spec, Path):
        from scraper.sinks.state.sqlite import StateStore

        return StateStore(spec)
    try:
        import psycopg
    except ImportError as exc:
        raise ConfigError(f"a PostgreSQL state needs psycopg 3, not installed here: {CLUSTER_HINT}") from exc
    from scraper.sinks.state.postgres import PostgresState, redacted

    try:
        return PostgresState(spec)
    except psycopg.OperationalError as exc:
        raise ConfigError(f"cannot open the PostgreSQL state {redacted(spec)}: {str(exc).strip()}") from exc


def state_errors() -> tuple[type[Exception], ...]:
    """The exception classes a state backend raises at run time (``sqlite3.Error``, and ``psycopg.Error`` once
    psycopg is imported), for the CLI to report as state failures."""
    errors: list[type[Exception]] = [sqlite3.Error]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        errors.append(psycopg.Error)
    return tuple(errors)
