"""``scraper extract``: pages (files, stdin, URLs) -> one JSON record each, printed on stdout."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scraper.archive.warc import WarcWriter
from scraper.attachments.enrich import enrich_with_attachments
from scraper.cli.args import (
    add_warc_flags,
    default_of,
    http_url,
    iso_datetime,
    positive_seconds,
    profiles_folder,
    readable_file,
    unwritable_folder,
    warc_settings,
)
from scraper.cli.inputs import is_url, read_local
from scraper.cli.output import dump_json
from scraper.config import AttachmentSettings, FetchSettings
from scraper.errors import FetchError, ScraperError
from scraper.extract.template import PageSample
from scraper.fetch.client import Fetcher
from scraper.learn import learn_and_apply, page_sample
from scraper.models import ErrorRecord, Record
from scraper.pipeline import extract_page
from scraper.sources import ranked_profiles
from scraper.sources.profile import SiteProfile

Profiles = tuple[SiteProfile, ...] | None


Extracted = tuple[Record | ErrorRecord, PageSample | None]
"""One source's result and the learning sample of its page (``None`` for an error or undecodable bytes)."""


@dataclass(frozen=True)
class ExtractJob:
    """What ``scraper extract`` does with each source: ``url`` (the page's address for a file or stdin),
    ``now`` (relative dates), ``profiles`` (``None``: the bundled ones; ``()``: the generic path only),
    ``attachments`` and whether to keep each page's learning ``sample``."""

    url: str | None = None
    now: str | None = None
    attachments: AttachmentSettings = field(default_factory=AttachmentSettings)
    profiles: Profiles = None
    sample: bool = False


async def extract_sources(sources: Sequence[str], job: ExtractJob, settings: FetchSettings,
                          archive: WarcWriter | None = None) -> AsyncIterator[Extracted]:
    """One :data:`Extracted` per source, in order, as each is read: every URL and attachment goes through one
    polite fetcher for the whole command (robots.txt read once per host, the per-host delay kept between
    sources), every exchange archived in ``archive`` (``--warc``); an error becomes an ``ErrorRecord`` naming
    the URL (or file) and the reason."""
    async with Fetcher(settings, recorder=archive) as fetcher:
        for source in sources:
            yield await _extract_source(fetcher, source, job)


async def _extract_source(fetcher: Fetcher, source: str, job: ExtractJob) -> Extracted:
    page_url: str | None
    try:
        if is_url(source):
            result = await fetcher.fetch(source)
            if not result.ok:
                raise FetchError(result.message, url=source, kind=result.outcome)
            data, page_url, content_type = result.content, result.final_url or source, result.content_type
        else:
            data, page_url, content_type = read_local(source, job.url), job.url, None
        record = extract_page(data, url=page_url, content_type=content_type, now=job.now, profiles=job.profiles)
        record = await enrich_with_attachments(fetcher, record, job.attachments)
        return record, page_sample(data, content_type, record) if job.sample else None
    except ScraperError as exc:
        return ErrorRecord.of(exc.url or job.url or source, exc.kind, exc.message), None
    except (OSError, RecursionError, MemoryError) as exc:
        return ErrorRecord.of(job.url or source, "input", f"{type(exc).__name__}: {exc}"), None
    except Exception as exc:  # the per-source boundary: other sources are still processed
        return ErrorRecord.of(job.url or source, "internal_error", f"{type(exc).__name__}: {exc}"), None


def extract_one(source: str, job: ExtractJob | None = None, settings: FetchSettings | None = None
                ) -> Record | ErrorRecord:
    """A Record for one source (file, ``-`` or URL), or an ErrorRecord naming the URL (or file) and the reason."""

    async def one() -> Record | ErrorRecord:
        async for result, _ in extract_sources([source], job or ExtractJob(), settings or FetchSettings()):
            return result
        raise AssertionError("extract_sources yields one result per source")

    return asyncio.run(one())


def chosen_profiles(args: argparse.Namespace) -> Profiles:
    """The profiles ``--profiles DIR`` / ``--no-profiles`` ask for (``None``: the bundled ones)."""
    if getattr(args, "no_profiles", False):
        return ()
    folder = getattr(args, "profiles", None)
    if folder is None:
        return None
    return ranked_profiles(folder)


