"""Credentials missing elements (no workload, level, date, field, QA, supervision, grade) are
refused by the predicates that need them, with the reason, and never break an evaluation."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.model import MicroCredential
from microcred.core.stacking import HeldCredential, evaluate, parse_rules
from tests.core.stacking.builders import (
    HOME,
    NOW,
    ONSITE_ID,
    PROGRAMME_QA,
    PROGRAMMING,
    WRITTEN_EXAM,
    credential,
    rules,
)

EVERY_PREDICATE = {
    "eqf_min": 5, "isced": ["06"], "skills": [PROGRAMMING], "skill_coverage": 0.5,
    "providers": [HOME], "provider_types": ["higher-education"], "provider_countries": ["RO"],
    "qa_types": [PROGRAMME_QA], "qa_valid_at_issue": True, "assessment_types": [WRITTEN_EXAM],
    "supervision_at_least": ONSITE_ID, "grade": {"at_least": "6"}, "issued_within_years": 3,
    "qf_ehea": ["https://w3id.org/microcred/vocab/qf-ehea/first-cycle"],
}  # fmt: skip
RULES = parse_rules(rules({"type": "all_of", "children": [
    {"type": "component", "where": EVERY_PREDICATE},
    {"type": "aggregate", "function": "min", "measure": "hours", "comparison": ">=", "value": 1},
    {"type": "aggregate", "function": "sum", "comparison": ">=", "value": 5,
     "where": EVERY_PREDICATE},
    {"type": "component", "skills": [PROGRAMMING], "where": {"grade": {"at_least": "B",
                                                                     "scale": ["A", "B"]}}},
]}))  # fmt: skip
DROPPABLE = ("workload", "level", "issued", "field_of_study", "quality_assurance",
             "supervision", "grade", "learning_outcomes", "awarding_bodies",
             "issuer_countries", "assessment_types")  # fmt: skip


def _sparse(key: str, dropped: list[str], grade: str | None) -> HeldCredential:
    full = credential(key, grade=grade, skills=(PROGRAMMING,), provider_type=None)
    data: dict[str, Any] = full.credential.model_dump()
    for name in dropped:
        data.pop(name, None)
    return HeldCredential(key, MicroCredential.model_validate(data))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(DROPPABLE), unique=True),
            st.sampled_from([None, "7", "B", "x"]),
        ),
        max_size=4,
    )
)
def test_missing_elements_are_reasons_not_errors(specs: list[tuple[list[str], Any]]) -> None:
    held = [_sparse(f"c{i}", dropped, grade) for i, (dropped, grade) in enumerate(specs)]
    result = evaluate(RULES, held, NOW)
    first = result.trace.find("root.children[0]")
    refused = {r.credential: r.reasons for r in first.refused}
    for h, (dropped, _) in zip(held, specs, strict=True):
        if "level" in dropped:
            assert "no EQF level" in refused[h.key]
        if "issued" in dropped:
            assert "no date of issue" in refused[h.key]
