"""``scraper warc extract|index|wacz``: WARC files read back (records re-extracted with today's rules), indexed
(CDXJ) and packaged (WACZ).

Exit codes: 0 done; 1 (``extract``) some captures gave error lines, or (``wacz``) py-wacz failed; 2 a usage
error or a file that cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scraper.archive.read import READERS, Filters
from scraper.cli.args import iso_datetime, non_negative_int, positive_int, profiles_folder
from scraper.cli.extract import chosen_profiles
from scraper.cluster.replay import cluster_cpus, ray_runner
from scraper.errors import ConfigError
from scraper.replay.attachments import build_index
from scraper.replay.extract import ReplayJob
from scraper.replay.learning import ReplayLearner
from scraper.replay.run import replay_files
from scraper.sources.boards import BOARDS_DIR, load_sources


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper warc`` and its actions."""
    warc = sub.add_parser("warc", help="WARC files: re-extract records, index (CDXJ), package (WACZ)")
    actions = warc.add_subparsers(dest="action", required=True)
    ext = actions.add_parser("extract", help="re-extract the pages of WARC files (response and revisit records)")
    ext.add_argument("files", nargs="+", type=Path, metavar="FILE", help="WARC files (.warc or .warc.gz)")
    ext.add_argument("--host", action="append", default=[], metavar="HOST",
                     help="only captures of this host or its subdomains (repeatable)")
    ext.add_argument("--url", action="append", default=[], metavar="GLOB",
                     help="only captures whose URL matches this glob, e.g. '*/view.do*' (repeatable)")
    ext.add_argument("--source", metavar="NAME", help="only the captures of this configured board: its host, its "
                     "list pages skipped, its article profile and organization used")
    ext.add_argument("--sources", type=Path, default=BOARDS_DIR, help="sources TOML file or folder for --source "
                     "(default: the bundled boards)")
    ext.add_argument("--now", type=iso_datetime, help="ISO 8601 time relative dates are resolved against "
                     "(default: each capture's WARC-Date)")
    ext.add_argument("--reader", choices=READERS, default="fastwarc", help="WARC reader (default %(default)s)")
    ext.add_argument("--workers", type=non_negative_int, default=1, metavar="N",
                     help="units of work (files, or record ranges of a big file) read at once, each in its own "
                     "process (default %(default)s); the lines are the same for any N")
    ext.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                     help="run the units as Ray tasks on the cluster at ADDRESS ('auto': the one `ray start` "
                     "runs here; none: RAY_ADDRESS or a new local one), sized for its CPUs; needs the cluster extra")
    ext.add_argument("--parts", type=Path, metavar="DIR", help="keep each finished unit's lines and marker in DIR: "
                     "a rerun with the same DIR (after a kill) skips the finished units")
    ext.add_argument("--unit-size", type=positive_int, metavar="BYTES",
                     help="bytes of WARC file per unit of work, cut at record boundaries (default: about 4 units "
                     "per worker, 256 KiB to 64 MiB)")
    ext.add_argument("--no-revisits", action="store_true", help="skip revisit records (pages seen unchanged)")
    ext.add_argument("--no-learn", action="store_true", help="with --source: learn no template (default: the "
                     "source's templates learned from its view pages as the crawl learned them)")
    ext.add_argument("--no-attachments", action="store_true", help="leave attachments unread (default: read each "
                     "release's attachments from their captures in the files, as crawl --attachments read them)")
    chosen = ext.add_mutually_exclusive_group()
    chosen.add_argument("--profiles", metavar="DIR", type=profiles_folder,
                        help="site profiles folder (*.toml) to use instead of the bundled ones")
    chosen.add_argument("--no-profiles", action="store_true", help="use no site profile: the generic path only")
    ext.set_defaults(run=run_extract)
    index = actions.add_parser("index", help="write the CDXJ index of WARC files (cdxj-indexer)")
    index.add_argument("files", nargs="+", type=Path, metavar="FILE")
    index.add_argument("--out", type=Path, help="write the index here (default: standard output)")
    index.set_defaults(run=run_index)
    pack = actions.add_parser("wacz", help="package WARC files as one WACZ file (py-wacz), with a pages list")
    pack.add_argument("files", nargs="+", type=Path, metavar="FILE")
    pack.add_argument("--out", type=Path, required=True, help="the WACZ file to write")
    pack.add_argument("--title", help="the package's title")
    pack.set_defaults(run=run_wacz)


