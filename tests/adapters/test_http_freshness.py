"""How long a verifier may keep a fetched document, by its server's cache headers."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from microcred.adapters.http_freshness import max_age

DATE = "Sun, 06 Dec 2026 09:00:00 GMT"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Cache-Control": "public, max-age=600"}, timedelta(minutes=10)),
        ({"Cache-Control": "max-age=600", "Age": "100"}, timedelta(seconds=500)),
        ({"Cache-Control": "max-age=60", "Age": "100"}, timedelta(0)),
        ({"Cache-Control": "no-store"}, timedelta(0)),
        ({"Cache-Control": "no-cache, max-age=600"}, timedelta(0)),
        ({"Cache-Control": "max-age=soon"}, timedelta(0)),
        ({"Expires": "Sun, 06 Dec 2026 09:02:00 GMT", "Date": DATE}, timedelta(minutes=2)),
        ({"Expires": "0", "Date": DATE}, timedelta(0)),
        ({"Expires": "Sun, 06 Dec 2026 09:02:00 GMT"}, None),
        ({"Cache-Control": "max-age=30", "Expires": "Sun, 06 Dec 2027 09:02:00 GMT",
          "Date": DATE}, timedelta(seconds=30)),
    ],
)  # fmt: skip
def test_cache_headers_give_the_time_a_document_may_be_kept(
    headers: dict[str, str], expected: timedelta | None
) -> None:
    assert max_age(httpx.Headers(headers)) == expected
