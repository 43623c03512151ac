"""An answer as an SVG chart: bars over a category, a line over periods (core.stats.svg)."""

from __future__ import annotations

from microcred.core.i18n import translate
from microcred.core.stats import TOTAL, Dimension, bar_chart, line_chart
from microcred.services.statistics import StatsAnswer


def plotted(found: StatsAnswer) -> str:
    """The dimension along the chart: the period when the table has one, else the first asked."""
    names = found.table.dimensions
    return "period" if "period" in names else found.query.dimensions[0].value


def series(found: StatsAnswer) -> list[tuple[str, int | None]]:
    """(value, count or None) along :func:`plotted`, the other dimensions at their total (or
    at the first filtered value), in the table's order."""
    names = found.table.dimensions
    along = plotted(found)
    filters = {d.value: values for d, values in found.query.filters.items()}
    fixed = {
        name: filters[name][0] if name in filters else TOTAL for name in names if name != along
    }
    at = names.index(along)
    return [
        (entry.key[at], entry.value)
        for entry in found.table.entries.values()
        if entry.key[at] != TOTAL and all(entry.key[names.index(n)] == v for n, v in fixed.items())
    ]


def value_label(dimension: str, code: str, lang: str) -> str:
    """A category as a reader says it in ``lang``: genders and "undeclared" by name, other
    codes (countries, EQF levels, age bands, ...) as they are."""
    if code == "undeclared":
        return translate("stats.value.undeclared", lang)
    if dimension == "gender":
        return translate(f"profile.gender.{code}", lang)
    return code


def title_of(found: StatsAnswer, lang: str) -> str:
    """``Credentials issued by Country`` in ``lang`` (en, fr, de, ro)."""
    return translate("stats.chart_title", lang,
                     measure=translate(f"stats.measure.{found.measure}", lang),
                     dimension=translate(f"stats.dimension.{plotted(found)}", lang))  # fmt: skip


def chart_of(found: StatsAnswer, lang: str = "en") -> str:
    """The answer as an SVG chart with its title and description in ``lang``."""
    values = series(found)
    desc = translate("stats.chart_desc", lang)
    if plotted(found) == Dimension.PERIOD.value:
        return line_chart(title_of(found, lang), desc, sorted(values))
    along = plotted(found)
    named = [(value_label(along, code, lang), count) for code, count in values]
    return bar_chart(title_of(found, lang), desc, named)
