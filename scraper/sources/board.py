"""``BoardSource``: one list page (board index) to crawl, as data (``[[source]]`` tables in TOML).

A board is read in three steps: build the list URL of page N (:class:`Paging`), find the items on it
(:class:`ItemRules`), then hand each view page to the article profile named in ``profile``.
Selectors are CSS, optionally ending in ``@attr`` where a value is read (title, date; see
:mod:`scraper.extract.rules`); all are compiled when a source is built. A source's ``name`` is its output
folder, so it must be a safe folder name.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from w3lib.url import add_or_replace_parameter

from scraper.names import safe_name
from scraper.sources.profile import Css, Selector


def check_source_name(name: str) -> str:
    """``name`` unchanged when it is already a safe output folder name; raises ``ValueError`` when not
    (``../../evil``, ``a/b``, ``""``).

    Safe: letters, digits, ``-``, ``_`` and ``.``, not starting or ending with ``.`` or ``_``, at most 100
    characters -- exactly the names :func:`scraper.names.safe_name` keeps as they are, so two sources
    never share a folder under different spellings and no name reaches outside the output folder.

    >>> check_source_name("gangjin-press")
    'gangjin-press'
    """
    if safe_name(name) != name:
        raise ValueError(f"source name {name!r} is not a safe folder name: use letters, digits, '-', '_' and '.' "
                         "(no '.' or '_' first or last), at most 100 characters")
    return name


SourceName = Annotated[str, AfterValidator(check_source_name)]


class Paging(BaseModel):
    """How the list advances: ``page_value = first + (page - 1) * step``.

    ``get``: a query parameter (``?page=N`` 강진/나주, ``pageIndex=N`` 완도/진도);
    ``offset``: a row offset (``Start=0,10,20`` 경상북도); ``post``: a form field posted to the list
    URL (``movePage`` 광주, ``pageIndex`` 정책브리핑 korea.kr), with ``form`` holding the other fields.

    >>> Paging(method="offset", param="Start", first=0, step=10).value(3)
    20
    >>> Paging(method="offset", param="Start", first=0, step=10).page_of(20)
    3
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: Literal["get", "offset", "post"] = "get"
    param: str = Field(default="page", description="query or form parameter carrying the page value")
    first: int = Field(default=1, description="the parameter's value on page 1")
    step: int = Field(default=1, ge=1, description="increment per page (rows per page for offset paging)")
    form: dict[str, str] = Field(default_factory=dict, description="other fields of a POST pager form")

    def value(self, page: int) -> int:
        """The parameter value for 1-based ``page``."""
        return self.first + (page - 1) * self.step

    def page_of(self, value: int) -> int:
        """The 1-based page number for a parameter value seen in a pager link."""
        return (value - self.first) // self.step + 1


class ItemRules(BaseModel):
    """How items are found on a list page and how their id, URL, title, date and pin are read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: Css = Field(description="CSS of one item (table row, card li); links are looked up inside it")
    link: list[Css] = Field(default_factory=lambda: ["a"], description="CSS of the item's link, tried in order")
    title: list[Selector] = Field(default_factory=list, description="selectors of the title; default: the link text")
    title_drop: list[Css] = Field(default_factory=list, description="nodes removed before reading the title")
    date: list[Selector] = Field(default_factory=list, description="selectors of the date; default: the item's text")
    pinned: Css | None = Field(default=None, description="CSS an item matches when it is a pinned 공지 row")
    pinned_markers: list[str] = Field(
        default_factory=lambda: ["공지", "[공지]", "notice", "NOTICE", "Notice"],
        description="a node inside the item whose whole text (or img alt) is one of these marks it pinned",
    )
    id_param: str | None = Field(default=None, description="URL parameter holding the post id (nttId, idx)")
    id_segment: int | None = Field(default=None, description="path segment index holding the id (-1 = last)")
    id_attr: str | None = Field(default=None, description="attribute of the link holding the id (data-seq)")
    id_arg: int = Field(default=0, ge=0, description="argument of a javascript:fn_view('id') call that is the id")
    view_url: str | None = Field(
        default=None, description="view URL template filled from javascript:/onclick/data-* ids: {0}, {1}, ..."
    )


class Overrides(BaseModel):
    """Per-source fetch settings that win over the command line defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    delay_seconds: float | None = Field(default=None, ge=0)
    extra_ca: str | None = Field(default=None, description="PEM file of extra CA certificates for this host")
    user_agent: str | None = None


class BoardSource(BaseModel):
    """One board to crawl (see ``scraper/sources/boards/*.toml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: SourceName = Field(description="stable source id and output folder name, e.g. 'gangjin-press'")
    organization: str = Field(description="publishing body, e.g. '강진군'")
    kind: Literal["press_release", "news"] = "press_release"
    description: str = ""
    list_url: str = Field(pattern=r"^https?://", description="list URL of page 1 without the page parameter")
    profile: str | None = Field(default=None, description="article profile name for the view pages")
    paging: Paging = Field(default_factory=Paging)
    items: ItemRules
    overrides: Overrides = Field(default_factory=Overrides)

    def page_url(self, page: int) -> str:
        """The list URL of ``page`` (GET and offset paging; a POST pager keeps the list URL).

        >>> src = BoardSource(name="b", organization="o", list_url="http://h/board/list.do", items={"item": "tr"})
        >>> src.page_url(2)
        'http://h/board/list.do?page=2'
        """
        if self.paging.method == "post":
            return self.list_url
        return add_or_replace_parameter(self.list_url, self.paging.param, str(self.paging.value(page)))

    def page_form(self, page: int) -> dict[str, str] | None:
        """The form fields to POST for ``page`` (``None`` for GET paging)."""
        if self.paging.method != "post":
            return None
        return {**self.paging.form, self.paging.param: str(self.paging.value(page))}


def start_source(url: str) -> BoardSource:
    """A source for ``crawl --start URL``: one list page read by generic discovery (same host, article links)."""
    host = urlsplit(url).netloc
    return BoardSource(name=safe_name(host), organization=host, kind="news", list_url=url,
                       items=ItemRules(item="*"), description="generic discovery from --start")
