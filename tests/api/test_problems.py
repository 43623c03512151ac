"""Bad requests get 4xx application/problem+json naming the problem, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.platform.samples import opportunity_in, provider_in

PROBLEM = "application/problem+json"


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["detail"]
    return body


def test_unknown_ids(client: ApiClient, world: World) -> None:
    _problem(client.get("/catalogue/999999"), 404, "not-found")
    _problem(client.get("/providers/nobody/did.json"), 404, "not-found")
    _problem(client.get("/credentials/00000000-0000-0000-0000-000000000000",
                        headers=world.admin), 404, "not-found")  # fmt: skip
    _problem(client.get("/no/such/route"), 404, "not-found")


def test_validation_names_the_field(client: ApiClient, world: World) -> None:
    body = provider_in("bad-mail").model_dump(mode="json")
    body["contact"]["email"] = "not-an-email"
    problem = _problem(client.post("/providers", json=body, headers=world.admin), 422,
                       "invalid-input")  # fmt: skip
    assert problem["errors"][0]["field"] == "contact.email"
    body = provider_in("bad-country", country="XX", region=None).model_dump(mode="json")
    problem = _problem(client.post("/providers", json=body, headers=world.admin), 422,
                       "invalid-input")  # fmt: skip
    assert problem["errors"][0]["field"] == "country"
    broken = client.post("/providers", content=b"{not json", headers={
        **world.admin, "content-type": "application/json"})  # fmt: skip
    _problem(broken, 400, "malformed-body")


def test_publish_incomplete_names_the_element(client: ApiClient, world: World) -> None:
    data = opportunity_in().model_dump(mode="json")
    del data["credential"]["workload"]
    auth = world.ro.auth("provider-admin")
    made = client.post(f"/providers/{world.ro.id}/opportunities", json=data, headers=auth)
    problem = _problem(client.post(f"/opportunities/{made.json()['id']}/publish", headers=auth),
                       422, "invalid-input")  # fmt: skip
    assert "workload" in problem["detail"]


def test_issue_problems(client: ApiClient, world: World) -> None:
    auth = world.ro.auth("provider-issuer")
    body = {"opportunity_id": world.ro.opportunity, "learner": {}}
    problem = _problem(client.post("/credentials", json=body, headers=auth), 422, "invalid-input")
    assert problem["errors"][0]["field"] == "learner"
    body = {"opportunity_id": world.ro.opportunity, "learner": {"name": "X"}, "suite": "rot13"}
    problem = _problem(client.post("/credentials", json=body, headers=auth), 422, "invalid-input")
    assert problem["errors"][0]["field"] == "suite"
    body = {"opportunity_id": world.ro.opportunity, "learner": {"name": "X"},
            "suite": "ecdsa-rdfc-2019"}  # fmt: skip
    _problem(client.post("/credentials", json=body, headers=auth), 409, "conflict")
    headers = {**auth, "content-type": "text/csv"}
    problem = _problem(client.post(f"/opportunities/{world.ro.opportunity}/batches",
                                   content="nom,courriel\nx,y\n", headers=headers),
                       422, "invalid-input")  # fmt: skip
    assert problem["errors"][0]["field"] == "file"


def test_state_conflicts(client: ApiClient, world: World) -> None:
    auth = world.ro.auth("provider-issuer")
    path = f"/credentials/{world.ro.credential}"
    assert client.post(f"{path}/revoke", json={}, headers=auth).status_code == 200
    _problem(client.post(f"{path}/reinstate", json={}, headers=auth), 409, "conflict")


def test_oversized_body(client: ApiClient, world: World) -> None:
    huge = b'{"x": "' + b"a" * 2_100_000 + b'"}'
    response = client.post("/credentials/verify", content=huge,
                           headers={"content-type": "application/json"})  # fmt: skip
    _problem(response, 413, "input-too-large")


def test_verify_garbage_is_a_report(client: ApiClient) -> None:
    response = client.post("/credentials/verify", json={"verifiableCredential": {"a": 1}})
    assert response.status_code == 200
    assert response.json()["verified"] is False
    response = client.post("/credentials/verify", json={"verifiableCredential": "eyJ.not.jwt"})
    assert response.status_code == 200
    assert response.json()["errors"]
    _problem(client.post("/credentials/verify", json={"credential": 1}), 422, "invalid-input")


def test_oversized_streamed_body(client: ApiClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(30):
            yield b"a" * 100_000

    response = client.post("/credentials/verify", content=chunks(),
                           headers={"content-type": "application/json"})  # fmt: skip
    _problem(response, 413, "input-too-large")


@pytest.mark.parametrize("ects", ["1e999999", "-3", "1001"])
def test_a_workload_no_course_has_is_refused_when_the_draft_is_saved(
    client: ApiClient, world: World, ects: str
) -> None:
    data = opportunity_in().model_dump(mode="json")
    data["credential"]["workload"] = {"ects": ects}
    made = client.post(f"/providers/{world.ro.id}/opportunities", json=data,
                       headers=world.ro.auth("provider-admin"))  # fmt: skip
    problem = _problem(made, 422, "invalid-input")
    assert "credential.workload.ects must be from 0 to 1000" in problem["detail"]
