"""Stacking rules as CTDL ``ceterms:ConditionProfile`` nodes, where CTDL can say it.

The root's parts become the larger credential's ``ceterms:requires`` list (every profile there
must be met). A named opportunity is a ``targetLearningOpportunity``; an ESCO skill set,
``targetCompetency`` alignments; an ECTS total, a ``creditValue`` with ``schema:minValue``;
``any_of``, ``alternativeCondition``s; an EQF range, ``audienceLevelType``. Other predicates and
node kinds (``k_of_n``, ``not``, counts, manual checks) are written as text in
``ceterms:condition``, and their paths are listed in ``approximated``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcred.core.coding import concept
from microcred.core.esco import packaged_esco
from microcred.core.formats.ctdl_terms import (
    ECTS_ALIGNMENT,
    EQF_FRAMEWORK,
    ESCO_FRAMEWORK,
    alignment,
    concept_alignment,
)
from microcred.core.stacking.describe import describe, describe_filter
from microcred.core.stacking.rules import (
    Aggregate,
    AllOf,
    AnyOf,
    CredentialComponent,
    Filter,
    KOfN,
    Node,
    Not,
    RuleSet,
    SkillSetComponent,
    child_paths,
)


@dataclass(frozen=True)
class CtdlConditions:
    """``ceterms:requires`` profiles, and the paths of nodes exported only as text."""

    requires: tuple[dict[str, Any], ...]
    approximated: tuple[str, ...]


def _skill_name(uri: str) -> dict[str, str]:
    """The ESCO skill's labels (ESCO's own, then ours), else its URI."""
    skill = packaged_esco().skill(uri)
    if skill is None:
        return {"en": uri}
    return {**dict(skill.translations), **dict(skill.labels)}


def _numeric(value: Any) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


class _Exporter:
    def __init__(self) -> None:
        self.approximated: list[str] = []

    def profile(self, node: Node, path: str) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "@type": "ceterms:ConditionProfile",
            "ceterms:description": {"en": describe(node, labelled=False)},
        }
        if node.label:
            profile["ceterms:name"] = {"en": node.label}
        if isinstance(node, CredentialComponent):
            self._filter(profile, node.where, targets=True)
        elif isinstance(node, SkillSetComponent):
            self._skills(profile, node, path)
        elif isinstance(node, Aggregate):
            self._aggregate(profile, node, path)
        elif isinstance(node, AnyOf):
            profile["ceterms:alternativeCondition"] = [
                self.profile(child, child_path) for child_path, child in child_paths(node, path)
            ]
        elif isinstance(node, AllOf):
            self._merged(profile, node, path)
        elif isinstance(node, KOfN | Not):
            self.approximated.append(path)
            lead = f"{node.k} of the following:" if isinstance(node, KOfN) else "not:"
            texts = [describe(child) for _, child in child_paths(node, path)]
            profile["ceterms:condition"] = {"en": [lead, *texts]}
        return profile

    def _filter(self, profile: dict[str, Any], where: Filter, *, targets: bool) -> None:
        if targets and where.opportunities:
            profile["ceterms:targetLearningOpportunity"] = list(where.opportunities)
        if where.eqf_min is not None or where.eqf_max is not None:
            levels = range(where.eqf_min or 1, (where.eqf_max or 8) + 1)
            profile["ceterms:audienceLevelType"] = [
                concept_alignment(concept(f"http://data.europa.eu/snb/eqf/{n}"), EQF_FRAMEWORK)
                for n in levels
            ]
        rest = Filter(**{**where.__dict__, "eqf_min": None, "eqf_max": None,
                         "opportunities": () if targets else where.opportunities})  # fmt: skip
        text = describe_filter(rest)
        if rest != Filter():
            profile.setdefault("ceterms:condition", {"en": []})["en"].append(text)

    def _skills(self, profile: dict[str, Any], node: SkillSetComponent, path: str) -> None:
        profile["ceterms:targetCompetency"] = [
            alignment(skill, _skill_name(skill), ESCO_FRAMEWORK) for skill in node.skills
        ]
        if node.coverage != 1:
            self.approximated.append(path)
        self._filter(profile, node.where, targets=False)

    def _aggregate(self, profile: dict[str, Any], node: Aggregate, path: str) -> None:
        if (node.function, node.measure, node.comparison) == ("sum", "ects", ">="):
            profile["ceterms:creditValue"] = [{
                "@type": "ceterms:ValueProfile", "schema:minValue": _numeric(node.value),
                "ceterms:creditUnitType": [ECTS_ALIGNMENT],
            }]  # fmt: skip
        else:
            self.approximated.append(path)
        self._filter(profile, node.where, targets=False)

    def _merged(self, profile: dict[str, Any], node: AllOf, path: str) -> None:
        """A nested ``all_of``: its parts' targets together (CTDL requires them all)."""
        opportunities: list[str] = []
        texts: list[str] = []
        for child_path, child in child_paths(node, path):
            if isinstance(child, CredentialComponent) and child.where.opportunities:
                opportunities.extend(child.where.opportunities)
            else:
                texts.append(describe(child))
                self.approximated.append(child_path)
        if opportunities:
            profile["ceterms:targetLearningOpportunity"] = opportunities
        if texts:
            profile["ceterms:condition"] = {"en": texts}


def rules_to_ctdl(rules: RuleSet) -> CtdlConditions:
    """The rule set as the larger credential's ``ceterms:requires`` condition profiles."""
    exporter = _Exporter()
    parts = child_paths(rules.root, "root") if isinstance(rules.root, AllOf) else [
        ("root", rules.root)]  # fmt: skip
    requires = tuple(exporter.profile(node, path) for path, node in parts)
    return CtdlConditions(requires, tuple(exporter.approximated))
