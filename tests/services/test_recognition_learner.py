"""A learner's recognition case from the wallet: submitted with credentials they hold, decided
by the authority's officer, and the signed decision credential lands in their wallet; the
learner sees their own cases only, an officer only their authority's."""

from __future__ import annotations

import pytest

from microcred.bootstrap import Platform
from microcred.services import apikeys, issuance, opportunities, providers, recognition
from microcred.services import recognition_learner as mine
from microcred.services.context import SYSTEM, Actor, Role, learner_actor
from microcred.services.errors import NotFound
from microcred.services.issuance import IssueIn
from microcred.services.learner import accounts, wallet
from microcred.services.recognition_forms import EventIn
from tests.api.test_recognition_api import SCORES
from tests.platform.samples import opportunity_in, provider_in

PARTIAL = {"outcome": "partial", "reasons": "Only statistics matches.", "ects_granted": 5}


def _setting(platform: Platform) -> tuple[int, str, str]:
    """An authority, and a learner account holding one credential: (authority, account, held)."""
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in("unibuc", "RO", "RO32"))
        course = opportunities.create(ctx, provider.id, opportunity_in("Statistics"))
        opportunities.publish(ctx, course.id)
        body = {"opportunity_id": course.id, "learner": {"name": "Ana", "email": "ana@x.eu"}}
        made, _ = issuance.issue(ctx, IssueIn.model_validate(body))
        ana = accounts.create_account(ctx, "ana@x.eu", "password123", display_name="Ana Pop")
        apikeys.create(ctx, "recognition-officer", provider.id, "officer")
        document = made.document
    with platform.unit_of_work(learner_actor(ana.id)) as ctx:
        held = wallet.add(ctx, ana.id, document, source="imported")
    return provider.id, ana.id, held.id


def test_a_case_from_the_wallet_brings_the_decision_credential_back(platform: Platform) -> None:
    authority, ana, held = _setting(platform)
    with platform.unit_of_work(learner_actor(ana)) as ctx:
        case_id = mine.submit(ctx, ana, authority, [held], "admission to the MSc", "fr").id
    officer = Actor("officer@unibuc", Role.RECOGNITION_OFFICER, authority)
    with platform.unit_of_work(officer) as ctx:
        for event in ({"type": "authenticity-checked"}, {"type": "facts-gathered"},
                      {"type": "criteria-assessed", "scores": SCORES},
                      {"type": "decided", "decision": PARTIAL},
                      {"type": "decision-issued"}):  # fmt: skip
            recognition.record(ctx, case_id, EventIn.model_validate(event))
    with platform.unit_of_work(learner_actor(ana)) as ctx:
        row = mine.get(ctx, ana, case_id)
        assert row.state == "decision-issued"
        assert row.applicant == "Ana Pop"
        assert [r.id for r in mine.mine(ctx, ana)] == [case_id]
        held_now = wallet.list_held(ctx, ana)
        decision = [h for h in held_now if h.credential_ref == row.credential_id]
        assert len(decision) == 1
        assert decision[0].source == "issued"
        assert recognition.decision_letter_pdf(ctx, case_id).startswith(b"%PDF-")
        appealed = mine.appeal(ctx, ana, case_id, "The data module was assessed too.")
        assert appealed.state == "appealed"


def test_a_learner_sees_only_their_own_cases(platform: Platform) -> None:
    authority, ana, held = _setting(platform)
    with platform.unit_of_work(learner_actor(ana)) as ctx:
        case_id = mine.submit(ctx, ana, authority, [held], "admission", "en").id
    with platform.unit_of_work(SYSTEM) as ctx:
        bob = accounts.create_account(ctx, "bob@x.eu", "password123").id
    with platform.unit_of_work(learner_actor(bob)) as ctx:
        assert mine.mine(ctx, bob) == []
        with pytest.raises(NotFound):
            mine.get(ctx, bob, case_id)
        with pytest.raises(NotFound):
            recognition.get(ctx, case_id)
        with pytest.raises(NotFound):  # not Ana's wallet either
            mine.submit(ctx, ana, authority, [held], "admission", "en")
    elsewhere = Actor("officer@other", Role.RECOGNITION_OFFICER, authority + 1000)
    with platform.unit_of_work(elsewhere) as ctx, pytest.raises(NotFound):
        recognition.get(ctx, case_id)
