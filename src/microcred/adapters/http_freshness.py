"""How long a fetched document may be reused, by its server's HTTP cache headers (RFC 9111).

Only what a private cache of a verifier needs: ``Cache-Control`` (``no-store``, ``no-cache``,
``max-age``, minus ``Age``), else ``Expires`` against ``Date``. Headers that say nothing give
None: the document's own validity and the cache's default bound it then.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

NOW = timedelta(0)


def _directives(value: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in value.split(","):
        name, _, argument = part.strip().partition("=")
        if name:
            found.setdefault(name.strip().lower(), argument.strip().strip('"'))
    return found


def _seconds(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def _date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else None


def max_age(headers: Mapping[str, str]) -> timedelta | None:
    """What ``headers`` allow: zero (do not keep), a lifetime, or None (they say nothing)."""
    directives = _directives(headers.get("cache-control", ""))
    if "no-store" in directives or "no-cache" in directives:
        return NOW
    age = _seconds(headers.get("age")) or 0
    seconds = _seconds(directives.get("max-age"))
    if "max-age" in directives:
        return timedelta(seconds=max(0, seconds - age)) if seconds is not None else NOW
    expires = headers.get("expires")
    if expires is None:
        return None
    end, sent = _date(expires), _date(headers.get("date"))
    if end is None:  # an invalid Expires ("0") means already expired
        return NOW
    if sent is None:
        return None  # no Date to measure it against: the default bounds it
    return max(NOW, end - sent - timedelta(seconds=age))
