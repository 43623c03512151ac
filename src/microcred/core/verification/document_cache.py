"""Fetch each status list and DID document once while it is valid (batch verification).

A :class:`DocumentCache` wraps a ``fetch_document(url)``: a document is kept until the earliest
of what it says about itself (a Bitstring Status List's ``ttl``, in milliseconds; the
credential's ``validUntil`` / ``expirationDate``) and ``default_ttl`` (for documents that say
nothing, such as DID documents). Failures are not kept. The clock is injected, so it stays pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

FetchDocument = Callable[[str], Mapping[str, Any]]
DEFAULT_TTL = timedelta(minutes=5)
MAX_KEPT = 4096


@dataclass(frozen=True)
class _Kept:
    document: Mapping[str, Any]
    until: datetime


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def kept_until(document: Mapping[str, Any], now: datetime, default_ttl: timedelta) -> datetime:
    """How long ``document`` may be reused, by its own validity (never past ``default_ttl``)."""
    until = now + default_ttl
    subject = document.get("credentialSubject")
    ttl = subject.get("ttl") if isinstance(subject, Mapping) else None
    if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl >= 0:
        until = min(until, now + timedelta(milliseconds=ttl))
    for key in ("validUntil", "expirationDate"):
        end = _instant(document.get(key))
        if end is not None:
            until = min(until, end)
    return until


class DocumentCache:
    """A ``fetch_document`` that asks ``fetch`` for a URL again only when its copy has expired."""

    def __init__(
        self,
        fetch: FetchDocument,
        now: Callable[[], datetime],
        default_ttl: timedelta = DEFAULT_TTL,
        max_kept: int = MAX_KEPT,
    ) -> None:
        self._fetch, self._now = fetch, now
        self._default_ttl, self._max_kept = default_ttl, max_kept
        self._kept: dict[str, _Kept] = {}

    def __call__(self, url: str) -> Mapping[str, Any]:
        now = self._now()
        kept = self._kept.get(url)
        if kept is not None and now < kept.until:
            return kept.document
        document = self._fetch(url)
        if isinstance(document, Mapping):
            if len(self._kept) >= self._max_kept:
                self._kept.clear()
            self._kept[url] = _Kept(document, kept_until(document, now, self._default_ttl))
        return document
