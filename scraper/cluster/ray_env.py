"""Ray, imported lazily: the default install and every command without ``--ray`` work without it."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from scraper.errors import ConfigError

PIP_HINT = "pip install 'korean-press-scraper[cluster]'"


def require_ray() -> ModuleType:
    """The ``ray`` module. Raises :class:`ConfigError` with the pip hint when Ray is not installed."""
    try:
        return importlib.import_module("ray")
    except ImportError as exc:
        raise ConfigError(f"--ray needs Ray, which is not installed ({exc}): {PIP_HINT}") from exc


def connect(address: str | None) -> ModuleType:
    """``ray`` connected to a cluster: the one this process already joined, else ``address`` (``auto``: the
    cluster ``ray start`` runs on this machine; ``ray://HOST:10001``: a remote one), else ``RAY_ADDRESS`` or a
    new local one-machine cluster (all cores). Raises :class:`ConfigError` when Ray is missing or the address
    cannot be reached."""
    ray = require_ray()
    if ray.is_initialized():
        return ray
    try:
        ray.init(address=address or os.environ.get("RAY_ADDRESS"), include_dashboard=False,
                 logging_level="warning", log_to_driver=False)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        raise ConfigError(f"cannot join the Ray cluster at {address or 'a new local cluster'}: {exc}") from exc
    return ray


__all__ = ["PIP_HINT", "connect", "require_ray"]
