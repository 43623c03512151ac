"""Rules that cannot be used are refused with the node or field at fault named."""

from __future__ import annotations

import json
from typing import Any

import pytest

from microcred.core.errors import InvalidStackingRules
from microcred.core.stacking import load_rules, parse_rules
from microcred.core.stacking.rules import Aggregate, AllOf, CredentialComponent, ManualCheck
from tests.core.stacking.builders import HOME, PROGRAMMING, component, ects_total, rules


def refusal(document: Any, **kwargs: Any) -> InvalidStackingRules:
    with pytest.raises(InvalidStackingRules) as caught:
        parse_rules(document, **kwargs)
    return caught.value


def test_a_rule_set_is_read_into_typed_nodes() -> None:
    parsed = parse_rules(rules({"type": "all_of", "children": [
        component(eqf_min=6, isced=["06"]),
        {"type": "component", "manual": {"en": "Interview", "fr": "Entretien"}},
        ects_total(30),
    ]}))  # fmt: skip
    assert isinstance(parsed.root, AllOf)
    first, manual, total = parsed.root.children
    assert isinstance(first, CredentialComponent)
    assert first.where.eqf_min == 6
    assert first.where.isced_prefixes == ("06",)
    assert isinstance(manual, ManualCheck)
    assert manual.description["fr"] == "Entretien"
    assert isinstance(total, Aggregate)
    assert total.selects
    assert parsed.options.home_providers == (HOME,)


def test_an_unknown_node_type_is_named_with_the_known_ones() -> None:
    error = refusal(rules({"type": "all_of", "children": [{"type": "one_of", "children": []}]}))
    assert error.path == "root.children[0].type"
    assert error.code == "unknown-node-type"
    assert "'one_of'" in error.message
    assert "k_of_n" in error.message


@pytest.mark.parametrize(
    ("where", "path"),
    [
        ({"isced": ["77"]}, "root.where.isced[0]"),
        ({"qa_types": ["http://example.org/qa"]}, "root.where.qa_types[0]"),
        ({"assessment_types": ["urn:exam"]}, "root.where.assessment_types[0]"),
        ({"provider_countries": ["XX"]}, "root.where.provider_countries[0]"),
        ({"provider_types": ["university"]}, "root.where.provider_types[0]"),
        ({"skills": ["http://data.europa.eu/esco/skill/nope"]}, "root.where.skills[0]"),
        ({"supervision_at_least": "proctored"}, "root.where.supervision_at_least"),
    ],
)
def test_an_unknown_concept_is_refused_where_it_is_written(
    where: dict[str, Any], path: str
) -> None:
    error = refusal(rules(component(**where)))
    assert error.path == path
    assert error.code == "unknown-concept"


def test_a_misspelt_predicate_is_refused_rather_than_ignored() -> None:
    error = refusal(rules(component(eqf_minimum=6)))
    assert error.path == "root.where.eqf_minimum"
    assert "eqf_min" in error.message


def test_rules_including_each_other_in_a_cycle_are_refused() -> None:
    library = {
        "https://uni.example/rules/a": {"root": {"type": "rules", "ref": "https://uni.example/rules/b"}},
        "https://uni.example/rules/b": {"root": {"type": "rules", "ref": "https://uni.example/rules/a"}},
    }  # fmt: skip
    error = refusal(rules({"type": "rules", "ref": "https://uni.example/rules/a"}), library=library)
    assert error.code == "rules-cycle"
    assert "rules/a -> https://uni.example/rules/b -> https://uni.example/rules/a" in error.message


def test_rules_including_themselves_are_refused() -> None:
    document = rules({"type": "rules", "ref": "https://uni.example/rules/data-science"})
    library = {document["id"]: document}
    assert refusal(document, library=library).code == "rules-cycle"


def test_included_rules_are_inlined_and_a_missing_reference_is_named() -> None:
    library = {"https://uni.example/rules/core": {"root": component(eqf_min=5)}}
    parsed = parse_rules(rules({"type": "rules", "ref": "https://uni.example/rules/core"}),
                         library=library)  # fmt: skip
    assert isinstance(parsed.root, AllOf)
    assert isinstance(parsed.root.children[0], CredentialComponent)
    error = refusal(rules({"type": "rules", "ref": "https://uni.example/rules/gone"}))
    assert error.code == "unknown-rules"
    assert error.path == "root.ref"


def test_an_external_only_total_above_the_external_cap_can_never_be_met() -> None:
    document = rules(ects_total(30, providers=["did:web:mooc.example"]), external_credit_cap=20)
    error = refusal(document)
    assert error.code == "infeasible-aggregate"
    assert error.path == "root"
    assert "capped at 20 ECTS" in error.message


def test_a_total_with_home_credit_admitted_is_feasible_despite_the_external_cap() -> None:
    parse_rules(rules(ects_total(30), external_credit_cap=20))


def test_a_single_credential_above_the_per_credential_cap_can_never_be_met() -> None:
    node = {"type": "aggregate", "function": "max", "measure": "ects", "comparison": ">=",
            "value": 10}  # fmt: skip
    error = refusal(rules(node, ects_cap_per_credential=6))
    assert error.code == "infeasible-aggregate"
    assert "at most 6 ECTS" in error.message


def test_a_count_below_zero_can_never_be_met() -> None:
    node = {"type": "aggregate", "function": "count", "comparison": "<", "value": 0}
    assert refusal(rules(node)).code == "infeasible-aggregate"


def test_k_must_be_between_one_and_the_number_of_children() -> None:
    error = refusal(rules({"type": "k_of_n", "k": 3, "children": [component(), component()]}))
    assert error.path == "root.k"
    assert "from 1 to 2" in error.message


def test_an_empty_eqf_range_is_refused() -> None:
    assert refusal(rules(component(eqf_min=7, eqf_max=6))).path == "root.where.eqf_max"


def test_a_component_naming_two_things_is_refused() -> None:
    node = {"type": "component", "opportunity": "https://o", "skills": [PROGRAMMING]}
    assert "opportunity and skills" in refusal(rules(node)).message


def test_a_grade_threshold_outside_its_scale_is_refused() -> None:
    error = refusal(rules(component(grade={"at_least": "F", "scale": ["A", "B", "C"]})))
    assert error.path == "root.where.grade.at_least"


def test_not_an_object_is_refused() -> None:
    assert refusal([1, 2]).path == "$"
    assert refusal(rules("all_of")).path == "root"


def test_rules_text_that_is_not_json_or_too_large_is_refused() -> None:
    with pytest.raises(InvalidStackingRules, match=r"^\$: not JSON: Expecting"):
        load_rules('{"id": ')
    with pytest.raises(InvalidStackingRules, match="rules here are at most 262144"):
        load_rules(b" " * 300_000)
    assert load_rules(json.dumps(rules(component()))).version == "1"
