"""Types handed between the stages: ``RawArticle`` (extractor output) and ``Record`` (the product).

The JSON keys of :class:`Record` are a contract that users' archives script against: add, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

ArticleKind = Literal["news_article", "press_release"]


class Image(BaseModel):
    """A picture of the article with its caption (``▲ ...`` lines, figcaption) and credit (``사진=...``)."""

    model_config = ConfigDict(frozen=True)

    url: str | None = None
    caption: str | None = None


class Attachment(BaseModel):
    """A file attached to a press release: name as shown on the page, absolute download URL."""

    model_config = ConfigDict(frozen=True)

    name: str
    url: str | None = None
    size: str | None = Field(default=None, description="size as printed on the page, e.g. '35 KB'")
    media_type: str | None = Field(
        default=None, description="type the name declares; sniffed from the bytes once downloaded (--attachments)"
    )
    text: str | None = Field(default=None, description="extracted text: a paragraph or tab-separated table row a line")
    error: str | None = Field(default=None, description="why the file could not be read (--attachments)")
    saved_as: str | None = Field(default=None, description="path of the saved copy (--save-attachments)")


class Contact(BaseModel):
    """The release's contact person (담당자) as printed; never the page manager's footer box."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    phone: str | None = None
    email: str | None = None


class DerivedFrom(BaseModel):
    """A press release a news article republishes (``scraper links``): its id and URL, its organization, the
    share of its shingles found in the article (``containment``, 0..1) and their Jaccard ``similarity`` (0..1)."""

    model_config = ConfigDict(frozen=True)

    id: str
    url: str | None = None
    organization: str | None = None
    containment: float
    similarity: float


class Record(BaseModel):
    """One clean article or press release.

    Dates are ISO 8601 strings: ``YYYY-MM-DDTHH:MM:SS+09:00`` when the page shows a time, a plain
    ``YYYY-MM-DD`` when it shows only a date (never an invented midnight). ``body`` is the list of
    paragraphs in reading order, NFC, whitespace folded.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    url: str | None = None
    canonical_url: str | None = None
    kind: ArticleKind = "news_article"
    site: str | None = None
    title: str | None = Field(default=None, description="the headline; null when the page shows none (a body fragment)")
    subtitle: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = Field(default_factory=list)
    dateline: str | None = None
    body: list[str]
    images: list[Image] = Field(default_factory=list)
    source_credit: str | None = None
    organization: str | None = None
    department: str | None = None
    contact: Contact | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    language: str = "ko"
    extractor: str
    schema_version: str = SCHEMA_VERSION
    warnings: list[str] = Field(default_factory=list)
    source: str | None = Field(default=None, description="crawl source name (crawl output only)")
    item_id: str | None = Field(default=None, description="the board's own post id (crawl output only)")
    revision: int | None = Field(default=None, description="1 when first written, +1 per content change (crawl)")
    content_hash: str | None = Field(default=None, description="SHA-256 of the article's content fields (crawl)")
    fetched_at: str | None = Field(default=None, description="when the page was fetched, ISO 8601 KST (crawl)")
    embargo_until: str | None = Field(default=None, description="보도시점/엠바고: ISO 8601 KST, or a date")
    photo_credit: str | None = Field(
        default=None, description="a photo credit (사진=...) the page shows with no picture to attach it to"
    )
    body_source: Literal["page", "attachment"] = Field(
        default="page", description="'attachment' when the page only points to the file and the body is its text")
    credited_organization: str | None = Field(
        default=None, description="news: the public body the page credits (출처/자료제공/사진=), official name when "
        "known (e.g. '서울특별시 광진구'), else as printed")
    derived_from: list[DerivedFrom] = Field(
        default_factory=list, description="news: the press releases this article republishes (scraper links)")


class ErrorDetail(BaseModel):
    """Why a source gave no record: ``kind`` is a short code, ``message`` a sentence for people."""

    kind: str
    message: str


class ErrorRecord(BaseModel):
    """What is printed instead of a record: ``{"url": ..., "error": {"kind": ..., "message": ...}}``."""

    url: str | None
    error: ErrorDetail

    @classmethod
    def of(cls, url: str | None, kind: str, message: str) -> ErrorRecord:
        """The error record of ``url`` (``None``: no address known) for ``kind`` and ``message``.

        >>> ErrorRecord.of("https://x.go.kr/1", "no_content", "no article text").model_dump()
        {'url': 'https://x.go.kr/1', 'error': {'kind': 'no_content', 'message': 'no article text'}}
        """
        return cls(url=url, error=ErrorDetail(kind=kind, message=message))


@dataclass
class RawArticle:
    """What an extractor found on a page, before normalization (strings as printed on the page)."""

    title: str | None = None
    subtitle: str | None = None
    decks: list[str] = field(default_factory=list)
    """Deck lines shown under the headline outside the body (a release's first paragraphs, a news subtitle)."""
    paragraphs: list[str] = field(default_factory=list)
    published_raw: list[str] = field(default_factory=list)
    modified_raw: list[str] = field(default_factory=list)
    modified_shown: list[str] = field(default_factory=list)
    """Modification dates the page prints in its own 수정 field (kept even when equal to published)."""
    bylines: list[str] = field(default_factory=list)
    header_bylines: list[str] = field(default_factory=list)
    """Names on byline lines of the article header (between headline and body), the last fallback."""
    authors_hint: list[str] = field(default_factory=list)
    dateline: str | None = None
    images: list[Image] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    source_credit: str | None = None
    photo_credit: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    organization: str | None = None
    department: str | None = None
    contact: Contact | None = None
    attachments: list[Attachment] = field(default_factory=list)
    embargo_until: str | None = None
    kind: ArticleKind | None = None
    extractor: str = "generic"
    warnings: list[str] = field(default_factory=list)
