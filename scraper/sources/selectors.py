"""Profile and board selectors as data: their syntax and their check at load time (selectolax/Lexbor).

A selector string is CSS, optionally ending in ``@attr`` to read that attribute instead of the text.
Owned by ``sources`` because validating a profile is checking its selectors; ``scraper.extract.rules``
applies them to pages.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, SelectolaxError


def split_selector(selector: str) -> tuple[str, str | None]:
    """``'meta[property="og:title"]@content'`` -> ``('meta[property="og:title"]', 'content')``.

    >>> split_selector("h1.title")
    ('h1.title', None)
    >>> split_selector('meta[name="x"]@content')
    ('meta[name="x"]', 'content')
    """
    css, sep, attr = selector.rpartition("@")
    if sep and attr and "]" not in attr and " " not in attr:
        return css, attr
    return selector, None


_PROBE_HTML = "<html><head></head><body><p></p></body></html>"


def _css_error(css: str) -> str | None:
    try:
        LexborHTMLParser(_PROBE_HTML).css(css)
    except (SelectolaxError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def check_css(css: str) -> str:
    """``css`` unchanged when selectolax (Lexbor) can parse it; raises ``ValueError`` naming it when not.

    A bad selector raises only when it is first run (selectolax 1.0: ``SelectolaxError``), so profiles and
    board sources compile theirs once at load time, against a tiny document, instead of failing on every page.

    >>> check_css("div#subject h5")
    'div#subject h5'
    >>> check_css("h1..title")
    Traceback (most recent call last):
    ...
    ValueError: bad CSS selector 'h1..title': Can't parse CSS selector.
    """
    error = _css_error(css)
    if error:
        raise ValueError(f"bad CSS selector {css!r}: {error}")
    return css


def check_selector(selector: str) -> str:
    """As :func:`check_css` for a selector whose CSS part may end in ``@attr`` (see :func:`split_selector`).

    >>> check_selector("meta[property='og:title']@content")
    "meta[property='og:title']@content"
    >>> check_selector("h1..title@content")
    Traceback (most recent call last):
    ...
    ValueError: bad CSS selector 'h1..title@content': Can't parse CSS selector.
    """
    error = _css_error(split_selector(selector)[0])
    if error:
        raise ValueError(f"bad CSS selector {selector!r}: {error}")
    return selector
