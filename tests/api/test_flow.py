"""End to end over HTTP: register, publish, issue, verify, revoke, suspend, reinstate."""

from __future__ import annotations

from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.platform.samples import opportunity_in, provider_in


def _verify(client: ApiClient, document: object) -> dict[str, object]:
    response = client.post("/credentials/verify", json={"verifiableCredential": document})
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def test_register_publish_issue_verify(client: ApiClient, world: World) -> None:
    body = provider_in("hs-wien", "AT", "AT13").model_dump(mode="json")
    made = client.post("/providers", json=body, headers=world.admin)
    assert made.status_code == 201, made.text
    provider = made.json()
    assert provider["did"] == "did:web:mc.example:providers:hs-wien"
    token = client.post(
        "/api-keys",
        headers=world.admin,
        json={"role": "provider-admin", "provider_id": provider["id"], "label": "ops"},
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    opportunity = client.post(f"/providers/{provider['id']}/opportunities", headers=auth,
                              json=opportunity_in().model_dump(mode="json")).json()  # fmt: skip
    published = client.post(f"/opportunities/{opportunity['id']}/publish", headers=auth)
    assert published.status_code == 201, published.text
    issued = client.post(
        "/credentials",
        headers=auth,
        json={"opportunity_id": opportunity["id"], "learner": {"name": "Eva", "email": "eva@x.at"}},
    )
    assert issued.status_code == 201, issued.text
    document = issued.json()["document"]
    assert _verify(client, document)["verified"] is True
    did = client.get("/providers/hs-wien/did.json")
    assert did.headers["content-type"].startswith("application/did+json")
    listed = client.get("/catalogue", params={"country": "AT"}).json()
    assert listed["total"] == 1


def test_revoke_is_immediate(client: ApiClient, world: World) -> None:
    tenant = world.ro
    document = client.get(f"/credentials/{tenant.credential}",
                          headers=tenant.auth("read-only")).json()["document"]  # fmt: skip
    assert _verify(client, document)["verified"] is True
    revoked = client.post(
        f"/credentials/{tenant.credential}/revoke",
        headers=tenant.auth("provider-issuer"),
        json={"reason": "fraud"},
    )
    assert revoked.status_code == 200, revoked.text
    result = _verify(client, document)
    assert result["verified"] is False
    assert any("revoked" in e for e in result["errors"])  # type: ignore[union-attr]
    events = client.get("/audit-events", headers=tenant.auth("read-only"),
                        params={"target_id": tenant.credential}).json()  # fmt: skip
    assert events[0]["action"] == "credential.revoke"
    assert events[0]["reason"] == "fraud"
    assert events[0]["actor"].startswith("apikey:")


def test_suspend_reinstate_via_vc_api(client: ApiClient, world: World) -> None:
    tenant = world.fr
    auth = tenant.auth("provider-issuer")
    document = client.get(f"/credentials/{tenant.credential}", headers=auth).json()["document"]
    suspend = {
        "credentialId": document["id"],
        "credentialStatus": [
            {"type": "BitstringStatusListEntry", "statusPurpose": "suspension", "status": True}
        ],
    }
    assert client.post("/credentials/status", headers=auth, json=suspend).status_code == 200
    assert _verify(client, document)["verified"] is False
    suspend["credentialStatus"] = [{"type": "BitstringStatusListEntry", "status": "active"}]
    assert client.post("/credentials/status", headers=auth, json=suspend).status_code == 200
    assert _verify(client, document)["verified"] is True


def test_vc_api_issue(client: ApiClient, world: World) -> None:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:abc"},
    }
    response = client.post("/credentials/issue", headers=world.ro.auth("provider-issuer"),
                           json={"credential": credential})  # fmt: skip
    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]
    assert signed["issuer"] == "did:web:mc.example:providers:unibuc"
    assert _verify(client, signed)["verified"] is True
    stolen = {**credential, "issuer": "did:web:mc.example:providers:lycee-pro"}
    response = client.post("/credentials/issue", headers=world.ro.auth("provider-issuer"),
                           json={"credential": stolen})  # fmt: skip
    assert response.status_code == 403


def test_batch_over_http(client: ApiClient, world: World) -> None:
    tenant = world.ro
    csv = "name,email,grade\nIon,ion@x.ro,9\nBad,bad-email,8\nMaria,maria@x.ro,10\n"
    response = client.post(f"/opportunities/{tenant.opportunity}/batches", content=csv,
                           headers={**tenant.auth("provider-issuer"),
                                    "content-type": "text/csv"})  # fmt: skip
    assert response.status_code == 202, response.text
    assert response.json()["errors"] == [
        {"line": 3, "error": response.json()["errors"][0]["error"]}
    ]
    batch = client.get(f"/batches/{response.json()['id']}", headers=tenant.auth("read-only"))
    assert (batch.json()["state"], batch.json()["issued"], batch.json()["failed"]) == ("done", 2, 1)


def test_status_list_is_public_and_signed(client: ApiClient, world: World) -> None:
    response = client.get("/status-lists/unibuc/revocation/0")
    assert response.status_code == 200
    assert response.json()["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert client.get("/status-lists/unibuc/revocation/9").status_code == 404
