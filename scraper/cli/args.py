"""Argument types of the command line: values are checked before any work starts (usage error, exit 2)."""

from __future__ import annotations

import argparse
import math
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from scraper.config import WarcSettings
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
    """A finite number of seconds > 0 (``nan`` and ``inf`` are refused: a timeout of NaN times out at once).

    >>> positive_seconds("2.5")
    2.5
    """
    seconds = _seconds(value)
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {value!r}")
    return seconds


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from exc
    if not math.isfinite(seconds):
        raise argparse.ArgumentTypeError(f"not a finite number of seconds: {value!r}")
    return seconds


def http_url(value: str) -> str:
    """An absolute ``http://`` or ``https://`` URL.

    >>> http_url("https://www.gangjin.go.kr/www/government/news/press")
    'https://www.gangjin.go.kr/www/government/news/press'
    """
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value!r}")
    return value


def positive_int(value: str) -> int:
    """A whole number >= 1."""
    return _int_at_least(value, 1)


def non_negative_int(value: str) -> int:
    """A whole number >= 0."""
    return _int_at_least(value, 0)


def non_negative_seconds(value: str) -> float:
    """A finite number of seconds >= 0 (``nan`` would turn a politeness delay off)."""
    seconds = _seconds(value)
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value!r}")
    return seconds


def _int_at_least(value: str, least: int) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from exc
    if number < least:
        raise argparse.ArgumentTypeError(f"must be at least {least}: {value!r}")
    return number


def unwritable_folder(folder: Path) -> str | None:
    """``None`` when ``folder`` exists (or can be made) and takes a new file, else why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as exc:
        return f"cannot write in {folder}: {exc.strerror or exc}"
    return None


def profiles_folder(value: str) -> Path:
    """A folder of site profiles (``*.toml``) that loads: every profile valid, or a usage error naming the
    file and field (exit 2)."""
    from scraper.errors import ConfigError
    from scraper.sources import load_profiles

    folder = Path(value)
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"not a folder: {value!r}")
    try:
        found = load_profiles(folder)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if not found:
        raise argparse.ArgumentTypeError(f"no *.toml site profile in {value!r} (use --no-profiles for none)")
    return folder


def default_of(model: type[BaseModel], name: str) -> Any:
    """The default of a settings field (``scraper.config``), so a flag's default is defined once.

    >>> from scraper.config import FetchSettings
    >>> default_of(FetchSettings, "min_delay")
    1.0
    """
    return model.model_fields[name].get_default(call_default_factory=True)


def add_warc_flags(parser: argparse.ArgumentParser) -> None:
    """``--warc DIR`` and its companions (``--warc-prefix``, ``--warc-max-size``, ``--warc-operator``)."""
    parser.add_argument("--warc", metavar="DIR", type=Path,
                        help="archive every fetch (robots.txt, pages, attachments) as WARC/1.1 files in DIR; each "
                        "record then carries a 'warc' key pointing at its response")
    parser.add_argument("--warc-prefix", default=default_of(WarcSettings, "prefix"), metavar="PREFIX",
                        help="first part of the WARC file names (default %(default)s)")
    parser.add_argument("--warc-max-size", type=positive_int, default=default_of(WarcSettings, "max_bytes"),
                        metavar="BYTES", help="start a new WARC file once one holds this many bytes "
                        "(default %(default)s)")
    parser.add_argument("--warc-operator", metavar="TEXT", help="who runs the crawl (e.g. a contact address), "
                        "written in each file's warcinfo record")


def warc_settings(args: argparse.Namespace) -> WarcSettings | None:
    """The ``WarcSettings`` the ``--warc*`` flags ask for, or ``None`` without ``--warc``."""
    if args.warc is None:
        return None
    return WarcSettings(folder=args.warc, prefix=args.warc_prefix, max_bytes=args.warc_max_size,
                        operator=args.warc_operator)
