# Sourced by scripts/demo.sh and scripts/test.sh: make sure .venv exists and holds this checkout,
# installed with its test extras. Needs only Python 3.11+ (with venv and pip) on the machine.
# Reinstalls when pyproject.toml changed since the last install, when the venv is broken, or when
# the installed `scraper` package is not this checkout (a copied or moved tree).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
STAMP="$VENV/.pyproject.sha256"

_find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "[venv] $VENV is broken or too old; recreating it" >&2
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    PY="$(_find_python)"
    echo "[venv] creating $VENV with $PY" >&2
    "$PY" -m venv "$VENV"
fi

_want="$("$VENV/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' pyproject.toml)"
_have="$(cat "$STAMP" 2>/dev/null || true)"
if [ "$_want" != "$_have" ] \
    || ! "$VENV/bin/python" - "$ROOT" <<'PY' 2>/dev/null
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("scraper")
assert spec is not None and spec.origin is not None
assert pathlib.Path(spec.origin).resolve().is_relative_to(pathlib.Path(sys.argv[1]).resolve())
for name in ("pytest", "hypothesis", "trafilatura", "selectolax", "psycopg"):
    assert importlib.util.find_spec(name) is not None, name
PY
then
    echo "[venv] installing the project and its test extras into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]"
    echo "$_want" > "$STAMP"
fi
unset _want _have
