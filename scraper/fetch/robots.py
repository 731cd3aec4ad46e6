"""robots.txt decisions per RFC 9309 (https://www.rfc-editor.org/rfc/rfc9309), parsed by protego.

Fetch status -> policy (RFC 9309 §2.3.1.3 and §2.3.1.4):

* 2xx: the file's rules (decoded like any page: BOM, header, then detection; an EUC-KR file is fine)
* 4xx (404, 403, 410, ...): no rules, everything allowed
* 5xx or unreachable: everything disallowed for now
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

from scraper.errors import DecodeError
from scraper.fetch.decode import decode_html


@dataclass(frozen=True)
class RobotsPolicy:
    """The robots.txt rules of one host; ``status`` says how the file was obtained."""

    parser: Protego | None
    allow_all: bool = False
    disallow_all: bool = False
    status: str = "ok"

    def allowed(self, url: str, user_agent: str) -> bool:
        """True when ``user_agent`` may fetch ``url``."""
        if self.disallow_all:
            return False
        if self.allow_all or self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        """The Crawl-delay for ``user_agent`` in seconds, or ``None``."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def policy_from_response(status: int | None, content: bytes, content_type: str | None) -> RobotsPolicy:
    """The policy for a robots.txt response (``status`` ``None`` = unreachable).

    >>> policy_from_response(404, b"", None).allowed("http://a.kr/x", "bot")
    True
    >>> policy_from_response(503, b"", None).allowed("http://a.kr/x", "bot")
    False
    >>> p = policy_from_response(200, b"User-agent: *\\nDisallow: /private/\\n", "text/plain")
    >>> p.allowed("http://a.kr/private/1", "bot"), p.allowed("http://a.kr/news/1", "bot")
    (False, True)
    >>> policy_from_response(200, b"\\x00junk\\nUser-agent: *\\nDisallow: /\\n", None).allowed("http://a.kr/", "b")
    False
    """
    if status is None or status >= 500:
        return RobotsPolicy(None, disallow_all=True, status="unreachable" if status is None else f"http_{status}")
    if status >= 400:
        return RobotsPolicy(None, allow_all=True, status=f"http_{status}")
    if not content.strip():
        return RobotsPolicy(None, allow_all=True, status="empty")
    try:
        text = decode_html(content, content_type).text
    except DecodeError:  # stray NUL or control bytes: still read the rules, never "allow all"
        text = content.decode("utf-8", "replace")
    return RobotsPolicy(Protego.parse(text))
