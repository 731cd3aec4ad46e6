"""A real PostgreSQL server for tests, started by the suite itself (never a mock).

Debian's server binaries (``pg_config --bindir``: ``initdb``, ``pg_ctl``, ``postgres``) run a throwaway
cluster: a temporary data folder, trust authentication, listening on 127.0.0.1 on a free port (its unix socket
in the temporary folder), ``fsync=off`` (a test cluster: nothing to keep). PostgreSQL refuses to run as
root, so as root the cluster belongs to the ``postgres`` system user and its commands run through
``runuser -u postgres --``; otherwise it runs as the current user. Each test gets a fresh database
(:meth:`PgServer.new_database`, a copy of an empty template: a few milliseconds).

``.ci/run`` installs Debian's ``postgresql`` with apt-get when it is missing. Without the binaries (or
psycopg) a test skips with the reason, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import in_ci


def bindir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl`` (``pg_config --bindir``, else Debian's ``/usr/lib/postgresql/*/bin``)."""
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append(Path(out))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return next((c for c in candidates if (c / "initdb").is_file() and (c / "pg_ctl").is_file()), None)


def missing(reason: str) -> None:
    """Skip the test for ``reason`` (fail it under ``CI=true``)."""
    if in_ci():
        pytest.fail(reason + "; CI=true requires it (.ci/run installs postgresql and the [cluster] extra)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgServer:
    """One running throwaway cluster: ``url(db)`` is its libpq URL, :meth:`new_database` a fresh database."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin_dir, self.root = bin_dir, root
        self.data, self.port = root / "data", _free_port()
        self.user_prefix: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(root, user.pw_uid, user.pw_gid)
            self.user_prefix = ["runuser", "-u", "postgres", "--"]
        self._numbers = itertools.count(1)

    def _cmd(self, *args: str) -> None:
        subprocess.run([*self.user_prefix, *args], check=True, capture_output=True, cwd=self.root)

    def start(self, durable: bool = False) -> None:
        """initdb, then start the server and wait until it accepts connections; ``durable``: PostgreSQL's own
        defaults (fsync, synchronous commit: for benchmarks), else no fsync at all (tests)."""
        self._cmd(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=60"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._cmd(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop the server at once (nothing to keep)."""
        subprocess.run([*self.user_prefix, str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                        "-w", "stop"], capture_output=True, check=False, cwd=self.root)

    def url(self, database: str = "postgres") -> str:
        """The libpq URL of ``database`` (user ``postgres``, TCP on 127.0.0.1)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database; returns its URL."""
        import psycopg

        name = f"t{next(self._numbers)}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY")
        return self.url(name)


@contextmanager
def pg_server() -> Iterator[PgServer]:
    """A started :class:`PgServer`, stopped and removed after; skips (fails under CI) without the binaries."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing("psycopg is not installed (pip install -e '.[test]' pulls the [cluster] extra)")
    found = bindir()
    if found is None:
        missing("PostgreSQL server binaries not found (apt-get install postgresql)")
        raise AssertionError("unreachable")
    root = Path(tempfile.mkdtemp(prefix="scraper-pg-"))
    server = PgServer(found, root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
