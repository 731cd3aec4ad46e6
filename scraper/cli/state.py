"""``scraper state migrate SQLITE_FILE POSTGRES_URL [--force]``: move a crawl's state to PostgreSQL.

Exit codes: 0 copied; 2 configuration error (no such file, a URL that is no PostgreSQL one, psycopg missing,
the server unreachable, a target that is not empty without ``--force``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scraper.errors import ConfigError
from scraper.sinks.state import is_postgres, parse_state

EXIT_OK, EXIT_CONFIG = 0, 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper state migrate``."""
    state = sub.add_parser("state", help="manage a crawl's state (migrate a SQLite file to PostgreSQL)")
    actions = state.add_subparsers(dest="action", required=True)
    migrate = actions.add_parser("migrate", help="copy a SQLite state file into an empty PostgreSQL database")
    migrate.add_argument("sqlite_file", type=Path, help="the SQLite state file (e.g. output/state.sqlite)")
    migrate.add_argument("postgres_url", help="the PostgreSQL database (postgresql://user@host/db)")
    migrate.add_argument("--force", action="store_true", help="replace what the database holds already")
    migrate.set_defaults(run=run_migrate)


def run_migrate(args: argparse.Namespace) -> int:
    """Copy the state; print the rows copied per table on stdout; return the exit code."""
    try:
        if not is_postgres(parse_state(args.postgres_url)):
            raise ConfigError(f"{args.postgres_url} is no PostgreSQL URL (postgresql://user@host/db)")
        from scraper.sinks.state import open_store

        open_store(args.postgres_url).close()  # the pip hint when psycopg is missing, a clear unreachable server
        from scraper.sinks.state.migrate import migrate

        counts = migrate(args.sqlite_file, args.postgres_url, force=args.force)
    except ConfigError as exc:
        print(f"scraper state migrate: configuration error: {exc.message}", file=sys.stderr)
        return EXIT_CONFIG
    for table, count in counts.items():
        print(f"{table}\t{count}")
    print(f"scraper state migrate: {sum(counts.values())} rows copied from {args.sqlite_file}", file=sys.stderr)
    return EXIT_OK
