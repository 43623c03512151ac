"""``microcred guidance``: what is missing for an occupation or skills, and what fills it."""

from __future__ import annotations

import argparse

from microcred.cli.output import print_json
from microcred.cli.runtime import operator
from microcred.core.search.text import LANGUAGES
from microcred.schemas.guidance import GuidanceOut
from microcred.services import guidance


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("guidance", help="skill gap towards an occupation and suggested courses")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--occupation", help="ESCO occupation URI (this or --skills is required)")
    target.add_argument("--skills", action="append",
                        help="ESCO skill URI(s) to reach; repeat or comma-separate")  # fmt: skip
    p.add_argument("--held", action="append",
                   help="ESCO skill URI(s) already held; repeat or comma-separate")  # fmt: skip
    p.add_argument("--level", help="the learner's current EQF level, 1-8")
    p.add_argument("--country", action="append", help="only courses of this country (FR, RO...)")
    p.add_argument("--language", action="append", help="only courses taught in (en, fr...)")
    p.add_argument("--price-max", help="only courses costing at most this (EUR)")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of the answer (default en)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_guidance)


def _params(args: argparse.Namespace) -> dict[str, list[str]]:
    params = {"lang": [args.lang]}
    for name in ("occupation", "skills", "held", "level", "country", "language", "price_max"):
        value = getattr(args, name)
        if value:
            params[name] = value if isinstance(value, list) else [value]
    return params


def run_guidance(args: argparse.Namespace) -> int:
    with operator() as ctx:
        found = GuidanceOut.of(ctx, guidance.guide(ctx, _params(args)))
    if args.json:
        print_json(found.model_dump(mode="json"))
        return 0
    print(
        f"{len(found.missing)} skills missing"
        + (f" for {found.target_label}" if found.target_label else "")
    )
    for skill in found.missing:
        print(f"  - {skill.label}")
    for item in found.suggestions:
        print(f"{item.rank}. {item.title}  {item.url}")
        for reason in item.reasons:
            print(f"     {reason}")
    return 0
