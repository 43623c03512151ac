"""What is still missing after an evaluation, as something a learner can act on: for each
unmet part of the rules, the opportunities it names, the ESCO skills it asks for, and the
catalogue filters (ISCED-F field, EQF levels, provider type) of what would fill it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred.core.stacking.rules import (
    Aggregate,
    CredentialComponent,
    Filter,
    ManualCheck,
    Node,
    Not,
    RuleSet,
    SkillSetComponent,
    walk,
)


@dataclass(frozen=True)
class Gap:
    """One unmet part: its path and description, what the trace says is missing, and how to
    look for what fills it (``manual`` parts only a person can fill)."""

    path: str
    description: str
    missing: str
    manual: bool = False
    opportunities: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    search: dict[str, tuple[str, ...]] = field(default_factory=dict)


def catalogue_filters(where: Filter) -> dict[str, tuple[str, ...]]:
    """The catalogue search filters (query-string names) that select what ``where`` admits,
    as far as the catalogue can say it: field, level, provider type."""
    found: dict[str, tuple[str, ...]] = {}
    if where.isced_prefixes:
        found["isced"] = where.isced_prefixes
    if where.eqf_min is not None or where.eqf_max is not None:
        low, high = where.eqf_min or 1, where.eqf_max or 8
        found["eqf"] = tuple(str(level) for level in range(low, high + 1))
    if where.provider_types:
        found["provider_type"] = where.provider_types
    return found


def _nodes(trace: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield trace
    for child in trace.get("children") or ():
        yield from _nodes(child)


def _under_not(path: str, negated: tuple[str, ...]) -> bool:
    return any(path.startswith(f"{prefix}.") for prefix in negated)


def _gap(path: str, node: Node, entry: Mapping[str, Any]) -> Gap | None:
    described, missing = str(entry.get("description") or ""), str(entry.get("missing") or "")
    if isinstance(node, ManualCheck):
        return Gap(path, described, missing, manual=True)
    if isinstance(node, SkillSetComponent):
        return Gap(path, described, missing, skills=node.skills,
                   search=catalogue_filters(node.where))  # fmt: skip
    if isinstance(node, CredentialComponent | Aggregate):
        where = node.where
        return Gap(path, described, missing, opportunities=where.opportunities,
                   skills=where.skills, search=catalogue_filters(where))  # fmt: skip
    return None


def gaps(rules: RuleSet, trace: Mapping[str, Any]) -> list[Gap]:
    """The unmet leaves of an evaluation's trace (``Evaluation.trace.to_dict()``), in the
    rules' order; parts under a ``not`` are never gaps (meeting them is what is refused)."""
    nodes = dict(walk(rules.root))
    negated = tuple(path for path, node in nodes.items() if isinstance(node, Not))
    found = []
    for entry in _nodes(trace):
        path = str(entry.get("path") or "")
        node = nodes.get(path)
        if node is None or entry.get("outcome") == "satisfied" or _under_not(path, negated):
            continue
        gap = _gap(path, node, entry)
        if gap is not None:
            found.append(gap)
    return found
