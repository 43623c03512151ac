"""Batch verification fetches each status list and DID document once while it is valid."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microcred.core.verification.document_cache import CheckMemo, DocumentCache, Fetched

START = datetime(2026, 11, 1, tzinfo=UTC)
ZERO = timedelta(0)


class _Server:
    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.fetched: Counter[str] = Counter()

    def __call__(self, url: str) -> Mapping[str, Any]:
        self.fetched[url] += 1
        found = self.documents[url]
        if isinstance(found, Exception):
            raise found
        return found  # type: ignore[no-any-return]


class _Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def test_a_did_document_is_fetched_once_within_the_default_time() -> None:
    server, clock = _Server({"https://a.example/did.json": {"id": "did:web:a.example"}}), _Clock()
    cache = DocumentCache(server, clock, default_ttl=timedelta(minutes=5))
    for _ in range(1000):
        assert cache("https://a.example/did.json") == {"id": "did:web:a.example"}
    clock.now += timedelta(minutes=6)
    cache("https://a.example/did.json")
    assert server.fetched["https://a.example/did.json"] == 2


def test_a_status_list_is_kept_no_longer_than_its_ttl() -> None:
    status_list = {"credentialSubject": {"type": "BitstringStatusList", "ttl": 60_000}}
    server, clock = _Server({"https://a.example/status/1": status_list}), _Clock()
    cache = DocumentCache(server, clock, default_ttl=timedelta(hours=1))
    cache("https://a.example/status/1")
    clock.now += timedelta(seconds=59)
    cache("https://a.example/status/1")
    assert server.fetched["https://a.example/status/1"] == 1
    clock.now += timedelta(seconds=2)
    cache("https://a.example/status/1")
    assert server.fetched["https://a.example/status/1"] == 2


def test_a_list_is_not_kept_past_its_valid_until() -> None:
    ends = (START + timedelta(seconds=30)).isoformat().replace("+00:00", "Z")
    server, clock = _Server({"https://a.example/s": {"validUntil": ends}}), _Clock()
    cache = DocumentCache(server, clock)
    cache("https://a.example/s")
    clock.now += timedelta(seconds=31)
    cache("https://a.example/s")
    assert server.fetched["https://a.example/s"] == 2


def test_a_failed_fetch_is_tried_again() -> None:
    server, clock = _Server({"https://a.example/x": LookupError("down")}), _Clock()
    cache = DocumentCache(server, clock)
    for _ in range(2):
        with pytest.raises(LookupError):
            cache("https://a.example/x")
    assert server.fetched["https://a.example/x"] == 2


def test_the_servers_cache_headers_shorten_the_keeping() -> None:
    def fresh(url: str) -> Fetched:
        fetched[url] += 1
        lifetime = {"https://a.example/short": timedelta(seconds=10), "https://a.example/no": ZERO}
        return Fetched({"id": url}, lifetime[url], 100)

    fetched: Counter[str] = Counter()
    clock = _Clock()
    cache = DocumentCache(now=clock, fetch_fresh=fresh)
    for _ in range(3):
        cache("https://a.example/short")
        cache("https://a.example/no")  # no-store: fetched every time
    clock.now += timedelta(seconds=11)
    cache("https://a.example/short")
    assert fetched == {"https://a.example/short": 2, "https://a.example/no": 3}


def test_the_cache_is_bounded_in_bytes_and_entries_oldest_first() -> None:
    def fresh(url: str) -> Fetched:
        fetched[url] += 1
        return Fetched({"id": url}, None, 400)

    fetched: Counter[str] = Counter()
    cache = DocumentCache(now=_Clock(), fetch_fresh=fresh, max_bytes=1000, max_kept=10)
    for name in "abc":  # 1,200 bytes: the first goes
        cache(f"https://a.example/{name}")
    assert len(cache) == 2
    cache("https://a.example/c")
    cache("https://a.example/a")
    assert fetched["https://a.example/c"] == 1
    assert fetched["https://a.example/a"] == 2
    small = DocumentCache(_Server({f"https://a.example/{n}": {} for n in range(5)}), _Clock(),
                          max_kept=3)  # fmt: skip
    for number in range(5):
        small(f"https://a.example/{number}")
    assert len(small) == 3


def test_a_check_is_kept_by_the_documents_json_for_its_time() -> None:
    runs: list[str] = []
    clock = _Clock()
    memo = CheckMemo(clock, ttl=timedelta(minutes=5))

    def check(outcome: str | None) -> str | None:
        runs.append("run")
        return outcome

    listed = {"id": "https://a.example/status/1", "proof": {"proofValue": "z1"}}
    for _ in range(3):  # the same JSON, parsed again each time (a new object), is known
        assert memo("proof", json.loads(json.dumps(listed)), lambda: check(None)) is None
    changed = {**listed, "proof": {"proofValue": "z2"}}
    assert memo("proof", changed, lambda: check("bad signature")) == "bad signature"
    assert memo("other check", listed, lambda: check("x")) == "x"
    assert len(runs) == 3
    clock.now += timedelta(minutes=6)
    memo("proof", listed, lambda: check(None))
    assert len(runs) == 4
