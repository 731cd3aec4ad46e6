"""``SiteProfile``: what we know about one site or CMS family, as data (one TOML file per family).

A selector list is tried in order; the first that yields a non-empty value wins. A selector may end in
``@attr`` to read an attribute instead of the text (``meta[property="og:title"]@content``); fields read as
nodes (fingerprints, drop, captions, deck, attachments) take plain CSS. Every selector and URL pattern is
compiled when the profile is built, so a typo is a load-time error naming the field, not a failure on
every page of the site.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from scraper.sources.selectors import check_css, check_selector


def check_regex(pattern: str) -> str:
    """``pattern`` unchanged when Python's ``re`` compiles it; raises ``ValueError`` naming it when not.

    >>> check_regex("/news/[0-9]+")
    '/news/[0-9]+'
    >>> check_regex("/news/([0-9]+")
    Traceback (most recent call last):
    ...
    ValueError: bad regular expression '/news/([0-9]+': missing ), unterminated subpattern at position 6
    """
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from exc
    return pattern


Css = Annotated[str, AfterValidator(check_css)]
"""A CSS selector read as nodes (no ``@attr``), compiled on validation."""
Selector = Annotated[str, AfterValidator(check_selector)]
"""A CSS selector that may end in ``@attr`` (``scraper.sources.selectors.split_selector``), compiled when loaded."""
Regex = Annotated[str, AfterValidator(check_regex)]
"""A regular expression, compiled on validation."""

HOOK_NAMES = frozenset({"arc_fusion", "entermedia_deck", "hankookilbo_flight", "mtn_deck"})
"""The code hooks a profile may name (``hook = "name"``); ``scraper.extract.hooks`` registers exactly these
(registering another name fails at import), so a profile's hook is checked when it is loaded."""


def check_hook(name: str | None) -> str | None:
    """``name`` unchanged when it is ``None`` or one of :data:`HOOK_NAMES`; raises ``ValueError`` when not.

    >>> check_hook("mtn_deck")
    'mtn_deck'
    >>> check_hook("nope")
    Traceback (most recent call last):
    ...
    ValueError: no registered hook named 'nope' (known: arc_fusion, entermedia_deck, hankookilbo_flight, mtn_deck)
    """
    if name is not None and name not in HOOK_NAMES:
        raise ValueError(f"no registered hook named {name!r} (known: {', '.join(sorted(HOOK_NAMES))})")
    return name


class SiteProfile(BaseModel):
    """Selectors and hints for one site or CMS family (see ``scraper/sources/sites/*.toml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="profile id, printed as the record's 'extractor'")
    description: str = ""
    site: str | None = Field(default=None, description="site name for the record, e.g. '한국일보'")
    organization: str | None = Field(default=None, description="publishing body of a gov board")
    host_organizations: dict[str, str] = Field(
        default_factory=dict, description="publishing body per host, for a CMS family serving several bodies"
    )
    kind: Literal["news_article", "press_release"] | None = None
    hosts: list[str] = Field(default_factory=list, description="host names; subdomains match too")
    url_patterns: list[Regex] = Field(default_factory=list, description="regexes searched in the URL")
    fingerprints: list[Css] = Field(
        default_factory=list, description="CSS selectors; the profile applies to a page where one matches"
    )
    priority: int = Field(default=0, description="higher wins when several profiles match")
    title: list[Selector] = Field(default_factory=list)
    subtitle: list[Selector] = Field(default_factory=list)
    body: list[Selector] = Field(default_factory=list)
    deck: list[Css] = Field(
        default_factory=list,
        description="deck lines outside the body container that a press release counts as its first paragraphs",
    )
    drop: list[Css] = Field(default_factory=list, description="nodes removed from the body before reading")
    captions: list[Css] = Field(default_factory=list, description="caption nodes inside or near the body")
    published: list[Selector] = Field(default_factory=list)
    modified: list[Selector] = Field(default_factory=list)
    byline: list[Selector] = Field(default_factory=list)
    department: list[Selector] = Field(default_factory=list)
    contact_name: list[Selector] = Field(default_factory=list)
    contact_phone: list[Selector] = Field(default_factory=list)
    attachments: list[Css] = Field(
        default_factory=list, description="selectors of attachment links (a, button with onclick)"
    )
    attachment_url_template: str | None = Field(
        default=None, description="URL template filled from javascript: call arguments: {0}, {1}, ..."
    )
    hook: Annotated[str | None, AfterValidator(check_hook)] = Field(
        default=None, description="name of a registered code hook for this site (one of HOOK_NAMES)"
    )
    date_from_meta_first: bool = Field(
        default=True, description="prefer machine-readable dates (meta, JSON-LD) over visible ones"
    )
    body_line_split: bool = Field(default=True, description="split paragraphs at every <br>")

    def organization_for(self, host: str | None) -> str | None:
        """The publishing body for ``host`` (subdomains match), else the profile's ``organization``.

        >>> SiteProfile(name="x", host_organizations={"naju.go.kr": "나주시"}).organization_for("www.naju.go.kr")
        '나주시'
        """
        host = (host or "").lower().split(":")[0]
        for known, org in self.host_organizations.items():
            if host == known or host.endswith("." + known):
                return org
        return self.organization
