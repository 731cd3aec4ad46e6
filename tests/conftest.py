"""Shared fixtures: a real PostgreSQL server for the tests of the shared crawl state (see ``pg.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pg import PgServer, pg_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgServer]:
    """One throwaway PostgreSQL cluster for the whole session (started on first use)."""
    with pg_server() as server:
        yield server


@pytest.fixture
def pg_url(postgres: PgServer) -> str:
    """The URL of a fresh, empty database on :func:`postgres`."""
    return postgres.new_database()
