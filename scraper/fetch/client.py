"""The polite, robust fetcher: async httpx + tenacity. Every network read of the tool goes through it.

``Fetcher.fetch(url)`` never raises for network trouble: it returns a :class:`~scraper.fetch.outcome.FetchResult`
carrying the body's bytes and the response headers, whose ``outcome`` is a ``FetchOutcome``. It does not decode
the body: the pipeline decodes a page once (``scraper.fetch.decode``).

Retry policy (one place; numbers from :class:`~scraper.config.FetchSettings`): connect/read errors,
timeouts, bodies shorter than their Content-Length, 408, 429 and 5xx are retried with capped exponential
backoff and jitter; ``Retry-After`` (seconds or HTTP-date, RFC 9110 §10.2.3) is honoured and a value over
``retry_after_cap`` gives up at once. Other 4xx are final. A partial body is never returned as a page.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

import certifi
import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
    wait_random_exponential,
)

from scraper.config import FetchSettings
from scraper.fetch.coding import BodyDecoder, CodingError, CutStream, TooLarge, cut_page_reason
from scraper.fetch.exchange import Archived, Exchange, Recorder, Truncated
from scraper.fetch.outcome import (
    HTML_TYPES,
    RETRY_STATUSES,
    FetchOutcome,
    FetchResult,
    describe_transport_error,
    is_tls_error,
    parse_retry_after,
)
from scraper.fetch.politeness import HostGate, host_key
from scraper.fetch.robots import RobotsPolicy, policy_from_response

ROBOTS_MAX_REDIRECTS = 20
"""Redirects a robots.txt fetch follows (httpx's default, which it followed before hops were archived; RFC 9309
§2.3.1.2 asks for at least five)."""


class _Retry(Exception):
    """An attempt that may be tried again; carries the failure and the server's Retry-After."""

    def __init__(self, result: FetchResult, retry_after: float | None = None) -> None:
        super().__init__(result.message)
        self.result = result
        self.retry_after = retry_after


def build_ssl_context(extra_ca: tuple[str, ...] = ()) -> ssl.SSLContext:
    """A verifying TLS context trusting certifi's roots plus ``extra_ca`` PEM files (never unverified)."""
    context = ssl.create_default_context(cafile=certifi.where())
    for path in extra_ca:
        context.load_verify_locations(cafile=path)
    return context


