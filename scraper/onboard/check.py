"""Proving a source against the live board: its first list page read with its rules, one view page
extracted (``scraper sources add URL`` and ``scraper sources check``).

Network reads go through one polite :class:`~scraper.fetch.client.Fetcher` (robots.txt, per-host delay,
retries); each source gets a :class:`CheckResult` value, never an exception, so one broken board does not
hide the others.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from scraper.config import FetchSettings
from scraper.errors import ScraperError
from scraper.extract.listing import ListItem, parse_listing
from scraper.fetch.client import Fetcher
from scraper.fetch.decode import decode_html
from scraper.pipeline import extract_page
from scraper.sources.board import BoardSource

Status = Literal["ok", "no_items", "failed"]


@dataclass(frozen=True)
class ViewProof:
    """One view page read with the pipeline: its URL and the record's title, published time and body size;
    ``error`` (``kind: message``) when it could not be fetched or gave no record."""

    url: str
    title: str | None = None
    published: str | None = None
    paragraphs: int = 0
    chars: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True for a record with a title and a body."""
        return self.error is None and bool(self.title) and self.paragraphs > 0


@dataclass
class CheckResult:
    """The health of one source: ``ok``, ``no_items`` (the list page has none with its rules) or ``failed``
    (``reason`` says what), with what was counted on the way."""

    name: str
    status: Status = "ok"
    reason: str = ""
    list_url: str = ""
    items: list[ListItem] = field(default_factory=list)
    view: ViewProof | None = None
    notes: list[str] = field(default_factory=list)

    def line(self, width: int = 0) -> str:
        """One line for the report: ``ok  name  15 items (2 pinned, 15 dated); view: ...``."""
        head = f"{self.status:<8} {self.name:<{width}}"
        if self.status != "ok":
            return f"{head}  {self.reason}"
        pinned = sum(1 for i in self.items if i.pinned)
        dated = sum(1 for i in self.items if i.date)
        view = self.view
        body = (f"view: {view.paragraphs} paragraphs, {view.chars:,} chars, published {view.published or '-'}: "
                f"{view.title}") if view else "no view page read"
        extra = f" [{'; '.join(self.notes)}]" if self.notes else ""
        return f"{head}  {len(self.items)} items ({pinned} pinned, {dated} dated); {body}{extra}"


def item_problems(items: list[ListItem]) -> tuple[list[str], list[str]]:
    """(problems that fail a source, notes) about a list page's items: empty or repeated ids, no item with
    an http(s) view URL, no date read; a few undated or URL-less items are only notes.

    >>> item_problems([ListItem(id="1", url="https://h/v?id=1", title="t", date="2024-01-02")])
    ([], [])
    >>> item_problems([ListItem(id="1", url=None, title="t"), ListItem(id="1", url=None, title="u")])[0]
    ["repeated id '1'", 'no item has a view URL (javascript links need view_url)', 'no item date could be read']
    """
    problems, notes = [], []
    counts = Counter(i.id for i in items)
    problems += [f"repeated id {k!r}" for k, n in counts.items() if n > 1]
    if any(not i.id.strip() for i in items):
        problems.append("an item has an empty id")
    with_url = [i for i in items if i.url and urlsplit(i.url).scheme in ("http", "https") and urlsplit(i.url).netloc]
    if not with_url:
        problems.append("no item has a view URL (javascript links need view_url)")
    elif len(with_url) < len(items):
        notes.append(f"{len(items) - len(with_url)} items without a view URL")
    dated = sum(1 for i in items if i.date)
    if not dated:
        problems.append("no item date could be read")
    elif dated < len(items):
        notes.append(f"{len(items) - dated} items without a date")
    return problems, notes


def view_candidate(items: list[ListItem]) -> ListItem | None:
    """The item whose view page proves a source: the first regular (not pinned) one with a URL."""
    with_url = [i for i in items if i.url]
    return next((i for i in with_url if not i.pinned), with_url[0] if with_url else None)


async def prove_view(fetcher: Fetcher, url: str, source: BoardSource | None = None) -> ViewProof:
    """Fetch one view page and extract it (with the source's profile and user agent)."""
    result = await fetcher.fetch(url, user_agent=source.overrides.user_agent if source else None)
    if not result.ok:
        return ViewProof(url, error=f"{result.outcome}: {result.message}")
    final = result.final_url or url
    try:
        record = extract_page(result.content, url=final, content_type=result.content_type,
                              profile=source.profile if source else None)
    except ScraperError as exc:
        return ViewProof(final, error=f"{exc.kind}: {exc.message}")
    return ViewProof(final, record.title, record.published, len(record.body), sum(len(p) for p in record.body))


async def check_source(fetcher: Fetcher, source: BoardSource) -> CheckResult:
    """Read the source's first list page with its rules, check the items, read one view page."""
    url = source.page_url(1)
    check = CheckResult(source.name, list_url=url)
    result = await fetcher.fetch(url, form=source.page_form(1), user_agent=source.overrides.user_agent)
    if not result.ok:
        check.status, check.reason = "failed", f"list page {url}: {result.outcome}: {result.message}"
        return check
    try:
        text = decode_html(result.content, result.content_type, url=result.final_url or url).text
    except ScraperError as exc:
        check.status, check.reason = "failed", f"list page {url}: {exc.kind}: {exc.message}"
        return check
    check.items = parse_listing(text, result.final_url or url, source).items
    if not check.items:
        found = len(parse_listing(text, result.final_url or url, None).items)
        check.status = "no_items"
        check.reason = (f"no items with the source's rules on {url}"
                        + (f" (generic discovery sees {found} post links: the selectors may be stale; "
                           "run 'scraper sources add' on the page)" if found else ""))
        return check
    problems, check.notes = item_problems(check.items)
    if problems:
        check.status, check.reason = "failed", "; ".join(problems)
        return check
    item = view_candidate(check.items)
    if item is not None and item.url:
        check.view = await prove_view(fetcher, item.url, source)
        if not check.view.ok:
            check.status = "failed"
            check.reason = f"view page {check.view.url}: {check.view.error or 'no title or body extracted'}"
    return check


async def check_sources(sources: list[BoardSource], settings: FetchSettings) -> list[CheckResult]:
    """Check every source at once (one fetcher: each host read politely, per-source delays applied), in
    the order given."""
    async with Fetcher(settings) as fetcher:
        for source in sources:
            if source.overrides.delay_seconds is not None:
                fetcher.gate(source.list_url).delay = source.overrides.delay_seconds
        return list(await asyncio.gather(*(check_source(fetcher, s) for s in sources)))
