"""``microcred stats``: uptake statistics from a shell, protected (k = 5) like the API's."""

from __future__ import annotations

import argparse
import sys

from microcred.cli.output import print_json
from microcred.cli.runtime import operator
from microcred.core.stats import TOTAL, Dimension, Granularity, Measure, to_sdmx_csv
from microcred.schemas.statistics import StatsOut
from microcred.services import statistics

COUNTED = [d.value for d in Dimension]
FILTERS = {
    "country": "keep only this country code (RO, FR...); repeat for several",
    "nuts": "keep only this NUTS region code (RO32...); repeat for several",
    "eqf": "keep only this EQF level (1-8); repeat for several",
    "isced": "keep only this ISCED-F field code (0613...); repeat for several",
    "provider_type": "keep only this provider type (higher-education...); repeat for several",
    "qa_type": "keep only this quality-assurance type code; repeat for several",
    "mode": "keep only this learning-mode code; repeat for several",
    "age_band": "keep only this declared age band (15-24 ... 65-plus, undeclared); repeat for "
    "several",
    "gender": "keep only this declared gender (F, M, other, undeclared); repeat for several",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "stats",
        help="uptake statistics (counts under 5, and what would reveal them, are withheld)",
    )
    p.add_argument("--measure", required=True, choices=[m.value for m in Measure],
                   help="what to count (required): published opportunities, issued or revoked "
                   "credentials, stacked (larger credentials of accepted pathway decisions) or "
                   "recognised (issued full or partial recognition decisions)")  # fmt: skip
    p.add_argument("--dimension", action="append", required=True, choices=COUNTED,
                   help="count by this (required; repeat for up to three); age_band and "
                   "gender as learners declared them, with credential measures")  # fmt: skip
    p.add_argument("--granularity", choices=[g.value for g in Granularity], default="year",
                   help="length of a period when counting by period (default year)")  # fmt: skip
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                   help="keep the periods that end on or after this day")  # fmt: skip
    p.add_argument("--until", dest="date_until", metavar="YYYY-MM-DD",
                   help="keep the periods that start on or before this day")  # fmt: skip
    for name, text in FILTERS.items():
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, action="append", help=text)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    out.add_argument("--csv", action="store_true", help="print SDMX-like tidy CSV")
    p.set_defaults(handler=run)


def _params(args: argparse.Namespace) -> dict[str, list[str]]:
    params = {"measure": [args.measure], "dimensions": list(args.dimension),
              "granularity": [args.granularity]}  # fmt: skip
    if args.date_from:
        params["from"] = [args.date_from]
    if args.date_until:
        params["until"] = [args.date_until]
    for name in FILTERS:
        if getattr(args, name):
            params[name] = getattr(args, name)
    return params


def run(args: argparse.Namespace) -> int:
    with operator() as ctx:
        found = statistics.answer(ctx, _params(args))
    if args.csv:
        sys.stdout.write(to_sdmx_csv(found.table, found.measure))
        return 0
    body = StatsOut.of(found)
    if args.json:
        print_json(body.model_dump(mode="json"))
        return 0
    print("\t".join([*body.dimensions, found.measure]))
    for row in body.rows:
        value = "C (withheld)" if row.value is None else str(row.value)
        labels = ["total" if row.key[d] == TOTAL else row.key[d] for d in body.dimensions]
        print("\t".join([*labels, value]))
    return 0
