"""The open, elective and rigid presets, and the rules as CTDL condition profiles."""

from __future__ import annotations

from typing import Any

from microcred.core.jsonld import expand
from microcred.core.stacking import Outcome, evaluate, parse_rules
from microcred.core.stacking.ctdl import rules_to_ctdl
from microcred.core.stacking.presets import elective_pathway, open_pathway, rigid_pathway
from tests.core.stacking.builders import HOME, NOW, OTHER, PROGRAMMING, component, credential, rules

TITLE = {"en": "Certificate in data science", "ro": "Certificat în știința datelor"}
OPP = "https://uni.example/opportunities/"


def test_open_pathway_counts_any_credit_with_external_credit_capped() -> None:
    ruleset = parse_rules(open_pathway("https://uni.example/r/open", TITLE, ects=15,
                                       home_providers=[HOME], external_credit_cap=10))  # fmt: skip
    outside = [credential("a", ects=10, provider=OTHER), credential("b", ects=10, provider=OTHER)]
    assert evaluate(ruleset, outside, NOW).outcome is Outcome.NOT_SATISFIED
    assert evaluate(ruleset, [*outside, credential("c")], NOW).outcome is Outcome.SATISFIED


def test_elective_pathway_needs_core_electives_and_more_credit() -> None:
    document = elective_pathway("https://uni.example/r/elective", TITLE, core=[f"{OPP}core"],
                                electives=[f"{OPP}e1", f"{OPP}e2", f"{OPP}e3"], electives_needed=2,
                                ects=5, home_providers=[HOME])  # fmt: skip
    ruleset = parse_rules(document)
    held = [credential("core", opportunity=f"{OPP}core"), credential("e1", opportunity=f"{OPP}e1"),
            credential("e3", opportunity=f"{OPP}e3")]  # fmt: skip
    assert evaluate(ruleset, held, NOW).outcome is Outcome.NOT_SATISFIED  # no further credit
    result = evaluate(ruleset, [*held, credential("x")], NOW)
    assert result.outcome is Outcome.SATISFIED
    assert result.consumed == ("core", "e1", "e3", "x")


def test_rigid_pathway_accepts_only_the_home_providers_own_opportunities() -> None:
    ruleset = parse_rules(
        rigid_pathway(
            "https://uni.example/r/rigid", TITLE, opportunities=[f"{OPP}1"], home_providers=[HOME]
        )
    )
    elsewhere = credential("a", opportunity=f"{OPP}1", provider=OTHER)
    assert evaluate(ruleset, [elsewhere], NOW).outcome is Outcome.NOT_SATISFIED
    home = credential("b", opportunity=f"{OPP}1")
    assert evaluate(ruleset, [home], NOW).outcome is Outcome.SATISFIED


def _as_credential(requires: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    return {"@context": "https://credreg.net/ctdl/schema/context/json",
            "@id": "https://uni.example/credentials/ds", "@type": "ceterms:MicroCredential",
            "ceterms:requires": list(requires)}  # fmt: skip


def test_rules_export_as_condition_profiles_in_ctdl_terms_only() -> None:
    ruleset = parse_rules(rules({"type": "all_of", "children": [
        {"type": "component", "opportunity": f"{OPP}1", "where": {"eqf_min": 6, "eqf_max": 6}},
        {"type": "any_of", "children": [component(isced=["06"]),
                                        {"type": "component", "skills": [PROGRAMMING]}]},
        {"type": "aggregate", "function": "sum", "comparison": ">=", "value": 30},
        {"type": "k_of_n", "k": 1, "children": [component(), component()]},
    ]}))  # fmt: skip
    exported = rules_to_ctdl(ruleset)
    named, either, total, choice = exported.requires
    assert named["ceterms:targetLearningOpportunity"] == [f"{OPP}1"]
    assert [a["ceterms:targetNode"] for a in named["ceterms:audienceLevelType"]] == [
        "http://data.europa.eu/snb/eqf/6"
    ]
    alternatives = either["ceterms:alternativeCondition"]
    assert alternatives[0]["ceterms:condition"] == {"en": ["ISCED-F field 06*"]}
    competency = alternatives[1]["ceterms:targetCompetency"][0]
    assert competency["ceterms:targetNode"] == PROGRAMMING
    assert competency["ceterms:targetNodeName"]["en"] == "computer programming"
    assert total["ceterms:creditValue"][0]["schema:minValue"] == 30
    assert choice["ceterms:condition"]["en"][0] == "1 of the following:"
    assert exported.approximated == ("root.children[3]",)
    assert expand(_as_credential(exported.requires))  # safe mode: an unknown term would raise
