"""Uptake statistics: counts in SQL, protected by the core (k = 5) before anything leaves.

Every answer is a slice of one protected table (``core.stats.privacy`` rule 4) whose margins are
published as the smaller tables are (``core.stats.nested``): the table's
dimensions are the asked ones, every filtered one and ``period`` when a date window is given, in
one fixed order; the counts cover all time within the actor's scope; filters and the window are
applied after protection. So a query and the same query with one filter more, or another
window, are slices of the same protected table and cannot be subtracted to isolate a small cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from microcred.adapters.db import stats_sql
from microcred.adapters.db.stats_sql import Scope
from microcred.adapters.db.tables import Provider
from microcred.core.errors import InvalidStatisticsQuery
from microcred.core.stats import (
    TOTAL,
    Dimension,
    Granularity,
    ProtectedTable,
    StatsQuery,
    cell_count,
    parse_stats_query,
    period_of,
    protect_nested,
    slice_table,
)
from microcred.services.context import Context, Role
from microcred.services.errors import Forbidden
from microcred.services.vocabulary import concept_uri, notation

MAX_TABLE_DIMENSIONS = 4
MAX_CELLS = 20_000  # combinations of the values seen; beyond, the protection is too slow
ORDER = {d: i for i, d in enumerate(Dimension)}
PLACES = {"country": "country", "nuts": "nuts"}  # provider places come as concept URIs
Params = Mapping[str, str | Sequence[str]]


@dataclass(frozen=True)
class StatsAnswer:
    """A protected, sliced table and what it answers."""

    query: StatsQuery
    scope: str  # "all", "provider:<slug>" or "country:<code>"
    table: ProtectedTable

    @property
    def measure(self) -> str:
        return self.query.measure.value


def scope_of(ctx: Context) -> tuple[Scope, str]:
    """Whose figures the actor may see: a provider key its provider's, a statistics reader its
    country's providers', platform keys all."""
    actor = ctx.actor
    if actor.role is Role.PLATFORM_ADMIN or (
        actor.provider_id is None and actor.role is Role.READ_ONLY
    ):
        return Scope(), "all"
    if actor.role is Role.STATISTICS_READER and actor.country:
        uri = concept_uri("country", actor.country, "country")  # providers keep the URI
        return Scope(country=uri), f"country:{actor.country}"
    if actor.provider_id is None or actor.provider_id < 0:
        raise Forbidden("statistics need a provider or platform key")
    provider = ctx.session.get(Provider, actor.provider_id)
    if provider is None:
        raise Forbidden("the key's provider no longer exists")
    return Scope(provider_id=provider.id), f"provider:{provider.slug}"


def table_dimensions(query: StatsQuery) -> tuple[Dimension, ...]:
    """The protected table's dimensions: asked, filtered, and period under a window."""
    found = {*query.dimensions, *query.filters}
    if query.date_from or query.date_until:
        found.add(Dimension.PERIOD)
    if len(found) > MAX_TABLE_DIMENSIONS:
        raise InvalidStatisticsQuery(
            f"dimensions: at most {MAX_TABLE_DIMENSIONS} dimensions, filters and a date window "
            "together",
            field="dimensions",
        )
    return tuple(sorted(found, key=ORDER.__getitem__))


def _counts(
    ctx: Context, query: StatsQuery, dimensions: Sequence[Dimension], scope: Scope
) -> dict[tuple[str, ...], int]:
    names = [d.value for d in dimensions]
    plain = [name for name in names if name != "period"]
    rows = stats_sql.count(ctx.session.connection(), query.measure.value, names, scope)
    counts: dict[tuple[str, ...], int] = {}
    for values, number, month in rows:
        labels = iter(_code(name, v) for name, v in zip(plain, values, strict=True))
        key = tuple(
            period_of(date(int(month[:4]), int(month[5:7]), 1), query.granularity)
            if name == "period" and month is not None
            else next(labels)
            for name in names
        )
        counts[key] = counts.get(key, 0) + number
    return counts


def _code(name: str, value: object) -> str:
    """The code of a counted value: a provider's place (a URI) as its notation (``RO``)."""
    if name in PLACES and isinstance(value, str) and "/" in value:
        return notation(PLACES[name], value) or value.rstrip("/").rsplit("/", 1)[-1]
    return stats_sql.label(value)


def _bounds(label: str, granularity: Granularity) -> tuple[date, date]:
    """The first and last day of a period label."""
    year = int(label[:4])
    if granularity is Granularity.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    quarterly = granularity is Granularity.QUARTER
    first = (int(label[-1]) - 1) * 3 + 1 if quarterly else int(label[5:7])
    last = first + (2 if quarterly else 0)
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


def _in_window(query: StatsQuery, periods: set[str]) -> list[str]:
    low = query.date_from or date.min
    high = query.date_until or date.max
    kept = []
    for label in periods:
        first, last = _bounds(label, query.granularity)
        if first <= high and last >= low:
            kept.append(label)
    return kept


def answer(ctx: Context, params: Params) -> StatsAnswer:
    """The protected answer to query-string-like ``params`` within the actor's scope
    (``InvalidStatisticsQuery`` names a parameter that cannot be answered)."""
    query = parse_stats_query(params)
    scope, scope_name = scope_of(ctx)
    dimensions = table_dimensions(query)
    counts = _counts(ctx, query, dimensions, scope)
    if cell_count(counts, len(dimensions)) > MAX_CELLS:
        raise InvalidStatisticsQuery(
            f"dimensions: more than {MAX_CELLS} cells; ask fewer dimensions or a coarser "
            "granularity",
            field="dimensions",
        )
    table = protect_nested(counts, [d.value for d in dimensions])
    keep: dict[str, list[str]] = {d.value: list(v) for d, v in query.filters.items()}
    if query.date_from or query.date_until:
        at = dimensions.index(Dimension.PERIOD)
        periods = {key[at] for key in table.entries if key[at] != TOTAL}
        keep["period"] = _in_window(query, periods)
    return StatsAnswer(query, scope_name, slice_table(table, keep))
