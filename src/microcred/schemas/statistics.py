"""Uptake statistics as JSON: tidy rows of a protected table (withheld values are null)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, RootModel

from microcred.core.stats import TOTAL
from microcred.schemas.base import Form
from microcred.services.statistics import StatsAnswer


class StatsRow(Form):
    """One cell or margin: a value per dimension (``_T`` for a total), the count or null."""

    key: dict[str, str] = Field(description="dimension -> value; '_T' is the total over it")
    value: int | None = Field(description="the count; null when withheld")
    status: Literal["shown", "primary", "secondary"] = Field(
        description="shown; primary: withheld, under k; secondary: withheld so that a "
        "primary one cannot be recovered by difference"
    )


class StatsOut(Form):
    """A protected answer: no shown value is from 1 to k - 1, none can be recovered."""

    measure: str
    dimensions: list[str]
    granularity: Literal["month", "quarter", "year"]
    scope: str = Field(description="whose figures: all, provider:<slug> or country:<code>")
    k: int
    total_key: str
    rows: list[StatsRow]

    @classmethod
    def of(cls, found: StatsAnswer) -> StatsOut:
        table = found.table
        return cls(
            measure=found.measure,
            dimensions=list(table.dimensions),
            granularity=found.query.granularity.value,
            scope=found.scope,
            k=table.k,
            total_key=TOTAL,
            rows=[
                StatsRow(
                    key=dict(zip(table.dimensions, e.key, strict=True)),
                    value=e.value,
                    status=e.status.value,
                )
                for e in table.entries.values()
            ],
        )


class SdmxCsv(RootModel[str]):
    """SDMX-like tidy CSV: DATAFLOW, a column per dimension (TIME_PERIOD for the period),
    MEASURE, OBS_VALUE (empty when withheld), OBS_STATUS (A or C), CONF_STATUS (F, C or D)."""


class SvgChart(RootModel[str]):
    """An accessible SVG chart (role=img, title, desc, a label per bar or point)."""
