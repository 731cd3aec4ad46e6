"""Argument types of the command line: values are checked before any work starts (usage error, exit 2)."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from scraper.normalize.dates import KST


def iso_datetime(value: str) -> str:
    """An ISO 8601 time (``2024-03-05T14:00:00+09:00``; naive times are KST), returned in KST ISO form.

    >>> iso_datetime("2024-03-05T14:00:00")
    '2024-03-05T14:00:00+09:00'
    """
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r} (e.g. 2024-03-05T14:00:00+09:00)") from exc
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)
    return parsed.astimezone(KST).isoformat()


def iso_date(value: str) -> str:
    """A calendar day ``YYYY-MM-DD``.

    >>> iso_date("2024-03-20")
    '2024-03-20'
    """
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from exc


def readable_file(value: str) -> str:
    """A path to an existing, readable file (e.g. a PEM bundle for ``--extra-ca``)."""
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {value}")
    try:
        path.open("rb").close()
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read {value}: {exc.strerror}") from exc
    return value


def positive_seconds(value: str) -> float:
    """A number of seconds > 0."""
    try:
        seconds = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from exc
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {value!r}")
    return seconds
