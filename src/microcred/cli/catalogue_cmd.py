"""``microcred catalogue search``, ``reindex`` and ``ctdl``: the catalogue from a shell."""

from __future__ import annotations

import argparse
import json

from microcred.cli.output import print_json, write_output
from microcred.cli.runtime import operator
from microcred.core.search.query import Sort
from microcred.core.search.text import LANGUAGES
from microcred.schemas.search import SearchPage
from microcred.services import catalogue_ctdl, search
from microcred.services.catalogue import Filters

LIST_FILTERS = {
    "country": "country code (FR, RO...); repeat or comma-separate for any of several",
    "nuts": "NUTS region code prefix (RO3, RO321...)",
    "isced": "ISCED-F field code prefix (06, 061, 0613...)",
    "mode": "learning mode code (online, onsite, blended...)",
    "language": "language of instruction, ISO 639-1 (en, fr...)",
    "provider-type": "kind of provider (higher-education, vet, company...)",
    "qa-type": "type of quality assurance",
    "qf-ehea": "QF-EHEA cycle",
}
ONE_FILTERS = {
    "eqf": "EQF level, 1-8 (comma-separate for several)",
    "recognition": "only with (yes) or without (no) a recognition policy",
    "ects-min": "at least this many ECTS credits",
    "ects-max": "at most this many ECTS credits",
    "price-min": "at least this price in EUR",
    "price-max": "at most this price in EUR",
    "starts-from": "starting on or after this date (YYYY-MM-DD)",
    "starts-until": "starting on or before this date (YYYY-MM-DD)",
    "page": "page number, from 1 (default 1)",
    "per-page": "results per page, 1-100 (default 20)",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cat = sub.add_parser("catalogue", help="search the published catalogue").add_subparsers(
        dest="catalogue_command", required=True)  # fmt: skip
    p = cat.add_parser("search", help="full-text, faceted, cross-language search")
    p.add_argument("text", nargs="?", default="", help="words to look for, in any language")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of the words and of the answer (default en)")  # fmt: skip
    for name, text in LIST_FILTERS.items():
        p.add_argument(f"--{name}", action="append", help=text)
    for name, text in ONE_FILTERS.items():
        p.add_argument(f"--{name}", help=text)
    p.add_argument("--sort", choices=[s.value for s in Sort], default="relevance",
                   help="order of the results (default relevance)")  # fmt: skip
    p.add_argument("--order", choices=["desc", "asc"], default="desc",
                   help="descending (default) or ascending")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_search)
    p = cat.add_parser("reindex", help="rebuild the search index from the published versions")
    p.set_defaults(handler=run_reindex)
    ctdl_help = ("export the published catalogue and its providers as CTDL JSON-LD "
                 "(Credential Engine), like GET /catalogue/export/ctdl")  # fmt: skip
    p = cat.add_parser("ctdl", help=ctdl_help)
    p.add_argument("--provider", help="only this provider's opportunities (its slug)")
    p.add_argument("--country", help="only providers of this country (RO, FR...)")
    p.add_argument("--eqf", type=int, choices=range(1, 9), metavar="1-8",
                   help="only opportunities at this EQF level")  # fmt: skip
    p.add_argument("--output", help="write the JSON-LD to this file (default: standard output)")
    p.set_defaults(handler=run_ctdl)


def _params(args: argparse.Namespace) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {"q": [args.text], "lang": [args.lang], "sort": [args.sort],
                                    "order": [args.order]}  # fmt: skip
    for name in (*LIST_FILTERS, *ONE_FILTERS):
        value = getattr(args, name.replace("-", "_"))
        if value:
            params[name.replace("-", "_")] = value if isinstance(value, list) else [value]
    return params


def run_search(args: argparse.Namespace) -> int:
    with operator() as ctx:
        results = search.search_catalogue(ctx, _params(args))
        views = search.hit_views(ctx, results)
    if args.json:
        print_json(SearchPage.of(results, views).model_dump(mode="json"))
        return 0
    print(f"{results.total} found")
    for view in views:
        print(f"{view.opportunity_id:>6}  {view.title}  ({view.provider})  {view.url}")
        for reason in view.reasons:
            print(f"        {reason}")
    return 0


def run_reindex(_: argparse.Namespace) -> int:
    with operator() as ctx:
        count = search.reindex_all(ctx)  # committed when the command's unit of work ends
    print(f"{count} published opportunities indexed")
    return 0


def run_ctdl(args: argparse.Namespace) -> int:
    filters = Filters(provider=args.provider, country=args.country, eqf=args.eqf)
    with operator() as ctx:
        graph = catalogue_ctdl.ctdl_catalogue(ctx, filters)
    write_output(json.dumps(graph, ensure_ascii=False, indent=2), args.output)
    return 0
