"""Uptake counts in SQL (SQLite and PostgreSQL): GROUP BY over the platform's tables.

The facts are pre-aggregated first (one row per opportunity, provider and month, with a count),
so a million credentials become a few thousand rows before the joins that classify them. An
opportunity is classified by its search index entry (its latest published version): country,
NUTS region, EQF, ISCED-F, mode and QA type (the smallest code when it has several, so each
fact counts once and margins add up); the provider type comes from the provider.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, extract, func, literal, select
from sqlalchemy.engine import Connection

from microcred.adapters.db.tables import (
    Credential,
    OpportunityVersion,
    Provider,
    SearchEntry,
    SearchValue,
)

UNKNOWN = "unknown"  # the value of a dimension an opportunity does not state
FACT_MEASURES = ("published", "issued", "revoked")
PIVOTED = {"country": "max", "mode": "max", "qa_type": "min"}  # from search_values
INDEXED: dict[str, Any] = {
    "nuts": SearchEntry.nuts,
    "eqf": SearchEntry.eqf,
    "isced": SearchEntry.isced,
}


@dataclass(frozen=True)
class Scope:
    """Whose facts count: one provider's, one country's providers', or all (both None)."""

    provider_id: int | None = None
    country: str | None = None


def _month_parts(column: Any, dialect: str) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    moment = column if dialect == "sqlite" else func.timezone("UTC", column)
    return extract("year", moment), extract("month", moment)


def _facts(measure: str, scope: Scope, dialect: str) -> Select[Any]:
    """(opportunity_id, provider_id, year, month, n) for the measure, within the scope."""
    if measure == "published":
        opportunity, owner, moment = (OpportunityVersion.opportunity_id,
                                      OpportunityVersion.provider_id,
                                      OpportunityVersion.published_at)  # fmt: skip
    else:
        opportunity, owner, moment = (OpportunityVersion.opportunity_id,
                                      Credential.provider_id, Credential.issued_at)  # fmt: skip
    year, month = _month_parts(moment, dialect)
    query = select(
        opportunity.label("opportunity_id"),
        owner.label("provider_id"),
        year.label("y"),
        month.label("m"),
        func.count().label("n"),
    )
    if measure == "published":
        query = query.where(OpportunityVersion.is_latest)
    else:
        query = query.select_from(Credential).outerjoin(
            OpportunityVersion, OpportunityVersion.id == Credential.opportunity_version_id
        )
    if measure == "revoked":
        query = query.where(Credential.state == "revoked")
    if scope.provider_id is not None:
        query = query.where(owner == scope.provider_id)
    if scope.country is not None:
        query = query.where(owner.in_(select(Provider.id).where(Provider.country == scope.country)))
    return query.group_by(*query.selected_columns[:4])


def _pivot(names: Sequence[str]) -> Select[Any]:
    columns = [
        getattr(func, PIVOTED[name])(
            case((SearchValue.facet == name, SearchValue.value), else_=None)
        ).label(name)
        for name in names
    ]
    return select(SearchValue.opportunity_id, *columns).group_by(SearchValue.opportunity_id)


def count(
    connection: Connection, measure: str, dimensions: Sequence[str], scope: Scope
) -> list[tuple[tuple[Any, ...], int, int | None, int | None]]:
    """(values of ``dimensions`` but period, year, month, count) groups; year and month are None
    unless ``period`` is among the dimensions. Missing values are None."""
    if measure not in FACT_MEASURES:
        raise ValueError(f"no facts for {measure!r}")
    facts = _facts(measure, scope, connection.dialect.name).subquery("facts")
    plain = [d for d in dimensions if d != "period"]
    pivoted = [d for d in plain if d in PIVOTED]
    pivot = _pivot(pivoted).subquery("pivot") if pivoted else None
    columns: list[Any] = []
    for name in plain:
        if name in PIVOTED:
            assert pivot is not None
            columns.append(pivot.c[name])
        elif name in INDEXED:
            columns.append(INDEXED[name])
        else:  # provider_type
            columns.append(Provider.type)
    timed = "period" in dimensions
    when = [facts.c.y, facts.c.m] if timed else [literal(None), literal(None)]
    query = select(*columns, *when, func.sum(facts.c.n)).select_from(facts)
    query = query.join(Provider, Provider.id == facts.c.provider_id)
    query = query.outerjoin(SearchEntry, SearchEntry.opportunity_id == facts.c.opportunity_id)
    if pivot is not None:
        query = query.outerjoin(pivot, pivot.c.opportunity_id == facts.c.opportunity_id)
    groups = [*columns, *(when if timed else [])]
    if groups:
        query = query.group_by(*groups)
    return [
        (tuple(row[: len(plain)]), int(row[-1] or 0), _int(row[-3]), _int(row[-2]))
        for row in connection.execute(query)
    ]


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def label(value: object) -> str:
    """A dimension value as the code the tables carry (``unknown`` when not stated)."""
    if value is None or value == "":
        return UNKNOWN
    return str(value)
