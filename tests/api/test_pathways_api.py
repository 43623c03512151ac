"""Pathways over HTTP: publish rules, evaluate issued credentials, decide, verify the larger
credential; bad rules and decisions on closed evaluations are refused and nothing is lost."""

from __future__ import annotations

from typing import Any

from tests.api.client import ApiClient
from tests.api.conftest import Tenant, World
from tests.platform.fixtures import Clock

MODULE = "https://unibuc.example/rules/statistics-module"


def rules(version: str = "2026-1", **root: Any) -> dict[str, Any]:
    return {
        "id": "https://unibuc.example/rules/data-science", "version": version,
        "title": {"en": "Certificate in data science"},
        "root": root or {"type": "aggregate", "label": "ICT credit", "function": "sum",
                         "measure": "ects", "comparison": ">=", "value": 10,
                         "where": {"isced": ["06"], "eqf_min": 6}},
    }  # fmt: skip


def issued(client: ApiClient, tenant: Tenant, key: str) -> Any:
    body = {"opportunity_id": tenant.opportunity, "idempotency_key": key,
            "learner": {"name": "Ana", "email": f"ana@{tenant.slug}.eu"}}  # fmt: skip
    made = client.post("/credentials", json=body, headers=tenant.auth("provider-issuer"))
    assert made.status_code == 201, made.text
    return made.json()["document"]


def publish(client: ApiClient, tenant: Tenant, body: dict[str, Any]) -> Any:
    return client.post(f"/providers/{tenant.id}/pathways", json=body,
                       headers=tenant.auth("provider-admin"))  # fmt: skip


def evaluated(client: ApiClient, tenant: Tenant, rules_id: str, documents: list[Any]) -> Any:
    made = client.post(f"/pathways/{rules_id}/evaluations", json={"credentials": documents},
                       headers=tenant.auth("provider-issuer"))  # fmt: skip
    assert made.status_code == 201, made.text
    return made.json()


