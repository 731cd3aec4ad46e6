"""``scraper schema`` (the record's JSON Schema) and ``scraper profiles`` (the bundled site profiles)."""

from __future__ import annotations

import argparse
import sys

from scraper.cli.output import dump_json
from scraper.models import Record
from scraper.sources import SITES_DIR


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper schema`` and ``scraper profiles``."""
    sub.add_parser("schema", help="print the JSON Schema of the record").set_defaults(run=run_schema)
    sub.add_parser("profiles", help="list the bundled site profiles").set_defaults(run=run_profiles)


def run_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of :class:`~scraper.models.Record`."""
    sys.stdout.write(dump_json(Record.model_json_schema(), 2) + "\n")
    return 0


def run_profiles(args: argparse.Namespace) -> int:
    """Print the names of the bundled site profiles, one a line."""
    for path in sorted(SITES_DIR.glob("*.toml")):
        sys.stdout.write(path.stem + "\n")
    return 0
