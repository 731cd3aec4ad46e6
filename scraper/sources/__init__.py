"""Site profiles: loading the TOML files and choosing the profile for a page."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from scraper.errors import ConfigError
from scraper.sources.profile import SiteProfile

SITES_DIR = Path(__file__).parent / "sites"

__all__ = [
    "SITES_DIR", "SiteProfile", "config_error", "field_path", "host_matches", "load_profiles", "matching_profiles",
    "profiles_for_url", "ranked_profiles", "validation_messages",
]


def field_path(loc: tuple[str | int, ...]) -> str:
    """A pydantic error location as printed in configuration errors: the dotted field name quoted, list indexes after.

    >>> field_path(("title", 1)), field_path(("items", "date", 0)), field_path(("kind",)), field_path(())
    ("'title'[1]", "'items.date'[0]", "'kind'", "'(table)'")
    """
    names = list(loc)
    indexes = ""
    while names and isinstance(names[-1], int):
        indexes = f"[{names.pop()}]" + indexes
    name = ""
    for part in names:
        name += f"[{part}]" if isinstance(part, int) else ("." if name else "") + part
    return f"'{name or '(table)'}'{indexes}"


def validation_messages(exc: ValidationError) -> list[str]:
    """Every error of a pydantic ``ValidationError`` as ``field 'title'[1]: <why>``, in model field order.

    A failed check (bad CSS selector, bad regex, unsafe name) gives its own message; other errors give
    pydantic's message and the offending value when it is a scalar.
    """
    messages: list[str] = []
    for error in exc.errors():
        if error["type"] == "value_error" and "error" in error.get("ctx", {}):
            why = str(error["ctx"]["error"])
        else:
            value = error.get("input")
            shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
            why = error["msg"] + shown
        messages.append(f"field {field_path(tuple(error['loc']))}: {why}")
    return messages


def config_error(prefix: str, messages: list[str]) -> ConfigError:
    """One ``ConfigError`` for all ``messages`` of one file: on one line when there is one, else one per line."""
    if len(messages) == 1:
        return ConfigError(f"{prefix}: {messages[0]}")
    return ConfigError(f"{prefix}: {len(messages)} errors:\n" + "\n".join(f"  {m}" for m in messages))


def load_profiles(directory: Path = SITES_DIR) -> dict[str, SiteProfile]:
    """All ``*.toml`` profiles in ``directory`` keyed by name.

    Every selector and URL pattern is compiled and the ``hook`` must be one of
    ``scraper.sources.profile.HOOK_NAMES``. Raises ``ConfigError`` for the first bad file, naming the file and every
    bad field of it (``invalid site profile …/x.toml: field 'title'[1]: bad CSS selector 'h1..title': …``).
    """
    profiles: dict[str, SiteProfile] = {}
    for path in sorted(directory.glob("*.toml")):
        profile = _read_profile(path)
        if profile.name in profiles:
            raise ConfigError(f"duplicate site profile name {profile.name!r} in {path}")
        profiles[profile.name] = profile
    return profiles


def _read_profile(path: Path) -> SiteProfile:
    prefix = f"invalid site profile {path}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a BOM (Windows editors) is no TOML
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{prefix}: {exc}") from exc
    messages: list[str] = []
    profile: SiteProfile | None = None
    try:
        profile = SiteProfile.model_validate(data)
    except ValidationError as exc:
        messages += validation_messages(exc)
    if messages or profile is None:
        raise config_error(prefix, messages)
    return profile


def ranked_profiles(directory: Path = SITES_DIR) -> tuple[SiteProfile, ...]:
    """The profiles of ``directory`` (see :func:`load_profiles`), highest priority first: the order
    :func:`profiles_for_url` and fingerprint matching try them in."""
    return tuple(sorted(load_profiles(directory).values(), key=lambda p: -p.priority))


@cache
def default_profiles() -> tuple[SiteProfile, ...]:
    """The bundled profiles, highest priority first (loaded once)."""
    return ranked_profiles()


def host_matches(host: str, hosts: list[str]) -> bool:
    """True when ``host`` is one of ``hosts`` or a subdomain of one (``m.example.com`` ~ ``example.com``)."""
    host = host.lower().split(":")[0]
    return any(host == h or host.endswith("." + h) for h in hosts)


def profiles_for_url(url: str | None, profiles: tuple[SiteProfile, ...]) -> list[SiteProfile]:
    """Profiles whose host or URL pattern matches ``url``, best first."""
    return list(matching_profiles(url, profiles))


def matching_profiles(url: str | None, profiles: tuple[SiteProfile, ...]) -> Iterator[SiteProfile]:
    """:func:`profiles_for_url`, one at a time (a caller wanting the best one stops at the first); the URL's
    host is split and lower-cased once, not once per profile."""
    if not url:
        return
    host = urlsplit(url).netloc.lower().split(":")[0]  # what host_matches does to it (idempotent)
    for profile in profiles:
        if host_matches(host, profile.hosts) or any(re.search(pattern, url) for pattern in profile.url_patterns):
            yield profile
