"""TLS: a server that sends only its leaf certificate (no intermediate), as many Korean government
servers do, fails with ``tls_certificate`` naming the host, and passes once the CA certificates are
given with ``extra_ca`` (``--extra-ca FILE``). Verification is never turned off."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

from scraper.config import FetchSettings  # noqa: E402
from scraper.fetch.client import Fetcher  # noqa: E402
from scraper.fetch.decode import decode_html  # noqa: E402
from scraper.fetch.outcome import FetchResult  # noqa: E402


def page_text(result: FetchResult) -> str:
    """The fetched body decoded as the pipeline decodes it (the fetcher itself hands on bytes)."""
    return decode_html(result.content, result.content_type).text


def _cert(subject: str, issuer: str, key, signer, *, ca: bool, ip: str | None = None):  # type: ignore[no-untyped-def]
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                                        critical=False)
    return builder.sign(signer, hashes.SHA256())


def _pem(cert) -> bytes:  # type: ignore[no-untyped-def]
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture
def leaf_only_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    root_key, mid_key, leaf_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = _cert("Test Root CA", "Test Root CA", root_key, root_key, ca=True)
    mid = _cert("Test Intermediate CA", "Test Root CA", mid_key, root_key, ca=True)
    leaf = _cert("127.0.0.1", "Test Intermediate CA", leaf_key, mid_key, ca=False, ip="127.0.0.1")
    (tmp_path / "leaf.pem").write_bytes(_pem(leaf))  # the leaf only: no intermediate in the chain
    (tmp_path / "leaf.key").write_bytes(leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp_path / "bundle.pem").write_bytes(_pem(mid) + _pem(root))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:
            body = "<html><body><p>보도자료</p></body></html>".encode()
            status = 404 if self.path == "/robots.txt" else 200
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "leaf.pem", tmp_path / "leaf.key")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/news/1", tmp_path / "bundle.pem"
    httpd.shutdown()
    httpd.server_close()


def _fetch(url: str, settings: FetchSettings) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def test_leaf_only_chain_fails_with_tls_certificate(leaf_only_server) -> None:  # type: ignore[no-untyped-def]
    url, _bundle = leaf_only_server
    result = _fetch(url, FetchSettings(min_delay=0, attempts=2, backoff_base=0.01))
    assert result.outcome == "tls_certificate"
    assert "127.0.0.1" in result.message and "--extra-ca" in result.message
    assert result.attempts == 1  # a certificate problem is not retried


def test_leaf_only_chain_passes_with_extra_ca(leaf_only_server) -> None:  # type: ignore[no-untyped-def]
    url, bundle = leaf_only_server
    result = _fetch(url, FetchSettings(min_delay=0, extra_ca=(str(bundle),)))
    assert result.outcome == "ok" and "보도자료" in page_text(result)
