"""Shared fixtures: a real PostgreSQL server for the tests of the shared crawl state (see ``pg.py``) and a local
Ray cluster for the tests of ``--ray``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pg import PgServer, pg_server
from support import in_ci


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgServer]:
    """One throwaway PostgreSQL cluster for the whole session (started on first use)."""
    with pg_server() as server:
        yield server


@pytest.fixture
def pg_url(postgres: PgServer) -> str:
    """The URL of a fresh, empty database on :func:`postgres`."""
    return postgres.new_database()


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    """Ray started here on two CPUs (skipped outside CI only when Ray is not installed)."""
    if not in_ci():
        pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[cluster]')")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning", log_to_driver=False)
    yield ray
    ray.shutdown()
