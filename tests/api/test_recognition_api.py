"""Recognition cases over HTTP: open, move through the state machine, issue the decision
credential (it verifies); a step a closed case cannot take is a 409 and nothing is lost."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tests.api.client import ApiClient
from tests.api.conftest import Tenant, World
from tests.api.test_pathways_api import issued

CRITERIA = ("quality", "level", "workload", "learning_outcomes", "assessment",
            "identity_verification", "relevance")  # fmt: skip
SCORES = [{"criterion": c, "score": "substantial", "comment": "checked"} for c in CRITERIA]
OFFICER = "recognition-officer"
PARTIAL = {"outcome": "partial", "reasons": "Only statistics matches.", "ects_granted": 5}


def opened(client: ApiClient, tenant: Tenant, documents: list[Any]) -> Any:
    body = {"provider_id": tenant.id, "credentials": documents, "applicant": "Ana",
            "purpose": "admission to the MSc in Data Science", "language": "ro"}  # fmt: skip
    made = client.post("/recognition-cases", json=body, headers=tenant.auth("recognition-officer"))
    assert made.status_code == 201, made.text
    return made.json()


def step(client: ApiClient, tenant: Tenant, case_id: str, **event: Any) -> Any:
    return client.post(f"/recognition-cases/{case_id}/events", json=event,
                       headers=tenant.auth("recognition-officer"))  # fmt: skip


def decided_case(client: ApiClient, tenant: Tenant) -> Any:
    case = opened(client, tenant, [issued(client, tenant, "r1"), issued(client, tenant, "r2")])
    for event in ({"type": "authenticity-checked"}, {"type": "facts-gathered"},
                  {"type": "criteria-assessed", "scores": SCORES},
                  {"type": "decided", "decision": PARTIAL}):  # fmt: skip
        answer = step(client, tenant, case["id"], **event)
        assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_case_reaches_a_decision_credential_that_verifies(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    case = decided_case(client, tenant)
    assert case["state"] == "decided"
    assert all(c["verified"] for c in case["credentials"])
    issued_case = step(client, tenant, case["id"], type="decision-issued").json()
    assert issued_case["state"] == "decision-issued"
    assert issued_case["final"] is True
    assert issued_case["decision_in_force"]["outcome"] == "partial"
    assert [e["event"] for e in issued_case["audit"]] == [
        "submitted", "authenticity-checked", "facts-gathered", "criteria-assessed", "decided",
        "decision-issued"]  # fmt: skip
    credential = client.get(f"/credentials/{issued_case['credential_id']}",
                            headers=tenant.auth("read-only")).json()  # fmt: skip
    document = credential["document"]
    report = client.post("/credentials/verify", json={"verifiableCredential": document}).json()
    assert report["verified"] is True, report
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "ext:RecognitionDecision"
    recognised = {a["targetUrl"] for a in achievement["alignment"]
                  if a.get("targetType") == "ext:RecognisedCredential"}  # fmt: skip
    assert recognised == {c["key"] for c in case["credentials"]}


def test_a_closed_case_refuses_a_new_decision_and_keeps_its_own(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    case = decided_case(client, tenant)
    step(client, tenant, case["id"], type="decision-issued")
    again = step(client, tenant, case["id"], type="decided",
                 decision={"outcome": "full", "reasons": "On second thoughts."})  # fmt: skip
    assert again.status_code == 409
    assert again.json()["code"] == "invalid-case-transition"
    assert "closed (decision-issued)" in again.json()["detail"]
    kept = client.get(f"/recognition-cases/{case['id']}", headers=tenant.auth(OFFICER))
    assert kept.json()["state"] == "decision-issued"
    assert kept.json()["decision_in_force"]["outcome"] == "partial"
    assert len(kept.json()["audit"]) == 6
    appealed = step(client, tenant, case["id"], type="appealed", grounds="Data was assessed.")
    assert appealed.json()["state"] == "appealed"


def test_an_event_with_wrong_content_is_refused_naming_it(client: ApiClient, world: World) -> None:
    tenant = world.ro
    case = opened(client, tenant, [issued(client, tenant, "r1")])
    early = step(client, tenant, case["id"], type="decided", decision=PARTIAL)
    assert early.status_code == 409
    step(client, tenant, case["id"], type="authenticity-checked")
    step(client, tenant, case["id"], type="facts-gathered")
    short = step(client, tenant, case["id"], type="criteria-assessed", scores=SCORES[:3])
    assert short.status_code == 422
    assert "criteria not scored: learning_outcomes" in short.json()["detail"]
    kept = client.get(f"/recognition-cases/{case['id']}", headers=tenant.auth(OFFICER))
    assert kept.json()["state"] == "facts-gathered"


def test_another_authority_sees_nothing_and_only_its_officers_see_or_act(
    client: ApiClient, world: World
) -> None:
    tenant, other = world.ro, world.fr
    case = opened(client, tenant, [issued(client, tenant, "r1")])
    url = f"/recognition-cases/{case['id']}"
    assert client.get(url, headers=other.auth("provider-admin")).status_code == 404
    event = {"type": "authenticity-checked"}
    assert client.post(f"{url}/events", json=event,
                       headers=other.auth("provider-admin")).status_code == 404  # fmt: skip
    for role in ("read-only", "provider-admin", "provider-issuer", "assessor"):
        assert client.post(f"{url}/events", json=event,
                           headers=tenant.auth(role)).status_code == 403, role  # fmt: skip
        assert client.get(url, headers=tenant.auth(role)).status_code == 403, role
    listed = client.get(f"/recognition-cases?provider_id={other.id}",
                        headers=other.auth("recognition-officer"))  # fmt: skip
    assert listed.json() == []
    mine = client.get(f"/recognition-cases?provider_id={tenant.id}",
                      headers=tenant.auth("recognition-officer"))  # fmt: skip
    assert [c["id"] for c in mine.json()] == [case["id"]]


def test_the_decision_letter_is_a_pdf_in_the_cases_language(
    client: ApiClient, world: World, tmp_path: Path
) -> None:
    tenant = world.ro
    early = opened(client, tenant, [issued(client, tenant, "l1")])
    too_soon = client.get(f"/recognition-cases/{early['id']}/letter.pdf",
                          headers=tenant.auth("recognition-officer"))  # fmt: skip
    assert too_soon.status_code == 409
    assert too_soon.headers["content-type"].startswith("application/problem+json")
    case = decided_case(client, tenant)  # opened in Romanian, partial recognition, 5 ECTS
    answer = client.get(f"/recognition-cases/{case['id']}/letter.pdf",
                        headers=tenant.auth("recognition-officer"))  # fmt: skip
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(answer.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert case["id"] in text
    assert "Ana" in text
    assert "Only statistics matches." in text  # the officer's reasons
    assert "5 ECTS" in text or "5 credite" in text
    other = client.get(f"/recognition-cases/{case['id']}/letter.pdf",
                       headers=world.fr.auth("recognition-officer"))  # fmt: skip
    assert other.status_code == 404
