"""The ``kind: fetch`` field cases of ../shared/cases, served exactly as their scenario.json says by a
real server on 127.0.0.1, run through the real command line (``scraper extract URL``)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from scripted_server import ScriptedServer

CASES = Path(__file__).resolve().parents[1].parent / "shared" / "cases"


def _fetch_cases(kind: str = "fetch") -> list[Path]:
    if not CASES.is_dir():
        return []
    found = []
    for folder in sorted(CASES.iterdir()):
        scenario = folder / "scenario.json"
        if scenario.is_file() and json.loads(scenario.read_text(encoding="utf-8")).get("kind") == kind:
            found.append(folder)
    return found


def _routes(scenario: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    routes: dict[str, list[dict[str, Any]]] = {}
    for route in scenario["routes"]:
        responses = []
        for spec in route["responses"]:
            body = base64.b64decode(spec["body_b64"]) if "body_b64" in spec else spec.get("body", "").encode()
            response = {"status": spec.get("status", 200), "headers": spec.get("headers", {}), "body": body}
            if "send_bytes" in spec:
                response["send_bytes"] = spec["send_bytes"]
            responses.append(response)
        routes[route["path"]] = responses
    return routes


def test_shared_cases_present() -> None:
    if not CASES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared/cases is missing at {CASES} (required in CI)")
        pytest.skip(f"../shared/cases not found at {CASES} (a user's clone without shared data)")
    assert _fetch_cases(), "no kind: fetch cases found"


@pytest.mark.parametrize("folder", _fetch_cases(), ids=lambda p: p.name)
def test_fetch_case(folder: Path) -> None:
    scenario = json.loads((folder / "scenario.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    with ScriptedServer(_routes(scenario)) as srv:
        argv = [sys.executable, "-m", "scraper", "extract", srv.url(scenario["start"])]
        if "now" in expected:
            argv += ["--now", expected["now"]]
        proc = subprocess.run(argv, capture_output=True, timeout=120, check=False)
        defined = [p for p in srv.paths() if p in scenario_paths(scenario)]
        times = [e["time"] for e in srv.log if e["path"] in scenario_paths(scenario)]
    out = json.loads(proc.stdout.decode("utf-8"))
    if expected["outcome"] == "ok":
        assert proc.returncode == 0, out
        assert "error" not in out
    else:
        assert proc.returncode == 1
        assert expected["outcome"].split("_")[-1] in out["error"]["kind"]
    if "requests_made" in expected:
        assert len(defined) == expected["requests_made"], defined
    if "paths_requested" in expected:
        assert defined == expected["paths_requested"]
    if "min_seconds_between_requests" in expected:
        gaps = [b - a for a, b in pairwise(times)]
        assert min(gaps) >= expected["min_seconds_between_requests"] - 0.01, gaps
    if "title" in expected:
        assert out["title"] == expected["title"]
    for bad in expected.get("title_must_not_contain", []):
        assert bad not in out["title"]
    if "final_url" in expected:
        assert out["url"].endswith(expected["final_url"])


def scenario_paths(scenario: dict[str, Any]) -> set[str]:
    """The paths a scenario defines (a polite /robots.txt probe on a scenario without one is not counted)."""
    return {route["path"] for route in scenario["routes"]}


@pytest.mark.parametrize("folder", _fetch_cases("crawl"), ids=lambda p: p.name)
def test_crawl_case(folder: Path, tmp_path: Path) -> None:
    """``kind: crawl`` cases: ``scraper crawl --start URL`` run ``runs`` times on one state file."""
    scenario = json.loads((folder / "scenario.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    emitted = []
    with ScriptedServer(_routes(scenario)) as srv:
        for _ in range(int(scenario.get("runs", 1))):
            before = sum(1 for f in out.rglob("*.jsonl") if f.name != "errors.jsonl" for _ in f.open())
            argv = [sys.executable, "-m", "scraper", "crawl", "--start", srv.url(scenario["start"]), "--state",
                    str(tmp_path / "state.sqlite"), "--out", str(out)]
            proc = subprocess.run(argv, capture_output=True, timeout=120, check=False)
            assert proc.returncode == 0, proc.stderr.decode()
            after = sum(1 for f in out.rglob("*.jsonl") if f.name != "errors.jsonl" for _ in f.open())
            emitted.append(after - before)
    for i, count in enumerate(emitted, start=1):
        if f"run{i}_records_emitted" in expected:
            assert count == expected[f"run{i}_records_emitted"], emitted
