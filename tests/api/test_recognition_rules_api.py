"""Automatic recognition over HTTP: an authority's officer declares the provider / QA
combinations it accepts; a case whose credentials all fall under a rule gets a proposed decision
once its facts are gathered, and a person confirms it; every step is in the audit trail."""

from __future__ import annotations

from typing import Any

from tests.api.client import ApiClient
from tests.api.conftest import Tenant, World
from tests.api.test_pathways_api import issued
from tests.api.test_recognition_api import SCORES, opened, step

ACCREDITED = "http://data.europa.eu/snb/accreditation/bb4618238e"


def rule(providers: list[str] | None = None, rule_id: str = "accredited-eu") -> dict[str, Any]:
    full = {"outcome": "full", "reasons": "Accredited provider: recognised in full."}
    return {"rule_id": rule_id, "providers": providers or [], "qa_types": [ACCREDITED],
            "decision": full}  # fmt: skip


def declare(client: ApiClient, tenant: Tenant, body: dict[str, Any]) -> Any:
    return client.post(f"/providers/{tenant.id}/recognition-rules", json=body,
                       headers=tenant.auth("recognition-officer"))  # fmt: skip


def test_a_covered_case_gets_a_proposal_a_person_confirms(client: ApiClient, world: World) -> None:
    tenant = world.ro
    made = declare(client, tenant, rule())
    assert made.status_code == 201, made.text
    assert made.json()["active"] is True
    case = opened(client, tenant, [issued(client, tenant, "a1")])
    assert case["proposal"] is None
    step(client, tenant, case["id"], type="authenticity-checked")
    gathered = step(client, tenant, case["id"], type="facts-gathered").json()
    assert gathered["proposal"]["rule"] == "accredited-eu"
    assert gathered["proposal"]["decision"]["outcome"] == "full"
    assert gathered["audit"][-1]["event"] == "proposal-made"
    assert gathered["audit"][-1]["actor"] == "system (automatic recognition)"
    step(client, tenant, case["id"], type="criteria-assessed", scores=SCORES)
    confirmed = step(client, tenant, case["id"], type="decided", confirms="accredited-eu")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["decision"]["outcome"] == "full"
    wrong = step(client, tenant, case["id"], type="decided", confirms="no-such-rule")
    assert wrong.status_code == 422
    issued_case = step(client, tenant, case["id"], type="decision-issued").json()
    assert issued_case["time_to_decision_seconds"] is not None
    events = client.get(f"/audit-events?target_id={case['id']}",
                        headers=world.admin).json()  # fmt: skip
    actions = {e["action"] for e in events}
    assert {"recognition.submitted", "recognition.proposal-made", "recognition.decided",
            "recognition.decision-issued"} <= actions  # fmt: skip


def test_no_proposal_when_a_rule_does_not_cover_the_provider(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    assert declare(client, tenant, rule(["did:web:elsewhere.example"])).status_code == 201
    case = opened(client, tenant, [issued(client, tenant, "n1")])
    step(client, tenant, case["id"], type="authenticity-checked")
    assert step(client, tenant, case["id"], type="facts-gathered").json()["proposal"] is None


def test_rules_are_the_authoritys_own_and_retire(client: ApiClient, world: World) -> None:
    tenant, other = world.ro, world.fr
    assert declare(client, tenant, rule()).status_code == 201
    again = declare(client, tenant, rule())
    assert again.status_code == 409
    assert "accredited-eu" in again.json()["detail"]
    bad = declare(
        client, tenant, {**rule(rule_id="r2"), "decision": {"outcome": "refused", "reasons": "x"}}
    )
    assert bad.status_code == 422
    assert "substantial differences" in bad.json()["detail"]
    url = f"/providers/{tenant.id}/recognition-rules"
    assert client.get(url, headers=other.auth("recognition-officer")).status_code == 404
    for role in ("provider-admin", "read-only", "assessor"):
        denied = client.post(url, json=rule(rule_id="x"), headers=tenant.auth(role))
        assert denied.status_code == 403, role
        assert client.get(url, headers=tenant.auth(role)).status_code == 403, role
    retired = client.post(f"{url}/accredited-eu/retire", headers=tenant.auth("recognition-officer"))
    assert retired.json()["active"] is False
    case = opened(client, tenant, [issued(client, tenant, "t1")])
    step(client, tenant, case["id"], type="authenticity-checked")
    assert step(client, tenant, case["id"], type="facts-gathered").json()["proposal"] is None
