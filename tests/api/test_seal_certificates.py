"""Importing a provider's eSeal certificate over HTTP: stored, listed (never the key), and bad
files refused with a 422 problem naming what is wrong."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.seal_pki import pki, wrong_key

PROBLEM = "application/problem+json"


def _p12(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_import_pkcs12_then_list_without_the_key(client: ApiClient, world: World) -> None:
    made = pki()
    url = f"/providers/{world.ro.id}/seal-certificates"
    body = {"pkcs12_base64": _p12(made.pkcs12()), "password": "p12-secret"}
    answer = client.post(url, json=body, headers=world.ro.auth("provider-admin"))
    assert answer.status_code == 201, answer.text
    row = answer.json()
    assert "University of Bucharest eSeal" in row["subject"]
    assert "test Root CA" in row["issuer"]
    assert row["chain_pem"].count("BEGIN CERTIFICATE") == 2
    listed = client.get(url, headers=world.ro.auth("read-only")).json()
    assert [item["id"] for item in listed] == [row["id"]]
    assert "PRIVATE" not in str(listed)


def test_import_pem_key_and_chain(client: ApiClient, world: World) -> None:
    made = pki()
    body = {"key_pem": made.key_pem(b"pem-pass").decode(), "chain_pem": made.chain_pem().decode(),
            "password": "pem-pass"}  # fmt: skip
    answer = client.post(f"/providers/{world.ro.id}/seal-certificates", json=body,
                         headers=world.ro.auth("provider-admin"))  # fmt: skip
    assert answer.status_code == 201, answer.text


def _refused(client: ApiClient, world: World, body: dict[str, str]) -> str:
    answer = client.post(f"/providers/{world.ro.id}/seal-certificates", json=body,
                         headers=world.ro.auth("provider-admin"))  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["type"].endswith("/invalid-certificate")
    return str(answer.json()["detail"])


def test_bad_certificates_are_refused_naming_the_problem(client: ApiClient, world: World) -> None:
    made = pki()
    wrong = _refused(client, world, {"pkcs12_base64": _p12(made.pkcs12()), "password": "nope"})
    assert "wrong password" in wrong
    stranger = pki().__class__(made.root, made.root_key, made.leaf, wrong_key())
    mismatch = {"key_pem": stranger.key_pem().decode(), "chain_pem": made.chain_pem().decode()}
    assert "does not match the certificate" in _refused(client, world, mismatch)
    old = pki("old", end=datetime(2026, 1, 1, tzinfo=UTC))  # the test clock is 2026-03-01
    expired = _refused(client, world, {"pkcs12_base64": _p12(old.pkcs12()),
                                       "password": "p12-secret"})  # fmt: skip
    assert "expired on 2026-01-01" in expired
    assert "PKCS#12" in _refused(client, world, {"pkcs12_base64": _p12(b"not a p12")})


def test_another_provider_cannot_import(client: ApiClient, world: World) -> None:
    body = {"pkcs12_base64": _p12(pki().pkcs12()), "password": "p12-secret"}
    answer = client.post(f"/providers/{world.ro.id}/seal-certificates", json=body,
                         headers=world.fr.auth("provider-admin"))  # fmt: skip
    assert answer.status_code == 404
    issuer = client.post(f"/providers/{world.ro.id}/seal-certificates", json=body,
                         headers=world.ro.auth("provider-issuer"))  # fmt: skip
    assert issuer.status_code == 403


def test_issue_a_sealed_edc_over_http(client: ApiClient, world: World) -> None:
    body = {"pkcs12_base64": _p12(pki().pkcs12()), "password": "p12-secret"}
    client.post(f"/providers/{world.ro.id}/seal-certificates", json=body,
                headers=world.ro.auth("provider-admin"))  # fmt: skip
    issue = {"opportunity_id": world.ro.opportunity, "suite": "jades", "format": "elm",
             "learner": {"name": "Ion", "email": "ion@unibuc.eu"}}  # fmt: skip
    answer = client.post("/credentials", json=issue, headers=world.ro.auth("provider-issuer"))
    assert answer.status_code == 201, answer.text
    sealed = answer.json()["document"]
    assert set(sealed) == {"payload", "signatures"}
    checked = client.post("/credentials/verify", json={"verifiableCredential": sealed})
    proof = [c for c in checked.json()["report"]["checks"] if c["name"] == "proof"]
    assert proof[0]["status"] == "ok", checked.json()
    refused = client.post("/credentials", json={**issue, "format": "ob3", "idempotency_key": "2"},
                          headers=world.ro.auth("provider-issuer"))  # fmt: skip
    assert refused.status_code == 422


def test_garbage_files_are_422_never_500(client: ApiClient, world: World) -> None:
    pem_junk = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    bodies = [{"pkcs12_base64": "MAMCAQM=", "password": "x"}, {"pkcs12_base64": "%%%"},
              {"key_pem": pem_junk, "chain_pem": "junk"}, {"key_pem": pem_junk}, {}]  # fmt: skip
    for body in bodies:
        answer = client.post(f"/providers/{world.ro.id}/seal-certificates", json=body,
                             headers=world.ro.auth("provider-admin"))  # fmt: skip
        assert answer.status_code == 422, (body, answer.text)