class Fetcher:
    """Polite HTTP fetcher; use as ``async with Fetcher(settings) as f: result = await f.fetch(url)``.

    ``transport`` may be injected (``httpx.MockTransport``) for pure-logic tests. ``recorder`` (the WARC writer
    of ``--warc``) is handed every exchange made: robots.txt, pages, redirects, errors, attachments.
    """

    def __init__(self, settings: FetchSettings | None = None, *, transport: httpx.AsyncBaseTransport | None = None,
                 recorder: Recorder | None = None):
        self.settings = settings or FetchSettings()
        self._transport = transport
        self.recorder = recorder
        self._open = False
        self._ssl: ssl.SSLContext | None = None
        self._clients: dict[str, httpx.AsyncClient] = {}
        """One small connection pool per host (``host_key``), made on first use: httpcore scans its whole pool
        for a free connection on every request, so one pool of all hosts' connections costs more per request
        the more hosts a crawl reads at once."""
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, RobotsPolicy] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._all = asyncio.Semaphore(self.settings.max_concurrency)
        self.requests_made = 0

    async def __aenter__(self) -> Fetcher:
        self._ssl = build_ssl_context(self.settings.extra_ca)
        self._open = True
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._open = False
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    def client_for(self, url: str) -> httpx.AsyncClient:
        """The httpx client (connection pool) of ``url``'s host, made on first use (only inside ``async with``).
        Its pool holds as many connections as the host may have requests in flight."""
        if not self._open or self._ssl is None:
            raise RuntimeError("use the Fetcher inside 'async with'")
        key = host_key(url)
        client = self._clients.get(key)
        if client is None:
            s = self.settings
            size = max(1, min(self.gate(url).concurrency, s.max_concurrency))
            client = httpx.AsyncClient(
                transport=self._transport,
                verify=self._ssl,
                timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
                follow_redirects=False,
                limits=httpx.Limits(max_connections=size, max_keepalive_connections=size),
                headers={"User-Agent": s.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                         "Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"},
            )
            self._clients[key] = client
        return client

    def gate(self, url: str) -> HostGate:
        """The politeness gate of ``url``'s host (created on first use)."""
        key = host_key(url)
        if key not in self._gates:
            s = self.settings
            self._gates[key] = HostGate(
                delay=s.min_delay if s.polite else 0.0,
                concurrency=s.per_host_concurrency if s.polite else s.max_concurrency,
            )
        return self._gates[key]

    async def robots(self, url: str) -> RobotsPolicy:
        """The robots.txt policy of ``url``'s host, fetched once per run and cached."""
        key = host_key(url)
        lock = self._robots_locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key not in self._robots:
                policy = await self._fetch_robots(url)
                delay = policy.crawl_delay(self.settings.user_agent)
                if delay is not None and self.settings.polite:
                    self.gate(url).delay = max(self.gate(url).delay, delay)
                self._robots[key] = policy
            return self._robots[key]

    async def _fetch_robots(self, url: str) -> RobotsPolicy:
        """The host's robots.txt, redirects followed hop by hop (each hop archived as its own exchange, up to
        httpx's default of 20 hops, as before); a fetch that got no response is archived as a failure."""
        parts = urlsplit(url)
        current = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            for _ in range(ROBOTS_MAX_REDIRECTS + 1):
                resp, raw = await self._robots_hop(url, current)
                location = resp.headers.get("location")
                if not (resp.is_redirect and location):
                    break
                current = urljoin(current, location)
                if urlsplit(current).scheme not in ("http", "https"):
                    raise httpx.UnsupportedProtocol(f"robots.txt redirected to {current}")
            else:
                raise httpx.TooManyRedirects(f"robots.txt of {parts.netloc}: over {ROBOTS_MAX_REDIRECTS} redirects")
            decoder = BodyDecoder(resp.headers.get("content-encoding"), self.settings.max_bytes)
            content = decoder.feed(raw) + decoder.finish()
            return policy_from_response(resp.status_code, content, resp.headers.get("content-type"))
        except CodingError as exc:
            return replace(policy_from_response(None, b"", None), status=f"unreachable ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            policy = policy_from_response(None, b"", None)
            if is_tls_error(exc):
                self._failed(["GET", current], "tls_certificate", str(exc))
                return replace(policy, status="tls_certificate")
            if isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.UnsupportedProtocol):
                kind = "timeout" if isinstance(exc, httpx.TimeoutException) else "network"
                self._failed(["GET", current], kind, describe_transport_error(exc))
            return replace(policy, status=f"unreachable ({type(exc).__name__})")

    async def _robots_hop(self, url: str, target: str) -> tuple[httpx.Response, bytes]:
        """One request of a robots.txt fetch (``url``: the page whose host's gate spaces it), archived."""
        client = self.client_for(target)
        async with self._all, self.gate(url).slot():
            self.requests_made += 1
            async with client.stream("GET", target) as resp:
                raw = b"".join([chunk async for chunk in resp.aiter_raw()])
        self._record(resp, raw)
        return resp, raw

    async def fetch(
        self, url: str, *, validators: dict[str, str] | None = None, accept_any: bool = False,
        form: dict[str, str] | None = None, user_agent: str | None = None, earlier: dict[str, str] | None = None,
    ) -> FetchResult:
        """Fetch ``url`` politely (robots, spacing, retries). ``validators``: ``etag`` / ``last_modified``
        from an earlier fetch, sent as If-None-Match / If-Modified-Since. ``accept_any``: take any content
        type (attachments). ``form``: POST these fields instead of a GET (boards paged by a POST form).
        ``user_agent``: this request's User-Agent (a source's override; robots.txt is read with the default).
        ``earlier``: the archived earlier response of the page (see :attr:`Exchange.earlier`; with a recorder).
        Never raises for network trouble; see the module docstring for outcomes."""
        started = time.monotonic()
        if urlsplit(url).scheme not in ("http", "https"):
            return FetchResult(url, "network", message=f"unsupported URL scheme in {url!r} (http and https only)")
        request = _Request(validators or {}, accept_any, form, user_agent, earlier)
        result = await self._fetch_with_retries(url, request)
        result.elapsed = time.monotonic() - started
        return result

    async def _fetch_with_retries(self, url: str, request: _Request) -> FetchResult:
        s = self.settings
        backoff = wait_random_exponential(multiplier=s.backoff_base, max=s.backoff_cap)

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            retry_after = exc.retry_after if isinstance(exc, _Retry) else None
            return max(backoff(state), retry_after or 0.0)

        attempts = 0
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(s.attempts) | stop_after_delay(s.url_deadline), wait=wait,
                retry=retry_if_exception_type(_Retry), reraise=True
            ):
                with attempt:
                    attempts += 1
                    result = await self._attempt(url, request)
        except _Retry as exc:
            result = exc.result
            result.message = f"{result.message} (after {attempts} attempts)"
        result.attempts = attempts
        return result

    async def _attempt(self, url: str, request: _Request) -> FetchResult:
        where = ["GET", url]  # the request in flight: the one a failure before any response is recorded for
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                return await self._follow(url, request, where)
        except (TimeoutError, httpx.TimeoutException) as exc:
            self._failed(where, "timeout", f"timed out: {type(exc).__name__}")
            raise _Retry(FetchResult(url, "timeout", message=f"timed out: {type(exc).__name__}")) from exc
        except httpx.TransportError as exc:
            if is_tls_error(exc):
                host = urlsplit(url).hostname
                self._failed(where, "tls_certificate", str(exc))
                return FetchResult(url, "tls_certificate", message=(
                    f"TLS certificate of {host} could not be verified ({exc}); if the server sends an incomplete "
                    "chain, add the missing CA certificate with --extra-ca FILE"))
            self._failed(where, "network", describe_transport_error(exc))
            raise _Retry(FetchResult(url, "network", message=describe_transport_error(exc))) from exc

    def _failed(self, where: list[str], kind: str, message: str) -> None:
        """Hand a request that got no response (``where``: method and URL) to the recorder (if any)."""
        if self.recorder is not None:
            self.recorder.failed(where[0], where[1], kind, message)

    async def _follow(self, url: str, request: _Request, where: list[str]) -> FetchResult:
        current, chain = url, list[str]()
        method, form = ("POST", request.form) if request.form is not None else ("GET", None)
        for _ in range(self.settings.max_redirects + 1):
            where[:] = [method, current]
            allowed = await self._allowed(current)
            too_slow = self.crawl_delay_too_long(current) if self.settings.polite else None
            if too_slow is not None:
                return FetchResult(url, "gave_up", final_url=current, redirects=chain, message=(
                    f"robots.txt of {urlsplit(current).netloc} asks for Crawl-delay {too_slow:g} s, over the "
                    f"{self.settings.max_crawl_delay:g} s this run allows; host skipped"))
            if not allowed:
                policy = self._robots.get(host_key(current))
                kind: FetchOutcome = "network" if policy and policy.status.startswith("unreachable") \
                    else "robots_disallowed"
                return FetchResult(url, kind, final_url=current, redirects=chain,
                                   message=self._robots_message(current))
            client = self.client_for(current)  # made before the host's slot: its spacing is between requests
            async with self._all, self.gate(current).slot():
                self.requests_made += 1
                async with client.stream(method, current, headers=request.headers(), data=form) as resp:
                    location = resp.headers.get("location")
                    if resp.is_redirect and location:
                        self._record(resp, *_truncation(await _drain(resp)))
                        target = urljoin(current, location)
                        problem = _redirect_problem(target, url, chain)
                        if problem:
                            return FetchResult(url, "network", final_url=current, redirects=chain,
                                               status=resp.status_code, message=problem)
                        chain.append(target)
                        current = target
                        if resp.status_code in (301, 302, 303):
                            method, form = "GET", None
                        continue
                    return await self._read(url, resp, chain, request)
        return FetchResult(url, "network", final_url=current, redirects=chain,
                           message=f"more than {self.settings.max_redirects} redirects")

    def _robots_message(self, url: str) -> str:
        policy = self._robots.get(host_key(url))
        if policy is not None and policy.disallow_all and policy.status != "ok":
            return (f"robots.txt of {urlsplit(url).netloc} could not be read ({policy.status}); "
                    "RFC 9309 treats that as disallow-all for now")
        return f"robots.txt disallows {url}"

    async def _allowed(self, url: str) -> bool:
        if not self.settings.obey_robots:
            return True
        policy = await self.robots(url)
        if policy.status == "tls_certificate":
            raise httpx.ConnectError(f"CERTIFICATE_VERIFY_FAILED while reading robots.txt of {url}")
        return policy.allowed(url, self.settings.user_agent)

    def crawl_delay_too_long(self, url: str) -> float | None:
        """The host's robots.txt Crawl-delay (seconds) when it exceeds ``max_crawl_delay``, else ``None``."""
        policy = self._robots.get(host_key(url))
        delay = policy.crawl_delay(self.settings.user_agent) if policy else None
        return delay if delay is not None and delay > self.settings.max_crawl_delay else None

    def _record(self, resp: httpx.Response, body: bytes, truncated: Truncated | None = None, *,
                conditional: bool = False, earlier: dict[str, str] | None = None) -> Archived | None:
        """Hand the exchange of ``resp`` to the recorder (if any): ``body`` as received, before decoding."""
        if self.recorder is None:
            return None
        request = resp.request
        try:
            sent = request.content
        except httpx.RequestNotRead:
            sent = b""
        stream = resp.extensions.get("network_stream")
        address = stream.get_extra_info("server_addr") if stream is not None else None
        received = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw
                    if k.lower() != b"transfer-encoding"]  # the body is kept de-chunked
        asked = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        return self.recorder.record(Exchange(
            request.method, str(request.url), asked, sent, resp.http_version, resp.status_code, resp.reason_phrase,
            received, body,
            ip=str(address[0]) if address else None, truncated=truncated, conditional=conditional, earlier=earlier))

    async def _read(self, url: str, resp: httpx.Response, chain: list[str], request: _Request) -> FetchResult:
        s = self.settings
        accept_any = request.accept_any
        result = FetchResult(url, "ok", final_url=str(resp.url), redirects=list(chain), status=resp.status_code,
                             headers=dict(resp.headers))
        if resp.status_code == 304:
            body, complete = await _drain(resp)  # read the (empty) body, so the connection goes back to the pool
            result.archived = self._record(resp, body, None if complete else "unspecified",
                                           conditional=bool(request.validators), earlier=request.earlier)
            result.outcome, result.message = "unchanged", "304 Not Modified"
            return result
        if resp.status_code in RETRY_STATUSES:
            if self.recorder is not None:
                self._record(resp, *_truncation(await _drain(resp)))
            result.outcome, result.message = "http_status", f"HTTP {resp.status_code}"
            retry_after = parse_retry_after(resp.headers.get("retry-after"))
            if retry_after is not None and retry_after > s.retry_after_cap:
                result.outcome = "gave_up"
                result.message = f"HTTP {resp.status_code} with Retry-After {retry_after:.0f} s, over the cap"
                return result
            raise _Retry(result, retry_after)
        if resp.status_code >= 400:
            self._record(resp, *_truncation(await _drain(resp)))
            result.outcome, result.message = "http_status", f"HTTP {resp.status_code}"
            return result
        content_type = resp.headers.get("content-type", "")
        if not accept_any and content_type.split(";")[0].strip().lower() not in HTML_TYPES:
            self._record(resp, b"", "unspecified")  # refused unread: its headers only
            result.outcome, result.message = "not_html", f"content type {content_type!r} is not a page"
            return result
        return await self._read_body(resp, result, page=not accept_any, earlier=request.earlier)

    async def _read_body(self, resp: httpx.Response, result: FetchResult, *, page: bool,
                         earlier: dict[str, str] | None = None) -> FetchResult:
        """The whole body, or a retry: cut framing, a cut compressed stream and (``page``: an HTML page) a
        page that stops before ``</html>`` are never returned as content."""
        limit = self.settings.max_bytes
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and "content-encoding" not in resp.headers and int(declared) > limit:
            result.outcome, result.message = "too_large", f"Content-Length {declared} over the {limit:,}-byte limit"
            return result
        decoder, chunks = BodyDecoder(resp.headers.get("content-encoding"), limit), []
        raws: list[bytes] | None = [] if self.recorder is not None else None
        try:
            async for raw in resp.aiter_raw():
                if raws is not None:
                    raws.append(raw)
                chunks.append(decoder.feed(raw))
            if declared and declared.isdigit() and resp.num_bytes_downloaded < int(declared):
                raise CutStream(f"body cut short: {resp.num_bytes_downloaded} of {declared} bytes")
            chunks.append(decoder.finish())
        except TooLarge as exc:
            self._record(resp, b"".join(raws or ()), "length")
            result.outcome, result.message = "too_large", str(exc)
            return result
        except CodingError as exc:  # a cut stream, or bytes that are not what the coding says: try again
            self._record(resp, b"".join(raws or ()), "disconnect")
            result.outcome, result.message = "network", str(exc)
            raise _Retry(result) from exc
        content = b"".join(chunks)
        cut = cut_page_reason(content) if page else None
        if cut:
            self._record(resp, b"".join(raws or ()), "disconnect")
            result.outcome, result.message = "network", cut
            raise _Retry(result)
        result.content = content
        result.archived = self._record(resp, b"".join(raws or ()), earlier=earlier)
        return result


