"""Whatever a credential names (an issuer DID, a status list URL, dates), the public verifier
answers a report with named failures, never a 500: the API and the web page, remote fetching on.

Nothing leaves the process: the guarded fetcher resolves names to a public address of its own
and answers through an in-memory transport.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.adapters.resolver import GuardedFetcher
from microcred.app import create_app
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import issuance
from microcred.services.context import SYSTEM
from tests.api.client import ApiClient
from tests.api.conftest import _tenant
from tests.hostile import dates, did_webs, echo_or_public, urls
from tests.platform.fixtures import PUBLIC_URL, Clock

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
FAST = settings(max_examples=100, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))  # fmt: skip
SLOW = settings(FAST, max_examples=400)


def _answer(request: httpx.Request) -> httpx.Response:
    """Any host: a JSON object that is neither a DID document nor a status list."""
    return httpx.Response(200, json={"id": str(request.url)})


@dataclasses.dataclass
class Verifier:
    client: ApiClient
    genuine: dict[str, Any]


@pytest.fixture(scope="module")
def verifier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Verifier]:
    """The whole app on SQLite with remote resolution on, and one genuine credential."""
    folder: Path = tmp_path_factory.mktemp("verify-fuzz")
    made = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'db.sqlite3'}",
                    secret_key="test-secret", public_url=PUBLIC_URL)  # fmt: skip
    fetcher = GuardedFetcher(resolve_host=echo_or_public, transport=httpx.MockTransport(_answer))
    platform = Platform(dataclasses.replace(made, remote_resolution=True), clock=Clock(),
                        fetcher=fetcher)  # fmt: skip
    platform.upgrade()
    tenant = _tenant(platform, "unibuc", "RO", "RO32")
    with platform.context(SYSTEM) as ctx:
        genuine = json.loads(issuance.get(ctx, tenant.credential).document)
    client = ApiClient(create_app(platform.settings, platform=platform))
    yield Verifier(client, genuine)
    client.close()
    platform.dispose()


def _altered(genuine: dict[str, Any], did: str | None, url: str | None,
             moments: dict[str, object]) -> dict[str, Any]:  # fmt: skip
    """``genuine`` with its issuer (and proof key) on ``did``, its status lists at ``url`` and
    its dates replaced."""
    document = copy.deepcopy(genuine)
    if did is not None:
        issuer = document.get("issuer")
        document["issuer"] = {**issuer, "id": did} if isinstance(issuer, dict) else did
        document["proof"]["verificationMethod"] = f"{did}#key-1"
    if url is not None:
        entries = document.get("credentialStatus")
        for entry in entries if isinstance(entries, list) else [entries]:
            entry["statusListCredential"] = url
    for key, value in moments.items():
        target = document["proof"] if key == "created" else document
        target[key] = value
    return document


def altered_credentials() -> st.SearchStrategy[tuple[str | None, str | None, dict[str, object]]]:
    moments = st.dictionaries(st.sampled_from(["validFrom", "validUntil", "created"]), dates(),
                              max_size=2)  # fmt: skip
    return st.tuples(st.none() | did_webs(), st.none() | urls(), moments).filter(
        lambda t: t[0] is not None or t[1] is not None or bool(t[2])
    )


def _api_verdict(verifier: Verifier, document: dict[str, Any]) -> dict[str, Any]:
    response = verifier.client.post("/credentials/verify", json={"verifiableCredential": document})
    assert response.status_code < 500, response.text[:500]
    if response.status_code != 200:
        assert response.headers["content-type"].startswith("application/problem+json")
        return {}
    result: dict[str, Any] = response.json()
    assert result["verified"] is False
    assert result["errors"], "an altered credential fails a named check"
    return result


def _page_verdict(verifier: Verifier, document: dict[str, Any]) -> None:
    form = verifier.client.get("/verify")
    found = CSRF.search(form.text)
    assert found
    data = {"csrf": found.group(1), "pasted": json.dumps(document)}
    response = verifier.client.post("/verify", data=data)
    assert response.status_code < 500, response.text[:500]


def test_the_genuine_credential_verifies(verifier: Verifier) -> None:
    response = verifier.client.post("/credentials/verify",
                                    json={"verifiableCredential": verifier.genuine})  # fmt: skip
    assert response.json()["verified"] is True, response.json()["errors"]


@pytest.mark.parametrize(("did", "url"), [
    ("did:web:0177.0.0.1", None), ("did:web:999.1.1.1", None), ("did:web:%5B::1", None),
    ("did:web:exa%E2%80%A4mple.com", None), ("did:web:example.com%3A99999", None),
    (None, "https://999.1.1.1/status/1"), (None, "https://[::1/status"),
    (None, "https://exa\u2024mple.com/status"), (None, "https://0177.0.0.1/s"),
    (None, "https://[2002:7f00:1::]/s"), (None, "https://[64:ff9b::a9fe:a9fe]/s"),
])  # fmt: skip
def test_a_host_the_parser_refuses_is_a_named_failure(
    verifier: Verifier, did: str | None, url: str | None
) -> None:
    result = _api_verdict(verifier, _altered(verifier.genuine, did, url, {}))
    named = (did or "").removeprefix("did:web:")[:8] if did else (url or "")[8:20]
    assert any(named in error for error in result["errors"]), result["errors"]
    _page_verdict(verifier, _altered(verifier.genuine, did, url, {}))


@FAST
@given(change=altered_credentials())
def test_an_altered_credential_gets_a_report_from_the_api(
    verifier: Verifier, change: tuple[str | None, str | None, dict[str, object]]
) -> None:
    _api_verdict(verifier, _altered(verifier.genuine, *change))


@settings(FAST, max_examples=15)
@given(change=altered_credentials())
def test_an_altered_credential_gets_a_report_page(
    verifier: Verifier, change: tuple[str | None, str | None, dict[str, object]]
) -> None:
    _page_verdict(verifier, _altered(verifier.genuine, *change))


@pytest.mark.slow
@SLOW
@given(change=altered_credentials())
def test_many_altered_credentials_get_reports(
    verifier: Verifier, change: tuple[str | None, str | None, dict[str, object]]
) -> None:
    document = _altered(verifier.genuine, *change)
    _api_verdict(verifier, document)
    _page_verdict(verifier, document)
