"""The published table as tidy rows, CSV, JSON and SDMX-like tidy CSV.

Withheld entries carry no value: ``OBS_VALUE`` is empty, ``OBS_STATUS`` is ``C`` (SDMX's
confidentiality flag) and ``CONF_STATUS`` says why: ``C`` (under k) or ``D`` (secondary:
withheld so the others cannot be recovered); shown entries have ``A`` and ``F`` (free).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from microcred.core.stats.privacy import TOTAL, ProtectedTable, Status
from microcred.core.stats.query import SDMX_CODES

SDMX_CONF = {Status.SHOWN: "F", Status.PRIMARY: "C", Status.SECONDARY: "D"}
SDMX_NAMES = {"period": "TIME_PERIOD", "age_band": "AGE", "gender": "SEX"}


def tidy_rows(table: ProtectedTable, measure: str) -> list[dict[str, Any]]:
    """One row per cell and margin: the dimension values, the measure, value and status."""
    return [
        {
            **dict(zip(table.dimensions, entry.key, strict=True)),
            "measure": measure,
            "value": entry.value,
            "status": entry.status.value,
        }
        for entry in table.entries.values()
    ]


def to_csv(table: ProtectedTable, measure: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*table.dimensions, "measure", "value", "status"])
    for row in tidy_rows(table, measure):
        writer.writerow(
            [
                *(row[d] for d in table.dimensions),
                measure,
                "" if row["value"] is None else row["value"],
                row["status"],
            ]
        )
    return buffer.getvalue()


def to_json(table: ProtectedTable, measure: str) -> str:
    body = {
        "dimensions": list(table.dimensions),
        "measure": measure,
        "k": table.k,
        "total_key": TOTAL,
        "rows": tidy_rows(table, measure),
    }
    return json.dumps(body, ensure_ascii=False, indent=1)


def to_sdmx_csv(
    table: ProtectedTable, measure: str, dataflow: str = "MICROCRED:UPTAKE(1.0)"
) -> str:
    """SDMX-CSV-like: DATAFLOW, one column per dimension (``period`` as TIME_PERIOD), MEASURE,
    OBS_VALUE, OBS_STATUS, CONF_STATUS. Age band and gender are the ``AGE`` and ``SEX``
    columns, in Eurostat's codes (``Y15-24`` ... ``Y_GE65``; ``F``, ``M``) and SDMX's (``_O``
    other, ``_U`` undeclared, ``_T`` total)."""
    names = [SDMX_NAMES.get(d, d.upper()) for d in table.dimensions]
    codes = [SDMX_CODES.get(d, {}) for d in table.dimensions]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["DATAFLOW", *names, "MEASURE", "OBS_VALUE", "OBS_STATUS", "CONF_STATUS"])
    for entry in table.entries.values():
        writer.writerow(
            [
                dataflow,
                *(lists.get(value, value) for lists, value in zip(codes, entry.key, strict=True)),
                measure.upper(),
                "" if entry.value is None else entry.value,
                "A" if entry.shown else "C",
                SDMX_CONF[entry.status],
            ]
        )
    return buffer.getvalue()
