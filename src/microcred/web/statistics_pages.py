"""The provider's uptake statistics: an SVG chart and, beside it, the same figures as a table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.core.errors import InvalidStatisticsQuery
from microcred.core.stats import TOTAL, bar_chart, line_chart
from microcred.services import statistics
from microcred.services.statistics_chart import plotted, series
from microcred.web.provider_pages import provider_context
from microcred.web.rendering import text
from microcred.web.web_state import ProviderUser, Who, page

router = APIRouter(include_in_schema=False)
MEASURES = ("issued", "revoked", "published")
DIMENSIONS = ("period", "country", "nuts", "eqf", "isced", "mode", "qa_type", "provider_type")
GRANULARITIES = ("month", "quarter", "year")


@router.get("/provider/statistics")
def statistics_page(request: Request, who: Who, _user: ProviderUser, measure: str = "issued",
                    dimension: str = "period", granularity: str = "month") -> Response:  # fmt: skip
    """One measure by one dimension for the signed-in user's provider (k = 5 applies)."""
    chosen = {"measure": measure[:40], "dimension": dimension[:40],
              "granularity": granularity[:40]}  # fmt: skip
    params = {"measure": chosen["measure"], "dimensions": chosen["dimension"],
              "granularity": chosen["granularity"]}  # fmt: skip
    values: dict[str, Any] = {"chosen": chosen, "measures": MEASURES, "dimensions": DIMENSIONS,
              "granularities": GRANULARITIES, "rows": [], "chart": "", "error": "",
              "total": None}  # fmt: skip
    t = _translator(who.language)
    try:
        with provider_context(request, who) as ctx:
            found = statistics.answer(ctx, params)
    except InvalidStatisticsQuery as error:
        values["error"] = str(error)
        return page(request, who, "learner/statistics.html", 400, **values)
    rows = series(found)
    if plotted(found) == "period":
        rows = sorted(rows)
    title = t("stats.chart_title", measure=t(f"stats.measure.{found.measure}"),
              dimension=t(f"stats.dimension.{plotted(found)}"))  # fmt: skip
    draw = line_chart if plotted(found) == "period" else bar_chart
    total_key = tuple(TOTAL for _ in found.table.dimensions)
    total = found.table.entries.get(total_key)
    values.update(rows=rows, chart=draw(title, t("stats.chart_desc"), rows), title=title,
                  total=total.value if total else None)  # fmt: skip
    return page(request, who, "learner/statistics.html", **values)


def _translator(lang: str) -> Callable[..., str]:
    return lambda key, **fill: text(key, lang, **fill)
