"""Decisions that say what they grant, automatic proposals, the letter and the credential."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from microcred.core.coding import concept
from microcred.core.errors import InvalidCaseEvent, InvalidTransition
from microcred.core.model import Learner, MicroCredential, Organisation, Place
from microcred.core.recognition import AutomaticRule, Decision, gather_facts, propose, replay
from microcred.core.recognition.decision_credential import decision_achievement, decision_model
from microcred.core.recognition.letter import decision_letter
from tests.core.recognition.builders import FULL, PARTIAL, REFUSED, submitted, up_to_decision
from tests.core.stacking.builders import HOME, OTHER, PROGRAMME_QA, credential

INSTITUTIONAL_QA = "http://data.europa.eu/snb/accreditation/bb4618238e"
ROMANIA = "http://publications.europa.eu/resource/authority/country/ROU"


@pytest.mark.parametrize(
    ("decision", "problem"),
    [
        ({"outcome": "partial", "reasons": "r"}, "grants ECTS or recognises learning outcomes"),
        ({"outcome": "alternative", "reasons": "r"}, "says what the credential is recognised as"),
        ({"outcome": "conditional", "reasons": "r"}, "says what remains to be done"),
        ({"outcome": "refused", "reasons": "r", "substantial_differences": (" ",)},
         "states the substantial differences"),
        ({"outcome": "full", "reasons": " "}, "states its reasons"),
        ({"outcome": "maybe", "reasons": "r"}, "'maybe' is not a decision"),
    ],
)  # fmt: skip
def test_a_decision_that_does_not_say_what_it_grants_is_refused(
    decision: dict[str, object], problem: str
) -> None:
    with pytest.raises(InvalidCaseEvent, match=problem):
        Decision(**decision)  # type: ignore[arg-type]


def test_gathered_facts_say_whether_qa_held_on_the_date_of_issue() -> None:
    facts = gather_facts(credential("a", qa_until=date(2024, 1, 1)))
    assert facts.qa_valid_at_issue is False
    assert facts.eqf == 6
    assert facts.ects == Decimal(5)
    assert "learner" in facts.annex1_missing
    assert gather_facts(credential("b")).qa_valid_at_issue is None  # no period stated


def test_an_automatic_rule_proposes_only_when_it_covers_every_credential() -> None:
    rule = AutomaticRule("auto-1", "did:web:enic.example", (PROGRAMME_QA,), FULL,
                         providers=(HOME,), qa_valid_at_issue=False)  # fmt: skip
    home, other = gather_facts(credential("a")), gather_facts(credential("b", provider=OTHER))
    assert propose([rule], "did:web:enic.example", [home]) == (rule, FULL)
    assert propose([rule], "did:web:enic.example", [home, other]) is None
    assert propose([rule], "did:web:another.example", [home]) is None
    strict = AutomaticRule("auto-2", "did:web:enic.example", (PROGRAMME_QA,), FULL)
    assert propose([strict], "did:web:enic.example", [home]) is None  # QA period unknown
    institutional = AutomaticRule("auto-3", "did:web:enic.example", (INSTITUTIONAL_QA,), FULL)
    assert propose([institutional], "did:web:enic.example", [home]) is None


@pytest.mark.parametrize(
    ("language", "subject", "statement"),
    [
        ("en", "Decision on your application for recognition", "recognised in part"),
        ("fr", "Décision relative à votre demande de reconnaissance", "reconnus partiellement"),
        ("ro-RO", "Decizie privind cererea dumneavoastră de recunoaștere", "recunoscute parțial"),
        ("de", "Bescheid über Ihren Antrag auf Anerkennung", "teilweise anerkannt"),
        ("pl", "Decision on your application for recognition", "recognised in part"),
    ],
)
def test_the_letter_is_written_in_the_cases_language(
    language: str, subject: str, statement: str
) -> None:
    events = up_to_decision(PARTIAL)
    events[0] = submitted(language)
    letter = decision_letter(
        replay("case-7", events),
        applicant_name="Ana Pop",
        authority_name="ENIC Example",
        signatory="I. Officer",
        on=date(2026, 3, 7),
        credential_titles={"mc-1": "Data cleaning"},
    )
    assert letter.subject == subject
    assert statement in letter.paragraphs[1]
    assert letter.items[0].endswith("5 ECTS.")
    assert "Clean and validate data" in letter.items
    assert letter.credentials == ("Data cleaning", "mc-2")
    assert "ENIC Example" in letter.appeal


def test_a_refusal_letter_lists_every_substantial_difference() -> None:
    letter = decision_letter(
        replay("case-8", up_to_decision(REFUSED)),
        applicant_name="Ana",
        authority_name="ENIC",
        signatory="I. O.",
        on=date(2026, 3, 7),
    )
    assert letter.items == REFUSED.substantial_differences


def test_no_letter_without_a_decision() -> None:
    with pytest.raises(InvalidTransition, match="no decision"):
        decision_letter(
            replay("case-9", up_to_decision()[:3]),
            applicant_name="A",
            authority_name="E",
            signatory="S",
            on=date(2026, 3, 7),
        )


def _issue(decision: Decision) -> tuple[MicroCredential, dict[str, Any]]:
    case = replay("case-1", up_to_decision(decision))
    parts = [credential("mc-1", ects=5), credential("mc-2", ects=10)]
    authority = Organisation(id="did:web:enic.example", name={"en": "ENIC Example"})
    mc = decision_model(case, parts, authority=authority, learner=Learner(full_name="Ana Pop"),
                        authority_place=Place(country=concept(ROMANIA)),
                        issued=datetime(2026, 3, 7, tzinfo=UTC))  # fmt: skip
    document = decision_achievement(mc, parts, credential_id="urn:uuid:decision-1",
                                    issuer_id="did:web:enic.example")  # fmt: skip
    return mc, document


def test_the_decision_credential_carries_what_was_recognised() -> None:
    mc, document = _issue(PARTIAL)
    assert mc.title is not None
    assert mc.title["ro"] == "Decizie de recunoaștere: recunoaștere parțială"
    assert mc.workload is not None
    assert mc.workload.ects == Decimal(5)
    assert [o.text["en"] for o in mc.learning_outcomes] == ["Clean and validate data"]
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "ext:RecognitionDecision"
    targets = [a["targetUrl"] for a in achievement["alignment"]
               if a["targetType"] == "ext:RecognisedCredential"]  # fmt: skip
    assert targets == ["urn:uuid:mc-1", "urn:uuid:mc-2"]


def test_a_full_recognition_credential_sums_the_credits_and_a_refusal_grants_none() -> None:
    full, _ = _issue(FULL)
    assert full.workload is not None
    assert full.workload.ects == Decimal(15)
    refused, _ = _issue(REFUSED)
    assert refused.workload is None
    assert refused.learning_outcomes == ()
