"""The larger credential names its parts: in the model, in OB 3.0 (read back), and as CLR
associations; it is only made from a satisfied (or person-confirmed) evaluation."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from microcred.core.coding import concept
from microcred.core.errors import InvalidTransition
from microcred.core.formats.ob3 import from_ob3, to_ob3
from microcred.core.model import CredentialPart, Learner, Organisation, Place
from microcred.core.stacking import Outcome, evaluate, parse_rules
from microcred.core.stacking.larger import larger_credential, part_associations
from tests.core.stacking.builders import (
    HOME,
    NOW,
    OTHER,
    ROMANIA,
    component,
    credential,
    ects_total,
    rules,
)

ISSUED = datetime(2026, 6, 2, tzinfo=UTC)
UNI = Organisation(id=HOME, name={"en": "University", "ro": "Universitatea"})


def _make(document: dict[str, Any], held: list[Any], **kwargs: Any) -> Any:
    ruleset = parse_rules(document)
    result = evaluate(ruleset, held, NOW)
    return result, larger_credential(ruleset, result, held, learner=Learner(full_name="Ana"),
                                     awarding_body=UNI, place=Place(country=concept(ROMANIA)),
                                     issued=ISSUED, **kwargs)  # fmt: skip


def test_the_larger_credential_names_the_credentials_that_were_counted() -> None:
    held = [credential("a", ects=10), credential("b", ects=10, provider=OTHER),
            credential("c", ects=3, eqf=4)]  # fmt: skip
    document = rules({"type": "all_of", "children": [component(eqf_min=6), ects_total(5)]},
                     external_credit_cap=5)  # fmt: skip
    result, mc = _make(document, held)
    assert result.outcome is Outcome.SATISFIED
    assert [p.id for p in mc.parts] == [f"urn:uuid:{k}" for k in result.consumed]
    assert mc.title == {"en": "Certificate in data science"}
    first = held[0].credential
    assert mc.parts[0] == CredentialPart(
        id="urn:uuid:a",
        title={"en": "Course a"},
        awarding_body=first.awarding_bodies[0],
        country=first.issuer_countries[0],
        issued=first.issued,
    )
    assert result.consumed == ("a", "b")
    assert mc.workload is not None
    assert mc.workload.ects == Decimal(15)  # 10 from home, 10 external capped at 5


def test_external_credit_in_the_larger_credential_is_capped() -> None:
    held = [credential("a", ects=10, provider=OTHER), credential("b", ects=10, provider=OTHER)]
    result, mc = _make(rules(ects_total(5), external_credit_cap=6), held)
    assert result.consumed == ("a",)
    assert mc.workload is not None
    assert mc.workload.ects == Decimal(6)


def test_parts_travel_as_ob3_alignments_and_are_read_back() -> None:
    _, mc = _make(rules(component()), [credential("a")])
    document = to_ob3(mc, credential_id="urn:uuid:larger")
    alignments = document["credentialSubject"]["achievement"]["alignment"]
    assert {"type": ["Alignment"], "targetName": "Course a", "targetUrl": "urn:uuid:a",
            "targetType": "ceterms:Credential"} in alignments  # fmt: skip
    imported = from_ob3(json.loads(json.dumps(document)))
    carried = [(p.id, p.title) for p in imported.credential.parts]
    assert carried == [(p.id, p.title) for p in mc.parts]  # OB 3.0 carries id and title only


def test_a_foreign_badge_aligned_to_a_credential_has_no_parts() -> None:
    _, mc = _make(rules(component()), [credential("a")])
    document = to_ob3(mc, credential_id="urn:uuid:larger")
    document["@context"] = document["@context"][:2]  # not ours: no extension context
    assert from_ob3(document).credential.parts == ()


def test_no_larger_credential_from_rules_not_met_or_not_confirmed() -> None:
    with pytest.raises(InvalidTransition, match="not satisfied"):
        _make(rules(component(eqf_min=8)), [credential("a")])
    interview = {"type": "all_of", "children": [component(),
                 {"type": "component", "manual": {"en": "Interview"}}]}  # fmt: skip
    with pytest.raises(InvalidTransition, match="confirmation"):
        _make(rules(interview), [credential("a")])
    _, mc = _make(rules(interview), [credential("a")], confirmed_by="officer@uni.example")
    assert len(mc.parts) == 1


def test_clr_associations_say_each_part_is_part_of_the_larger_achievement() -> None:
    links = part_associations("urn:uuid:larger#achievement", ["urn:uuid:a#achievement"])
    assert [link.to_json() for link in links] == [{
        "type": "Association", "associationType": "isPartOf",
        "sourceId": "urn:uuid:a#achievement", "targetId": "urn:uuid:larger#achievement",
    }]  # fmt: skip
