"""Whatever URL a credential names, the guarded fetcher answers a document or a ResolutionError
naming the URL; IPv6 addresses carrying an IPv4 one are judged by the IPv4 address."""

from __future__ import annotations

import ipaddress
from contextlib import suppress

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from microcred.adapters.resolver import GuardedFetcher, checked_url, refusal
from microcred.core.errors import ResolutionError
from tests.hostile import HOSTILE_HOSTS, echo_or_public, urls


def _fetcher(sent: list[httpx.Request]) -> GuardedFetcher:
    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": "ok"})

    return GuardedFetcher(resolve_host=echo_or_public, transport=httpx.MockTransport(answer))


@pytest.mark.parametrize(("address", "carried"), [
    ("2002:7f00:1::", "6to4 address for 127.0.0.1, a loopback"),
    ("2002:a9fe:a9fe::", "6to4 address for 169.254.169.254, a cloud metadata"),
    ("2002:c0a8:101::", "6to4 address for 192.168.1.1, a private"),
    ("2002:a00:1:1234::1", "6to4 address for 10.0.0.1, a private"),
    ("64:ff9b::7f00:1", "NAT64 address for 127.0.0.1, a loopback"),
    ("64:ff9b::a9fe:a9fe", "NAT64 address for 169.254.169.254, a cloud metadata"),
    ("64:ff9b::a00:1", "NAT64 address for 10.0.0.1, a private"),
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo address for 127.0.0.1, a loopback"),
    ("2001:0:4136:e378:8000:63bf:5601:5601", "Teredo address for 169.254.169.254, a cloud"),
    ("::ffff:127.0.0.1", "IPv4-mapped address for 127.0.0.1, a loopback"),
    ("::ffff:169.254.169.254", "IPv4-mapped address for 169.254.169.254, a cloud metadata"),
    ("::ffff:0:7f00:1", "IPv4-translated address for 127.0.0.1, a loopback"),
    ("::7f00:1", "IPv4-compatible address for 127.0.0.1, a loopback"),
    ("::a9fe:a9fe", "IPv4-compatible address for 169.254.169.254, a cloud metadata"),
])  # fmt: skip
def test_an_ipv6_address_carrying_a_refused_ipv4_one_is_refused_for_it(
    address: str, carried: str
) -> None:
    reason = refusal(ipaddress.ip_address(address))
    assert reason is not None
    assert carried in reason


@pytest.mark.parametrize("address", ["64:ff9b:1::7f00:1", "64:ff9b:1:a9fe:a9fe::",
                                     "64:ff9b:1:808:808::"])  # fmt: skip
def test_local_use_nat64_is_refused_whatever_it_carries(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == "a local-use NAT64 address (64:ff9b:1::/48)"


@pytest.mark.parametrize("address", ["2002:5db8:d822::1", "64:ff9b::5db8:d822",
                                     "::ffff:93.184.216.34", "::ffff:0:5db8:d822"])  # fmt: skip
def test_a_translated_public_ipv4_address_passes(address: str) -> None:
    """A NAT64 network (DNS64) answers 64:ff9b::/96 for every IPv4-only host: they must work."""
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(("url", "problem"), [
    ("https://0177.0.0.1/x", "not a URL that can be fetched"),
    ("https://0x7f.1/x", "reads as a number"),
    ("https://2130706433/x", "reads as a number"),
    ("https://1.2.3.4.5/x", "reads as a number"),
    ("https://999.1.1.1/x", "Invalid IPv4 address"),
    ("https://[::1/x", "not a URL that can be fetched"),
    ("https://exa\u2024mple.com/x", "Invalid IDNA hostname"),
    ("https://xn--/x", "has a label that is not letters, digits and inner hyphens"),
    ("https://" + "a" * 64 + ".com/", "longer than 63 characters"),
    ("https://" + "abc." * 70 + "com/", "longer than 253 characters"),
    ("https://example.com:99999/x", "port 99999 is out of range"),
    ("https:///x", "no host"),
])  # fmt: skip
def test_a_url_the_parser_refuses_is_a_named_resolution_error(url: str, problem: str) -> None:
    sent: list[httpx.Request] = []
    with pytest.raises(ResolutionError) as refused:
        _fetcher(sent).fetch_json(url)
    assert problem in refused.value.message
    assert url[:40] in refused.value.message
    assert sent == []


LITERALS = ["https://[2002:7f00:1::]/x", "https://[64:ff9b::a9fe:a9fe]/",
            "https://[::ffff:127.0.0.1]/x", "https://127.0.0.1/x"]  # fmt: skip


@pytest.mark.parametrize("url", LITERALS)
def test_an_address_literal_carrying_a_refused_one_is_never_contacted(url: str) -> None:
    sent: list[httpx.Request] = []
    with pytest.raises(ResolutionError, match="refused"):
        _fetcher(sent).fetch_json(url)
    assert sent == []


def test_a_redirect_to_an_unparseable_url_is_a_resolution_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "https://[::1/evil"})

    fetcher = GuardedFetcher(resolve_host=echo_or_public, transport=httpx.MockTransport(answer))
    with pytest.raises(ResolutionError, match=r"^https://example\.com/x: "):
        fetcher.fetch_json("https://example.com/x")


def test_checked_url_keeps_good_urls() -> None:
    for url in ("https://example.com/a", "https://[2606:2800:220:1::1]:8443/", "https://1.2.3.4/",
                "https://xn--bcher-kva.example/", "https://b\u00fccher.example/"):  # fmt: skip
        assert checked_url(url).scheme == "https"


@settings(max_examples=300, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@given(url=urls())
def test_any_url_is_fetched_or_refused_by_name(url: str) -> None:
    _fetched_or_refused(url)


def test_every_hostile_host_is_refused_or_public() -> None:
    for host in HOSTILE_HOSTS:
        _fetched_or_refused(f"https://{host}/x")


def _fetched_or_refused(url: str) -> None:
    """Only ResolutionError escapes, and nothing refused is ever contacted."""
    sent: list[httpx.Request] = []
    with suppress(ResolutionError):
        _fetcher(sent).fetch_json(url)
    for request in sent:
        address = ipaddress.ip_address(request.url.host)
        assert refusal(address) is None, url
