"""``scraper crawl``: flags -> sources and settings -> ``run_crawl`` -> summary and exit code.

Exit codes: 0 all good; 1 some items or sources failed, or a source's list page held no items (the rest
was still done); 2 configuration error; 3 another crawl is running with the same state file or output
folder; 130 interrupted (Ctrl-C), 143 terminated (SIGTERM). On a terminal a progress bar counts view
pages with an ETA; in cron logs every line starts with its time (KST).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import signal
import sqlite3
import sys
from pathlib import Path

from tqdm import tqdm

from scraper.cli.args import (
    add_warc_flags,
    default_of,
    http_url,
    iso_date,
    iso_datetime,
    non_negative_int,
    non_negative_seconds,
    positive_int,
    positive_seconds,
    readable_file,
    unwritable_folder,
    warc_settings,
)
from scraper.cluster.crawl import crawl_on_ray
from scraper.config import LINKS_FOLDER, AttachmentSettings, CrawlSettings, FetchSettings
from scraper.crawl.clock import now_kst
from scraper.crawl.crawler import Progress
from scraper.crawl.run import run_crawl
from scraper.errors import ConfigError
from scraper.report import RunReport
from scraper.sinks.lock import AlreadyRunning
from scraper.sinks.state import is_postgres, parse_state, state_errors
from scraper.sources.board import BoardSource, start_source
from scraper.sources.boards import BOARDS_DIR, load_sources

EXIT_OK, EXIT_PARTIAL, EXIT_CONFIG, EXIT_LOCKED, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 3, 130, 143


_TERMINATED: list[bool] = []
"""Set when SIGTERM arrived (the run then stops exactly as for Ctrl-C)."""


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM handler: stop as for Ctrl-C. SIGINT is raised, so asyncio's own handler cancels the run's main
    task (its ``finally`` blocks and locks unwind) and ``asyncio.run`` raises ``KeyboardInterrupt``."""
    _TERMINATED.append(True)
    signal.raise_signal(signal.SIGINT)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper crawl`` and its flags."""
    crawl = sub.add_parser("crawl", help="crawl configured boards (or one --start list page) for new articles")
    crawl.add_argument("--sources", type=Path, default=BOARDS_DIR,
                       help="sources TOML file or folder (default: the bundled boards)")
    crawl.add_argument("--source", action="append", default=[], metavar="NAME", help="crawl only this source")
    crawl.add_argument("--start", metavar="URL", type=http_url, help="crawl one list page with no configured source")
    crawl.add_argument("--out", type=Path, default=default_of(CrawlSettings, "out_dir"),
                       help="output folder (default: output/)")
    crawl.add_argument("--state", default=None, metavar="PATH|URL",
                       help="state: a SQLite file (default: OUT/state.sqlite; also sqlite:///PATH) or a PostgreSQL "
                       "database shared by crawl processes on several machines (postgresql://user@host/db; needs "
                       "pip install 'korean-press-scraper[cluster]')")
    crawl.add_argument("--lease-seconds", type=positive_seconds, default=default_of(CrawlSettings, "lease_seconds"),
                       help="with a PostgreSQL --state: seconds a host lease lasts unrenewed before another crawl "
                       "process may take the host over (default %(default)s)")
    crawl.add_argument("--lease-hosts", type=positive_int, default=default_of(CrawlSettings, "lease_hosts"),
                       help="with a PostgreSQL --state: hosts this process crawls at once (default %(default)s)")
    crawl.add_argument("--since", type=iso_date, help="ignore items dated before this day (YYYY-MM-DD)")
    crawl.add_argument("--max-pages", type=positive_int, default=default_of(CrawlSettings, "max_pages"),
                       help="list pages per source per run (default %(default)s)")
    crawl.add_argument("--refresh", type=non_negative_int, default=default_of(CrawlSettings, "refresh"), metavar="N",
                       help="re-check the N newest known items per source for changes (conditional GET)")
    crawl.add_argument("--recheck", type=non_negative_int, default=default_of(CrawlSettings, "recheck"), metavar="N",
                       help="re-check N known items per source each run for changes (conditional GET), in rotation: "
                       "those published in the last 7 days every run (up to half of N), the others least recently "
                       "checked first, so every item is re-checked within items / (N / 2) runs (items / N while "
                       "few are recent); default %(default)s: off")
    crawl.add_argument("--workers", type=non_negative_int, default=None, metavar="N",
                       help="processes extracting view pages (default: one per core, here "
                       f"{default_of(CrawlSettings, 'workers')}; 0: in the crawl's own process)")
    crawl.add_argument("--now", type=iso_datetime,
                       help="ISO 8601 time for relative dates and fetched_at (default: the clock)")
    crawl.add_argument("--timeout", type=positive_seconds, default=default_of(FetchSettings, "read_timeout"),
                       help="network timeout in seconds: per read; one attempt lasts at most twice this")
    crawl.add_argument("--summary", type=Path, help="write the run summary as JSON to this file")
    crawl.add_argument("--delay", type=non_negative_seconds, default=default_of(FetchSettings, "min_delay"),
                       help="seconds between requests to one host (default %(default)s)")
    crawl.add_argument("--host-concurrency", type=positive_int,
                       default=default_of(FetchSettings, "per_host_concurrency"),
                       help="requests in flight to one host (default %(default)s; raise only for your own servers)")
    crawl.add_argument("--extra-ca", action="append", default=[], metavar="FILE", type=readable_file,
                       help="extra CA certificates (PEM)")
    crawl.add_argument("--user-agent", default=default_of(FetchSettings, "user_agent"))
    crawl.add_argument("--ignore-robots", action="store_true", help="do not read robots.txt (your own sites only)")
    crawl.add_argument("--attachments", action="store_true",
                       help="download the attachments (HWP, HWPX, PDF) and put their text on the records "
                       "(off by default)")
    crawl.add_argument("--save-attachments", metavar="DIR", help="save the downloaded attachments here (implies "
                       "--attachments)")
    crawl.add_argument("--no-learn", action="store_true",
                       help="do not learn each source's template from its recent view pages (learning drops body "
                       "paragraphs that recur as chrome on the source's other pages; warning template_applied)")
    crawl.add_argument("--backfill", action="store_true",
                       help="read the board's history down to --since (or its last page): --max-pages list pages a "
                       "run, going on over later runs until it gets there (also begun by itself when --since is "
                       "earlier than anything the first run reached)")
    crawl.add_argument("--retry-given-up", action="store_true",
                       help="try again the items given up after failing in 5 runs")
    add_warc_flags(crawl)
    crawl.add_argument("--links", nargs="?", const="", default=None, metavar="DIR",
                       help="after the run, link its new and updated records into the link index in DIR, as "
                       f"'scraper links --out DIR' does (DIR default: OUT/{LINKS_FOLDER})")
    crawl.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                       help="crawl on the Ray cluster at ADDRESS ('auto': the one `ray start` runs here; none: "
                       "RAY_ADDRESS or a new local one), the hosts sharded onto --actors crawl actors; needs --state "
                       "postgresql://... and the cluster extra")
    crawl.add_argument("--actors", type=positive_int, metavar="N",
                       help="with --ray: crawl actors (default: one per CPU of the cluster)")
    crawl.set_defaults(run=run)


def links_folder(args: argparse.Namespace) -> Path | None:
    """The folder of ``--links`` (``OUT/_links`` when given without one), ``None`` without the flag."""
    if args.links is None:
        return None
    return Path(args.links) if args.links else args.out / LINKS_FOLDER


def _select(args: argparse.Namespace) -> list[BoardSource]:
    if args.start:
        if args.source:
            raise ConfigError("--start reads one list page with no configured source; it cannot be combined "
                              "with --source (use one or the other)")
        return [start_source(args.start)]
    sources = load_sources(args.sources)
    if args.source:
        missing = [name for name in args.source if name not in sources]
        if missing:
            raise ConfigError(f"unknown source(s) {', '.join(missing)}; known: {', '.join(sorted(sources))}")
        return [sources[name] for name in args.source]
    return list(sources.values())


class BarProgress(Progress):
    """On a terminal: a bar counting view pages (items) with an ETA; its total grows as list pages are read."""

    def __init__(self) -> None:
        self.bar: tqdm[None] = tqdm(desc="crawl", unit="item", total=0, file=sys.stderr, dynamic_ncols=True)

    def message(self, text: str) -> None:
        self.bar.set_postfix_str(text[:60])

    def queued(self, count: int) -> None:
        self.bar.total = (self.bar.total or 0) + count
        self.bar.refresh()

    def item_done(self) -> None:
        self.bar.update(1)

    def close(self) -> None:
        """Leave the bar's last line on the terminal."""
        self.bar.close()


