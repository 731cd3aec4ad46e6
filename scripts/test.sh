#!/usr/bin/env bash
# Lint and test: bootstraps .venv (see scripts/_venv.sh), then `ruff check .`, `mypy --strict` on scraper/
# and the whole pytest suite.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k golden -x`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"

echo "[test] ruff check ." >&2
"$VENV/bin/ruff" check .
echo "[test] mypy --strict scraper" >&2
"$VENV/bin/mypy"
echo "[test] pytest" >&2
"$VENV/bin/python" -m pytest "$@"
