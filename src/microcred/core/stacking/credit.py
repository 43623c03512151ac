"""What one credential brings to an aggregate, and the aggregate's value over a set of them."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from microcred.core.stacking.held import HeldCredential
from microcred.core.stacking.rules import Aggregate, Options

COMPARE: Mapping[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": operator.ge, ">": operator.gt, "==": operator.eq, "<=": operator.le, "<": operator.lt,
}  # fmt: skip


@dataclass(frozen=True)
class Credit:
    """ECTS (after the per-credential cap) and hours one credential brings, and whether it
    comes from outside the receiving organisation."""

    ects: Decimal
    hours: Decimal
    external: bool


def credit_of(held: HeldCredential, options: Options) -> Credit:
    workload = held.credential.workload
    ects = (workload.ects if workload else None) or Decimal(0)
    if options.ects_cap_per_credential is not None:
        ects = min(ects, options.ects_cap_per_credential)
    hours = (workload.hours if workload else None) or Decimal(0)
    external = not set(held.provider_ids) & set(options.home_providers)
    return Credit(ects, hours, external)


def aggregate_value(
    node: Aggregate, credits: Iterable[Credit], external_room: Decimal | None
) -> tuple[Decimal | None, Decimal]:
    """The aggregate's value over ``credits`` and the external ECTS it counts.

    ``external_room`` is what is left of the external-credit cap (None: no cap); it bounds
    external ECTS in a sum. A min or max of nothing is None (never meets a comparison).
    """
    items = list(credits)
    if node.function == "count":
        return Decimal(len(items)), Decimal(0)
    values = [c.ects if node.measure == "ects" else c.hours for c in items]
    if node.function == "min":
        return (min(values) if values else None), Decimal(0)
    if node.function == "max":
        return (max(values) if values else None), Decimal(0)
    if node.measure != "ects":
        return sum(values, Decimal(0)), Decimal(0)
    internal = sum((c.ects for c in items if not c.external), Decimal(0))
    external = sum((c.ects for c in items if c.external), Decimal(0))
    if external_room is not None:
        external = min(external, max(external_room, Decimal(0)))
    return internal + external, external


def meets(node: Aggregate, value: Decimal | None) -> bool:
    return value is not None and COMPARE[node.comparison](value, node.value)