class LogProgress(Progress):
    """For cron logs (stderr not a terminal): one line per message, each starting with its time (KST)."""

    def message(self, text: str) -> None:
        log(text)


def log(text: str) -> None:
    """Print ``text`` on stderr, starting with the time (ISO 8601, KST) when stderr is not a terminal."""
    print(text if sys.stderr.isatty() else f"{now_kst()} {text}", file=sys.stderr, flush=True)


def _unwritable(args: argparse.Namespace, sources: list[BoardSource]) -> str | None:
    """Why the output folder, the state file's folder or the summary's folder cannot be written, or ``None``."""
    state = parse_state(args.state) if args.state else args.out / "state.sqlite"
    folders = [args.out] + ([] if is_postgres(state) else [Path(state).parent])
    if args.summary:
        folders.append(args.summary.parent)
    if args.save_attachments:
        folders.append(Path(args.save_attachments))
    if args.warc is not None:
        folders.append(args.warc)
    links = links_folder(args)
    if links is not None:
        folders.append(links)
    for folder in folders:
        problem = unwritable_folder(folder)
        if problem:
            return problem
    cas = [s.overrides.extra_ca for s in sources if s.overrides.extra_ca]
    missing = [path for path in cas if not Path(path).is_file()]
    return f"extra CA file of a source not found: {missing[0]}" if missing else None


