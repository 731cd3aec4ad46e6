"""Item rules (``[source.items]``) inferred from one list page and checked by applying them; pure.

The target is what generic discovery reads off the page (:mod:`scraper.onboard.posts`): every rule is kept
only when :func:`scraper.extract.listing.parse_listing`, run with it as a source, gives those same posts
(ids, URLs, titles, dates, pinned flags). A platform's usual selectors are tried first; the rest is written
from the page's structure: the rows' container, the link's id parameter, the element holding the title or
the date when the link text or the row text does not give them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import ValidationError
from selectolax.lexbor import LexborHTMLParser, LexborNode

from scraper.extract.discovery import link_target
from scraper.extract.links import ID_DATA_ATTRS, link_calls
from scraper.extract.listing import parse_listing, self_matches
from scraper.extract.listitem import ListItem, clean_title_attr, list_date, pick_title, title_noise, visible_text
from scraper.extract.rules import css_all, first_value
from scraper.normalize.text import fold_space
from scraper.normalize.urls import ID_PARAMS
from scraper.onboard.css import container_selectors, inner_selectors, shared_classes
from scraper.onboard.posts import Post
from scraper.sources.board import BoardSource, ItemRules
from scraper.sources.platforms import Platform

FIELDS = ("id", "url", "title", "date", "pinned")
_QUOTABLE = re.compile(r"^[\w.~%-]+$")
"""Text that can sit inside a quoted CSS attribute value as it is."""
MAX_DATE_CHARS = 40
MAX_CANDIDATE_NODES = 12


@dataclass
class Fit:
    """Item rules being built, the page they are checked on, the posts they must give, and notes on how
    each part was found."""

    html: str
    url: str
    posts: list[Post]
    rules: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def apply(self, **update: Any) -> list[ListItem]:
        """The items ``parse_listing`` gives with the current rules plus ``update`` (none for rules that do not
        validate: a selector written from odd markup)."""
        try:
            rules = ItemRules.model_validate({**self.rules, **update})
        except ValidationError:
            return []
        source = BoardSource(name="probe", organization="probe", list_url=self.url, items=rules)
        return parse_listing(self.html, self.url, source).items

    def misses(self, fields: tuple[str, ...] = FIELDS, **update: Any) -> int:
        """Posts the rules get wrong in ``fields`` (missing ones included) plus items no post stands for."""
        return misses(self.apply(**update), [p.item for p in self.posts], fields)


def misses(got: list[ListItem], want: list[ListItem], fields: tuple[str, ...] = FIELDS) -> int:
    """How many of ``want`` are absent from ``got`` or differ in ``fields``, plus the items of ``got`` that
    stand for no post of ``want`` (compared by id).

    >>> a = ListItem(id="1", url="u", title="t")
    >>> misses([a], [a]), misses([a], [a.model_copy(update={"title": "x"})]), misses([a], [])
    (0, 1, 1)
    """
    by_id = {item.id: item for item in got}
    wrong = sum(1 for w in want if w.id not in by_id or any(getattr(by_id[w.id], f) != getattr(w, f) for f in fields))
    return wrong + len(set(by_id) - {w.id for w in want})


def id_rule(posts: list[Post], platform: Platform | None) -> dict[str, Any]:
    """Where every post's id sits: one query parameter (the platform's first), one path segment, one
    argument of the javascript call, or a ``data-*`` attribute; ``{}`` when discovery's own reading is needed."""
    if all(p.item.url for p in posts):
        names: set[str] | None = None
        for p in posts:
            keys = {k for k, v in parse_qsl(urlsplit(p.item.url or "").query) if v.strip() == p.item.id}
            names = keys if names is None else names & keys
        if names:
            preferred = [platform.id_param] if platform and platform.id_param else []
            order = preferred + [n for n in sorted(names) if n.lower() in ID_PARAMS] + sorted(names)
            return {"id_param": next(n for n in order if n in names)}
        for index in (-1, -2, -3):
            if all(_segment(p.item.url, index) == p.item.id for p in posts):
                return {"id_segment": index}
        return {}
    for attr in ID_DATA_ATTRS:
        if all((p.links[0].attributes.get(attr) or "").strip() == p.item.id for p in posts):
            return {"id_attr": attr}
    calls = [[c for c in link_calls(p.links[0]) if c.args] for p in posts]
    if all(calls):
        width = min(len(c[0].args) for c in calls)
        for index in range(width):
            if all(c[0].args[index] == p.item.id for c, p in zip(calls, posts, strict=True)):
                return {"id_arg": index} if index else {}
    return {}


def _segment(url: str | None, index: int) -> str | None:
    segments = [s for s in urlsplit(url or "").path.split(";", 1)[0].split("/") if s]
    return segments[index] if len(segments) >= -index else None


