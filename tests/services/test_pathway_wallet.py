"""Pathways from the wallet: a learner submits wallet credentials to a published pathway, sees
what each counts for and what is missing (with catalogue opportunities that fill it); the
officer's acceptance puts the larger credential in that wallet, where it verifies. A learner
sees only their own evaluations and submits only their own credentials."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

import pytest
from jsonschema import Draft201909Validator  # type: ignore[import-untyped]

from microcred.bootstrap import Platform
from microcred.services import issuance, opportunities, pathway_gaps, pathway_wallet, pathways
from microcred.services import providers as providers_service
from microcred.services.context import SYSTEM, Actor, Role, learner_actor
from microcred.services.errors import Forbidden, InvalidInput, NotFound
from microcred.services.issuance import IssueIn
from microcred.services.learner import accounts, downloads, records, verifying, wallet
from microcred.services.pathways import DecisionIn
from tests.conftest import vectors_path
from tests.core.test_clr import SCHEMA
from tests.platform.samples import opportunity_in, provider_in

RULES = {
    "id": "https://unibuc.example/rules/ict", "version": "1",
    "title": {"en": "Certificate in ICT"},
    "root": {"type": "aggregate", "label": "10 ECTS in ICT", "function": "sum",
             "measure": "ects", "comparison": ">=", "value": 10,
             "where": {"isced": ["06"], "eqf_min": 6}},
}  # fmt: skip


@dataclass
class Scene:
    provider_id: int
    rules_row_id: str
    ana: str
    held: list[str]
    other: str


def _scene(platform: Platform) -> Scene:
    with platform.unit_of_work(SYSTEM) as ctx:
        provider_id = providers_service.register(ctx, provider_in("unibuc")).id
        documents = []
        for title in ("Data literacy", "Databases"):
            row = opportunities.create(ctx, provider_id, opportunity_in(title))
            opportunities.publish(ctx, row.id)
            issued, _ = issuance.issue(ctx, IssueIn.model_validate({
                "opportunity_id": row.id,
                "learner": {"name": "Ana Popescu", "email": "ana@example.org"}}))  # fmt: skip
            documents.append(issued.document)
        rules_row_id = pathways.publish(ctx, provider_id, RULES).id
        ana = accounts.create_account(ctx, "ana@example.org", "long-password").id
        other = accounts.create_account(ctx, "ion@example.org", "long-password").id
        held = [wallet.add(ctx, ana, doc, source="claimed").id for doc in documents]
    return Scene(provider_id, rules_row_id, ana, held, other)


def test_from_the_wallet_to_the_larger_credential(platform: Platform) -> None:
    scene = _scene(platform)
    with platform.unit_of_work(learner_actor(scene.ana)) as ctx:
        assert [p.row.id for p in pathway_wallet.published(ctx)] == [scene.rules_row_id]
        first = pathway_wallet.request_evaluation(ctx, scene.ana, scene.rules_row_id,
                                                  scene.held[:1])  # fmt: skip
        assert first.outcome == "not-satisfied"
        assert all(report["verified"] for report in first.reports.values())
        (towards,) = pathway_wallet.stacks_towards(ctx, scene.ana, scene.held[0])
        assert towards.could_meet == ["10 ECTS in ICT"]
        (gap,) = pathway_gaps.views(ctx, towards.gaps, "en")
        assert gap.gap.missing.startswith("sum of ects is 5")
        assert {link.title for link in gap.links} == {"Data literacy", "Databases"}
        assert gap.more_url == "/courses?isced=06&eqf=6&eqf=7&eqf=8"
        second = pathway_wallet.request_evaluation(ctx, scene.ana, scene.rules_row_id,
                                                   scene.held)  # fmt: skip
        assert second.outcome == "satisfied"
    officer = Actor("officer", Role.PATHWAY_OFFICER, scene.provider_id)
    with platform.unit_of_work(officer) as ctx:
        pathways.decide(ctx, second.id, DecisionIn(decision="accept", reasons="10 ECTS in ICT"))
    with platform.unit_of_work(learner_actor(scene.ana)) as ctx:
        decided = pathway_wallet.evaluation(ctx, scene.ana, second.id)
        assert decided.decision == "accept"
        held = wallet.list_held(ctx, scene.ana)
        (larger,) = [h for h in held if h.credential_ref == decided.credential_id]
        assert larger.title == {"en": "Certificate in ICT"}
        assert verifying.check(ctx, larger.raw).verified


def test_a_learner_sees_and_submits_only_their_own(platform: Platform) -> None:
    scene = _scene(platform)
    with platform.unit_of_work(learner_actor(scene.ana)) as ctx:
        made = pathway_wallet.request_evaluation(ctx, scene.ana, scene.rules_row_id,
                                                 scene.held)  # fmt: skip
    with platform.unit_of_work(learner_actor(scene.other)) as ctx:
        with pytest.raises(NotFound):
            pathway_wallet.evaluation(ctx, scene.other, made.id)
        assert pathway_wallet.evaluations(ctx, scene.other) == []
        with pytest.raises(NotFound):
            pathway_wallet.request_evaluation(ctx, scene.other, scene.rules_row_id, scene.held)
        with pytest.raises(NotFound):  # acting for someone else's account
            pathway_wallet.evaluations(ctx, scene.ana)
        with pytest.raises(InvalidInput, match="choose at least one credential"):
            pathway_wallet.request_evaluation(ctx, scene.other, scene.rules_row_id, [])
        with pytest.raises((NotFound, Forbidden)):  # a learner is no officer
            pathways.decide(ctx, made.id, DecisionIn(decision="refuse", reasons="no"))


def test_erasing_the_account_keeps_the_organisations_record(platform: Platform) -> None:
    scene = _scene(platform)
    with platform.unit_of_work(learner_actor(scene.ana)) as ctx:
        made = pathway_wallet.request_evaluation(ctx, scene.ana, scene.rules_row_id,
                                                 scene.held)  # fmt: skip
        accounts.erase_account(ctx, scene.ana)
    officer = Actor("officer", Role.PATHWAY_OFFICER, scene.provider_id)
    with platform.unit_of_work(officer) as ctx:
        kept = pathways.get_evaluation(ctx, made.id)
        assert kept.account_id is None
        assert kept.outcome == "satisfied"
        decided = pathways.decide(ctx, made.id, DecisionIn(decision="accept", reasons="ok"))
        assert decided.credential_id is not None


def test_the_larger_credential_downloads_as_a_clr_with_its_parts(platform: Platform) -> None:
    scene = _scene(platform)
    with platform.unit_of_work(learner_actor(scene.ana)) as ctx:
        made = pathway_wallet.request_evaluation(ctx, scene.ana, scene.rules_row_id,
                                                 scene.held)  # fmt: skip
    officer = Actor("officer", Role.PATHWAY_OFFICER, scene.provider_id)
    with platform.unit_of_work(officer) as ctx:
        decided = pathways.decide(ctx, made.id, DecisionIn(decision="accept", reasons="ok"))
    with platform.unit_of_work(learner_actor(scene.ana)) as ctx:
        (larger,) = [h for h in wallet.list_held(ctx, scene.ana)
                     if h.credential_ref == decided.credential_id]  # fmt: skip
        file = downloads.download(ctx, scene.ana, larger.id, "clr", "en")
        clr = json.loads(file.content)
        report = verifying.check(ctx, file.content.decode())
        with pytest.raises(NotFound):  # another learner's credential
            records.record_of(ctx, scene.ana, "no-such-credential")
    assert file.filename.endswith("-clr.json")
    assert "ClrCredential" in clr["type"]
    bundled = clr["credentialSubject"]["verifiableCredential"]
    assert len(bundled) == 3  # the larger credential and both parts held in the wallet
    links = clr["credentialSubject"]["association"]
    assert [link["associationType"] for link in links] == ["isPartOf", "isPartOf"]
    assert {link["targetId"] for link in links} == {
        bundled[0]["credentialSubject"]["achievement"]["id"]
    }
    # Credentials issued here carry two status entries (revocation and suspension), which VC 2.0
    # allows and the 1EdTech schemas do not (one CredentialStatus object): check the rest.
    checked = copy.deepcopy(clr)
    for part in checked["credentialSubject"]["verifiableCredential"]:
        part["credentialStatus"] = part["credentialStatus"][0]
    schema = json.loads(vectors_path(*SCHEMA).read_text("utf-8"))
    assert [e.message for e in Draft201909Validator(schema).iter_errors(checked)] == []
    assert report.verified, [c for c in report.checks if c.status != "ok"]


def test_a_part_alone_makes_a_clr_of_one(platform: Platform) -> None:
    scene = _scene(platform)
    with platform.unit_of_work(learner_actor(scene.ana)) as ctx:
        clr = records.record_of(ctx, scene.ana, scene.held[0])
        assert verifying.check(ctx, json.dumps(clr)).verified
    assert len(clr["credentialSubject"]["verifiableCredential"]) == 1
    assert "association" not in clr["credentialSubject"]
