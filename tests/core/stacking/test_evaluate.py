"""evaluate(): the outcome, and a trace a person can follow (used, refused and why, missing)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from microcred.core.errors import InvalidCredential
from microcred.core.stacking import HeldCredential, Outcome, evaluate, parse_rules
from tests.core.stacking.builders import (
    BIG_DATA,
    HOME,
    NOW,
    ONSITE_ID,
    OTHER,
    PROGRAMMING,
    STATISTICS,
    UNSUPERVISED,
    component,
    credential,
    ects_total,
    rules,
)


def run(root: dict[str, Any], held: list[HeldCredential], **options: Any) -> Any:
    return evaluate(parse_rules(rules(root, **options)), held, NOW)


def all_of(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": "all_of", "children": list(children)}


def reasons(result: Any, path: str, key: str) -> tuple[str, ...]:
    return next(r.reasons for r in result.trace.find(path).refused if r.credential == key)


def test_met_rules_say_which_credential_met_which_part() -> None:
    result = run(all_of(component(isced=["06"]), component(eqf_min=7)),
                 [credential("a", eqf=7, isced="0411"), credential("b", eqf=6)])  # fmt: skip
    assert result.outcome is Outcome.SATISFIED
    assert result.trace.find("root.children[0]").used == ("b",)
    assert result.trace.find("root.children[1]").used == ("a",)
    assert result.consumed == ("a", "b")


def test_one_credential_is_not_counted_for_two_parts() -> None:
    result = run(all_of(component(eqf_min=6), component(eqf_min=6)), [credential("a")])
    assert result.outcome is Outcome.NOT_SATISFIED
    assert result.consumed == ()


def test_double_counting_allowed_lets_one_credential_meet_two_parts() -> None:
    result = run(all_of(component(eqf_min=6), component(eqf_min=6)), [credential("a")],
                 no_double_counting=False)  # fmt: skip
    assert result.outcome is Outcome.SATISFIED


def test_the_allocation_is_found_whatever_order_the_parts_come_in() -> None:
    # "a" fits both parts, "b" only the first: only a -> second, b -> first works.
    result = run(
        all_of(component(eqf_min=6), component(isced=["06"])),
        [credential("a", eqf=6, isced="0613"), credential("b", eqf=6, isced="0411")],
    )
    assert result.outcome is Outcome.SATISFIED
    assert result.trace.find("root.children[0]").used == ("b",)


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"status": "revoked"}, "revoked at the time of evaluation"),
        ({"status": "suspended"}, "suspended at the time of evaluation"),
        ({"verified": False}, "not verified"),
        ({"valid_until": datetime(2026, 1, 1, tzinfo=UTC)}, "expired on 2026-01-01"),
    ],
)
def test_a_credential_not_in_force_never_counts_and_the_trace_says_why(
    facts: dict[str, Any], reason: str
) -> None:
    result = run(component(), [credential("a", **facts)])
    assert result.outcome is Outcome.NOT_SATISFIED
    assert reasons(result, "root", "a")[0].startswith(reason)
    assert result.trace.missing == "no valid credential meets it"


def test_each_failed_predicate_is_a_reason() -> None:
    where = {"eqf_min": 7, "isced": ["04"], "provider_countries": ["FR"],
             "assessment_types": ["http://data.europa.eu/snb/assessment/d30284d7df"]}  # fmt: skip
    result = run(component(**where), [credential("a", eqf=6, isced="0613")])
    assert reasons(result, "root", "a") == (
        "EQF level 6 is below 7",
        "ISCED-F field 0613 is outside 04",
        "issued in a country the rules do not accept",
        "no accepted type of assessment",
    )


def test_quality_assurance_must_be_valid_on_the_date_of_issue() -> None:
    where = {"qa_valid_at_issue": True}
    lapsed = credential("a", issued=datetime(2025, 3, 1, tzinfo=UTC), qa_until=date(2024, 12, 31))
    valid = credential("b", issued=datetime(2024, 3, 1, tzinfo=UTC), qa_until=date(2024, 12, 31))
    result = run(component(**where), [lapsed, valid])
    assert result.trace.used == ("b",)
    assert reasons(result, "root", "a") == (
        "quality assurance was not valid on the date of issue (2025-03-01)",
    )


def test_supervision_must_be_at_least_as_strong_as_asked() -> None:
    result = run(component(supervision_at_least=ONSITE_ID),
                 [credential("a", supervision=UNSUPERVISED), credential("b")])  # fmt: skip
    assert result.trace.used == ("b",)
    assert "weaker than" in reasons(result, "root", "a")[0]


def test_grades_are_compared_on_their_scale() -> None:
    where = {"grade": {"at_least": "C", "scale": ["A", "B", "C", "D", "E"],
                       "scheme": "ECTS grading scale"}}  # fmt: skip
    result = run(component(**where), [credential("a", grade="D"), credential("b", grade="B")])
    assert result.trace.used == ("b",)
    assert reasons(result, "root", "a") == ("grade D is below C",)


def test_numeric_grades_and_a_scheme_that_does_not_match() -> None:
    numeric = run(component(grade={"at_least": "7"}), [credential("a", grade="8,5")])
    assert numeric.outcome is Outcome.SATISFIED
    other = run(component(grade={"at_least": "7", "scheme": "Romanian 1-10"}),
                [credential("a", grade="8")])  # fmt: skip
    assert reasons(other, "root", "a") == ("grade is not in the grading scheme 'Romanian 1-10'",)


def test_recency_counts_years_back_from_the_evaluation() -> None:
    old = credential("a", issued=datetime(2021, 5, 31, tzinfo=UTC))
    recent = credential("b", issued=datetime(2021, 6, 1, tzinfo=UTC))
    result = run(component(issued_within_years=5), [old, recent])
    assert result.trace.used == ("b",)
    assert reasons(result, "root", "a") == ("issued on 2021-05-31, more than 5 years ago",)


def test_an_ects_total_says_how_far_it_is_from_the_target() -> None:
    result = run(ects_total(20), [credential("a", ects=5), credential("b", ects=10)])
    assert result.outcome is Outcome.NOT_SATISFIED
    assert result.trace.missing == "sum of ects is 15; needs >= 20"


def test_an_ects_total_uses_the_fewest_credentials() -> None:
    held = [credential("a", ects=5), credential("b", ects=10), credential("c", ects=6)]
    result = run(ects_total(10), held)
    assert result.outcome is Outcome.SATISFIED
    assert result.consumed == ("b",)


def test_external_credit_is_capped() -> None:
    held = [credential("a", ects=10, provider=OTHER), credential("b", ects=10, provider=OTHER),
            credential("c", ects=5)]  # fmt: skip
    capped = run(ects_total(25), held, external_credit_cap=15)
    assert capped.outcome is Outcome.NOT_SATISFIED
    assert capped.trace.value == 20  # 5 home + 15 of the 20 external
    assert run(ects_total(20), held, external_credit_cap=15).outcome is Outcome.SATISFIED


def test_one_credential_brings_at_most_the_per_credential_cap() -> None:
    held = [credential("a", ects=20), credential("b", ects=5)]
    result = run(ects_total(20), held, ects_cap_per_credential=10)
    assert result.outcome is Outcome.NOT_SATISFIED
    assert result.trace.value == 15


def test_a_manual_check_leaves_the_decision_to_a_person() -> None:
    interview = {"type": "component", "manual": {"en": "Interview with the programme lead"}}
    result = run(all_of(component(), interview), [credential("a")])
    assert result.outcome is Outcome.NEEDS_PERSON
    assert result.trace.missing == "met once a person confirms: Interview with the programme lead"
    assert run(all_of(component(), interview), []).outcome is Outcome.NOT_SATISFIED


def test_a_skill_set_is_covered_by_several_credentials_together() -> None:
    node = {"type": "component", "skills": [PROGRAMMING, BIG_DATA, STATISTICS]}
    held = [credential("a", skills=(PROGRAMMING,)), credential("b", skills=(BIG_DATA, STATISTICS))]
    assert run(node, held).consumed == ("a", "b")
    partial = run(node, held[:1])
    assert partial.outcome is Outcome.NOT_SATISFIED
    assert partial.trace.missing == (
        "1 of 3 skills covered; missing: analyse big data, apply statistical analysis techniques"
    )


def test_k_of_n_and_not() -> None:
    two_of = {"type": "k_of_n", "k": 2, "children": [component(isced=["06"]),
              component(isced=["04"]), component(isced=["05"])]}  # fmt: skip
    held = [credential("a", isced="0613"), credential("b", isced="0411")]
    assert run(two_of, held).outcome is Outcome.SATISFIED
    assert run(two_of, held[:1]).trace.missing == "1 of the 2 parts needed met (out of 3)"
    no_mooc = all_of(component(), {"type": "not", "child": component(providers=[OTHER])})
    assert run(no_mooc, held).outcome is Outcome.SATISFIED
    mooc = credential("m", provider=OTHER)
    assert run(no_mooc, [*held, mooc]).trace.find("root.children[1]").outcome is (
        Outcome.NOT_SATISFIED
    )


def test_named_opportunities_and_provider_facts() -> None:
    node = {"type": "component", "opportunity": "https://uni.example/o/1",
            "where": {"provider_types": ["higher-education"], "providers": [HOME]}}  # fmt: skip
    held = [credential("a", opportunity="https://uni.example/o/1", provider_type="company"),
            credential("b", opportunity="https://uni.example/o/1")]  # fmt: skip
    result = run(node, held)
    assert result.trace.used == ("b",)
    assert reasons(result, "root", "a") == ("provider type company is not accepted",)


def test_two_credentials_with_one_key_are_refused() -> None:
    with pytest.raises(InvalidCredential, match="share the key 'a'"):
        run(component(), [credential("a"), credential("a")])


def test_the_evaluation_serialises_for_the_api() -> None:
    body = run(ects_total(5), [credential("a")]).to_dict()
    assert body["outcome"] == "satisfied"
    assert body["trace"]["value"] == "5"
    assert body["rules"] == {"id": "https://uni.example/rules/data-science", "version": "1"}


def test_an_unmet_whole_still_shows_which_parts_are_met_and_by_what() -> None:
    result = run(all_of(component(isced=["06"]), component(isced=["04"])), [credential("a")])
    assert result.outcome is Outcome.NOT_SATISFIED
    met = result.trace.find("root.children[0]")
    assert (met.outcome, met.met_by, met.used) == (Outcome.SATISFIED, ("a",), ())
    assert result.trace.find("root.children[1]").missing == "no valid credential meets it"
    assert result.trace.missing == "1 of the 2 parts met"


def test_an_impossible_part_settles_the_outcome_among_many_alike_credentials() -> None:
    many = [credential(f"c{i:02d}", ects=5) for i in range(40)]
    unreachable = run(all_of(ects_total(100), component(eqf_min=8)), many)
    assert (unreachable.outcome, unreachable.cut) == (Outcome.NOT_SATISFIED, False)
    too_much = run(all_of(ects_total(100), ects_total(105)), many)  # 205 of the 200 ECTS held
    assert (too_much.outcome, too_much.cut) == (Outcome.NOT_SATISFIED, False)
    exact = run(all_of(ects_total(100), ects_total(100)), many)
    assert exact.outcome is Outcome.SATISFIED
    assert len(exact.consumed) == 40


def test_a_credential_with_dates_without_a_time_zone_is_refused_not_a_crash() -> None:
    naive = credential("a", issued=datetime(2025, 1, 1), valid_until=datetime(2027, 1, 1))
    result = run(component(issued_within_years=3), [naive])
    assert result.outcome is Outcome.NOT_SATISFIED
    assert reasons(result, "root", "a") == (
        "date of issue and expiry date without a time zone",
        "the date of issue has no time zone",
    )
