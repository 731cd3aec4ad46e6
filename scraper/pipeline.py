"""One page's bytes -> one Record: decode, extract (HTML or text capture), normalize.

``extract_page`` is pure (bytes and strings in, a Record out); reading files and the network happens in
``cli``/``fetch``.
"""

from __future__ import annotations

from scraper.config import MAX_PAGE_BYTES
from scraper.errors import ExtractionError
from scraper.extract.article import extract_article
from scraper.extract.capture import extract_text_capture, looks_like_text_capture
from scraper.fetch.decode import decode_html
from scraper.models import Record
from scraper.normalize.record import build_record
from scraper.sources import default_profiles
from scraper.sources.profile import SiteProfile


def extract_text(
    text: str, *, url: str | None = None, now: str | None = None, profile: str | None = None,
    profiles: tuple[SiteProfile, ...] | None = None, headline_hint: str | None = None,
) -> Record:
    """Extract a Record from decoded page text (HTML or a plain-text capture).

    ``profiles``: the site profiles to choose from (default: the bundled ones); ``()`` runs the generic
    path only (no profile, no hook), as for a site the project has never seen. ``headline_hint``: where the
    host's other pages show their headline (``scraper.learn``), for pages whose own titles do not agree.

    Raises ``ExtractionError`` (kind ``no_content``) when no article text is found; a titled page whose
    body is empty but that has attachments gives a record with warning ``empty_body`` (its text is in the
    file: ``--attachments`` reads it).
    """
    return _extract(text, None, url=url, now=now, profile=profile, profiles=profiles, headline_hint=headline_hint)


def _extract(
    text: str, utf8: bytes | None, *, url: str | None, now: str | None, profile: str | None,
    profiles: tuple[SiteProfile, ...] | None, headline_hint: str | None,
) -> Record:
    """:func:`extract_text`; ``utf8``: ``text.encode("utf-8")`` when the caller has it (the page's bytes,
    when they were strict UTF-8), so the parser's input is not encoded again."""
    if looks_like_text_capture(text):
        raw = extract_text_capture(text)
    else:
        chosen = default_profiles() if profiles is None else profiles
        raw = extract_article(text, url, chosen, now=now, profile_name=profile, headline_hint=headline_hint,
                              utf8=utf8)
    record = build_record(raw, url, now=now)
    if not record.body:
        if record.title and record.attachments:  # a release whose text lives only in its attached file
            return record.model_copy(update={"warnings": [*record.warnings, "empty_body"]})
        raise ExtractionError("no article text found on the page", url=url, kind="no_content")
    return record


def extract_page(
    data: bytes, *, url: str | None = None, content_type: str | None = None, now: str | None = None,
    profile: str | None = None, profiles: tuple[SiteProfile, ...] | None = None, headline_hint: str | None = None,
) -> Record:
    """Extract a Record from raw page bytes (any encoding); ``profiles`` and ``headline_hint`` as for
    :func:`extract_text`.

    Raises ``DecodeError`` (``empty``, ``binary``), ``ExtractionError`` (``no_content``, ``too_large``).
    """
    if len(data) > MAX_PAGE_BYTES:
        raise ExtractionError(
            f"the page is {len(data):,} bytes, over the {MAX_PAGE_BYTES:,}-byte limit", url=url, kind="too_large"
        )
    decoded = decode_html(data, content_type, url=url)
    record = _extract(decoded.text, decoded.utf8, url=url, now=now, profile=profile, profiles=profiles,
                      headline_hint=headline_hint)
    warnings: list[str] = []
    if decoded.source in ("guessed", "fallback") or (decoded.source == "detected" and decoded.encoding != "utf-8"):
        warnings.append("charset_guessed")
    if decoded.source == "replaced":
        warnings.append("charset_bytes_replaced")
    if decoded.nuls_dropped:
        warnings.append("nul_bytes_dropped")
    return record.model_copy(update={"warnings": [*record.warnings, *warnings]}) if warnings else record
