"""A re-spelled credential is refused by name over HTTP: ``POST /credentials/verify`` (VC-API
shape, the ``spelling`` check in ``errors``) and the public verify page (issue 8 §1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.config import Settings
from tests.api.test_one_resolver import Site, build
from tests.core.test_spelling import CRED, respelled


@pytest.fixture
def site(settings: Settings, tmp_path: Path) -> Iterator[Site]:
    yield from build(settings, tmp_path, remote=True)


def test_a_respelled_revoked_credential_is_refused_by_the_api_and_the_page(site: Site) -> None:
    revoked = respelled(site.document(site.revoked), "credentialStatus", CRED + "credentialStatus")
    response = site.client.post("/credentials/verify", json={"verifiableCredential": revoked})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verified"] is False
    assert "proof" in body["checks"]  # the signature holds: the meaning did not change
    assert [e for e in body["errors"] if e.startswith("spelling: credentialStatus: ")], body
    page_verified, _, html = site.page(revoked)
    assert not page_verified
    assert "Plain form" in html
    assert CRED + "credentialStatus" in html


def test_the_plain_credential_shows_the_check_passed(site: Site) -> None:
    response = site.client.post(
        "/credentials/verify", json={"verifiableCredential": site.document(site.ours)}
    )
    assert "spelling" in response.json()["checks"]
