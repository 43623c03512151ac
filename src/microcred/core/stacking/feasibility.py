"""Aggregates that can never be met, found before the rules are published.

Given the options' caps: an ECTS total drawn only from external credit cannot exceed the
external-credit cap; a minimum or maximum of one credential's ECTS cannot exceed the
per-credential cap; and no sum, count or ECTS value is ever below zero.
"""

from __future__ import annotations

from decimal import Decimal

from microcred.core.errors import InvalidStackingRules
from microcred.core.stacking.rules import Aggregate, Filter, Options, RuleSet, walk

INFEASIBLE = "infeasible-aggregate"


def _reaches(limit: Decimal, comparison: str, value: Decimal) -> bool:
    """Whether some number up to ``limit`` can meet ``comparison value``."""
    if comparison == ">":
        return limit > value
    if comparison in (">=", "=="):
        return limit >= value
    return True


def _only_external(where: Filter, options: Options) -> bool:
    if not options.home_providers:
        return True
    return bool(where.providers) and not set(where.providers) & set(options.home_providers)


def problem(node: Aggregate, options: Options) -> str | None:
    """Why ``node`` can never be met under ``options`` (None when it can)."""
    never_low = node.value <= 0 if node.comparison == "<" else node.value < 0
    if node.comparison in ("<", "<=", "==") and never_low:
        return f"a {node.function} is never below zero, so '{node.comparison} {node.value}' " \
               "can never be met"  # fmt: skip
    ects = node.measure == "ects" and node.function != "count"
    cap = options.ects_cap_per_credential
    capped = cap is not None and node.function in ("min", "max")
    if ects and cap is not None and capped and not _reaches(cap, node.comparison, node.value):
        return f"each credential counts for at most {cap} ECTS, so the {node.function} " \
                   f"can never be {node.comparison} {node.value}"  # fmt: skip
    external = options.external_credit_cap
    summed = ects and node.function == "sum" and _only_external(node.where, options)
    if summed and external is not None and not _reaches(external, node.comparison, node.value):
        return f"only external credit can count here and it is capped at {external} ECTS, " \
                   f"so the sum can never be {node.comparison} {node.value}"  # fmt: skip
    return None


def check_feasible(rules: RuleSet) -> None:
    """Raise :class:`InvalidStackingRules` for the first aggregate that can never be met."""
    for path, node in walk(rules.root):
        if isinstance(node, Aggregate):
            found = problem(node, rules.options)
            if found:
                raise InvalidStackingRules(found, path=path, code=INFEASIBLE)
