"""``scraper sources``: onboarding boards.

``sources add URL|FILE`` recognises a list page's platform, proposes a ``[[source]]`` stanza, proves it by
the items it finds (and, for a URL, one view page's record) and with ``--sources FILE`` appends it.
Exit codes: 0 proven (and appended), 1 not proven (no items, the page or its view page could not be read),
2 usage or configuration error (a bad or clashing sources file, a file without ``--url``).

``sources check`` reads every configured source's first list page and one view page and prints one line
per source (``ok``, ``no_items`` or ``failed`` with the reason). Exit codes: 0 all ok, 1 some not ok, 2 a
configuration error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from scraper.cli.args import default_of, http_url, non_negative_seconds, positive_int, positive_seconds
from scraper.cli.inputs import is_url, read_local
from scraper.config import FetchSettings
from scraper.errors import ConfigError, InputError, ScraperError
from scraper.fetch.client import Fetcher
from scraper.fetch.decode import decode_html
from scraper.onboard.check import ViewProof, check_sources, prove_view, view_candidate
from scraper.onboard.propose import Proposal, page_address, propose
from scraper.onboard.sourcefile import append_stanza
from scraper.sources.board import BoardSource, check_source_name
from scraper.sources.boards import BOARDS_DIR, load_sources


def _name(value: str) -> str:
    try:
        return check_source_name(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``scraper sources`` with its sub-commands ``add`` and ``check``."""
    src = sub.add_parser("sources", help="onboard boards: propose a source from a list page, check sources")
    actions = src.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="propose and prove a [[source]] stanza for one list page")
    add.add_argument("source", metavar="URL|FILE", help="the board's list page: an http(s) URL or a saved file")
    add.add_argument("--name", type=_name, help="source name (output folder); default from the URL")
    add.add_argument("--url", type=http_url, help="the list page's address, for a FILE (default: its canonical URL)")
    add.add_argument("--organization", help="publishing body (default: the page's site name)")
    add.add_argument("--kind", choices=["press_release", "news"], default="press_release")
    add.add_argument("--sources", metavar="FILE", help="append the stanza to this TOML file once it is proven")
    add.add_argument("--show", type=positive_int, default=10, metavar="N", help="items to print (default 10)")
    add.add_argument("--timeout", type=positive_seconds, default=default_of(FetchSettings, "read_timeout"),
                     help="network timeout in seconds")
    add.set_defaults(run=run)
    chk = actions.add_parser("check", help="read each source's first list page and one view page")
    chk.add_argument("--sources", metavar="FILE|DIR", help="sources TOML file or folder (default: bundled boards)")
    chk.add_argument("--source", dest="names", action="append", metavar="NAME", help="check only this source")
    chk.add_argument("--delay", type=non_negative_seconds, default=default_of(FetchSettings, "min_delay"),
                     help="seconds between two requests to one host")
    chk.add_argument("--timeout", type=positive_seconds, default=default_of(FetchSettings, "read_timeout"),
                     help="network timeout in seconds")
    chk.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``sources add`` or ``sources check``; returns the exit code (module docstring)."""
    try:
        return run_add(args) if args.action == "add" else run_check(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


# ---------------------------------------------------------------------------------------------- add


def run_add(args: argparse.Namespace) -> int:
    """``sources add``: read the page, propose, print, prove, append."""
    target = Path(args.sources) if args.sources else None
    if target is not None:
        _precheck(target, args.name)
    settings = FetchSettings(read_timeout=args.timeout, total_timeout=2 * args.timeout)
    if is_url(args.source):
        if args.url:
            raise ConfigError("--url is for a FILE source; a URL source is its own address")
        return asyncio.run(_add_url(args, settings, target))
    try:
        data = read_local(args.source, args.url)
    except InputError as exc:
        raise ConfigError(exc.message, url=exc.url) from exc
    except ScraperError as exc:
        return _unreadable(args.source, exc)
    try:
        text = decode_html(data, None, url=args.url).text
    except ScraperError as exc:
        return _unreadable(args.source, exc)
    url = args.url or page_address(text)
    if url is None:
        raise ConfigError(f"{args.source}: the page names no address of its own; give it with --url URL")
    return _finish(args, _propose(args, text, url), None, target)


async def _add_url(args: argparse.Namespace, settings: FetchSettings, target: Path | None) -> int:
    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(args.source)
        if not result.ok:
            return _unreadable(args.source, ScraperError(result.message, kind=result.outcome))
        url = result.final_url or args.source
        try:
            text = decode_html(result.content, result.content_type, url=url).text
        except ScraperError as exc:
            return _unreadable(url, exc)
        proposal = _propose(args, text, url)
        item = view_candidate(proposal.items)
        view = await prove_view(fetcher, item.url, proposal.source) if item and item.url else None
    return _finish(args, proposal, view, target, live=True)


def _propose(args: argparse.Namespace, text: str, url: str) -> Proposal:
    return propose(text, url, name=args.name, organization=args.organization, kind=args.kind)


def _precheck(target: Path, name: str | None) -> None:
    """Refuse at once a sources file that cannot take the stanza (a folder, broken, the name taken)."""
    if target.is_dir():
        raise ConfigError(f"{target} is a folder: 'sources add --sources' takes one TOML file")
    if target.exists() and target.read_text(encoding="utf-8", errors="replace").strip():
        existing = load_sources(target)
        if name and any(n.casefold() == name.casefold() for n in existing):
            raise ConfigError(f"{target} already has a source named {name!r}: choose another --name")


def _unreadable(source: str, exc: ScraperError) -> int:
    print(f"not proven: cannot read the list page {source}: {exc.kind}: {exc.message}")
    return 1


def _finish(args: argparse.Namespace, proposal: Proposal, view: ViewProof | None, target: Path | None,
            *, live: bool = False) -> int:
    """Print the report; append when proven and asked; the exit code."""
    out = sys.stdout
    out.write(report(proposal, view, args.show, live=live))
    if proposal.source is None or (live and (view is None or not view.ok)):
        return 1
    if target is not None:
        sources = append_stanza(target, proposal.stanza, proposal.source.name)
        out.write(f"appended source {proposal.source.name!r} to {target} ({len(sources)} sources in the file)\n")
    return 0


def report(proposal: Proposal, view: ViewProof | None, show: int, *, live: bool = False) -> str:
    """The text ``sources add`` prints: platform and why, how the stanza was written, the stanza, the items
    it finds, the view page's record, and the verdict."""
    rec = proposal.recognition
    label = rec.platform.label if rec.platform else "no known platform (generic rules)"
    lines = [f"platform: {rec.name} ({label})", *(f"  why: {r}" for r in rec.reasons)]
    if proposal.source is None:
        lines += [f"not proven: {proposal.problem}", "what the page holds:", *(f"  {s}" for s in proposal.seen)]
        lines += [f"  note: {n}" for n in proposal.notes]
        return "\n".join(lines) + "\n"
    lines += ["how the stanza was written:", *(f"  {n}" for n in proposal.notes), "", proposal.stanza.rstrip(), ""]
    agree = "all agree" if not proposal.differ else f"{proposal.differ} differ"
    lines.append(f"items: {len(proposal.items)} found with the stanza "
                 f"(generic discovery: {proposal.found}, {agree}); first {min(show, len(proposal.items))}:")
    lines += [f"  {i.id}  {i.date or '----------'}  {'[공지] ' if i.pinned else ''}{i.title}  {i.url or '-'}"
              for i in proposal.items[:show]]
    if live:
        lines += _view_lines(view)
    verdict = bool(proposal.items) and (not live or (view is not None and view.ok))
    lines.append(("proven: " if verdict else "not proven: ") + _verdict(proposal, view, live))
    return "\n".join(lines) + "\n"


