"""Uptake statistics pages: the provider's own figures and a national authority's (all the
providers of its country). Each page shows the chart as SVG made by the platform, the same
figures as a table beside it, and links to the chart alone and to CSV, JSON and SDMX-like
exports of the same protected table (k = 5), for the signed-in user only."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.core.errors import InvalidStatisticsQuery
from microcred.core.stats import TOTAL, to_csv, to_sdmx_csv
from microcred.schemas.statistics import StatsOut
from microcred.services import statistics
from microcred.services.context import Actor, Context, Role
from microcred.services.statistics import StatsAnswer
from microcred.services.statistics_chart import chart_of, plotted, series, title_of, value_label
from microcred.web.provider_pages import provider_context
from microcred.web.session import Visitor
from microcred.web.web_state import (
    ProviderUser,
    StatisticsReader,
    Who,
    page,
    platform_of,
    signed_in,
)

router = APIRouter(include_in_schema=False)
MEASURES = ("issued", "revoked", "published", "stacked", "recognised")
# age band and gender: as learners declared them (credential measures only)
DIMENSIONS = ("period", "country", "nuts", "eqf", "isced", "mode", "qa_type", "provider_type",
              "age_band", "gender")  # fmt: skip
GRANULARITIES = ("month", "quarter", "year")
PROVIDER, AUTHORITY = "/provider/statistics", "/authority/statistics"
Suffix = Literal["chart.svg", "export.json", "export.csv", "export.sdmx.csv"]
Opener = Callable[[Request, Visitor], AbstractContextManager[Context]]
HEADINGS = {PROVIDER: "stats.title", AUTHORITY: "stats.authority_title"}


def _json(found: StatsAnswer) -> str:
    return json.dumps(StatsOut.of(found).model_dump(mode="json"), ensure_ascii=False, indent=1)


def _csv(found: StatsAnswer) -> str:
    return to_csv(found.table, found.measure)


def _sdmx(found: StatsAnswer) -> str:
    return to_sdmx_csv(found.table, found.measure)


EXPORTS: dict[str, tuple[str, Callable[[StatsAnswer], str]]] = {
    "export.json": ("application/json", _json),
    "export.csv": ("text/csv", _csv),
    "export.sdmx.csv": ("text/csv", _sdmx),
}


@contextmanager
def authority_context(request: Request, who: Visitor) -> Iterator[Context]:
    """A platform context acting as the signed-in statistics reader of a country."""
    account = signed_in(request, who, "statistics")
    actor = Actor(f"web:{account.email}", Role.STATISTICS_READER, country=account.country)
    with platform_of(request).unit_of_work(actor) as ctx:
        yield ctx


# the form's field a refused question names (the parameters the page sends)
FIELDS = {"measure": "stats.measure", "dimensions": "stats.dimension",
          "granularity": "stats.granularity"}  # fmt: skip


def _chosen(measure: str, dimension: str, granularity: str) -> dict[str, str]:
    return {"measure": measure[:40], "dimension": dimension[:40],
            "granularity": granularity[:40]}  # fmt: skip


def _answer(opener: Opener, request: Request, who: Visitor, chosen: dict[str, str]) -> StatsAnswer:
    params = {"measure": chosen["measure"], "dimensions": chosen["dimension"],
              "granularity": chosen["granularity"]}  # fmt: skip
    with opener(request, who) as ctx:
        return statistics.answer(ctx, params)


def _show(opener: Opener, base: str, request: Request, who: Visitor,
          chosen: dict[str, str]) -> Response:  # fmt: skip
    lang = who.language
    query = urlencode({**chosen, "lang": lang})
    values: dict[str, Any] = {"chosen": chosen, "measures": MEASURES, "dimensions": DIMENSIONS,
              "granularities": GRANULARITIES, "rows": [], "chart": "", "error": "",
              "total": None, "base": base, "query": query, "scope": "",
              "heading": HEADINGS[base]}  # fmt: skip
    try:
        found = _answer(opener, request, who, chosen)
    except InvalidStatisticsQuery as error:
        values["error"] = str(error)  # the technical detail, under a sentence in four languages
        values["error_field"] = FIELDS.get(error.field or "", "stats.dimension")
        return page(request, who, "learner/statistics.html", 400, **values)
    along = plotted(found)
    ordered = sorted(series(found)) if along == "period" else series(found)
    rows = [(code, value_label(along, code, lang), value) for code, value in ordered]
    total = found.table.entries.get(tuple(TOTAL for _ in found.table.dimensions))
    values.update(rows=rows, chart=chart_of(found, lang), title=title_of(found, lang),
                  total=total.value if total else None, plotted=along,
                  scope=found.scope.partition(":")[2])  # fmt: skip
    return page(request, who, "learner/statistics.html", **values)


def _file(opener: Opener, request: Request, who: Visitor, chosen: dict[str, str],
          suffix: str) -> Response:  # fmt: skip
    try:
        found = _answer(opener, request, who, chosen)
    except InvalidStatisticsQuery as error:
        return Response(str(error), status_code=400, media_type="text/plain")
    if suffix == "chart.svg":
        return Response(chart_of(found, who.language), media_type="image/svg+xml")
    media, body = EXPORTS[suffix]
    name = f"uptake-{found.measure}-{chosen['dimension'][:20]}.{suffix.split('.', 1)[1]}"
    return Response(body(found), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get(PROVIDER)
def provider_page(request: Request, who: Who, _user: ProviderUser, measure: str = "issued",
                  dimension: str = "period", granularity: str = "month") -> Response:  # fmt: skip
    """One measure by one dimension for the signed-in user's provider (k = 5 applies)."""
    return _show(provider_context, PROVIDER, request, who,
                 _chosen(measure, dimension, granularity))  # fmt: skip


@router.get(AUTHORITY)
def authority_page(request: Request, who: Who, _user: StatisticsReader, measure: str = "issued",
                   dimension: str = "country", granularity: str = "month") -> Response:  # fmt: skip
    """A national authority's dashboard: every provider of its country (k = 5 applies)."""
    return _show(authority_context, AUTHORITY, request, who,
                 _chosen(measure, dimension, granularity))  # fmt: skip


@router.get(PROVIDER + "/{suffix}")
def provider_file(request: Request, who: Who, _user: ProviderUser, suffix: Suffix,
                  measure: str = "issued", dimension: str = "period",
                  granularity: str = "month") -> Response:  # fmt: skip
    """The provider page's chart alone (SVG) or its figures as JSON, CSV or SDMX-like CSV."""
    return _file(provider_context, request, who, _chosen(measure, dimension, granularity),
                 suffix)  # fmt: skip


@router.get(AUTHORITY + "/{suffix}")
def authority_file(request: Request, who: Who, _user: StatisticsReader, suffix: Suffix,
                   measure: str = "issued", dimension: str = "country",
                   granularity: str = "month") -> Response:  # fmt: skip
    """The authority dashboard's chart alone (SVG) or its figures as JSON, CSV or SDMX-like."""
    return _file(authority_context, request, who, _chosen(measure, dimension, granularity),
                 suffix)  # fmt: skip
