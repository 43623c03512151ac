"""Validation of non-formal and informal learning over HTTP: an assessor identifies the claimed
outcomes (one mapped to the opportunity's), keeps evidence files with the case (bounded in size
and type; another tenant never reaches them), assesses and certifies: the micro-credential
verifies and names only the outcomes met."""

from __future__ import annotations

import json
from typing import Any

from tests.api.client import ApiClient
from tests.api.conftest import Tenant, World

PORTFOLIO = "http://data.europa.eu/snb/assessment/4f03b91c0e"
RPL = "https://w3id.org/microcred/vocab/assessment/recognition-of-prior-learning"
INFORMAL = "https://w3id.org/microcred/vocab/learning-setting/informal"
PDF = b"%PDF-1.7\n% a portfolio\n"
ASSESSOR = "assessor"


def opened(client: ApiClient, tenant: Tenant) -> Any:
    body = {"provider_id": tenant.id, "candidate": "Ana Pop", "email": "ana@x.eu",
            "title": {"en": "Open data cleaning (validated)"}, "setting": "informal",
            "opportunity_id": tenant.opportunity,
            "claims": [{"id": "lo-1", "opportunity_outcome": "1"},
                       {"id": "lo-2", "text": {"en": "Administer a database server"}}]}  # fmt: skip
    made = client.post("/validations", json=body, headers=tenant.auth(ASSESSOR))
    assert made.status_code == 201, made.text
    return made.json()


def upload(client: ApiClient, tenant: Tenant, case_id: str, content: bytes, kind: str,
           name: str = "portfolio.pdf") -> Any:  # fmt: skip
    return client.post(
        f"/validations/{case_id}/evidence?name={name}&outcome=lo-1",
        content=content,
        headers={**tenant.auth(ASSESSOR), "content-type": kind},
    )


def event(client: ApiClient, tenant: Tenant, case_id: str, **body: Any) -> Any:
    return client.post(f"/validations/{case_id}/events", json=body,
                       headers=tenant.auth(ASSESSOR))  # fmt: skip


def test_identify_document_assess_certify_and_the_credential_verifies(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    case = opened(client, tenant)
    assert case["stage"] == "identified"
    assert case["claims"][0]["text"] == {"en": "Clean open data sets"}  # from the opportunity
    kept = upload(client, tenant, case["id"], PDF, "application/pdf")
    assert kept.status_code == 201, kept.text
    too_early = event(client, tenant, case["id"], type="certified")
    assert too_early.status_code == 409
    results = [{"outcome": "lo-1", "met": True, "comment": "three cleaned data sets"},
               {"outcome": "lo-2", "met": False}]  # fmt: skip
    assessed = event(client, tenant, case["id"], type="assessed", method=PORTFOLIO,
                     results=results)  # fmt: skip
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["met"] == ["lo-1"]
    certified = event(client, tenant, case["id"], type="certified").json()
    assert certified["stage"] == "certified"
    assert [e["event"] for e in certified["audit"]] == [
        "identified", "documented", "assessed", "certified"]  # fmt: skip
    shown = client.get(f"/credentials/{certified['credential_id']}",
                       headers=tenant.auth("read-only")).json()  # fmt: skip
    document = shown["document"]
    report = client.post("/credentials/verify", json={"verifiableCredential": document}).json()
    assert report["verified"] is True, report
    text = json.dumps(document)
    assert "Clean open data sets" in text
    assert "Administer a database server" not in text
    assert RPL in text
    assert PORTFOLIO in text
    assert INFORMAL in text
    closed = event(client, tenant, case["id"], type="closed", reason="done")
    assert closed.status_code == 409


def test_evidence_too_large_wrong_type_or_lying_content_is_refused_and_nothing_kept(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    case = opened(client, tenant)
    big = upload(
        client, tenant, case["id"], b"%PDF-" + b"0" * (20 * 1024 * 1024), "application/pdf"
    )
    assert big.status_code == 413
    assert big.headers["content-type"].startswith("application/problem+json")
    assert big.json()["code"] == "evidence-too-large"
    exe = upload(client, tenant, case["id"], b"MZ\x90\x00", "application/x-msdownload", "a.exe")
    assert exe.status_code == 415
    assert "application/x-msdownload" in exe.json()["detail"]
    lying = upload(client, tenant, case["id"], b"\x89PNG\r\n\x1a\n....", "application/pdf")
    assert lying.status_code == 422
    assert "portfolio.pdf: the content is not application/pdf" in lying.json()["detail"]
    empty = upload(client, tenant, case["id"], b"", "application/pdf")
    assert empty.status_code == 422
    kept = client.get(f"/validations/{case['id']}", headers=tenant.auth(ASSESSOR)).json()
    assert kept["evidence"] == []
    assert kept["stage"] == "identified"


def test_evidence_never_reaches_another_tenant_nor_other_roles(
    client: ApiClient, world: World
) -> None:
    tenant, other = world.ro, world.fr
    case = opened(client, tenant)
    evidence = upload(client, tenant, case["id"], PDF, "application/pdf").json()
    url = f"/validations/{case['id']}/evidence/{evidence['id']}"
    mine = client.get(url, headers=tenant.auth(ASSESSOR))
    assert mine.status_code == 200
    assert mine.content == PDF
    assert mine.headers["content-type"] == "application/pdf"
    for role in (ASSESSOR, "provider-admin", "recognition-officer"):
        assert client.get(url, headers=other.auth(role)).status_code == 404, role
        assert client.get(f"/validations/{case['id']}",
                          headers=other.auth(role)).status_code == 404, role  # fmt: skip
    for role in ("provider-admin", "provider-issuer", "read-only", "recognition-officer"):
        assert client.get(url, headers=tenant.auth(role)).status_code == 403, role
    assert client.get(url).status_code == 401
    listed = client.get(f"/validations?provider_id={other.id}", headers=other.auth(ASSESSOR))
    assert listed.json() == []


def test_claims_and_assessments_that_make_no_sense_are_refused(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    body = {"provider_id": tenant.id, "candidate": "Ana", "title": {"en": "X"},
            "setting": "non-formal", "opportunity_id": tenant.opportunity,
            "claims": [{"id": "lo-1", "opportunity_outcome": "7"}]}  # fmt: skip
    wrong = client.post("/validations", json=body, headers=tenant.auth(ASSESSOR))
    assert wrong.status_code == 422
    assert "no outcome '7'" in wrong.json()["detail"]
    foreign = {**body, "opportunity_id": world.fr.opportunity, "claims": [
        {"id": "lo-1", "text": {"en": "x"}}]}  # fmt: skip
    assert client.post("/validations", json=foreign,
                       headers=tenant.auth(ASSESSOR)).status_code == 404  # fmt: skip
    case = opened(client, tenant)
    upload(client, tenant, case["id"], PDF, "application/pdf")
    bad = event(
        client,
        tenant,
        case["id"],
        type="assessed",
        method="http://example.org/guess",
        results=[{"outcome": "lo-1", "met": True}, {"outcome": "lo-2", "met": True}],
    )
    assert bad.status_code == 422
    assert "assessment vocabulary" in bad.json()["detail"]
    short = event(client, tenant, case["id"], type="assessed", method=PORTFOLIO,
                  results=[{"outcome": "lo-1", "met": True}])  # fmt: skip
    assert short.status_code == 422
    assert "no result for claimed outcomes: lo-2" in short.json()["detail"]
