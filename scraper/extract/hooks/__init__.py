"""Named code hooks for sites whose article cannot be read by selectors alone.

A hook takes ``(html, tree, raw, profile)`` after the selector pass and fixes ``raw`` in place; it reads
its site's selectors from ``profile`` (the profile naming it) rather than spelling them again. Profiles
name their hook with ``hook = "name"``; loading a profile whose hook is not registered is a ``ConfigError``.
Each site family keeps its hooks in its own module in this package (``scraper/extract/hooks/<family>.py``),
registered with :func:`register`; every module here is imported when the package is.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser

from scraper.models import RawArticle
from scraper.sources.profile import HOOK_NAMES, SiteProfile

Hook = Callable[[str, LexborHTMLParser, RawArticle, SiteProfile], None]
HOOKS: dict[str, Hook] = {}


def register(name: str) -> Callable[[Hook], Hook]:
    """Decorator: make ``func`` available to profiles as ``hook = "name"``; raises ``ValueError`` for a name
    missing from ``scraper.sources.profile.HOOK_NAMES`` (the list profiles are validated against)."""
    if name not in HOOK_NAMES:
        raise ValueError(f"hook {name!r} is not in scraper.sources.profile.HOOK_NAMES; add it there")

    def wrap(func: Hook) -> Hook:
        HOOKS[name] = func
        return func

    return wrap


def _load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


_load_all()
