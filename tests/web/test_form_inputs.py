"""Every form of the pages, posted with hostile values by a signed-in provider and a learner:
numbers beyond any column, bytes that are not UTF-8, text where numbers belong. Never a 500."""

from __future__ import annotations

import re
from urllib.parse import quote_from_bytes

import pytest

from microcred.services.bounds import MAX_ROW_ID
from tests.web.browserless import PageClient, csrf, signed_in
from tests.web.harness import Harness
from tests.web.test_roles import platform_app as platform_app  # the module-scoped app

FIELDS = ("assessment", "back", "challenge", "confirm", "credential", "days", "description",
          "ects", "email", "grade", "hours", "language", "link", "mode", "name", "next",
          "opportunity", "outcomes", "password", "pasted", "presentation", "publish", "reason",
          "title", "eqf")  # fmt: skip
HOSTILE = (str(2**70).encode(), b"caf\xc3\xff", str(MAX_ROW_ID + 1).encode())
MORE = (str(-(2**70)).encode(), b"1e400", b"NaN", b"-0", b"\xd9\xa3", b"0x7f", b"9" * 5000)
LEAVING = ("/logout", "/account/erase")  # a visitor who leaves cannot post the next forms


def _post_routes(h: Harness) -> list[str]:
    """Every POST route of the app, with its parameters set to 1."""
    from tests.api.test_bodies import _routes

    found = [prefix + re.sub(r"\{[^}]+\}", "1", route.path)
             for prefix, route in _routes(h.app.routes)
             if "POST" in (route.methods or set()) and route.path not in LEAVING]  # fmt: skip
    assert len(found) >= 30
    return found


@pytest.fixture(scope="module")
def visitors(platform_app: Harness) -> list[PageClient]:
    return [signed_in(platform_app, "staff@unibuc.example", "demo-provider"),
           signed_in(platform_app, "ana.popescu@example.org", "demo-learner")]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_form_values_never_get_a_500(platform_app: Harness, visitors: list[PageClient],
                                            value: bytes) -> None:  # fmt: skip
    _post_everywhere(platform_app, visitors, value)


@pytest.mark.slow
@pytest.mark.parametrize("value", MORE, ids=range(len(MORE)))
def test_more_hostile_form_values_never_get_a_500(
    platform_app: Harness, visitors: list[PageClient], value: bytes
) -> None:
    _post_everywhere(platform_app, visitors, value)


def _post_everywhere(h: Harness, visitors: list[PageClient], value: bytes) -> None:
    for visitor in visitors:
        token = csrf(visitor, "/verify")
        body = f"csrf={token}&".encode() + b"&".join(
            name.encode() + b"=" + quote_from_bytes(value).encode() for name in FIELDS
        )
        for path in _post_routes(h):
            response = visitor.post(path, content=body, headers={
                "content-type": "application/x-www-form-urlencoded"})  # fmt: skip
            assert response.status_code < 500, f"{path} {value[:20]!r}: {response.text[:300]}"
