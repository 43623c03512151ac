"""Uptake statistics: JSON, SDMX-like CSV and an SVG chart, protected (k = 5) before sending."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import StringConstraints

from microcred.api.deps import Auth
from microcred.api.problems import PROBLEM_RESPONSES
from microcred.core.stats import to_sdmx_csv
from microcred.schemas.statistics import SdmxCsv, StatsOut, SvgChart
from microcred.services import statistics
from microcred.services.statistics_chart import chart_of

router = APIRouter(tags=["statistics"], responses=PROBLEM_RESPONSES)
Code = Annotated[str, StringConstraints(max_length=64)]
Codes = Annotated[list[Code] | None, Query(max_length=200)]
One = Annotated[str | None, Query(max_length=40)]
Lang = Literal["en", "fr", "de", "ro"]


class CsvText(Response):
    media_type = "text/csv"


class SvgImage(Response):
    media_type = "image/svg+xml"


def _params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    return params


ABOUT = (
    "measure: published, issued, revoked, stacked (larger credentials of accepted pathway "
    "decisions), recognised (issued full or partial recognition decisions). dimensions: one to "
    "three of country, nuts, eqf, isced, provider_type, qa_type, mode, period and, with the "
    "credential measures, age_band (15-24 ... 65-plus, undeclared) and gender (F, M, other, "
    "undeclared) as learners declared them in their wallet (comma-separated). granularity: "
    "month, quarter or year. from / until (YYYY-MM-DD) "
    "select whole periods and add the period dimension. A dimension's name as a parameter "
    "filters it (eqf=6). A provider key sees its provider's figures, a platform key all. "
    "Counts from 1 to 4, and entries that would reveal them by difference, are withheld."
)


@router.get("/statistics", summary="Uptake statistics (JSON, k-anonymous)", description=ABOUT)
def as_json(request: Request, ctx: Auth, measure: One = None, dimensions: Codes = None,
            granularity: One = None) -> StatsOut:  # fmt: skip
    return StatsOut.of(statistics.answer(ctx, _params(request)))


@router.get("/statistics.csv", summary="Uptake statistics as SDMX-like tidy CSV",
            description=ABOUT, response_class=CsvText,
            responses={200: {"model": SdmxCsv}})  # fmt: skip
def as_csv(request: Request, ctx: Auth, measure: One = None, dimensions: Codes = None,
           granularity: One = None) -> CsvText:  # fmt: skip
    found = statistics.answer(ctx, _params(request))
    return CsvText(to_sdmx_csv(found.table, found.measure))


@router.get("/statistics/chart.svg", summary="Uptake statistics as an SVG chart",
            description=ABOUT + " The chart plots the first dimension (a line over periods); "
            "lang (en, fr, de, ro) is the language of its title and description.",
            response_class=SvgImage, responses={200: {"model": SvgChart}})  # fmt: skip
def as_chart(request: Request, ctx: Auth, measure: One = None, dimensions: Codes = None,
             granularity: One = None, lang: Lang = "en") -> SvgImage:  # fmt: skip
    params = _params(request)
    params.pop("lang", None)
    found = statistics.answer(ctx, params)
    return SvgImage(chart_of(found, lang))
