"""The guarded fetcher against a real HTTP server on 127.0.0.1 (no other traffic, ever)."""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from microcred.adapters.resolver import DocumentMap, GuardedFetcher, ResolverSettings, refusal
from microcred.core.did import DidResolver, did_web_document
from microcred.core.errors import ResolutionError
from microcred.core.keys import KeyPair
from microcred.core.verification.document_cache import DocumentCache

DOC = {"id": "did:web:example.com", "hello": "world"}
DID_DOCUMENTS: dict[str, object] = {}


class _Handler(BaseHTTPRequestHandler):
    hits: list[str]
    did_documents: dict[str, object]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        route = getattr(self, "route_" + self.path.strip("/").split("/")[0], self.route_doc)
        route()

    def _send(self, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_doc(self) -> None:
        self._send(json.dumps(DOC).encode())

    def route_users(self) -> None:
        self._send(json.dumps(self.did_documents[self.path]).encode())

    def route_kept(self) -> None:
        body = json.dumps(DOC).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "public, max-age=120")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_html(self) -> None:
        self._send(b"<html></html>", "text/html")

    def route_big(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()  # no Content-Length: the client must count while streaming
        try:
            for _ in range(64):
                self.wfile.write(b" " * 65536)
        except OSError:
            pass

    def route_slow(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            for _ in range(40):  # dribbles one byte every 0.1 s: each read is quick, total is not
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    def route_redirect(self) -> None:
        target = self.path.split("/", 2)[2]
        self.send_response(302)
        self.send_header("Location", target)
        self.end_headers()

    def route_loop(self) -> None:
        self.send_response(302)
        self.send_header("Location", "/loop")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Handler,), {"hits": hits, "did_documents": DID_DOCUMENTS})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], hits
    httpd.shutdown()
    httpd.server_close()


LOCAL = ResolverSettings(allowed_hosts=frozenset({"127.0.0.1"}))


def test_loopback_is_refused_by_default_without_any_request(server: tuple[int, list[str]]) -> None:
    port, hits = server
    for url in (f"https://127.0.0.1:{port}/doc", f"https://localhost:{port}/doc"):
        with pytest.raises(ResolutionError, match="loopback"):
            GuardedFetcher()(url)
    with pytest.raises(ResolutionError, match="only https"):
        GuardedFetcher()(f"http://127.0.0.1:{port}/doc")
    assert hits == []


def test_allowed_host_is_fetched_over_http(server: tuple[int, list[str]]) -> None:
    port, hits = server
    assert GuardedFetcher(LOCAL)(f"http://127.0.0.1:{port}/doc") == DOC
    assert hits == ["/doc"]


def test_too_large_body_is_aborted(server: tuple[int, list[str]]) -> None:
    port, _ = server
    settings = ResolverSettings(allowed_hosts=LOCAL.allowed_hosts, max_bytes=100_000)
    with pytest.raises(ResolutionError, match="larger than 100000 bytes"):
        GuardedFetcher(settings)(f"http://127.0.0.1:{port}/big")


def test_slow_server_times_out_on_total_time(server: tuple[int, list[str]]) -> None:
    port, _ = server
    settings = ResolverSettings(allowed_hosts=LOCAL.allowed_hosts, timeout=1.0)
    # each byte comes quickly (0.1 s < the 1 s read timeout), so only the deadline on the whole
    # answer can end this fetch before the 4 s body is complete
    with pytest.raises(ResolutionError, match="took too long, gave up"):
        GuardedFetcher(settings)(f"http://127.0.0.1:{port}/slow")


def test_redirect_to_loopback_is_refused(server: tuple[int, list[str]]) -> None:
    port, hits = server
    settings = ResolverSettings(allowed_hosts=frozenset({"localhost"}))
    target = f"https://127.0.0.1:{port}/doc"
    with pytest.raises(ResolutionError, match=r"127\.0\.0\.1, a loopback"):
        GuardedFetcher(settings)(f"http://localhost:{port}/redirect/{target}")
    with pytest.raises(ResolutionError, match="only https"):
        GuardedFetcher(settings)(f"http://localhost:{port}/redirect/http://127.0.0.1:{port}/doc")
    assert all(hit.startswith("/redirect/") for hit in hits)  # no target was ever requested


def test_redirects_are_followed_up_to_the_limit(server: tuple[int, list[str]]) -> None:
    port, hits = server
    target = f"http://127.0.0.1:{port}/doc"
    assert GuardedFetcher(LOCAL)(f"http://127.0.0.1:{port}/redirect/{target}") == DOC
    with pytest.raises(ResolutionError, match="more than 3 redirects"):
        GuardedFetcher(LOCAL)(f"http://127.0.0.1:{port}/loop")
    assert hits.count("/loop") == 4


def test_non_json_is_refused(server: tuple[int, list[str]]) -> None:
    port, _ = server
    with pytest.raises(ResolutionError, match="expected JSON, got text/html"):
        GuardedFetcher(LOCAL)(f"http://127.0.0.1:{port}/html")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.1.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "100.64.0.1",
        "::1",
        "::",
        "fe80::1",
        "fd00:ec2::254",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_did_web_resolves_through_the_guarded_fetcher(server: tuple[int, list[str]]) -> None:
    port, _ = server
    key = KeyPair.generate().public
    did = f"did:web:127.0.0.1%3A{port}:users:alice"
    DID_DOCUMENTS["/users/alice/did.json"] = did_web_document(did, [key])
    # did:web always means https; an allowed local host is reached over http in tests only
    fetcher = GuardedFetcher(LOCAL)
    resolver = DidResolver(lambda url: fetcher(url.replace("https://", "http://", 1)))
    assert resolver.resolve_key(f"{did}#{key.to_multibase()}") == key


def test_document_map_serves_only_mapped_urls(tmp_path: Path) -> None:
    (tmp_path / "did.json").write_text(json.dumps({"id": "did:web:example.com"}))
    map_file = tmp_path / "map.json"
    map_file.write_text(json.dumps({"https://example.com/.well-known/did.json": "did.json"}))
    documents = DocumentMap.from_file(map_file)
    assert documents("https://example.com/.well-known/did.json") == {"id": "did:web:example.com"}
    with pytest.raises(ResolutionError, match="not in the document map"):
        documents("https://example.org/.well-known/did.json")


def test_a_host_that_refuses_the_connection_is_named_in_words() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ResolutionError) as caught:
        GuardedFetcher(LOCAL)(f"http://127.0.0.1:{port}/doc")
    assert str(caught.value).endswith("could not connect to the host")
    assert "Error" not in str(caught.value)  # no exception class names


def test_a_verifier_keeps_a_document_as_long_as_its_server_says(
    server: tuple[int, list[str]],
) -> None:
    port, hits = server
    clock = [datetime(2026, 12, 6, 9, 0, tzinfo=UTC)]
    fetcher = GuardedFetcher(LOCAL)
    fetched = fetcher.fetch_fresh(f"http://127.0.0.1:{port}/kept")
    assert (fetched.document, fetched.max_age) == (DOC, timedelta(minutes=2))
    assert fetcher.fetch_fresh(f"http://127.0.0.1:{port}/doc").max_age is None
    cache = DocumentCache(now=lambda: clock[0], fetch_fresh=fetcher.fetch_fresh)
    for _ in range(3):
        assert cache(f"http://127.0.0.1:{port}/kept") == DOC
    clock[0] += timedelta(minutes=3)
    cache(f"http://127.0.0.1:{port}/kept")
    assert hits == ["/kept", "/doc", "/kept", "/kept"]
