""":class:`~scraper.health.model.HealthReport` -> one static HTML page: inline CSS, an inline SVG chart per
source drawn from the data, no script, no network (a Content-Security-Policy forbids every fetch).

Every value is escaped (:func:`esc`): titles, URLs and messages come from the web. Links are made only of
``http(s)`` URLs. Sources whose latest run reported ``source_broken`` head the page in a red banner.
"""

from __future__ import annotations

import html
from datetime import datetime
from urllib.parse import urlsplit

from scraper.health.model import HealthReport, LinksHealth, RunHealth, SourceHealth
from scraper.normalize.dates import KST

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root { --red: #b3261e; --orange: #c2410c; --amber: #a16207; --green: #15803d; --grey: #57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Malgun Gothic", sans-serif;
       margin: 0 auto; max-width: 1180px; padding: 16px 24px 48px; color: #1f2328; background: #fff; }
h1 { font-size: 24px; margin: 8px 0 2px; } h2 { font-size: 19px; margin: 28px 0 8px; }
h3 { font-size: 16px; margin: 0 0 6px; } h4 { font-size: 14px; margin: 12px 0 4px; }
.meta { color: var(--grey); margin: 0 0 12px; } .meta code { font-size: 12px; }
.broken { border: 3px solid var(--red); background: #fdecea; color: #5f1411; padding: 12px 16px; margin: 12px 0;
          border-radius: 6px; }
.broken h2 { color: var(--red); margin: 0 0 6px; font-size: 22px; text-transform: uppercase; }
.broken a { color: var(--red); font-weight: 700; }
.counts span { margin-right: 14px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.msg { word-break: break-word; max-width: 520px; } td.url { word-break: break-all; font-size: 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 600;
         font-size: 12px; white-space: nowrap; }
.s-source_broken { background: var(--red); } .s-failed { background: var(--orange); }
.s-no_items { background: var(--amber); } .s-ok { background: var(--green); } .s-never_run { background: var(--grey); }
.source { border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
.source.is-broken { border: 3px solid var(--red); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 2px 18px; margin: 6px 0; }
.facts div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; } .facts b { font-weight: 600; }
.warn { color: var(--red); font-weight: 600; } .none { color: var(--grey); }
svg.chart { display: block; margin: 6px 0; max-width: 100%; height: auto; }
svg.chart .bar { fill: #0969da; } svg.chart .axis { stroke: #8c959f; stroke-width: 1; }
svg.chart text { font-size: 10px; fill: #57606a; }
tr.unfinished td { color: var(--grey); font-style: italic; }
"""

DERIVED = ' <span class="none" title="the run summary carries no status: derived from source_error">(derived)</span>'

REPUBLISHED_SHOWN = 10
"""Releases listed per source in the page (``report.json`` has them all)."""

CHART_W, CHART_H, LEFT, RIGHT, TOP, BOTTOM = 640, 150, 40, 8, 10, 24


def esc(value: object) -> str:
    """``value`` as HTML text or attribute value (``&<>"'`` escaped).

    >>> esc('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    """
    return html.escape(str(value), quote=True)


def when(value: str | None) -> str:
    """An ISO time as ``YYYY-MM-DD HH:MM`` KST (escaped), ``—`` for none; text that is no time is kept.

    >>> when("2025-12-11T00:30:00+00:00")
    '2025-12-11 09:30'
    """
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return esc(value)
    return esc((moment if moment.tzinfo else moment.replace(tzinfo=KST)).astimezone(KST).strftime("%Y-%m-%d %H:%M"))


def link(url: str | None) -> str:
    """An ``http(s)`` URL as a link, any other text as text (escaped), ``—`` for none."""
    if not url:
        return "—"
    if urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{esc(url)}" rel="noreferrer noopener">{esc(url)}</a>'
    return esc(url)


def duration(seconds: float | None) -> str:
    """``75.2`` -> ``1 m 15 s``; ``—`` when unknown.

    >>> duration(3725.0), duration(None)
    ('1 h 2 m 5 s', '—')
    """
    if seconds is None:
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] * bool(hours) + [f"{minutes} m"] * bool(hours or minutes) + [f"{secs} s"]
    return " ".join(parts)


def rate(part: int, whole: int) -> str:
    """``part`` of ``whole`` in percent with one decimal; ``—`` when ``whole`` is 0."""
    return f"{100 * part / whole:.1f} %" if whole else "—"


def badge(status: str) -> str:
    """A coloured status label."""
    return f'<span class="badge s-{esc(status)}">{esc(status.replace("_", " "))}</span>'


def anchor(name: str) -> str:
    """The fragment id of a source's section."""
    return "source-" + name


def chart(source: SourceHealth, days: list[str]) -> str:
    """New items per day as an SVG bar chart: one ``rect.bar`` per day with new items, drawn from the data."""
    counts = source.new_per_day or [0] * len(days)
    top = max(max(counts), 1)
    plot_w, plot_h = CHART_W - LEFT - RIGHT, CHART_H - TOP - BOTTOM
    slot = plot_w / max(len(days), 1)
    base = TOP + plot_h
    label = f"{source.name}: {sum(counts)} new items in the {len(days)} days {days[0]} to {days[-1]}"
    parts = [f'<svg class="chart" data-source="{esc(source.name)}" xmlns="http://www.w3.org/2000/svg" '
             f'width="{CHART_W}" height="{CHART_H}" viewBox="0 0 {CHART_W} {CHART_H}" role="img" '
             f'aria-label="{esc(label)}">',
             f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{CHART_W - RIGHT}" y2="{base}"/>',
             f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}"/>',
             f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{top}</text>',
             f'<text x="{LEFT - 4}" y="{base}" text-anchor="end">0</text>']
    for i, (day, count) in enumerate(zip(days, counts, strict=False)):
        if count:
            height = max(plot_h * count / top, 1.0)
            parts.append(f'<rect class="bar" data-day="{esc(day)}" data-count="{count}" '
                         f'x="{LEFT + i * slot + slot * 0.12:.1f}" y="{base - height:.1f}" width="{slot * 0.76:.1f}" '
                         f'height="{height:.1f}"><title>{esc(day)}: {count} new</title></rect>')
    for i in sorted({0, len(days) // 2, len(days) - 1}):
        parts.append(f'<text x="{LEFT + (i + 0.5) * slot:.1f}" y="{CHART_H - 8}" text-anchor="middle">'
                     f'{esc(days[i][5:])}</text>')
    if not any(counts):
        parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" text-anchor="middle">'
                     f'no new items in {len(days)} days</text>')
    return "".join(parts) + "</svg>"


def _counts_table(counts: dict[str, int], head: str, total: int | None = None) -> str:
    if not counts:
        return '<p class="none">none</p>'
    share = '<th class="n">share</th>' if total else ""
    rows = "".join(f'<tr><td>{esc(key)}</td><td class="n">{count}</td>'
                   + (f'<td class="n">{rate(count, total)}</td>' if total else "") + "</tr>"
                   for key, count in counts.items())
    return f'<table><tr><th>{esc(head)}</th><th class="n">count</th>{share}</tr>{rows}</table>'


def _errors(source: SourceHealth) -> str:
    kinds = _counts_table(source.error_kinds, "error kind (all time)")
    if not source.recent_errors:
        return kinds
    rows = "".join(f'<tr><td>{when(e.time)}</td><td>{esc(e.kind)}</td><td class="msg">{esc(e.message)}</td>'
                   f'<td class="url">{link(e.url)}</td></tr>' for e in source.recent_errors)
    return (kinds + "<h4>Newest errors</h4><table><tr><th>time</th><th>kind</th><th>message</th><th>URL</th></tr>"
            + rows + "</table>")


def _attachments(source: SourceHealth) -> str:
    if not source.recent_attachment_failures:
        return ""
    rows = "".join(f'<tr><td>{esc(a.name or "—")}</td><td class="msg">{esc(a.error)}</td><td class="url">'
                   f'{link(a.url)}</td><td class="url">{link(a.record_url)}</td></tr>'
                   for a in source.recent_attachment_failures)
    return ("<h4>Attachment failures (newest)</h4><table><tr><th>name</th><th>error</th><th>file</th>"
            f"<th>record</th></tr>{rows}</table>")


def _facts(source: SourceHealth) -> str:
    run = source.last_run
    facts = [
        ("status", badge(source.status) + ("" if source.status_reported or source.status == "never_run" else DERIVED)),
        ("last success", when(source.last_success) if source.last_success
         else '<span class="warn">never</span>' if run else "—"),
        ("last run", f"#{run.id} {when(run.finished or run.started)}" if run else "—"),
        ("items in state", str(source.items)), ("new in 30 days", str(source.new_30_days)),
        ("runs in a row with no items", f'<span class="warn">{source.no_items_runs}</span>'
         if source.no_items_runs else "0"),
        ("given up (last run)", "—" if source.given_up is None else str(source.given_up)),
        ("items being retried", str(source.failing_items)), ("items given up", str(source.given_up_items)),
        ("records", str(source.records)),
        ("profile_missed", f"{source.profile_missed} ({rate(source.profile_missed, source.records)})"),
        ("attachment failures", f"{source.attachment_failures} of {source.attachments}"),
        ("errors (30 days)", str(sum(source.error_kinds_30_days.values()))),
        ("unreadable lines", f'<span class="warn">{source.unreadable_lines}</span>' if source.unreadable_lines
         else "0"),
        ("republished by", f"{source.republished_by} news copies of {source.republished_releases} releases"),
    ]
    return '<div class="facts">' + "".join(f"<div><b>{esc(k)}:</b> {v}</div>" for k, v in facts) + "</div>"


def _republished(source: SourceHealth) -> str:
    if not source.republished:
        return ""
    rows = "".join(f'<tr><td>{esc(r.title or "—")}</td><td class="url">{link(r.url)}</td>'
                   f'<td class="n">{r.republished_by}</td></tr>' for r in source.republished[:REPUBLISHED_SHOWN])
    more = len(source.republished) - REPUBLISHED_SHOWN
    rest = f'<p class="meta">and {more} more releases with copies (report.json lists them all)</p>' * (more > 0)
    return ('<h4>Republished releases (most news copies first)</h4><table class="republished"><tr><th>release</th>'
            f'<th>URL</th><th class="n">copies</th></tr>{rows}</table>{rest}')


def source_section(source: SourceHealth, days: list[str]) -> str:
    """One source's section: facts, last error, chart, extractors, errors, attachment failures."""
    broken = " is-broken" if source.status == "source_broken" else ""
    error = f'<p class="warn">last source error: {esc(source.last_error)}</p>' if source.last_error else ""
    return (f'<section class="source{broken}" id="{esc(anchor(source.name))}"><h3>{esc(source.name)} '
            f"{badge(source.status)}</h3>{_facts(source)}{error}"
            f"<h4>New items per day (first seen, KST)</h4>{chart(source, days)}"
            f"<h4>Extractors</h4>{_counts_table(source.extractors, 'extractor', source.records)}"
            f"<h4>Record warnings</h4>{_counts_table(source.warnings, 'warning', source.records)}"
            f"<h4>Errors</h4>{_errors(source)}{_attachments(source)}{_republished(source)}</section>")


def broken_banner(report: HealthReport) -> str:
    """The red banner naming every ``source_broken`` source (empty when none is)."""
    broken = [s for s in report.sources if s.status == "source_broken"]
    if not broken:
        return ""
    items = "".join(
        f'<li><a href="#{esc(anchor(s.name))}">{esc(s.name)}</a>: list page without items in '
        f"{s.no_items_runs} runs in a row; last success {when(s.last_success) if s.last_success else 'never'}"
        + (f"; {esc(s.last_error)}" if s.last_error else "") + "</li>" for s in broken)
    return (f'<div class="broken" role="alert"><h2>Source broken: {len(broken)}</h2><ul>{items}</ul>'
            "<p>The board was probably redesigned, or now answers with a login or block page. Check it with "
            "<code>scraper listing LIST_URL --source NAME</code> and fix the source's rules.</p></div>")


def overview(report: HealthReport) -> str:
    """The table of all sources, one row each."""
    rows = "".join(
        f'<tr><td><a href="#{esc(anchor(s.name))}">{esc(s.name)}</a></td><td>{badge(s.status)}</td>'
        f"<td>{when(s.last_success) if s.last_success else 'never'}</td><td class=\"n\">{s.items}</td>"
        f'<td class="n">{s.new_30_days}</td><td class="n">{sum(s.error_kinds_30_days.values())}</td>'
        f'<td class="n">{s.no_items_runs}</td><td class="n">{rate(s.profile_missed, s.records)}</td>'
        f'<td class="n">{s.attachment_failures}</td><td class="n">{s.republished_by}</td></tr>' for s in report.sources)
    return ("<table><tr><th>source</th><th>status</th><th>last success</th><th class=\"n\">items</th>"
            "<th class=\"n\">new 30 d</th><th class=\"n\">errors 30 d</th><th class=\"n\">no-items runs</th>"
            "<th class=\"n\">profile_missed</th><th class=\"n\">attachment failures</th>"
            "<th class=\"n\">republished by</th></tr>" + rows + "</table>")


def _run_row(run: RunHealth) -> str:
    def num(value: int | None) -> str:
        return "—" if value is None else str(value)

    failed = ", ".join(esc(name) for name in run.failed_sources) or "—"
    if not run.summary_readable:
        failed = '<span class="warn">summary unreadable</span>'
    css = ' class="unfinished"' if run.finished is None else ""
    finished = when(run.finished) if run.finished else "not finished (running or killed)"
    return (f'<tr{css}><td class="n">{run.id}</td><td>{when(run.started)}</td><td>{finished}</td>'
            f'<td class="n">{duration(run.duration_seconds)}</td><td class="n">{num(run.requests)}</td>'
            f'<td class="n">{num(run.new)}</td><td class="n">{num(run.updated)}</td><td class="n">{num(run.errors)}'
            f"</td><td>{failed}</td></tr>")


def runs_table(report: HealthReport) -> str:
    """The newest runs, newest first."""
    if not report.runs:
        return '<p class="none">no run recorded</p>'
    shown = f"the newest {len(report.runs)} of {report.runs_total}" if report.runs_total > len(report.runs) else ""
    return (f'<p class="meta">{shown}</p>' * bool(shown) +
            '<table class="runs"><tr><th class="n">run</th><th>started</th><th>finished</th><th class="n">duration</th>'
            '<th class="n">requests</th><th class="n">new</th><th class="n">updated</th><th class="n">errors</th>'
            "<th>failed sources</th></tr>" + "".join(_run_row(r) for r in report.runs) + "</table>")


def links_meta(links: LinksHealth | None) -> str:
    """The page's line about the link output: where it was read and what it held."""
    if links is None:
        return ""
    if not links.found:
        return f' · links: none in <code>{esc(links.dir)}</code>'
    unreadable = f', <span class="warn">{links.unreadable_lines} unreadable lines</span>' * bool(links.unreadable_lines)
    return (f" · links <code>{esc(links.dir)}</code>: {links.republished_by} news copies of {links.releases} "
            f"releases ({links.unmatched_releases} not in this output){unreadable}")


def render(report: HealthReport) -> str:
    """The whole page."""
    counts: dict[str, int] = {}
    for source in report.sources:
        counts[source.status] = counts.get(source.status, 0) + 1
    summary = "".join(f"<span>{badge(status)} {n}</span>" for status, n in counts.items())
    sections = "".join(source_section(s, report.days) for s in report.sources) or '<p class="none">no source</p>'
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>Crawl health {when(report.generated)}</title><style>{CSS}</style></head><body>"
        f'<h1>Crawl health</h1><p class="meta">{when(report.generated)} KST · state <code>{esc(report.state_path)}'
        f"</code> · output <code>{esc(report.out_dir)}</code>{links_meta(report.links)} · the same data: "
        "<code>report.json</code></p>"
        f"{broken_banner(report)}"
        f'<p class="counts">{len(report.sources)} sources: {summary}</p>'
        f'<h2>Sources</h2>{overview(report)}{sections}<h2 id="runs">Runs</h2>{runs_table(report)}'
        "</body></html>\n")
