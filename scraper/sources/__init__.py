"""Site profiles: loading the TOML files and choosing the profile for a page."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from scraper.errors import ConfigError
from scraper.sources.profile import SiteProfile

SITES_DIR = Path(__file__).parent / "sites"

__all__ = ["SITES_DIR", "SiteProfile", "host_matches", "load_profiles", "profiles_for_url"]


def load_profiles(directory: Path = SITES_DIR) -> dict[str, SiteProfile]:
    """All ``*.toml`` profiles in ``directory`` keyed by name; raises ``ConfigError`` naming a bad file."""
    profiles: dict[str, SiteProfile] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            profile = SiteProfile(**data)
        except (tomllib.TOMLDecodeError, ValidationError, TypeError) as exc:
            raise ConfigError(f"invalid site profile {path}: {exc}") from exc
        if profile.name in profiles:
            raise ConfigError(f"duplicate site profile name {profile.name!r} in {path}")
        profiles[profile.name] = profile
    return profiles


@cache
def default_profiles() -> tuple[SiteProfile, ...]:
    """The bundled profiles, highest priority first (loaded once)."""
    return tuple(sorted(load_profiles().values(), key=lambda p: -p.priority))


def host_matches(host: str, hosts: list[str]) -> bool:
    """True when ``host`` is one of ``hosts`` or a subdomain of one (``m.example.com`` ~ ``example.com``)."""
    host = host.lower().split(":")[0]
    return any(host == h or host.endswith("." + h) for h in hosts)


def profiles_for_url(url: str | None, profiles: tuple[SiteProfile, ...]) -> list[SiteProfile]:
    """Profiles whose host or URL pattern matches ``url``, best first."""
    if not url:
        return []
    host = urlsplit(url).netloc
    return [
        p for p in profiles
        if host_matches(host, p.hosts) or any(re.search(pattern, url) for pattern in p.url_patterns)
    ]
