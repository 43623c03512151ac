"""Batch verification fetches each status list and DID document once while it is valid."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microcred.core.verification.document_cache import DocumentCache

START = datetime(2026, 11, 1, tzinfo=UTC)


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
