"""The uptake-statistics query: one measure, up to three dimensions, filters, a time window."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from microcred.core.errors import InvalidStatisticsQuery
from microcred.core.stacking.rules import PROVIDER_TYPES

MAX_DIMENSIONS = 3
E = TypeVar("E", bound=StrEnum)
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class Measure(StrEnum):
    PUBLISHED = "published"  # published opportunities
    ISSUED = "issued"
    REVOKED = "revoked"
    STACKED = "stacked"
    RECOGNISED = "recognised"


class Dimension(StrEnum):
    COUNTRY = "country"
    NUTS = "nuts"
    EQF = "eqf"
    ISCED = "isced"
    PROVIDER_TYPE = "provider_type"
    QA_TYPE = "qa_type"
    MODE = "mode"
    AGE_BAND = "age_band"
    GENDER = "gender"
    PERIOD = "period"


class Granularity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


LEARNER_DIMENSIONS = frozenset({Dimension.AGE_BAND, Dimension.GENDER})
UNDECLARED = "undeclared"  # a learner who declared nothing, or no learner account linked
# Eurostat's ten-year bands (AGE codelist Y15-24 ... Y_GE65); none under 15 is offered
AGE_BANDS = ("15-24", "25-34", "35-44", "45-54", "55-64", "65-plus")
GENDERS = ("F", "M", "other")  # Eurostat / SDMX SEX: F, M; SDMX _O (other)
# the codes of the SDMX-like export: Eurostat AGE and SEX, SDMX cross-domain _O, _U (unknown)
SDMX_CODES: dict[str, dict[str, str]] = {
    "age_band": {
        "15-24": "Y15-24", "25-34": "Y25-34", "35-44": "Y35-44", "45-54": "Y45-54",
        "55-64": "Y55-64", "65-plus": "Y_GE65", UNDECLARED: "_U",
    },
    "gender": {"F": "F", "M": "M", "other": "_O", UNDECLARED: "_U"},
}  # fmt: skip


UNKNOWN = "unknown"  # the value of a dimension an opportunity does not state
# The values a filter on a closed list can take (the tables' own codes), and for the coded
# ones the shape of a code; "mode" and "qa_type" are the vocabularies' codes (CODE only).
CLOSED: dict[str, tuple[str, ...]] = {
    "age_band": (*AGE_BANDS, UNDECLARED),
    "gender": (*GENDERS, UNDECLARED),
    "eqf": (*(str(level) for level in range(1, 9)), UNKNOWN),
    "provider_type": PROVIDER_TYPES,
}
SHAPED: dict[str, tuple[re.Pattern[str], str]] = {
    "country": (re.compile(r"^[A-Z]{2}$"), "a two-letter country code such as RO"),
    "nuts": (re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$"), "a NUTS code such as RO32"),
    "isced": (re.compile(r"^[0-9]{2,4}$"), "an ISCED-F code of 2 to 4 digits such as 0613"),
}
PERIODS: dict[Granularity, tuple[re.Pattern[str], str]] = {
    Granularity.YEAR: (re.compile(r"^[0-9]{4}$"), "a year such as 2026"),
    Granularity.QUARTER: (re.compile(r"^[0-9]{4}-Q[1-4]$"), "a quarter such as 2026-Q1"),
    Granularity.MONTH: (re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$"), "a month such as 2026-03"),
}


class StatsQuery(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    measure: Measure
    dimensions: tuple[Dimension, ...]
    granularity: Granularity = Granularity.YEAR
    filters: dict[Dimension, tuple[str, ...]] = {}
    date_from: date | None = None
    date_until: date | None = None


def period_of(day: date, granularity: Granularity) -> str:
    """The period label of a day: ``2026-03``, ``2026-Q1`` or ``2026`` (SDMX TIME_PERIOD)."""
    if granularity is Granularity.MONTH:
        return f"{day.year}-{day.month:02d}"
    if granularity is Granularity.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def age_band(age: int | None) -> str:
    """The band of an age (``undeclared`` when none was declared, or under 15: no band is
    offered to children, whose consent the platform does not collect)."""
    if age is None or age < 15:
        return UNDECLARED
    if age >= 65:
        return "65-plus"
    low = 15 if age < 25 else age - (age - 25) % 10
    return f"{low}-{low + 9}"


Params = Mapping[str, str | Sequence[str]]


def _list(params: Params, name: str) -> list[str]:
    raw = params.get(name, ())
    items = [raw] if isinstance(raw, str) else list(raw)
    return [p.strip() for item in items for p in item.split(",") if p.strip()]


def _enum(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidStatisticsQuery(
            f"{field}: {value[:40]!r} is not one of {allowed}", field=field
        ) from None


def _date(params: Params, name: str) -> date | None:
    found = _list(params, name)
    if not found:
        return None
    try:
        return date.fromisoformat(found[0])
    except ValueError:
        raise InvalidStatisticsQuery(
            f"{name}: {found[0][:40]!r} is not a date (YYYY-MM-DD)", field=name
        ) from None


def _check_value(dimension: Dimension, value: str, granularity: Granularity) -> None:
    """Refuse a filter value its dimension can never take (it would only answer an empty table)."""
    name = dimension.value
    if not CODE.match(value):
        raise InvalidStatisticsQuery(f"{name}: {value[:40]!r} is not a code", field=name)
    if name in CLOSED and value not in CLOSED[name]:
        raise InvalidStatisticsQuery(
            f"{name}: {value!r} is not one of {', '.join(CLOSED[name])}", field=name
        )
    if dimension is Dimension.PERIOD:
        shape: tuple[re.Pattern[str], str] | None = PERIODS[granularity]
    else:
        shape = SHAPED.get(name) if value != UNKNOWN else None
    if shape and not shape[0].match(value):
        raise InvalidStatisticsQuery(f"{name}: {value!r} is not {shape[1]}", field=name)


def parse_stats_query(params: Params) -> StatsQuery:
    """A :class:`StatsQuery` from query-string-like input, refusing what cannot be answered."""
    known = {"measure", "dimensions", "granularity", "from", "until", *(d.value for d in Dimension)}
    unknown = sorted(set(params) - known)
    if unknown:
        raise InvalidStatisticsQuery(f"unknown parameter {unknown[0]!r}", field=unknown[0])
    measures = _list(params, "measure")
    if len(measures) != 1:
        raise InvalidStatisticsQuery("measure: give exactly one", field="measure")
    measure = _enum(Measure, measures[0], "measure")
    names = _list(params, "dimensions")
    dimensions = tuple(_enum(Dimension, n, "dimensions") for n in names)
    if not 1 <= len(dimensions) <= MAX_DIMENSIONS or len(set(dimensions)) != len(dimensions):
        raise InvalidStatisticsQuery(
            f"dimensions: one to {MAX_DIMENSIONS} different dimensions", field="dimensions"
        )
    granularity = _enum(Granularity, (_list(params, "granularity") or ["year"])[0], "granularity")
    filters = {}
    for dimension in Dimension:
        values = _list(params, dimension.value)
        for value in values:
            _check_value(dimension, value, granularity)
        if values:
            filters[dimension] = tuple(dict.fromkeys(values))
    if measure is Measure.PUBLISHED and LEARNER_DIMENSIONS & {*dimensions, *filters}:
        raise InvalidStatisticsQuery(
            "dimensions: age band and gender describe learners: use them with "
            "credential measures, not 'published'",
            field="dimensions",
        )
    query = StatsQuery(
        measure=measure,
        dimensions=dimensions,
        granularity=granularity,
        filters=filters,
        date_from=_date(params, "from"),
        date_until=_date(params, "until"),
    )
    if query.date_from and query.date_until and query.date_from > query.date_until:
        raise InvalidStatisticsQuery("from is after until", field="from")
    return query