def _groups(posts: list[Post]) -> list[list[Post]]:
    """Posts grouped by their row's tag and parent (a photo strip and a table on one page: two groups)."""
    groups: dict[tuple[str, int], list[Post]] = {}
    for p in posts:
        parent = p.row.parent
        groups.setdefault((p.row.tag or "", parent.mem_id if parent is not None else 0), []).append(p)
    return list(groups.values())


def item_selector(tree: LexborHTMLParser, posts: list[Post], base: str) -> str:
    """CSS matching every post's row: per group of rows the plainest container selector that matches all
    of them and the fewest other elements holding post-looking links; groups joined with ``,``."""
    rows = {p.row.mem_id for p in posts}
    chosen: list[str] = []
    covered: set[int] = set()
    for group in _groups(posts):
        if {p.row.mem_id for p in group} <= covered:
            continue
        best: tuple[int, str] | None = None
        for css in container_selectors([p.row for p in group]):
            matched = css_all(tree, css)
            ids = {n.mem_id for n in matched}
            if not {p.row.mem_id for p in group} <= ids:
                continue
            stray = sum(1 for n in matched if n.mem_id not in rows and _has_post_link(n, base))
            if best is None or stray < best[0]:
                best = (stray, css)
            if stray == 0:
                break
        css = best[1] if best else group[0].row.tag or "*"
        chosen.append(css)
        covered |= {n.mem_id for n in css_all(tree, css)}
    return ", ".join(dict.fromkeys(chosen))


def _has_post_link(node: LexborNode, base: str) -> bool:
    return any(link_target(link, base) is not None for link in css_all(node, "a, [onclick]"))


def link_candidates(posts: list[Post], ids: dict[str, Any], platform: Platform | None) -> list[str]:
    """Link selectors to try, most readable first: the platform's usual one, the id parameter or path in
    the href, the javascript call or data attribute, then the link's place in its row."""
    found = [hint.link for hint in platform.items] if platform else []
    first = posts[0]
    if "id_param" in ids and _QUOTABLE.match(ids["id_param"]):
        found.append(f"a[href*='{ids['id_param']}=']")
    elif "id_segment" in ids:
        path = [s for s in urlsplit(first.item.url or "").path.split("/") if s]
        index = ids["id_segment"]
        if len(path) > -index and _QUOTABLE.match(path[index - 1]):
            found.append(f"a[href*='/{path[index - 1]}/']")
    elif "id_attr" in ids:
        found.append(f"[{ids['id_attr']}]")
    else:
        calls = link_calls(first.links[0])
        if calls and _QUOTABLE.match(calls[0].name):
            found.append(f"a[href*='{calls[0].name}('], [onclick*='{calls[0].name}(']")
    if first.links[0].mem_id != first.row.mem_id:
        found += inner_selectors(first.row, first.links[0])
    found.append("a")
    return list(dict.fromkeys(found))


def best_of(fit: Fit, key: str, candidates: list[Any], fields: tuple[str, ...]) -> tuple[Any, int]:
    """The first candidate value of rule ``key`` that gets every post right in ``fields`` (else the one with
    the fewest misses) and its number of misses."""
    best: tuple[Any, int] | None = None
    for value in candidates:
        wrong = fit.misses(fields, **{key: value})
        if best is None or wrong < best[1]:
            best = (value, wrong)
        if wrong == 0:
            break
    return best if best is not None else (None, len(fit.posts))


def chosen_link(post: Post, rules: dict[str, Any]) -> LexborNode:
    """The link the rules pick in the post's row (the row itself when it is the link)."""
    for css in rules.get("link", ["a"]):
        if self_matches(post.row, css):
            return post.row
        nodes = css_all(post.row, css)
        if nodes:
            return nodes[0]
    return post.links[0]


def value_selectors(posts: list[Post], find: Callable[[Post], list[LexborNode]],
                    holds: Callable[[Post, str], bool]) -> list[str]:
    """Inner selectors of the nodes ``find`` gives in the group's first row that ``holds`` on every row,
    plainest first (fewest ``:nth-child`` steps, then shortest)."""
    good: list[str] = []
    for node in find(posts[0])[:MAX_CANDIDATE_NODES]:
        for css in inner_selectors(posts[0].row, node):
            if css not in good and all(holds(p, css) for p in posts):
                good.append(css)
    return sorted(good, key=plainness)


def plainness(css: str) -> tuple[int, int, int]:
    """Sort key of a selector for people: ``:nth-child`` steps, then whether it names a class or id (a bare
    ``p`` is the first paragraph of whatever the row holds), then length.

    >>> sorted(["td:nth-child(4)", "p", "div.title p", "p.c_tit"], key=plainness)
    ['p.c_tit', 'div.title p', 'p', 'td:nth-child(4)']
    """
    return css.count(":nth-child"), 0 if ("." in css or "#" in css) else 1, len(css)


