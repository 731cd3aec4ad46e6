"""What one fetch gave (:class:`FetchResult`, its :data:`FetchOutcome`) and how a failure is told: a network
error's reason, a TLS verification failure, a ``Retry-After`` value. Pure: no network here; the fetcher that
makes these is :mod:`scraper.fetch.client`."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

from scraper.fetch.exchange import Archived

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml", "")
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524})


FetchOutcome = Literal[
    "ok", "unchanged", "robots_disallowed", "http_status", "network", "timeout", "too_large", "not_html",
    "tls_certificate", "gave_up",
]
"""``ok``: the whole body arrived; ``unchanged``: 304 to a conditional GET; ``robots_disallowed``; ``http_status``:
a 4xx/5xx (retried ones given up); ``network``: connection trouble, a body cut short, a redirect refused;
``timeout``; ``too_large``: over ``max_bytes``; ``not_html``: a content type that is no page;
``tls_certificate``: a certificate that could not be verified; ``gave_up``: Retry-After or Crawl-delay over
the cap."""


@dataclass
class FetchResult:
    """What one fetch gave: the body's bytes (``content``, empty unless the whole body arrived) and the
    response ``headers`` (lower-case names); ``elapsed`` is seconds."""

    url: str
    outcome: FetchOutcome
    final_url: str | None = None
    redirects: list[str] = field(default_factory=list)
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    elapsed: float = 0.0
    attempts: int = 0
    message: str = ""
    archived: Archived | None = None
    """Where the response was archived (a fetcher with a recorder, ``--warc``), else ``None``."""

    @property
    def ok(self) -> bool:
        """True for a complete page (outcome ``ok``)."""
        return self.outcome == "ok"

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, or ``None``."""
        return self.headers.get("content-type")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or ``None``.

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=UTC))
    10.0
    >>> parse_retry_after("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_SILENT_ERRORS = {
    "ReadError": "the connection was reset or closed while the response was read",
    "WriteError": "the connection was reset or closed while the request was sent",
    "ConnectError": "the connection could not be opened",
    "CloseError": "the connection failed while being closed",
    "RemoteProtocolError": "the server broke the HTTP protocol",
}


def describe_transport_error(exc: BaseException) -> str:
    """``"<ErrorName>: <reason>"`` for a network error. httpx often raises with an empty message (a
    connection reset gives ``ReadError('')``): the first non-empty message of its causes is used then, or
    a sentence saying what the error means.

    >>> import httpx
    >>> describe_transport_error(httpx.ReadError(""))
    'ReadError: the connection was reset or closed while the response was read'
    >>> describe_transport_error(httpx.ConnectError("[Errno 111] Connection refused"))
    'ConnectError: [Errno 111] Connection refused'
    """
    name = type(exc).__name__
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).strip()
        if text:
            return f"{name}: {text}"
        seen = seen.__cause__ or seen.__context__
    return f"{name}: {_SILENT_ERRORS.get(name, 'no reason given by the connection')}"


def is_tls_error(exc: BaseException) -> bool:
    """True when ``exc`` or one of its causes is a failed certificate verification."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
