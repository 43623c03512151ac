"""Short English descriptions of nodes and filters, for traces and exports."""

from __future__ import annotations

from microcred.core.i18n import pick
from microcred.core.stacking.rules import (
    Aggregate,
    AllOf,
    AnyOf,
    CredentialComponent,
    Filter,
    KOfN,
    ManualCheck,
    Node,
    Not,
    SkillSetComponent,
)
from microcred.core.vocab import vocabularies


def _names(uris: tuple[str, ...]) -> str:
    found = []
    for uri in uris:
        concept = vocabularies().find(uri)
        found.append(concept.label().text if concept else uri)
    return " or ".join(found)


def describe_filter(where: Filter) -> str:
    """The filter's predicates in one line (``any valid credential`` when it has none)."""
    return ", ".join([*_what(where), *_whence(where)]) or "any valid credential"


def _what(where: Filter) -> list[str]:
    """What the credential certifies: opportunity, type, level, field, skills."""
    parts = []
    if where.opportunities:
        parts.append(f"issued for {' or '.join(where.opportunities)}")
    if where.credential_types:
        parts.append(f"of type {' or '.join(where.credential_types)}")
    if where.eqf_min is not None or where.eqf_max is not None:
        low, high = where.eqf_min or 1, where.eqf_max or 8
        parts.append(f"EQF level {low}" if low == high else f"EQF level {low} to {high}")
    if where.qf_ehea:
        parts.append(f"QF-EHEA {_names(where.qf_ehea)}")
    if where.isced_prefixes:
        parts.append(f"ISCED-F field {' or '.join(p + '*' for p in where.isced_prefixes)}")
    if where.skills:
        parts.append(f"covering {where.skill_coverage:%} of {len(where.skills)} ESCO skills")
    return parts


def _whence(where: Filter) -> list[str]:
    """Who issued it, how it was assured and assessed, the grade and its age."""
    parts = []
    if where.providers or where.provider_types or where.provider_countries:
        kinds = list(where.providers) + list(where.provider_types)
        places = _names(where.provider_countries)
        parts.append("from " + " or ".join([*kinds, *([places] if places else [])]))
    if where.qa_types or where.qa_valid_at_issue:
        valid = " valid at the date of issue" if where.qa_valid_at_issue else ""
        parts.append(f"quality assurance {_names(where.qa_types) or 'of any type'}{valid}")
    if where.assessment_types:
        parts.append(f"assessed by {_names(where.assessment_types)}")
    if where.supervision_at_least:
        parts.append(f"supervision at least {_names((where.supervision_at_least,))}")
    if where.grade:
        parts.append(f"grade {where.grade.at_least} or better")
    if where.issued_within_years:
        parts.append(f"issued within {where.issued_within_years} years")
    return parts


def describe(node: Node, *, labelled: bool = True) -> str:
    """What the node asks for, in one line (its label when it has one and ``labelled``)."""
    if node.label and labelled:
        return node.label
    if isinstance(node, AllOf):
        return f"all of {len(node.children)} parts"
    if isinstance(node, AnyOf):
        return f"any of {len(node.children)} alternatives"
    if isinstance(node, KOfN):
        return f"{node.k} of {len(node.children)} parts"
    if isinstance(node, Not):
        return f"not: {describe(node.child)}"
    if isinstance(node, ManualCheck):
        return pick(node.description, "en") or ""
    if isinstance(node, CredentialComponent):
        return f"a credential: {describe_filter(node.where)}"
    if isinstance(node, SkillSetComponent):
        return f"{node.coverage:%} of {len(node.skills)} ESCO skills"
    return _aggregate(node)


def _aggregate(node: Aggregate) -> str:
    what = "credentials" if node.function == "count" else f"{node.function} of {node.measure}"
    return f"{what} {node.comparison} {node.value} ({describe_filter(node.where)})"


def kind_of(node: Node) -> str:
    """The node's kind as written in a trace."""
    kinds: dict[type, str] = {
        AllOf: "all_of", AnyOf: "any_of", KOfN: "k_of_n", Not: "not", ManualCheck: "manual",
        CredentialComponent: "credential", SkillSetComponent: "skill_set", Aggregate: "aggregate",
    }  # fmt: skip
    return kinds[type(node)]