def test_publish_evaluate_accept_and_the_larger_credential_verifies(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    published = publish(client, tenant, rules())
    assert published.status_code == 201, published.text
    rules_id = published.json()["id"]
    parts = [issued(client, tenant, "first"), issued(client, tenant, "second")]
    evaluation = evaluated(client, tenant, rules_id, parts)
    assert evaluation["outcome"] == "satisfied"
    assert sorted(evaluation["consumed"]) == sorted(p["id"] for p in parts)
    assert all(c["verified"] for c in evaluation["credentials"])
    assert evaluation["reports"][parts[0]["id"]]["verified"] is True
    assert float(evaluation["trace"]["value"]) == 10

    decided = client.post(f"/evaluations/{evaluation['id']}/decision",
                          json={"decision": "accept", "reasons": "both modules count"},
                          headers=tenant.auth("provider-issuer"))  # fmt: skip
    assert decided.status_code == 200, decided.text
    larger = decided.json()["credential"]["document"]
    assert decided.json()["decision"]["credential_id"] == decided.json()["credential"]["id"]
    report = client.post("/credentials/verify", json={"verifiableCredential": larger}).json()
    assert report["verified"] is True, report
    alignments = larger["credentialSubject"]["achievement"]["alignment"]
    named = {a["targetUrl"] for a in alignments if a.get("targetType") == "ceterms:Credential"}
    assert named == {p["id"] for p in parts}
    assert larger["credentialSubject"]["achievement"]["name"] == "Certificate in data science"

    record = client.get(f"/evaluations/{evaluation['id']}/clr", headers=tenant.auth("read-only"))
    assert record.status_code == 200, record.text
    clr = record.json()
    assert "ClrCredential" in clr["type"]
    bundled = clr["credentialSubject"]["verifiableCredential"]
    assert bundled[0] == larger
    assert sorted(bundled[1:], key=str) == sorted(parts, key=str)
    links = clr["credentialSubject"]["association"]
    assert {(link["associationType"], link["targetId"]) for link in links} == {
        ("isPartOf", larger["credentialSubject"]["achievement"]["id"])
    }
    assert len(links) == 2
    report = client.post("/credentials/verify", json={"verifiableCredential": clr}).json()
    assert report["verified"] is True, report


def test_a_closed_evaluation_refuses_a_second_decision_and_keeps_the_first(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    rules_id = publish(client, tenant, rules()).json()["id"]
    evaluation = evaluated(client, tenant, rules_id, [issued(client, tenant, "one")])
    assert evaluation["outcome"] == "not-satisfied"
    url = f"/evaluations/{evaluation['id']}/decision"
    headers = tenant.auth("provider-admin")
    refused = client.post(url, json={"decision": "refuse", "reasons": "5 ECTS short"},
                          headers=headers)  # fmt: skip
    assert refused.status_code == 200, refused.text
    again = client.post(url, json={"decision": "accept", "reasons": "changed my mind"},
                        headers=headers)  # fmt: skip
    assert again.status_code == 409
    assert "already decided (refuse)" in again.json()["detail"]
    kept = client.get(f"/evaluations/{evaluation['id']}", headers=headers).json()
    assert kept["decision"]["decision"] == "refuse"
    assert kept["decision"]["credential_id"] is None
    no_record = client.get(f"/evaluations/{evaluation['id']}/clr", headers=headers)
    assert no_record.status_code == 409
    assert "not accepted" in no_record.json()["detail"]


def test_accepting_what_the_rules_do_not_allow_is_a_conflict(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    rules_id = publish(client, tenant, rules()).json()["id"]
    evaluation = evaluated(client, tenant, rules_id, [issued(client, tenant, "one")])
    answer = client.post(f"/evaluations/{evaluation['id']}/decision",
                         json={"decision": "accept", "reasons": "why not"},
                         headers=tenant.auth("provider-admin"))  # fmt: skip
    assert answer.status_code == 409
    assert "not satisfied" in answer.json()["detail"]
    kept = client.get(f"/evaluations/{evaluation['id']}", headers=tenant.auth("read-only"))
    assert kept.json()["decision"] is None


def test_rules_with_unknown_concepts_or_cycles_are_refused_naming_the_path(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    unknown = rules(type="component", where={"isced": ["77"]})
    answer = publish(client, tenant, unknown)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "unknown-concept"
    assert problem["errors"][0]["field"] == "rules.root.where.isced[0]"
    assert publish(client, tenant, rules(type="rules", ref=MODULE)).json()["code"] == \
        "unknown-rules"  # fmt: skip
    listed = client.get(f"/providers/{tenant.id}/pathways", headers=tenant.auth("read-only"))
    assert listed.json() == []


def test_rules_including_each_other_are_a_cycle(client: ApiClient, world: World) -> None:
    tenant = world.ro
    module = {**rules(), "id": MODULE}
    assert publish(client, tenant, module).status_code == 201
    including = rules(type="rules", ref=MODULE)
    assert publish(client, tenant, including).status_code == 201
    back = {**rules("2", type="rules", ref=including["id"]), "id": MODULE}
    answer = publish(client, tenant, back)
    assert answer.status_code == 422
    assert answer.json()["code"] == "rules-cycle"
    assert answer.json()["errors"][0]["field"].startswith("rules.root")
    listed = client.get(f"/providers/{tenant.id}/pathways", headers=tenant.auth("read-only"))
    assert len(listed.json()) == 2


def test_a_published_version_is_kept_and_cannot_be_published_twice(
    client: ApiClient, world: World, clock: Clock
) -> None:
    tenant = world.ro
    first = publish(client, tenant, rules())
    assert first.status_code == 201
    again = publish(client, tenant, rules())
    assert again.status_code == 409
    clock.tick()
    newer = publish(client, tenant, rules("2026-2"))
    assert newer.status_code == 201
    listed = client.get(f"/providers/{tenant.id}/pathways", headers=tenant.auth("read-only"))
    assert [r["version"] for r in listed.json()] == ["2026-2", "2026-1"]


def test_another_provider_sees_nothing_and_a_read_only_key_cannot_decide(
    client: ApiClient, world: World
) -> None:
    tenant, other = world.ro, world.fr
    rules_id = publish(client, tenant, rules()).json()["id"]
    evaluation = evaluated(client, tenant, rules_id, [issued(client, tenant, "one")])
    for url in (f"/pathways/{rules_id}", f"/evaluations/{evaluation['id']}"):
        assert client.get(url, headers=other.auth("provider-admin")).status_code == 404
    body = {"decision": "refuse", "reasons": "no"}
    url = f"/evaluations/{evaluation['id']}/decision"
    assert client.post(url, json=body, headers=other.auth("provider-admin")).status_code == 404
    assert client.post(url, json=body, headers=tenant.auth("read-only")).status_code == 403
    answer = client.post(f"/pathways/{rules_id}/evaluations", json={"credentials": [{}]},
                         headers=other.auth("provider-issuer"))  # fmt: skip
    assert answer.status_code == 404
    assert publish(client, other, rules()).status_code == 201  # its own rules, same id: fine
    assert client.post(f"/providers/{tenant.id}/pathways", json=rules("x"),
                       headers=other.auth("provider-admin")).status_code == 404  # fmt: skip


def test_a_document_that_is_not_a_credential_is_named(client: ApiClient, world: World) -> None:
    tenant = world.ro
    rules_id = publish(client, tenant, rules()).json()["id"]
    answer = client.post(f"/pathways/{rules_id}/evaluations",
                         json={"credentials": [issued(client, tenant, "a"), {"hello": 1}]},
                         headers=tenant.auth("provider-issuer"))  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "credentials[1]"
    listed = client.get(f"/pathways/{rules_id}/evaluations", headers=tenant.auth("read-only"))
    assert listed.json() == []


def test_a_revoked_credential_is_kept_with_its_report_but_never_counts(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    rules_id = publish(client, tenant, rules()).json()["id"]
    parts = [issued(client, tenant, "kept"), issued(client, tenant, "revoked")]
    row_id = parts[1]["id"].removeprefix("urn:uuid:")
    revoked = client.post(f"/credentials/{row_id}/revoke", json={"reason": "fraud"},
                          headers=tenant.auth("provider-admin"))  # fmt: skip
    assert revoked.status_code == 200, revoked.text
    evaluation = evaluated(client, tenant, rules_id, parts)
    assert evaluation["outcome"] == "not-satisfied"
    assert evaluation["consumed"] == []
    assert evaluation["reports"][parts[1]["id"]]["verified"] is False
    refusals = {r["credential"]: r["reasons"] for r in evaluation["trace"]["refused"]}
    assert refusals[parts[1]["id"]][0] == "revoked at the time of evaluation"


def test_an_officer_confirms_a_manual_check_by_accepting(client: ApiClient, world: World) -> None:
    tenant = world.ro
    interview = rules(type="all_of", children=[
        {"type": "component", "where": {"eqf_min": 6}},
        {"type": "component", "manual": {"en": "Interview with the programme lead"}},
    ])  # fmt: skip
    rules_id = publish(client, tenant, interview).json()["id"]
    evaluation = evaluated(client, tenant, rules_id, [issued(client, tenant, "one")])
    assert evaluation["outcome"] == "needs-person"
    manual = evaluation["trace"]["children"][1]
    assert manual["missing"] == "a person must confirm: Interview with the programme lead"
    decided = client.post(f"/evaluations/{evaluation['id']}/decision",
                          json={"decision": "accept-with-conditions", "reasons": "interviewed",
                                "conditions": "submit the project report by June"},
                          headers=tenant.auth("provider-issuer"))  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision"]["conditions"] == "submit the project report by June"
    assert decided.json()["credential"]["state"] == "active"


def test_a_rules_id_longer_than_we_keep_is_named(client: ApiClient, world: World) -> None:
    answer = publish(client, world.ro, {**rules(), "id": "https://x.example/" + "r" * 600})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "rules.id"


def test_an_ects_total_that_can_never_be_met_is_refused_naming_the_node(
    client: ApiClient, world: World
) -> None:
    tenant = world.ro
    never = {**rules(), "options": {"home_providers": ["did:web:home.example"],
                                    "external_credit_cap": 5},
             "root": {"type": "aggregate", "function": "sum", "measure": "ects",
                      "comparison": ">=", "value": 30,
                      "where": {"providers": ["did:web:elsewhere.example"]}}}  # fmt: skip
    answer = publish(client, tenant, never)
    assert answer.status_code == 422
    assert answer.json()["code"] == "infeasible-aggregate"
    assert answer.json()["errors"][0]["field"] == "rules.root"
    listed = client.get(f"/providers/{tenant.id}/pathways", headers=tenant.auth("read-only"))
    assert listed.json() == []


def test_rules_export_as_ctdl_condition_profiles(client: ApiClient, world: World) -> None:
    tenant = world.ro
    rules_id = publish(client, tenant, rules()).json()["id"]
    answer = client.get(f"/pathways/{rules_id}/ctdl", headers=tenant.auth("read-only"))
    assert answer.status_code == 200, answer.text
    (profile,) = answer.json()["ceterms:requires"]
    assert profile["@type"] == "ceterms:ConditionProfile"
    assert answer.json()["approximated"] == []
    other = client.get(f"/pathways/{rules_id}/ctdl", headers=world.fr.auth("read-only"))
    assert other.status_code == 404
