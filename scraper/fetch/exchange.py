"""One HTTP exchange as it went over the wire, handed by the fetcher to a :class:`Recorder` (the WARC writer).

The fetcher knows nothing of WARC: it describes each request and response it made (status line, headers as
received, the body bytes as received after de-chunking and *before* content decoding) and lets an injected
recorder keep them. The recorder answers with the :class:`Archived` place of the response, which the fetcher
puts on its :class:`~scraper.fetch.outcome.FetchResult` so a record can point back at its exact bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

Truncated = Literal["length", "time", "disconnect", "unspecified"]
"""Why a recorded body is incomplete, as WARC's ``WARC-Truncated`` field says it (WARC 1.1 §5.13)."""


@dataclass(frozen=True)
class Exchange:
    """A request and the response it got. Header lists keep the order and spelling sent or received;
    ``body`` is the response body as received (chunked framing removed, ``Content-Encoding`` not undone);
    ``ip`` is the server's address when the connection told it; ``truncated`` says why ``body`` is partial."""

    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    http_version: str
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes
    ip: str | None = None
    truncated: Truncated | None = None
    conditional: bool = False
    """The request carried If-None-Match / If-Modified-Since (a 304 answer becomes a revisit record)."""
    earlier: dict[str, str] | None = None
    """The archived earlier response of this page (``digest``, ``record_id``, ``target_uri``, ``date``): a body
    with the same payload digest becomes a revisit record referring to it."""


@dataclass(frozen=True)
class Archived:
    """Where a response was archived: WARC file name (no folder), byte ``offset`` of its (gzip) record in that
    file and the record's ``length`` in bytes, its ``WARC-Record-ID`` and ``WARC-Payload-Digest`` (``sha1:...``,
    ``None`` for a revisit)."""

    filename: str
    offset: int
    length: int
    record_id: str
    payload_digest: str | None = None
    target_uri: str = field(default="", compare=False)
    date: str = field(default="", compare=False)
    """The record's ``WARC-Date``."""
    revisit: bool = field(default=False, compare=False)
    """A ``revisit`` record (its payload is in the record it refers to)."""

    def as_json(self) -> dict[str, str | int | None]:
        """The record's ``warc`` key: ``{filename, offset, length, record_id, payload_digest}``."""
        return {"filename": self.filename, "offset": self.offset, "length": self.length,
                "record_id": self.record_id, "payload_digest": self.payload_digest}


class Recorder(Protocol):
    """Keeps every exchange the fetcher makes (see :mod:`scraper.archive.warc`)."""

    def record(self, exchange: Exchange) -> Archived | None:
        """Keep ``exchange``; the place of its response record, or ``None`` when it was not kept."""
        ...

    def failed(self, method: str, url: str, kind: str, message: str) -> None:
        """Keep a fetch of ``url`` that got no response at all (``kind``: ``timeout``, ``network``,
        ``tls_certificate``; ``message``: what went wrong)."""
        ...
