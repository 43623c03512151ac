"""Guarded fetching of JSON documents (did:web, status lists) and a local document map.

:class:`GuardedFetcher` resolves each host itself, refuses non-public addresses (loopback,
private, link-local, multicast, reserved, unspecified, cloud metadata) on every redirect hop,
connects to the address it checked (no DNS rebinding), and bounds size and total time.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from microcred.adapters.http_freshness import max_age
from microcred.core.errors import ResolutionError
from microcred.core.verification.document_cache import Fetched

MIB = 1024 * 1024
REDIRECTS = frozenset({301, 302, 303, 307, 308})
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "168.63.129.16")
)
JSON_TYPES = ("application/json", "application/did+json", "application/ld+json")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
TRANSLATED = ("an IPv4-mapped address", "an IPv4-translated address", "a NAT64 address",
              "a 6to4 address")  # fmt: skip

DNS_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")
NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
ResolveHost = Callable[[str, int], list[str]]


def system_resolve(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for ``host``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ResolutionError(f"cannot resolve host {host}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refusal(address: Address) -> str | None:
    """Why ``address`` must not be contacted, or None if it is a public unicast address.

    An IPv6 address that carries an IPv4 one (IPv4-mapped, 6to4, NAT64, Teredo, IPv4-compatible)
    is judged by the IPv4 address too: ``2002:7f00:1::`` reaches 127.0.0.1 where 6to4 routes.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address in LOCAL_NAT64:
            return "a local-use NAT64 address (64:ff9b:1::/48)"
        carried = embedded_ipv4(address)
        for form, inner in carried:
            if (reason := refusal(inner)) is not None:
                return f"{form} for {inner}, {reason}"
        if carried and carried[0][0] in TRANSLATED:  # the IPv4 address is the real destination
            return None
    return _refusal_by_range(address)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses ``address`` carries, each with the name of the form that carries it."""
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    found = []
    if address.ipv4_mapped is not None:
        found.append(("an IPv4-mapped address", address.ipv4_mapped))
    if address in IPV4_TRANSLATED:
        found.append(("an IPv4-translated address", low32))
    if address in NAT64:
        found.append(("a NAT64 address", low32))
    if address.sixtofour is not None:
        found.append(("a 6to4 address", address.sixtofour))
    if address.teredo is not None:
        server, client = address.teredo
        found += [("a Teredo address", client), ("a Teredo address (its server)", server)]
    if address in IPV4_COMPATIBLE and int(address) > 1:  # not :: nor ::1
        found.append(("an IPv4-compatible address", low32))
    return found


def _refusal_by_range(address: Address) -> str | None:
    checks = (
        (address in METADATA_ADDRESSES, "a cloud metadata address"),
        (address.is_loopback, "a loopback address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "not a public address"),
    )
    return next((reason for hit, reason in checks if hit), None)


@dataclass(frozen=True)
class ResolverSettings:
    """Limits of the guarded fetcher. ``allowed_hosts`` may be non-public and use http."""

    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    max_bytes: int = MIB
    timeout: float = 5.0
    max_redirects: int = 3


class GuardedFetcher:
    """``fetch_json(url)`` for the core: HTTPS only, public addresses only, bounded."""

    def __init__(
        self,
        settings: ResolverSettings | None = None,
        *,
        resolve_host: ResolveHost = system_resolve,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings or ResolverSettings()
        self._resolve_host = resolve_host
        self._transport = transport

    def __call__(self, url: str) -> dict[str, Any]:
        return self.fetch_json(url)

    def fetch_json(self, url: str) -> dict[str, Any]:
        """GET a JSON object, following at most ``max_redirects`` checked redirects.

        Every failure is a :class:`ResolutionError` naming the URL: a URL the parser refuses
        (a broken IPv6 bracket, an invalid IDNA host, a port out of range...) included.
        """
        return dict(self.fetch_fresh(url).document)

    def fetch_fresh(self, url: str) -> Fetched:
        """:meth:`fetch_json`, with what the answer's cache headers allow and its size (for a
        :class:`~microcred.core.verification.document_cache.DocumentCache`)."""
        try:
            return self._fetch(url)
        except UNFETCHABLE as exc:
            raise ResolutionError(f"refused {url[:300]}: {_unfetchable(exc)}") from exc

    def _fetch(self, url: str) -> Fetched:
        deadline = time.monotonic() + self.settings.timeout
        with httpx.Client(
            transport=self._transport, trust_env=False, follow_redirects=False
        ) as client:
            current = checked_url(url)
            for _ in range(self.settings.max_redirects + 1):
                response, body = self._get(client, current, deadline)
                if response.status_code in REDIRECTS and "location" in response.headers:
                    current = checked_url(current.join(response.headers["location"]))
                    continue
                document = _json_object(url, response, body)
                return Fetched(document, max_age(response.headers), len(body))
        raise ResolutionError(f"{url}: more than {self.settings.max_redirects} redirects")

    def _lookup(self, host: str, port: int, url: httpx.URL, deadline: float) -> list[str]:
        """Resolve ``host`` within the time left (getaddrinfo itself has no timeout)."""
        pool = ThreadPoolExecutor(max_workers=1)
        try:
            future = pool.submit(self._resolve_host, host, port)
            return future.result(timeout=_remaining(url, deadline))
        except FutureTimeout as exc:
            raise ResolutionError(f"{url}: resolving {host} took too long") from exc
        finally:
            pool.shutdown(wait=False)

    def _check(self, url: httpx.URL, deadline: float) -> list[str]:
        """Check the scheme and every resolved address; return the addresses to connect to."""
        host = url.host.lower()
        allowed = host in {name.lower() for name in self.settings.allowed_hosts}
        if url.scheme != "https" and not (allowed and url.scheme == "http"):
            raise ResolutionError(f"refused {url}: only https URLs are fetched")
        if url.userinfo:
            raise ResolutionError(f"refused {url}: URLs with credentials are not fetched")
        port = url.port or (443 if url.scheme == "https" else 80)
        addresses = self._lookup(host, port, url, deadline)
        if not addresses:
            raise ResolutionError(f"cannot resolve host {host}")
        for text in addresses:
            reason = refusal(ipaddress.ip_address(text.split("%")[0]))
            if reason is not None and not allowed:
                raise ResolutionError(f"refused {url}: {host} resolves to {text}, {reason}")
        return addresses

    def _get(
        self, client: httpx.Client, url: httpx.URL, deadline: float
    ) -> tuple[httpx.Response, bytes]:
        addresses = self._check(url, deadline)
        try:
            response = self._connect(client, url, addresses, deadline)
            try:
                body = self._read(url, response.iter_bytes(), deadline)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise ResolutionError(f"{url}: no answer within {self.settings.timeout} s") from exc
        except httpx.HTTPError as exc:
            raise ResolutionError(f"{url}: {_failure(exc)}") from exc
        return response, body

    def _connect(
        self, client: httpx.Client, url: httpx.URL, addresses: list[str], deadline: float
    ) -> httpx.Response:
        """Send to the checked addresses in turn (pinned: no second DNS lookup)."""
        host_header = url.netloc.decode("ascii").rpartition("@")[2]
        for index, address in enumerate(addresses):
            request = client.build_request(
                "GET",
                url.copy_with(host=address.split("%")[0]),
                headers={"Host": host_header, "Accept": ", ".join(JSON_TYPES)},
                timeout=httpx.Timeout(_remaining(url, deadline)),
                extensions={"sni_hostname": url.host},
            )
            try:
                return client.send(request, stream=True)
            except httpx.ConnectError:
                if index == len(addresses) - 1:
                    raise
        raise ResolutionError(f"cannot resolve host {url.host}")  # pragma: no cover

    def _read(self, url: httpx.URL, chunks: Iterable[bytes], deadline: float) -> bytes:
        body = bytearray()
        for chunk in chunks:
            body.extend(chunk)
            if len(body) > self.settings.max_bytes:
                limit = self.settings.max_bytes
                raise ResolutionError(f"{url}: the document is larger than {limit} bytes")
            _remaining(url, deadline)
        return bytes(body)


UNFETCHABLE = (httpx.InvalidURL, ValueError, UnicodeError, OverflowError)


def _unfetchable(exc: Exception) -> str:
    """A URL the parser or the socket layer refused, in words (the exception's, bounded)."""
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"not a URL that can be fetched ({text})" if text else "not a URL that can be fetched"


def checked_url(url: str | httpx.URL) -> httpx.URL:
    """``url`` parsed, with a host that is a DNS name or an IP address and a port in range;
    ResolutionError naming what is wrong, before anything is resolved or sent."""
    parsed = httpx.URL(url)
    host, port = parsed.raw_host.decode("ascii").lower(), parsed.port
    if not host:
        raise ResolutionError(f"refused {url}: no host")
    if port is not None and not 1 <= port <= 65535:
        raise ResolutionError(f"refused {url}: port {port} is out of range (1-65535)")
    if ":" in host:  # an IPv6 literal, checked like any resolved address
        return parsed
    problem = host_problem(host)
    if problem is not None:
        raise ResolutionError(f"refused {url}: the host {host[:100]} {problem}")
    return parsed


def host_problem(host: str) -> str | None:
    """Why ``host`` (ASCII, lower case) is neither a dotted-decimal IPv4 address nor a DNS name."""
    labels = host.removesuffix(".").split(".")
    if all(label.isdigit() for label in labels) and len(labels) == 4:
        return None if _dotted_quad(labels) else "is not a valid IPv4 address"
    if len(host) > 253:
        return "is longer than 253 characters"
    for label in labels:
        if not 1 <= len(label) <= 63:
            return "has an empty label or one longer than 63 characters"
        if not DNS_LABEL.fullmatch(label):
            return f"has a label that is not letters, digits and inner hyphens ({label[:63]})"
    if NUMERIC_LABEL.fullmatch(labels[-1]):  # 0x7f.1, 2130706433, 1.2.3: IPv4 in disguise
        return "reads as a number: write an IPv4 address as four decimal parts"
    return None


def _dotted_quad(labels: list[str]) -> bool:
    return all(int(part) <= 255 and (part == "0" or not part.startswith("0")) for part in labels)


def _remaining(url: httpx.URL, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise ResolutionError(f"{url}: took too long, gave up")
    return left


def _json_object(url: str, response: httpx.Response, body: bytes) -> dict[str, Any]:
    if response.status_code != 200:
        raise ResolutionError(f"{url}: the server answered HTTP {response.status_code}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES and not content_type.endswith("+json"):
        raise ResolutionError(f"{url}: expected JSON, got {content_type or 'no content type'}")
    return _parse_object(url, body)


def _parse_object(source: str, body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ResolutionError(f"{source}: not valid JSON") from exc
    if not isinstance(document, dict):
        raise ResolutionError(f"{source}: expected a JSON object")
    return document


class DocumentMap:
    """``fetch_json`` over local files: URL -> path (the CLI's ``--documents MAP.json``)."""

    def __init__(self, mapping: Mapping[str, str | Path], *, max_bytes: int = MIB) -> None:
        self._paths = {url: Path(path) for url, path in mapping.items()}
        self._max_bytes = max_bytes

    @classmethod
    def from_file(cls, map_file: str | Path, *, max_bytes: int = MIB) -> DocumentMap:
        """Read a JSON object URL -> path; relative paths are relative to the map file."""
        map_path = Path(map_file)
        try:
            raw = _parse_object(str(map_path), map_path.read_bytes())
        except OSError as exc:
            raise ResolutionError(f"cannot read document map {map_path}: {exc}") from exc
        mapping = {str(url): map_path.parent / str(path) for url, path in raw.items()}
        return cls(mapping, max_bytes=max_bytes)

    def __call__(self, url: str) -> dict[str, Any]:
        return self.fetch_json(url)

    def fetch_json(self, url: str) -> dict[str, Any]:
        """The mapped file's JSON object; ResolutionError for anything not mapped."""
        path = self._paths.get(url)
        if path is None:
            raise ResolutionError(f"{url} is not in the document map (nothing is fetched)")
        try:
            if path.stat().st_size > self._max_bytes:
                raise ResolutionError(f"{path} is larger than {self._max_bytes} bytes")
            return _parse_object(str(path), path.read_bytes())
        except OSError as exc:
            raise ResolutionError(f"cannot read {path} for {url}: {exc}") from exc


def _failure(exc: httpx.HTTPError) -> str:
    """What went wrong with a request, in words (never an exception's class name)."""
    if isinstance(exc, httpx.ConnectError):
        return "could not connect to the host"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.LocalProtocolError):
        return "the host's answer is not valid HTTP (or names a redirect that cannot be read)"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "the address is not an http(s) URL"
    return "the request failed" + (f" ({exc})" if str(exc) else "")