def title_nodes(post: Post, noise: set[int] | frozenset[int] = frozenset()) -> list[LexborNode]:
    """Elements of the row whose text (without ``noise`` subtrees) is the post's title, smallest first."""
    want = post.item.title
    nodes = [n for n in css_all(post.row, "*") if n.mem_id != post.row.mem_id and visible_text(n, noise) == want]
    return list(reversed(nodes))


def date_nodes(post: Post) -> list[LexborNode]:
    """Short elements of the row whose text gives the post's date and holds no title, smallest first."""
    want, title = post.item.date, post.item.title
    found = []
    for node in css_all(post.row, "*"):
        text = fold_space(node.text(deep=True))
        if len(text) <= MAX_DATE_CHARS and title not in text and list_date(text) == want:
            found.append(node)
    return sorted(found, key=lambda n: len(n.text(deep=True)))


def fit_title(fit: Fit) -> None:
    """Add ``title`` (and ``title_drop``) rules when the link text does not give discovery's titles."""
    if fit.misses(("id", "title")) == 0:
        return
    picks: list[str] = []
    for group in _groups(fit.posts):
        def holds(post: Post, css: str) -> bool:
            """True when ``css`` read in the post's row gives its title (as the listing reads titles)."""
            link = chosen_link(post, fit.rules)
            text = fold_space(first_value(post.row, [css]) or "")
            return pick_title(text, clean_title_attr(link.attributes.get("title"))) == post.item.title
        good = value_selectors(group, title_nodes, holds)
        picks += good[:1]
    if picks and fit.misses(("id", "title"), title=picks) == 0:
        fit.rules["title"] = picks
        fit.notes.append(f"title: {', '.join(picks)}")
        return
    _fit_title_drop(fit)


def _fit_title_drop(fit: Fit) -> None:
    """Title rules that remove badges and ``[category]`` prefixes before reading (``title_drop``): the
    element holding the title (or the link) without the noise nodes discovery skips in any row."""
    title: list[str] = []
    drops: list[list[str]] = []  # per kind of noise node, its selectors to try
    for post in fit.posts:
        link = chosen_link(post, fit.rules)
        noise = title_noise(link)
        holders = title_nodes(post, noise)
        if not holders:
            continue
        holder = link if any(h.mem_id == link.mem_id for h in holders) else holders[0]
        if not title and holder.mem_id != link.mem_id:
            title = inner_selectors(post.row, holder)[:3]
        for node in css_all(holder, "*"):
            options = inner_selectors(post.row, node) if node.mem_id in noise else []
            if options and not any(options[0] in known for known in drops):
                drops.append(options)
    for variant in range(3):
        drop_css = [options[min(variant, len(options) - 1)] for options in drops]
        for css in [*title] or [""]:
            update: dict[str, Any] = {"title_drop": drop_css, **({"title": [css]} if css else {})}
            if drop_css and fit.misses(("id", "title", "pinned"), **update) == 0:
                fit.rules.update(update)
                fit.notes.append(f"title: {css or 'the link text'} without {', '.join(drop_css)}")
                return
    fit.notes.append("title: could not write rules giving every title discovery read")


def fit_date(fit: Fit) -> None:
    """Add a ``date`` rule when the row's first date is not the post's date."""
    if fit.misses(("id", "date")) == 0:
        return
    picks: list[str] = []
    for group in _groups(fit.posts):
        dated = [p for p in group if p.item.date]
        if not dated:
            continue
        good = value_selectors(dated, date_nodes,
                               lambda post, css: list_date(first_value(post.row, [css])) == post.item.date)
        picks += good[:1]
    if picks and fit.misses(("id", "date"), date=picks) < fit.misses(("id", "date")):
        fit.rules["date"] = picks
    wrong = fit.misses(("id", "date"))
    fit.notes.append(f"date: {', '.join(fit.rules.get('date', [])) or 'the row text'}"
                     + (f" ({wrong} items differ from discovery)" if wrong else ""))


def fit_pinned(fit: Fit) -> None:
    """Add a ``pinned`` rule (a class only the pinned rows have) when the 공지 markers do not tell them."""
    if fit.misses(("id", "pinned")) == 0:
        return
    pinned = [p.row for p in fit.posts if p.item.pinned]
    plain = [p.row for p in fit.posts if not p.item.pinned]
    if pinned:
        others = {c for row in plain for c in (row.attributes.get("class") or "").split()}
        for name in shared_classes(pinned):
            if name not in others:
                css = f"{pinned[0].tag}.{name}"
                if fit.misses(("id", "pinned"), pinned=css) == 0:
                    fit.rules["pinned"] = css
                    fit.notes.append(f"pinned: {css}")
                    return
    fit.notes.append("pinned: the 공지 rows differ from discovery's reading")
