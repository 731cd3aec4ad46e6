"""The exception tree of the scraper.

::

    ScraperError                 base; carries ``url`` and ``kind`` (a short code)
    ├── InputError               a source that cannot be read at all (missing file, bad URL)
    ├── FetchError               a network read failed (kind: network, timeout, http_status, ...)
    ├── DecodeError              bytes that are not text (kind: binary, empty)
    ├── ExtractionError          text that holds no article (kind: no_content, not_article, too_large)
    ├── NormalizationError       a value that cannot be normalized (a date that is no date)
    └── ConfigError              a bad site profile or settings file

Every error names the URL it happened on (or ``None`` for a local file without ``--url``) and a
``kind`` code that is printed in error records: ``{"url": ..., "error": {"kind": ..., "message": ...}}``.
"""

from __future__ import annotations


class ScraperError(Exception):
    """Base of all errors raised by the scraper; ``kind`` is the short code printed in error records."""

    kind: str = "error"

    def __init__(self, message: str, *, url: str | None = None, kind: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        if kind is not None:
            self.kind = kind


class InputError(ScraperError):
    """A source that cannot be read (missing file, unsupported scheme)."""

    kind = "input"


class FetchError(ScraperError):
    """A network read that did not give a page."""

    kind = "network"


class DecodeError(ScraperError):
    """Bytes that cannot be read as an HTML or text page (empty, binary)."""

    kind = "decode"


class ExtractionError(ScraperError):
    """A page that holds no article (JavaScript-only shell, list page, error page)."""

    kind = "no_content"


class NormalizationError(ScraperError, ValueError):
    """A value (date, byline) that cannot be normalized."""

    kind = "normalization"


class ConfigError(ScraperError):
    """A site profile or settings file that is invalid; the message names the file."""

    kind = "config"
