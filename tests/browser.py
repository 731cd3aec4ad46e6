"""A real headless browser for tests: Debian's ``chromium`` driven from its command line (``--screenshot``,
``--dump-dom``), console messages read from its log (``--enable-logging=stderr --v=0``: one
``INFO:CONSOLE`` line per message of the page, errors and CSP violations included), and a PNG check.

``.ci/run`` installs chromium with apt-get when it is missing. Without it a test skips with the reason,
except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from support import in_ci

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0")
WINDOW = (1200, 2000)
CONSOLE_RE = re.compile(r":CONSOLE(?::\d+|\(\d+\))\]\s*(.*)")


def chromium() -> str:
    """The chromium binary; skips the test without one (fails it under ``CI=true``)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "chromium not installed (apt-get install chromium): the report page's browser check needs it"
    if in_ci():
        pytest.fail(reason + "; CI=true requires it (.ci/run installs it)")
    pytest.skip(reason)


def launch(binary: str, url: str, profile: Path, *extra: str) -> subprocess.Popen[bytes]:
    """Start one headless chromium on ``url`` with its own fresh profile folder; ``extra`` e.g. ``--dump-dom``."""
    return subprocess.Popen([binary, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)


def finish(proc: subprocess.Popen[bytes], timeout: float = 60.0) -> tuple[str, list[str]]:
    """Wait for a launched chromium: its stdout and the console messages of the page."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"chromium did not finish in {timeout} s: {err.decode(errors='replace')[-2000:]}")
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    return out.decode("utf-8", errors="replace"), console_messages(err.decode("utf-8", errors="replace"))


def console_messages(log: str) -> list[str]:
    """The page's console messages in a chromium log.

    >>> console_messages('[1:1:1201/1.2:INFO:CONSOLE:1] "boom", source: file:///p.html (1)\\n[1:2:x:ERROR:dbus] no bus')
    ['"boom", source: file:///p.html (1)']
    """
    return [m.group(1) for m in map(CONSOLE_RE.search, log.splitlines()) if m]


def png_size_and_content_rows(data: bytes) -> tuple[int, int, int]:
    """``(width, height, rows that are not one colour)`` of an 8-bit RGB/RGBA PNG, read without decoding
    pixels: after its first pixel, every filtered row of a single-colour image repeats with the pixel's
    period whatever the row's filter (None, Sub, Up, Average, Paeth), so a row that does not holds more
    than one colour. A screenshot with text and a chart has many; a blank one has none."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    pixel = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = 1 + width * pixel
    assert len(raw) == stride * height, "truncated image data"
    busy = 0
    for y in range(height):
        row = raw[y * stride + 1 + pixel:(y + 1) * stride]
        busy += row[:-pixel] != row[pixel:]
    return width, height, busy


def png(width: int, height: int, pixel_at: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A small RGB PNG (filter None) whose pixels are ``pixel_at(x, y) -> (r, g, b)``: for testing the check."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel_at(x, y)) for x in range(width))
                    for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
