"""Stacking evaluation time for wallets of growing size against the three presets and a mixed
rule set (components, k of n, a skill set, capped ECTS totals), with random credentials.

Prints, per rule set and wallet size, the median and worst time of ``evaluate`` (trace included)
and how often the search hit its step budget. No target in the issue; a learner's wallet holds
tens of credentials, a bulk re-evaluation thousands of wallets.

    PYTHONPATH=. .venv/bin/python bench/stacking.py
    PYTHONPATH=. .venv/bin/python bench/stacking.py --sizes 10 40 --runs 20
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from tests.core.stacking.builders import (
    BIG_DATA,
    HOME,
    NOW,
    OTHER,
    PROGRAMMING,
    STATISTICS,
    component,
    credential,
    ects_total,
    rules,
)

from microcred.core.stacking import HeldCredential, RuleSet, evaluate, parse_rules
from microcred.core.stacking.presets import elective_pathway, open_pathway, rigid_pathway

OPP = "https://uni.example/opportunities/"
TITLE = {"en": "Certificate"}


def rule_sets() -> dict[str, RuleSet]:
    mixed = rules({"type": "all_of", "children": [
        component(isced=["06"], eqf_min=6),
        {"type": "k_of_n", "k": 2, "children": [component(isced=["04"]),
                                                component(isced=["05"]), component(eqf_min=7)]},
        {"type": "component", "skills": [PROGRAMMING, BIG_DATA, STATISTICS], "coverage": 0.66},
        ects_total(30), ects_total(10, providers=[HOME]),
    ]}, external_credit_cap=15, ects_cap_per_credential=8)  # fmt: skip
    return {
        "open": parse_rules(open_pathway("r:open", TITLE, ects=30, home_providers=[HOME],
                                         external_credit_cap=15)),
        "elective": parse_rules(elective_pathway("r:elective", TITLE, core=[f"{OPP}0"],
                                                 electives=[f"{OPP}{i}" for i in range(1, 6)],
                                                 electives_needed=3, ects=10,
                                                 home_providers=[HOME])),
        "rigid": parse_rules(rigid_pathway("r:rigid", TITLE, opportunities=[f"{OPP}{i}" for i in
                                           range(4)], home_providers=[HOME])),
        "mixed": parse_rules(mixed),
    }  # fmt: skip


def wallet(size: int, rng: random.Random) -> list[HeldCredential]:
    skills = (PROGRAMMING, BIG_DATA, STATISTICS)
    return [credential(
        f"c{i:04d}", ects=rng.randint(1, 10), eqf=rng.randint(4, 7),
        isced=rng.choice(("0613", "0411", "0533", "0714")),
        provider=rng.choice((HOME, OTHER)), skills=tuple(rng.sample(skills, rng.randint(0, 2))),
        status=rng.choice(("active",) * 9 + ("revoked",)),
        opportunity=f"{OPP}{rng.randint(0, 8)}",
    ) for i in range(size)]  # fmt: skip


def main(argv: Any = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[5, 20, 50, 100],
        help="wallet sizes to measure (credentials per wallet)",
    )
    parser.add_argument("--runs", type=int, default=30, help="random wallets per size")
    parser.add_argument("--seed", type=int, default=11, help="random seed")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    print(f"{'rules':<9} {'size':>5} {'median ms':>10} {'max ms':>9} {'cut':>5}")
    for name, ruleset in rule_sets().items():
        for size in args.sizes:
            times, cut = [], 0
            for _ in range(args.runs):
                held = wallet(size, rng)
                start = time.perf_counter()
                result = evaluate(ruleset, held, NOW)
                times.append((time.perf_counter() - start) * 1000)
                cut += result.cut
            print(
                f"{name:<9} {size:>5} {statistics.median(times):>10.1f} {max(times):>9.1f} {cut:>5}"
            )


if __name__ == "__main__":
    main()
