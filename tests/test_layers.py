"""Imports point one way (DESIGN.md 2.4): parse every module of ``scraper/`` and fail on upward edges."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support import REPO

PACKAGE = REPO / "scraper"
FLOORS: list[set[str]] = [
    {"errors", "models", "config", "vocab", "names"},  # the bottom: no other scraper module
    {"sources", "fetch", "normalize", "sinks"},  # data, network, pure text, files
    {"extract", "archive"},  # extract: reads sources (profile types) and normalize; archive: WARC files (fetch types)
    {"attachments"},  # downloads through fetch, reads with extract and normalize
    {"pipeline", "report"},
    {"learn"},
    # onboard: proposing and checking board sources (scraper sources); replay: WARC files read back (scraper warc)
    {"crawl", "health", "onboard", "links", "replay"},
    {"cluster"},  # scale-out on Ray: replay units as tasks, crawl shards as actors
    {"cli", "evaluation"},
    {"__main__", ""},  # ``python -m scraper`` and the package root (the public surface)
]
"""The real floors of ``scraper/`` (DESIGN.md 2.4): a module imports only from floors below its own, or from
its own package; two packages on one floor never import each other (no sideways edge)."""
FLOOR = {name: level for level, names in enumerate(FLOORS) for name in names}


def module_name(path: Path) -> str:
    """``scraper/extract/article.py`` -> ``scraper.extract.article``; ``__init__`` names the package."""
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def scraper_imports(path: Path) -> set[str]:
    """Every ``scraper...`` name imported by the module at ``path`` (relative imports resolved)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(source: str, package: str) -> set[str]:
    """Every ``scraper...`` name imported by ``source``, a module of ``package``."""
    tree = ast.parse(source)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "scraper" or name.startswith("scraper.")}


def layer(module: str) -> str:
    """The first part below ``scraper`` (``scraper.extract.rules`` -> ``extract``); ``scraper`` -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


MODULES = {module_name(p): scraper_imports(p) for p in sorted(PACKAGE.rglob("*.py"))}
# "from scraper.models import Record" adds the non-module "scraper.models.Record": keep real modules only
KNOWN = set(MODULES)


def edges(module: str) -> set[str]:
    """The scraper modules ``module`` imports (names that are no module, e.g. classes, dropped)."""
    return {name for name in MODULES[module] if name in KNOWN and name != module}


def test_modules_were_found() -> None:
    assert {"scraper.cli", "scraper.crawl.run", "scraper.pipeline", "scraper.models", "scraper.errors"} <= KNOWN


def test_every_package_has_a_floor() -> None:
    assert sorted({layer(m) for m in MODULES} - set(FLOOR)) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_and_never_sideways(module: str) -> None:
    own = layer(module)
    wrong = sorted(name for name in edges(module) if layer(name) != own and FLOOR[layer(name)] >= FLOOR[own])
    assert wrong == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) in FLOORS[0]))
def test_bottom_layer_imports_no_scraper_module(module: str) -> None:
    assert sorted(edges(module)) == []


def test_cli_is_imported_only_by_main() -> None:
    importers = sorted(m for m in MODULES if layer(m) != "cli" and any(layer(e) == "cli" for e in edges(m)))
    assert importers == ["scraper.__main__"]


def test_floors_reject_an_upward_and_a_sideways_edge() -> None:
    assert FLOOR["extract"] > FLOOR["sources"]  # extract -> sources is down: allowed
    assert FLOOR["fetch"] == FLOOR["sinks"]  # fetch -> sinks would be sideways: refused by the test above
    assert FLOOR["pipeline"] < FLOOR["crawl"]


def test_no_module_imports_the_package_root() -> None:
    """Re-exports from ``scraper/__init__.py`` are for users; inside the package they make cycles."""
    assert sorted(m for m in MODULES if m != "scraper" and "scraper" in MODULES[m]) == []


def test_relative_import_resolution() -> None:
    sample = "from .blocks import node_text\nfrom ..models import RawArticle\nimport scraper.errors\nimport re\n"
    assert imports_in(sample, "scraper.extract") == {
        "scraper.extract.blocks", "scraper.extract.blocks.node_text", "scraper.models", "scraper.models.RawArticle",
        "scraper.errors",
    }


HEAVY_OPTIONAL = ("numpy", "rensa", "wacz", "cdxj_indexer", "frictionless", "trafilatura", "psycopg")
"""Libraries only some commands need (linking, WARC packaging, the generic fallback, a PostgreSQL state): 60 MB
together without psycopg (an optional extra: the default install has none)."""


def test_the_console_script_loads_no_heavy_optional_library() -> None:
    # Every ``scraper`` process imports ``scraper.cli``, and so does each of the crawl's spawned extraction workers
    # (spawn re-runs the console script): what it loads is paid once per process of a crawl.
    import subprocess
    import sys

    code = f"import sys, scraper.cli; print(sorted(m for m in {HEAVY_OPTIONAL!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
