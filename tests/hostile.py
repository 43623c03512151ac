"""Hypothesis strategies for what an attacker writes inside a credential: hosts the URL parser
refuses or misreads, DIDs built on them, URLs, dates and numbers that are not what they claim."""

from __future__ import annotations

import ipaddress
from urllib.parse import quote

from hypothesis import strategies as st

HOSTILE_HOSTS = (
    "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "2130706433", "127.1", "999.1.1.1", "1.2.3.4.5",
    "256.256.256.256", "[::1", "::1]", "[::1]]", "[fe80::1%25eth0]", "[2002:7f00:1::]",
    "[2002:a9fe:a9fe::]", "[64:ff9b::7f00:1]", "[::ffff:127.0.0.1]", "[::127.0.0.1]",
    "[2001:0:4136:e378:8000:63bf:80ff:fffe]", "exa\u2024mple.com", "ex\u0430mple.com",
    "\u24d4xample.com", "example.com\u3002evil", "xn--", "xn--zz.com", "a..b", ".", "-a-.com",
    "a" * 64 + ".com", ("a" * 63 + ".") * 5 + "com", "example.com:99999", "example.com:-1",
    "example.com:0", "example.com:65536", "example.com:80:80", "user@127.0.0.1",
    "user:pw@example.com", "exa mple.com", "exa%00mple.com", "%5B::1%5D", "localhost",
    "169.254.169.254", "metadata.google.internal", "\x00", "", "\u0000.com", "\ud7ff.com",
)  # fmt: skip


PUBLIC = "93.184.216.34"


def echo_or_public(host: str, port: int) -> list[str]:
    """A resolver that knows no names: IP literals stand for themselves, names are public."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]").split("%")[0]))]
    except ValueError:
        return [PUBLIC]


def hosts() -> st.SearchStrategy[str]:
    """A known-hostile host, or text the URL parser was never meant to see."""
    garbage = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
    return st.one_of(st.sampled_from(HOSTILE_HOSTS), garbage)


def urls() -> st.SearchStrategy[str]:
    """An https URL on a hostile host, or a string that only looks like a URL."""
    path = st.sampled_from(["/", "/status/1", "/.well-known/did.json", "", "/%zz", "/\u00e9"])
    built = st.builds(lambda h, p: f"https://{h}{p}", hosts(), path)
    odd = st.sampled_from(["https://", "https:///x", "http://[::1/", "//example.com/x",
                           "https://example.com/#\u0000", "ftp://example.com/x", "x" * 5000,
                           "https://" + "a." * 2000 + "com/"])  # fmt: skip
    return st.one_of(built, odd, st.text(max_size=60))


def did_webs() -> st.SearchStrategy[str]:
    """``did:web`` identifiers whose host is hostile, raw or percent-encoded."""
    encoded = hosts().map(lambda h: "did:web:" + quote(h, safe=""))
    raw = hosts().map(lambda h: "did:web:" + h)
    return st.one_of(encoded, raw, st.sampled_from(["did:web:", "did:web::", "did:web:%", "did:"]))


ODD_DATES = (
    "2026-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:60Z",
    "2026-01-01T25:00:00Z", "2026-01-01T00:00:00+99:00", "2026-01-01", "-2026-01-01T00:00:00Z",
    "+275760-09-13T00:00:00Z", "2026-W01", "2026-01-01T00:00:00.9999999999999999999Z",
    "\u0662\u0660\u0662\u0666-01-01T00:00:00Z", "", "now",
)  # fmt: skip


def dates() -> st.SearchStrategy[object]:
    """What a credential may write where a date belongs."""
    return st.one_of(
        st.sampled_from(ODD_DATES),
        st.text(max_size=30),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        st.none(),
        st.lists(st.just("2026-01-01T00:00:00Z"), max_size=2),
    )
