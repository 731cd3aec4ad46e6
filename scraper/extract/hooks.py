"""Named code hooks for sites whose article cannot be read by selectors alone.

A hook takes ``(html, tree, raw)`` after the selector pass and fixes ``raw`` in place. Profiles name
their hook with ``hook = "name"``; register new ones with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser

from scraper.models import RawArticle

Hook = Callable[[str, LexborHTMLParser, RawArticle], None]
HOOKS: dict[str, Hook] = {}


def register(name: str) -> Callable[[Hook], Hook]:
    """Decorator: make ``func`` available to profiles as ``hook = "name"``."""

    def wrap(func: Hook) -> Hook:
        HOOKS[name] = func
        return func

    return wrap
