"""``POST /credentials/verify`` verifies a did:key credential without status on the event loop
(issue 10): the same report as the unit-of-work path, for a genuine, an expired, a re-spelled
and a tampered credential; anything that needs a document (a did:web, a status list: a revoked
credential) is still verified where the database and the network may be used."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.api.vc_api import _answer
from microcred.bootstrap import Platform
from microcred.services.context import SYSTEM
from microcred.services.verification import may_verify_offline, verify_document, verify_offline
from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.core.test_spelling import CRED, DATETIME, respelled
from tests.core.test_verify import example_ob3, sign
from tests.platform.fixtures import Clock


@pytest.fixture
def now(clock: Clock) -> Clock:
    clock.moment = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the example is valid from June
    return clock


def _genuine() -> dict[str, Any]:
    return sign(example_ob3())


def _expired() -> dict[str, Any]:
    document = example_ob3()
    document["validUntil"] = "2026-10-01T00:00:00Z"
    return sign(document)


def _respelled() -> dict[str, Any]:
    document = example_ob3()
    document["validUntil"] = "2026-10-01T00:00:00Z"
    return respelled(sign(document), "validUntil", CRED + "validUntil", DATETIME)


def _tampered() -> dict[str, Any]:
    document = copy.deepcopy(_genuine())
    document["credentialSubject"]["achievement"]["name"] = "Another course"
    return document


CASES = {  # document, verified, the checks that fail
    "genuine": (_genuine, True, set()),
    "expired": (_expired, False, {"validity"}),
    "re-spelled": (_respelled, False, {"spelling"}),
    "tampered": (_tampered, False, {"proof", "issuer"}),
}


@pytest.mark.parametrize("case", CASES)
def test_a_did_key_credential_gets_the_unit_of_work_paths_answer(
    case: str, client: ApiClient, platform: Platform, now: Clock
) -> None:
    make, verified, failing = CASES[case]
    document = make()
    assert may_verify_offline(document)
    with platform.context(SYSTEM) as ctx:
        offline = verify_offline(ctx, document)
    with platform.unit_of_work(SYSTEM) as ctx:
        full = verify_document(ctx, document)
    assert offline is not None  # nothing had to be fetched
    assert offline == full
    response = client.post("/credentials/verify", json={"verifiableCredential": document})
    assert response.status_code == 200, response.text
    assert response.content == _answer(full).body  # byte for byte
    body = response.json()
    assert body["verified"] is verified
    assert body["completeness"]["state"] == "complete"
    failed = {error.split(":", 1)[0] for error in body["errors"]}
    assert failed == failing


def test_a_revoked_platform_credential_is_verified_with_its_status_list(
    client: ApiClient, platform: Platform, world: World
) -> None:
    tenant = world.ro
    answer = client.get(f"/credentials/{tenant.credential}", headers=tenant.auth("read-only"))
    document = answer.json()["document"]
    assert not may_verify_offline(document)  # did:web and a status list: the database
    with platform.context(SYSTEM) as ctx:
        assert verify_offline(ctx, document) is None  # it asked for a document: not answered
    before = client.post("/credentials/verify", json={"verifiableCredential": document}).json()
    assert before["verified"] is True, before["errors"]
    revoked = client.post(
        f"/credentials/{tenant.credential}/revoke",
        headers=tenant.auth("provider-issuer"),
        json={"reason": "test"},
    )
    assert revoked.status_code == 200, revoked.text
    after = client.post("/credentials/verify", json={"verifiableCredential": document}).json()
    assert after["verified"] is False
    assert [e for e in after["errors"] if e.startswith("status:")], after["errors"]


def test_a_did_key_credential_naming_a_status_list_is_not_answered_offline(
    platform: Platform, now: Clock
) -> None:
    document = example_ob3()
    document["credentialStatus"] = {
        "id": "https://issuer.example/status/1#5", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "5",
        "statusListCredential": "https://issuer.example/status/1",
    }  # fmt: skip
    signed = sign(document)
    assert not may_verify_offline(signed)
    with platform.context(SYSTEM) as ctx:
        assert verify_offline(ctx, signed) is None  # the status list would have to be fetched


def test_a_type_holding_an_object_is_answered_not_a_500(client: ApiClient, now: Clock) -> None:
    document = _genuine()
    document["type"] = [*document["type"], {"id": "https://example.org/Kind"}]
    response = client.post("/credentials/verify", json={"verifiableCredential": document})
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is False


@pytest.mark.parametrize("body", [b'{"verifiableCredential": {"proof": 1, "issuer": "did:key:x"}}',
                                  b'{"verifiableCredential": {"type": ["VerifiableCredential"], '
                                  b'"issuer": "did:key:z", "proof": {"verificationMethod": '
                                  b'"did:key:z#z"}}}'])  # fmt: skip
def test_bad_did_key_documents_are_answered_not_refused_with_a_500(
    client: ApiClient, body: bytes, now: Clock
) -> None:
    response = client.post("/credentials/verify", content=body,
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is False