@dataclass(frozen=True)
class _Request:
    validators: dict[str, str]
    accept_any: bool
    form: dict[str, str] | None
    user_agent: str | None = None
    earlier: dict[str, str] | None = None

    def headers(self) -> dict[str, str]:
        """Conditional-request headers and the User-Agent override of this request."""
        headers = _conditional(self.validators)
        if self.user_agent:
            headers["User-Agent"] = self.user_agent
        return headers


def _conditional(validators: dict[str, str]) -> dict[str, str]:
    headers = {}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def _redirect_problem(target: str, start: str, chain: list[str]) -> str | None:
    if urlsplit(target).scheme not in ("http", "https"):
        return f"redirect to a non-HTTP URL refused: {target}"
    if target == start or target in chain:
        return f"redirect loop at {target}"
    return None


DRAIN_BYTES = 64 * 1024
"""A response body we do not use is read (and dropped) up to this size, so its connection is reused."""


async def _drain(resp: httpx.Response) -> tuple[bytes, bool]:
    """Read the small body of a response we do not use (304, redirect, error page): httpx returns a
    connection to its pool only after the body was read; a body that is large, unknown in size or broken
    is left, and the connection closed. Returns the raw bytes read (before content decoding) and whether
    they are the whole body."""
    declared = resp.headers.get("content-length")
    if declared is None or not declared.isdigit() or int(declared) > DRAIN_BYTES:
        if resp.status_code != 304:
            return b"", False
    chunks: list[bytes] = []
    try:
        async for raw in resp.aiter_raw():
            chunks.append(raw)
    except httpx.HTTPError:
        return b"".join(chunks), False
    return b"".join(chunks), True


def _truncation(drained: tuple[bytes, bool]) -> tuple[bytes, Truncated | None]:
    """``(body, complete)`` from :func:`_drain` as ``(body, WARC-Truncated value or None)``."""
    body, complete = drained
    return body, None if complete else "unspecified"
