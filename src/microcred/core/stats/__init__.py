"""Uptake statistics, the pure core: the query model, k-anonymity with secondary suppression,
exports (tidy, CSV, JSON, SDMX-like CSV) and accessible SVG charts.

Public API::

    parse_stats_query(params) -> StatsQuery(measure, dimensions, granularity, filters, dates)
    period_of(day, granularity) / age_band(age)
    protect(counts: {(value, ...): n}, dimensions, k=5) -> ProtectedTable   # cells + margins
    protect_nested(counts, dimensions) -> ProtectedTable  # margins as smaller tables publish
    slice_table(table, {dimension: values}) -> ProtectedTable                # filters, after
    tidy_rows / to_csv / to_json / to_sdmx_csv(table, measure)
    bar_chart(title, desc, [(label, value | None)]) / line_chart(...) -> SVG text
"""

from __future__ import annotations

from microcred.core.stats.export import tidy_rows, to_csv, to_json, to_sdmx_csv
from microcred.core.stats.nested import cell_count, complete, protect_nested
from microcred.core.stats.privacy import (
    TOTAL,
    Entry,
    K,
    ProtectedTable,
    Status,
    determined,
    lines,
    protect,
    slice_table,
    with_margins,
)
from microcred.core.stats.query import (
    AGE_BANDS,
    GENDERS,
    SDMX_CODES,
    UNDECLARED,
    UNKNOWN,
    Dimension,
    Granularity,
    Measure,
    StatsQuery,
    age_band,
    parse_stats_query,
    period_of,
)
from microcred.core.stats.svg import bar_chart, line_chart

__all__ = [
    "AGE_BANDS",
    "GENDERS",
    "SDMX_CODES",
    "TOTAL",
    "UNDECLARED",
    "UNKNOWN",
    "Dimension",
    "Entry",
    "Granularity",
    "K",
    "Measure",
    "ProtectedTable",
    "StatsQuery",
    "Status",
    "age_band",
    "bar_chart",
    "cell_count",
    "complete",
    "determined",
    "line_chart",
    "lines",
    "parse_stats_query",
    "period_of",
    "protect",
    "protect_nested",
    "slice_table",
    "tidy_rows",
    "to_csv",
    "to_json",
    "to_sdmx_csv",
    "with_margins",
]