def _view_lines(view: ViewProof | None) -> list[str]:
    if view is None:
        return ["view page: none (no item has a view URL)"]
    if view.error:
        return [f"view page: {view.url}", f"  error: {view.error}"]
    return [f"view page: {view.url}", f"  title: {view.title}", f"  published: {view.published or '-'}",
            f"  body: {view.paragraphs} paragraphs, {view.chars:,} characters"]


def _verdict(proposal: Proposal, view: ViewProof | None, live: bool) -> str:
    found = f"the stanza finds {len(proposal.items)} items on the page"
    if not live:
        return found + " (a saved file: no view page read)"
    if view is None:
        return found + ", but none has a view URL to read (set view_url)"
    return found + (" and reads its view page" if view.ok else ", but its view page gave no record")


# ---------------------------------------------------------------------------------------------- check


def run_check(args: argparse.Namespace) -> int:
    """``sources check``: one line per source; 1 when any is not ok."""
    sources = load_sources(Path(args.sources) if args.sources else BOARDS_DIR)
    chosen = _chosen(sources, args.names)
    if not chosen:
        raise ConfigError(f"no [[source]] tables in {args.sources or BOARDS_DIR}")
    settings = FetchSettings(read_timeout=args.timeout, total_timeout=2 * args.timeout, min_delay=args.delay,
                             extra_ca=tuple(s.overrides.extra_ca for s in chosen if s.overrides.extra_ca))
    results = asyncio.run(check_sources(chosen, settings))
    width = max(len(r.name) for r in results)
    for result in results:
        sys.stdout.write(result.line(width) + "\n")
    bad = [r for r in results if r.status != "ok"]
    print(f"{len(results)} sources: {len(results) - len(bad)} ok, {len(bad)} not ok", file=sys.stderr)
    return 1 if bad else 0


def _chosen(sources: dict[str, BoardSource], names: list[str] | None) -> list[BoardSource]:
    if not names:
        return list(sources.values())
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise ConfigError(f"no source named {', '.join(map(repr, unknown))}; known: {', '.join(sorted(sources))}")
    return [sources[n] for n in dict.fromkeys(names)]
