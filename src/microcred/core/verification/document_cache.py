"""Fetch each status list and DID document once while it is valid (batch verification).

A :class:`DocumentCache` wraps a ``fetch_document(url)``: a document is kept until the earliest
of what it says about itself (a Bitstring Status List's ``ttl``, in milliseconds; the
credential's ``validUntil`` / ``expirationDate``), what the server's HTTP cache headers allow
(``fetch_fresh`` returning :class:`Fetched`: ``Cache-Control: max-age``, ``no-store``...) and
``default_ttl`` (for documents that say nothing, such as DID documents). Failures are not kept.
It is bounded in entries and in bytes (the oldest go first), and safe to share between threads.

A :class:`CheckMemo` keeps the outcome of checking a document (a status list's proof) for as
long as the same JSON comes back, within ``ttl``: a batch, or a busy verify API, checks each
status list's signature once. The clock is injected, so both stay pure.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

FetchDocument = Callable[[str], Mapping[str, Any]]
DEFAULT_TTL = timedelta(minutes=5)
MAX_KEPT = 4096
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Fetched:
    """A fetched document, with how long its server lets it be reused (``max_age``: None when
    the headers say nothing, zero for ``no-store`` / ``no-cache``) and its size in bytes."""

    document: Mapping[str, Any]
    max_age: timedelta | None = None
    size: int = 0


FetchFresh = Callable[[str], Fetched]


@dataclass(frozen=True)
class _Kept:
    document: Mapping[str, Any]
    until: datetime
    size: int


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def kept_until(
    document: Mapping[str, Any],
    now: datetime,
    default_ttl: timedelta,
    max_age: timedelta | None = None,
) -> datetime:
    """How long ``document`` may be reused, by its own validity and its server's ``max_age``
    (never past ``default_ttl``)."""
    until = now + default_ttl
    if max_age is not None:
        until = min(until, now + max_age)
    subject = document.get("credentialSubject")
    ttl = subject.get("ttl") if isinstance(subject, Mapping) else None
    if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl >= 0:
        until = min(until, now + timedelta(milliseconds=ttl))
    for key in ("validUntil", "expirationDate"):
        end = _instant(document.get(key))
        if end is not None:
            until = min(until, end)
    return until


def _plain(fetch: FetchDocument | None) -> FetchFresh:
    def fresh(url: str) -> Fetched:
        assert fetch is not None  # DocumentCache checked it
        return Fetched(fetch(url))

    return fresh


class DocumentCache:
    """A ``fetch_document`` that asks ``fetch`` for a URL again only when its copy has expired.

    ``fetch_fresh`` (instead of ``fetch``) also says what the server's cache headers allow.
    """

    def __init__(
        self,
        fetch: FetchDocument | None = None,
        now: Callable[[], datetime] | None = None,
        default_ttl: timedelta = DEFAULT_TTL,
        max_kept: int = MAX_KEPT,
        *,
        fetch_fresh: FetchFresh | None = None,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        if now is None or (fetch is None) == (fetch_fresh is None):
            raise TypeError("DocumentCache needs a clock and one of fetch or fetch_fresh")
        self._fetch: FetchFresh = fetch_fresh or _plain(fetch)
        self._now = now
        self._default_ttl, self._max_kept, self._max_bytes = default_ttl, max_kept, max_bytes
        self._kept: dict[str, _Kept] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __call__(self, url: str) -> Mapping[str, Any]:
        now = self._now()
        kept = self._kept.get(url)
        if kept is not None and now < kept.until:
            return kept.document
        fetched = self._fetch(url)
        document = fetched.document
        if isinstance(document, Mapping):
            until = kept_until(document, now, self._default_ttl, fetched.max_age)
            if now < until:
                self._keep(url, _Kept(document, until, fetched.size))
        return document

    def _keep(self, url: str, kept: _Kept) -> None:
        with self._lock:
            old = self._kept.pop(url, None)
            self._bytes -= old.size if old is not None else 0
            while self._kept and (len(self._kept) >= self._max_kept
                                  or self._bytes + kept.size > self._max_bytes):  # fmt: skip
                oldest = next(iter(self._kept))
                self._bytes -= self._kept.pop(oldest).size
            if kept.size <= self._max_bytes:
                self._kept[url] = kept
                self._bytes += kept.size

    def __len__(self) -> int:
        return len(self._kept)


def _digest(document: Mapping[str, Any]) -> bytes | None:
    try:
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class CheckMemo:
    """The outcome of a check of a document, kept by the document's JSON for ``ttl``.

    ``name`` separates checks; the outcome must depend only on the JSON and on what stays put
    for ``ttl`` (the issuer's keys: the same bound as a cached DID document).
    """

    def __init__(self, now: Callable[[], datetime], ttl: timedelta = DEFAULT_TTL,
                 max_kept: int = 1024) -> None:  # fmt: skip
        self._now, self._ttl, self._max_kept = now, ttl, max_kept
        self._kept: dict[tuple[str, bytes], tuple[Any, datetime]] = {}

    def __call__(self, name: str, document: Mapping[str, Any], check: Callable[[], Any]) -> Any:
        digest = _digest(document)
        if digest is None:
            return check()
        now = self._now()
        found = self._kept.get((name, digest))
        if found is not None and now < found[1]:
            return found[0]
        outcome = check()
        if len(self._kept) >= self._max_kept:
            self._kept.clear()
        self._kept[(name, digest)] = (outcome, now + self._ttl)
        return outcome