def _on_ray(args: argparse.Namespace, sources: list[BoardSource], settings: CrawlSettings,
            fetch: FetchSettings) -> RunReport:
    """The crawl on Ray (:mod:`scraper.cluster.crawl`): extraction in the actors' own processes unless
    ``--workers`` says otherwise. Raises ``ConfigError`` for ``--links`` (link afterwards: ``scraper links``)."""
    if args.links is not None:
        raise ConfigError("--links is not available with --ray: link the records afterwards with 'scraper links'")
    if args.workers is None:
        settings = settings.model_copy(update={"workers": 0})
    return crawl_on_ray(sources, settings, fetch, address=args.ray or None, actors=args.actors,
                        generic=bool(args.start))


def run(args: argparse.Namespace) -> int:
    """Run one crawl; print the per-source summary on stderr; return the exit code."""
    try:
        sources = _select(args)
        state = parse_state(args.state) if args.state else args.out / "state.sqlite"
    except ConfigError as exc:
        log(f"scraper crawl: configuration error: {exc.message}")
        return EXIT_CONFIG
    extra_ca = tuple(args.extra_ca) + tuple(s.overrides.extra_ca for s in sources if s.overrides.extra_ca)
    problem = _unwritable(args, sources)
    if problem:
        log(f"scraper crawl: configuration error: {problem}")
        return EXIT_CONFIG
    fetch = FetchSettings(min_delay=args.delay, extra_ca=extra_ca, user_agent=args.user_agent,
                          read_timeout=args.timeout, total_timeout=2 * args.timeout,
                          obey_robots=not args.ignore_robots, per_host_concurrency=max(1, args.host_concurrency))
    settings = CrawlSettings(out_dir=args.out, **({"state_url": state} if isinstance(state, str) else
                                                   {"state_path": state}),
                             lease_seconds=args.lease_seconds, lease_hosts=args.lease_hosts,
                             since=args.since, max_pages=args.max_pages, now=args.now, refresh=args.refresh,
                             recheck=args.recheck,
                             **({} if args.workers is None else {"workers": args.workers}),
                             learn=not args.no_learn, backfill=args.backfill, retry_given_up=args.retry_given_up,
                             warc=warc_settings(args),
                             sources_path=None if args.start or args.sources == BOARDS_DIR else args.sources,
                             attachments=AttachmentSettings(enabled=bool(args.attachments or args.save_attachments),
                                                            save_dir=args.save_attachments))
    progress = BarProgress() if sys.stderr.isatty() else LogProgress()
    links = links_folder(args)
    after = None
    if links is not None:
        from scraper.links.crawl import link_run  # numpy and the MinHash index: loaded only for --links

        after = functools.partial(link_run, links, settings.out_dir)
    previous = signal.signal(signal.SIGTERM, _terminated)  # cron and systemd timeouts stop a run with SIGTERM
    # A run started with ``&`` from a script (no job control) inherits SIGINT ignored, and asyncio handles SIGINT
    # only over Python's default handler: give it that handler, or SIGTERM (raised as SIGINT) would do nothing.
    previous_int = signal.getsignal(signal.SIGINT)
    if previous_int == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if args.ray is not None:
            report = _on_ray(args, sources, settings, fetch)
        else:
            report = asyncio.run(run_crawl(sources, settings, fetch, generic=bool(args.start), progress=progress,
                                             after_run=after))
    except KeyboardInterrupt:
        if isinstance(progress, BarProgress):
            progress.close()  # before the line, so the bar is not drawn again over it
        how = "terminated (SIGTERM)" if _TERMINATED else "interrupted"
        log(f"scraper crawl: {how}; records already written are kept and the next run resumes where this one "
            "stopped")
        return EXIT_TERMINATED if _TERMINATED else EXIT_INTERRUPTED
    except AlreadyRunning as exc:
        log(f"scraper crawl: {exc.message}; exiting")
        return EXIT_LOCKED
    except ConfigError as exc:
        log(f"scraper crawl: configuration error: {exc.message}")
        return EXIT_CONFIG
    except sqlite3.DatabaseError as exc:
        log(f"scraper crawl: the state file {settings.state_path} failed ({type(exc).__name__}: {exc}); records "
            "already written are kept; the next run checks the state file, and moves it aside and rebuilds it from "
            "the output folder if it is damaged")
        return EXIT_PARTIAL
    except Exception as exc:
        if not isinstance(exc, (OSError, *state_errors())):
            raise
        log(f"scraper crawl: cannot write the output or state ({type(exc).__name__}: {exc}); records already "
            "written are kept, the next run goes on from them")
        return EXIT_PARTIAL
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
        if isinstance(progress, BarProgress):
            progress.close()
    for line in report.lines():
        log(line)
    if args.summary:
        args.summary.write_text(report.to_json() + "\n", encoding="utf-8")
    return EXIT_PARTIAL if report.exit_code else EXIT_OK
