"""A plain one-page HTTP GET for ``scraper extract URL`` (async httpx; no politeness machinery yet).

Errors are raised as :class:`FetchError` with kinds ``timeout``, ``network``, ``http_status``,
``too_large`` and ``not_html``.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from scraper.errors import FetchError

USER_AGENT = "korean-press-scraper/0.1 (+https://github.com/korean-press-scraper)"
MAX_BYTES = 20 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page: final URL after redirects, status, Content-Type and raw body bytes."""

    url: str
    status: int
    content_type: str | None
    content: bytes


async def fetch_page(url: str, *, timeout: float = 30.0, max_bytes: int = MAX_BYTES) -> FetchedPage:
    """GET ``url`` (redirects followed, body streamed up to ``max_bytes``); raises ``FetchError``."""
    try:
        async with httpx.AsyncClient(
            follow_redirects=True, timeout=timeout, headers={"User-Agent": USER_AGENT}, max_redirects=10
        ) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} for {url}", url=url, kind="http_status")
            content_type = response.headers.get("content-type")
            if content_type and not content_type.lower().startswith(_HTML_TYPES):
                raise FetchError(f"not an HTML page: {content_type}", url=url, kind="not_html")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"body over {max_bytes:,} bytes", url=url, kind="too_large")
                chunks.append(chunk)
            return FetchedPage(str(response.url), response.status_code, content_type, b"".join(chunks))
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out: {exc}", url=url, kind="timeout") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"too many redirects: {exc}", url=url, kind="network") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}", url=url, kind="network") from exc