def _unreadable(files: list[Path]) -> str | None:
    missing = [f for f in files if not f.is_file()]
    return f"no such file: {missing[0]}" if missing else None


def run_extract(args: argparse.Namespace) -> int:
    """Print one JSON line per capture re-extracted; a summary on stderr."""
    problem = _unreadable(args.files)
    if problem:
        print(f"scraper warc extract: {problem}", file=sys.stderr)
        return 2
    source = None
    if args.source:
        try:
            sources = load_sources(args.sources)
        except ConfigError as exc:
            print(f"scraper warc extract: configuration error: {exc.message}", file=sys.stderr)
            return 2
        if args.source not in sources:
            print(f"scraper warc extract: unknown source {args.source}; known: {', '.join(sorted(sources))}",
                  file=sys.stderr)
            return 2
        source = sources[args.source]
    runner = ray_runner(args.ray or None) if args.ray is not None else None
    try:
        index = None if args.no_attachments else build_index(args.files)
        job = ReplayJob(Filters(tuple(args.host), tuple(args.url)), args.reader, args.now, chosen_profiles(args),
                        source, not args.no_revisits, attachments=index,
                        learner=ReplayLearner(source) if source is not None and not args.no_learn else None)
        workers = cluster_cpus(args.ray or None) if args.ray is not None else max(1, args.workers)
        counts = replay_files(args.files, job, sys.stdout, workers=workers, runner=runner, parts=args.parts,
                              unit_bytes=args.unit_size)
    except BrokenPipeError:
        raise  # the reader of stdout left (`| head`): handled in scraper.cli.main
    except ConfigError as exc:
        print(f"scraper warc extract: {exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"scraper warc extract: cannot read: {exc}", file=sys.stderr)
        return 2
    skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.skipped.items())) or "none"
    print(f"scraper warc extract: {counts.records} records, {counts.errors} errors; skipped: {skipped}",
          file=sys.stderr)
    return 1 if counts.errors else 0


def run_index(args: argparse.Namespace) -> int:
    """Write the CDXJ index of the files."""
    from scraper.replay.package import write_cdxj  # cdxj-indexer and py-wacz: ~40 MB, loaded only here

    problem = _unreadable(args.files)
    if problem:
        print(f"scraper warc index: {problem}", file=sys.stderr)
        return 2
    try:
        if args.out is None:
            write_cdxj(args.files, sys.stdout)
        else:
            write_cdxj(args.files, str(args.out))
    except _package_errors() as exc:
        print(f"scraper warc index: {_package_problem(exc)}", file=sys.stderr)
        return 1
    return 0


def run_wacz(args: argparse.Namespace) -> int:
    """Package the files as one WACZ file and validate it."""
    from scraper.replay.package import validate_wacz, write_wacz

    problem = _unreadable(args.files)
    if problem:
        print(f"scraper warc wacz: {problem}", file=sys.stderr)
        return 2
    try:
        status = write_wacz(args.files, args.out, title=args.title)
        if status == 0:
            status = validate_wacz(args.out)
    except _package_errors() as exc:
        print(f"scraper warc wacz: {_package_problem(exc)}", file=sys.stderr)
        return 1
    return 1 if status else 0


def _package_errors() -> tuple[type[Exception], ...]:
    """What indexing or packaging raises on a file that is no WARC (warcio's ``ArchiveLoadFailed``) or an
    output that cannot be written (``OSError``): a one-line error, not a traceback."""
    from warcio.exceptions import ArchiveLoadFailed  # a dependency of cdxj-indexer, loaded only here

    return (OSError, ArchiveLoadFailed)


def _package_problem(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot write or read: {exc}"
    return f"not a readable WARC file: {str(exc).split(', first line')[0][:200]}"  # warcio quotes the bytes
