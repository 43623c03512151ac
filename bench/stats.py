"""Uptake statistics over many credentials: the SQL aggregation and the protection, timed.

Generates providers in three countries and 30 published opportunities (EQF 4-7, through the
services), then bulk-inserts N credentials spread over 36 months (3 % revoked; the documents are
a placeholder: the statistics never read them), puts 40 % of them in the wallets of learners
(one account per five credentials, two thirds of them declaring a random age band and gender),
and times ``services.statistics.answer`` (SQL GROUP BY + k = 5 protection) for a mix of
queries, on each database.

    PYTHONPATH=src:. .venv/bin/python bench/stats.py --count 1000000
    PYTHONPATH=src:. .venv/bin/python bench/stats.py --count 100000 --database sqlite
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.search import database
from sqlalchemy import insert, select
from tests.platform.samples import opportunity_in, provider_in

from microcred.adapters.db.learner_models import (
    LearnerDeclaration,
    WalletCredential,
    WebAccount,
)
from microcred.adapters.db.tables import Credential, OpportunityVersion
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import issuance, opportunities, providers, statistics
from microcred.services.context import SYSTEM
from microcred.services.issuance import IssueIn

QUERIES = [
    {"measure": "issued", "dimensions": "country"},
    {"measure": "issued", "dimensions": "eqf,period", "granularity": "quarter"},
    {"measure": "issued", "dimensions": "country,eqf,period", "granularity": "year"},
    {"measure": "revoked", "dimensions": "provider_type,period", "granularity": "month"},
    {"measure": "issued", "dimensions": "isced", "country": "RO", "from": "2025-01-01"},
    {"measure": "published", "dimensions": "country,eqf"},
    {"measure": "issued", "dimensions": "gender"},
    {"measure": "issued", "dimensions": "country,age_band,gender"},
    {"measure": "issued", "dimensions": "age_band,period", "granularity": "month"},
    {"measure": "issued", "dimensions": "gender,period", "granularity": "month"},
    {"measure": "revoked", "dimensions": "gender"},
]
HELD = 0.4  # of the credentials, in a wallet
BANDS = ("15-24", "25-34", "35-44", "45-54", "55-64", "65-plus")
START = datetime(2024, 1, 1, tzinfo=UTC)


def _catalogue(platform: Platform) -> tuple[list[int], str]:
    """Published versions and one real credential to copy the signing columns from."""
    with platform.unit_of_work(SYSTEM) as ctx:
        for n, (country, region) in enumerate((("RO", "RO32"), ("FR", "FR10"), ("DE", "DE30"))):
            provider = providers.register(ctx, provider_in(f"provider-{n}", country, region))
            for i in range(10):
                row = opportunities.create(
                    ctx, provider.id, opportunity_in(f"Course {n}-{i}", eqf=4 + i % 4)
                )
                opportunities.publish(ctx, row.id)
        learner = {"name": "Ana", "email": "ana@example.eu"}
        issue = IssueIn.model_validate({"opportunity_id": 1, "learner": learner})
        issued, _ = issuance.issue(ctx, issue)
        versions = list(ctx.session.scalars(
            select(OpportunityVersion.id).where(OpportunityVersion.is_latest)))  # fmt: skip
        return versions, issued.id


def _fill(platform: Platform, count: int, versions: list[int], model_id: str) -> float:
    with platform.context(SYSTEM) as ctx:
        model = ctx.session.get(Credential, model_id)
        assert model is not None
        owner = dict(ctx.session.execute(
            select(OpportunityVersion.id, OpportunityVersion.provider_id)).all())  # fmt: skip
        signing, fmt, suite = model.signing_key_id, model.format, model.suite
    rng = random.Random(12)
    began = time.perf_counter()
    with platform.engine.begin() as connection:
        for first in range(0, count, 20_000):
            rows = []
            for n in range(first, min(first + 20_000, count)):
                version = rng.choice(versions)
                rows.append({
                    "id": str(uuid.UUID(int=n + 1)), "provider_id": owner[version],
                    "opportunity_version_id": version, "signing_key_id": signing,
                    "idempotency_key": f"bench-{n}", "format": fmt, "suite": suite,
                    "document": "{}", "status_list": 9, "status_index": n,
                    "issued_at": START + timedelta(minutes=rng.randrange(36 * 30 * 24 * 60)),
                    "state": "revoked" if rng.random() < 0.03 else "active",
                })  # fmt: skip
            connection.execute(insert(Credential), rows)
    return time.perf_counter() - began


def _wallets(platform: Platform, count: int) -> float:
    """Accounts holding credentials 1..HELD*count by five, two thirds with a declaration."""
    rng = random.Random(13)
    began = time.perf_counter()
    held = int(count * HELD)
    with platform.engine.begin() as connection:
        for first in range(0, held, 20_000):
            last = min(first + 20_000, held)
            people = range(first // 5, (last + 4) // 5)
            connection.execute(insert(WebAccount), [
                {"id": f"a-{p}", "email": f"learner{p}@bench.example", "role": "learner",
                 "created_at": START, "display_name": "", "language": "en"} for p in people
            ])  # fmt: skip
            declared = [p for p in people if p % 3]
            if declared:
                connection.execute(insert(LearnerDeclaration), [
                    {"account_id": f"a-{p}", "age_band": rng.choice(BANDS),
                     "gender": rng.choice(("F", "M", "other")), "declared_at": START}
                    for p in declared
                ])  # fmt: skip
            connection.execute(insert(WalletCredential), [
                {"id": f"w-{n}", "account_id": f"a-{n // 5}", "format": "ob3", "raw": "{}",
                 "credential_ref": str(uuid.UUID(int=n + 1)), "title": {}, "issuer_name": {},
                 "source": "claimed", "added_at": START} for n in range(first, last)
            ])  # fmt: skip
    return time.perf_counter() - began


def run(kind: str, count: int) -> None:
    with database(kind) as url, tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=url,
                            secret_key="bench", public_url="https://bench.example")  # fmt: skip
        platform = Platform(settings, clock=lambda: START)
        platform.upgrade()
        try:
            versions, model = _catalogue(platform)
            took = _fill(platform, count, versions, model)
            print(f"{kind}: inserted {count:,} credentials in {took:.1f} s")
            took = _wallets(platform, count)
            print(f"{kind}: put {int(count * HELD):,} in wallets in {took:.1f} s")
            for query in QUERIES:
                with platform.context(SYSTEM) as ctx:
                    load = os.getloadavg()[0]
                    began, cpu = time.perf_counter(), time.process_time()
                    found = statistics.answer(ctx, query)
                    took, cpu = time.perf_counter() - began, time.process_time() - cpu
                shown = sum(e.shown for e in found.table.entries.values())
                print(f"{kind}: {took * 1000:8.1f} ms (this process's CPU {cpu * 1000:7.1f} ms, "
                      f"load {load:4.1f})  {len(found.table.entries):5d} entries "
                      f"({shown} shown)  {query}")  # fmt: skip
        finally:
            platform.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000,
                        help="credentials to generate (default 1,000,000)")  # fmt: skip
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both",
                        help="which database to measure (default both)")  # fmt: skip
    args = parser.parse_args()
    for kind in ("sqlite", "postgres") if args.database == "both" else (args.database,):
        run(kind, args.count)


if __name__ == "__main__":
    main()