def run(args: argparse.Namespace) -> int:
    """Print one JSON object per source (a JSON array for several with ``--format json``); exit 1 when any
    source gave an error record, 2 for a usage error."""
    if args.url and len(args.sources) > 1:
        print("scraper extract: --url names one page; give one SOURCE with it", file=sys.stderr)
        return 2
    problem = unwritable_folder(Path(args.save_attachments)) if args.save_attachments else None
    if problem:
        print(f"scraper extract: --save-attachments: {problem}", file=sys.stderr)
        return 2
    problem = unwritable_folder(args.warc) if args.warc is not None else None
    if problem:
        print(f"scraper extract: --warc: {problem}", file=sys.stderr)
        return 2
    fmt = args.format or ("json" if len(args.sources) == 1 else "jsonl")
    settings = FetchSettings(read_timeout=args.timeout, total_timeout=2 * args.timeout, extra_ca=tuple(args.extra_ca),
                             user_agent=args.user_agent, obey_robots=not args.ignore_robots)
    attachments = AttachmentSettings(enabled=bool(args.attachments or args.save_attachments),
                                     save_dir=args.save_attachments)
    as_array = fmt == "json" and len(args.sources) > 1
    learn = not args.no_learn and len(args.sources) > 1
    job = ExtractJob(url=args.url, now=args.now, attachments=attachments, profiles=chosen_profiles(args),
                     sample=learn)
    warc = warc_settings(args)
    if warc is None:
        return asyncio.run(_print_all(args.sources, job, settings, fmt, as_array))
    info = {"http-header-user-agent": settings.user_agent, "robots": "obey" if settings.obey_robots else "ignore",
            "description": "scraper extract"}
    with WarcWriter(warc, info=info, remember=True) as archive:
        return asyncio.run(_print_all(args.sources, job, settings, fmt, as_array, archive))


async def _print_all(sources: Sequence[str], job: ExtractJob, settings: FetchSettings, fmt: str,
                     as_array: bool, archive: WarcWriter | None = None) -> int:
    """Print each source's record as it is read (with learning: all of them once every page is read, a host's
    template needing all its pages); exit code 1 when any is an error record. With ``archive`` (``--warc``) a
    record of a URL gets its ``warc`` key and goes into the archive as a metadata record, fsynced before it is
    printed."""
    printed, failed = 0, False

    def emit(result: Record | ErrorRecord) -> None:
        nonlocal printed, failed
        failed |= isinstance(result, ErrorRecord)
        data = result.model_dump(mode="json")
        place = archive.responses.get(result.url or "") if archive and archive.responses is not None else None
        if archive is not None and place is not None and isinstance(result, Record):
            data["warc"] = place.as_json()
            archive.metadata(data, place)
            archive.sync()
        text = dump_json(data, 2 if fmt == "json" else None)
        separator = ",\n" if as_array and printed < len(sources) - 1 else "\n"
        sys.stdout.write(text + separator)
        sys.stdout.flush()
        printed += 1

    sys.stdout.write("[\n" if as_array else "")
    collected: list[Extracted] = []
    async for extracted in extract_sources(sources, job, settings, archive):
        if job.sample:
            collected.append(extracted)
        else:
            emit(extracted[0])
    for result in learn_and_apply(collected, now=job.now, profiles=job.profiles) if job.sample else []:
        emit(result)
    sys.stdout.write("]\n" if as_array else "")
    return 1 if failed else 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper extract`` and its flags."""
    ext = sub.add_parser("extract", help="extract one record per source (file, '-' for stdin, or URL)")
    ext.add_argument("sources", nargs="+", metavar="SOURCE", help="a file, '-' (stdin) or an http(s) URL")
    ext.add_argument("--url", type=http_url, help="the page's address, for a file or stdin source")
    ext.add_argument("--now", type=iso_datetime,
                     help="ISO 8601 time that relative dates (3시간 전, 어제) are resolved against")
    ext.add_argument("--format", choices=["json", "jsonl"], default=None,
                     help="json: indented (default for one source; a JSON array for several); jsonl: one per line")
    ext.add_argument("--timeout", type=positive_seconds, default=default_of(FetchSettings, "read_timeout"),
                     help="network timeout in seconds (URL sources): per read; one attempt lasts at most twice this")
    ext.add_argument("--extra-ca", action="append", default=[], metavar="FILE", type=readable_file,
                     help="PEM file of extra CA certificates to trust (servers with an incomplete chain)")
    ext.add_argument("--user-agent", default=default_of(FetchSettings, "user_agent"),
                     help="User-Agent header for URL sources")
    ext.add_argument("--ignore-robots", action="store_true", help="do not read robots.txt (your own sites only)")
    ext.add_argument("--attachments", action="store_true",
                     help="download the attachments (HWP, HWPX, PDF) and put their text on the record")
    ext.add_argument("--save-attachments", metavar="DIR", help="save the downloaded attachments here (implies "
                     "--attachments; names sanitized, never overwritten)")
    ext.add_argument("--no-learn", action="store_true",
                     help="do not learn a site's template from several sources of one host (learning drops body "
                     "paragraphs that recur as chrome on the host's other pages; warning template_applied)")
    chosen = ext.add_mutually_exclusive_group()
    chosen.add_argument("--profiles", metavar="DIR", type=profiles_folder,
                        help="site profiles folder (*.toml) to use instead of the bundled ones")
    chosen.add_argument("--no-profiles", action="store_true",
                        help="use no site profile: the generic path only, as for a site never seen")
    add_warc_flags(ext)
    ext.set_defaults(run=run)
