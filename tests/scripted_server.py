"""A real HTTP server on 127.0.0.1 for tests, scripted per path.

Each route is a list of responses served in order for repeated requests to that path (the last one
repeats). A response is a dict: ``status``, ``headers``, ``body`` (bytes or str), and optionally
``send_bytes`` (send only that many body bytes, then close), ``delay`` (seconds before answering) or
``stream_bytes`` (stream that many bytes of filler in 64 KiB chunks) or ``drip`` (send the body one byte
every ``drip`` seconds) or ``chunked`` (send the body with ``Transfer-Encoding: chunked`` in chunks of that
many bytes). Every request is logged with its
path, headers and monotonic time (``time``; ``end`` once answered). With ``conditional=True`` a response
carrying an ``ETag`` is answered
``304 Not Modified`` to a request whose ``If-None-Match`` names that ETag.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedServer:
    """Context manager: ``with ScriptedServer(routes) as srv: srv.url("/x")``."""

    def __init__(self, routes: dict[str, list[dict[str, Any]]],
                 fallback: Callable[[str], dict[str, Any] | None] | None = None, *, conditional: bool = False) -> None:
        self.routes = routes
        self.fallback = fallback
        self.conditional = conditional
        self.counts: dict[str, int] = {}
        self.log: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [entry["path"] for entry in self.log]

    def times(self, path: str | None = None) -> list[float]:
        return [entry["time"] for entry in self.log if path is None or entry["path"] == path]

    def _next(self, path: str) -> dict[str, Any] | None:
        with self.lock:
            responses = self.routes.get(path)
            if not responses:
                return self.fallback(path) if self.fallback else None
            index = self.counts.get(path, 0)
            self.counts[path] = index + 1
            return responses[min(index, len(responses) - 1)]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.do_GET()

            def do_GET(self) -> None:
                entry = {"path": self.path, "time": time.monotonic(), "headers": dict(self.headers),
                         "peer": self.client_address[1]}
                with server.lock:
                    server.log.append(entry)
                spec = server._next(self.path)
                if spec is None:
                    spec = {"status": 404, "body": "not found", "headers": {"Content-Type": "text/plain"}}
                etag = dict(spec.get("headers", {})).get("ETag")
                if server.conditional and etag and self.headers.get("If-None-Match") == etag:
                    spec = {"status": 304, "headers": {"ETag": etag}, "body": b""}
                try:
                    self._answer(spec)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                entry["end"] = time.monotonic()

            def _answer(self, spec: dict[str, Any]) -> None:
                time.sleep(spec.get("delay", 0))
                body = spec.get("body", b"")
                body = body.encode("utf-8") if isinstance(body, str) else body
                stream = spec.get("stream_bytes")
                self.send_response(spec.get("status", 200))
                headers = dict(spec.get("headers", {}))
                if "chunked" in spec:
                    headers["Transfer-Encoding"] = "chunked"
                else:
                    headers.setdefault("Content-Length", str(stream if stream else len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if stream:
                    chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
                    sent = 0
                    while sent < stream:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                    return
                if "chunked" in spec:
                    size = spec["chunked"]
                    for i in range(0, len(body), size):
                        piece = body[i:i + size]
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                if "drip" in spec:  # one byte every `drip` seconds: never silent for a read timeout
                    for i in range(len(body)):
                        self.wfile.write(body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(spec["drip"])
                    return
                if "send_bytes" in spec:
                    self.wfile.write(body[: spec["send_bytes"]])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        return Handler
