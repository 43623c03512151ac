"""Queued batches on PostgreSQL: chunks are procrastinate jobs run by ``microcred worker``
processes; workers killed mid-chunk (SIGKILL) lose nothing and duplicate nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from microcred.adapters.db.tables import Credential
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import batches, issuance, opportunities, providers, statuses
from microcred.services.batch_input import read_csv
from microcred.services.context import SYSTEM
from microcred.services.verification import verify_document
from microcred.workers import WorkerOptions, run_worker
from tests.platform.fixtures import PUBLIC_URL, _empty_postgres
from tests.platform.samples import opportunity_in, provider_in

pytestmark = pytest.mark.postgres


@pytest.fixture
def queued(postgres_url: str, tmp_path: Path) -> Iterator[Platform]:
    """A platform on PostgreSQL whose batches go to the workers (the default there)."""
    _empty_postgres(postgres_url)
    settings = Settings(data_dir=tmp_path, database_url=postgres_url, secret_key="test-secret",
                        public_url=PUBLIC_URL, batch_chunk=40, remote_resolution=False)  # fmt: skip
    made = Platform(settings)
    made.upgrade()
    yield made
    made.dispose()


def _batch(platform: Platform, learners: int) -> str:
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in())
        row = opportunities.create(ctx, provider.id, opportunity_in())
        opportunities.publish(ctx, row.id)
        lines = "\n".join(f"Learner {n},l{n}@example.org,{n % 10 + 1}" for n in range(learners))
        rows = read_csv("name,email,grade\n" + lines + "\nBroken,not-an-email,1\n")
        return batches.create(ctx, row.id, rows).id


def _jobs(platform: Platform, status: str | None = None) -> int:
    where = "WHERE task_name = 'microcred.batch_chunk'"
    if status:
        where += f" AND status = '{status}'"
    with platform.context(SYSTEM) as ctx:
        return int(ctx.session.scalar(text(f"SELECT count(*) FROM procrastinate_jobs {where}")))


def _credentials(platform: Platform) -> int:
    with platform.context(SYSTEM) as ctx:
        return ctx.session.scalar(select(func.count()).select_from(Credential)) or 0


def _assert_issued_once(platform: Platform, batch_id: str, learners: int) -> None:
    with platform.context(SYSTEM) as ctx:
        batch = batches.get(ctx, batch_id)
        assert (batch.state, batch.issued, batch.failed) == ("done", learners, 1)
        rows = ctx.session.execute(select(Credential.idempotency_key, Credential.status_list,
                                          Credential.status_index)).all()  # fmt: skip
        assert len(rows) == learners
        assert len({r[0] for r in rows}) == learners
        assert len({(r[1], r[2]) for r in rows}) == learners
        for purpose in statuses.PURPOSES:  # signed before the verifier reads its clock
            statuses.list_credential(ctx, "unibuc", purpose, 0)
        for row in issuance.list_credentials(ctx, batch.provider_id, limit=500)[::97]:
            report = verify_document(ctx, issuance.parsed_document(row))
            assert report.verified, [c for c in report.checks if c.status != "ok"]


def test_a_queued_batch_is_chunk_jobs_run_by_a_worker(queued: Platform) -> None:
    batch_id = _batch(queued, 100)
    queued.start_batch(SYSTEM, batch_id)
    assert _jobs(queued, "todo") == 3  # 100 learners in chunks of 40
    with queued.context(SYSTEM) as ctx:
        assert batches.get(ctx, batch_id).state == "running"
    run_worker(queued, queued.settings.effective_database_url, WorkerOptions(once=True))
    _assert_issued_once(queued, batch_id, 100)
    assert _jobs(queued, "succeeded") == 3
    queued.start_batch(SYSTEM, batch_id)  # again: nothing pending, nothing queued
    assert _jobs(queued) == 3


def test_a_chunk_job_run_twice_stores_nothing_twice(queued: Platform) -> None:
    batch_id = _batch(queued, 50)
    queued.start_batch(SYSTEM, batch_id)
    queued.start_batch(SYSTEM, batch_id)  # deferred twice (an operator resumed it meanwhile)
    assert _jobs(queued, "todo") == 4
    run_worker(queued, queued.settings.effective_database_url, WorkerOptions(once=True))
    _assert_issued_once(queued, batch_id, 50)


def test_sqlite_keeps_the_in_process_runner(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="s", public_url=PUBLIC_URL)
    assert not settings.batches_queued()
    assert not replace(settings, batch_runner="inline").batches_queued()
    with pytest.raises(ValueError, match="PostgreSQL"):
        replace(settings, batch_runner="queue").batches_queued()
    postgres = replace(settings, database_url="postgresql+psycopg://h/db")
    assert postgres.batches_queued()
    assert not replace(postgres, batch_runner="inline").batches_queued()


def _worker(platform: Platform, tmp_path: Path, number: int) -> subprocess.Popen[bytes]:
    settings = platform.settings
    env = {**os.environ, "MICROCRED_DATABASE_URL": settings.effective_database_url,
           "MICROCRED_SECRET_KEY": settings.secret_key, "MICROCRED_PUBLIC_URL": PUBLIC_URL,
           "MICROCRED_DATA_DIR": str(tmp_path)}  # fmt: skip
    command = [sys.executable, "-m", "microcred.cli.main", "worker", "--stalled-after", "3"]
    with (tmp_path / f"worker-{number}.log").open("wb") as log:
        return subprocess.Popen(command, env=env, start_new_session=True, stdout=log,
                                stderr=subprocess.STDOUT)  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("workers", "killed"), [(2, 1), (4, 2)])
def test_workers_killed_mid_chunk(queued: Platform, tmp_path: Path, workers: int,
                                  killed: int) -> None:  # fmt: skip
    """``workers`` processes on one batch; ``killed`` of them SIGKILLed while every worker is
    inside a chunk: the others run those chunks again, every learner gets one credential."""
    learners = 1200
    batch_id = _batch(queued, learners)
    queued.start_batch(SYSTEM, batch_id)
    running = [_worker(queued, tmp_path, n) for n in range(workers)]
    try:
        deadline = time.monotonic() + 600
        while not (_credentials(queued) >= 80 and _jobs(queued, "doing") == workers):
            assert time.monotonic() < deadline, "the workers did not all start on a chunk"
            time.sleep(0.05)
        for process in running[:killed]:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        assert _credentials(queued) < learners
        while _credentials(queued) < learners or _jobs(queued, "succeeded") < _jobs(queued):
            assert time.monotonic() < deadline, "the batch did not finish after the kill"
            time.sleep(0.5)
    finally:
        for process in running[killed:]:
            process.send_signal(signal.SIGTERM)
        for process in running[killed:]:
            process.wait(timeout=60)
    _assert_issued_once(queued, batch_id, learners)
    with queued.context(SYSTEM) as ctx:
        retried = ctx.session.scalar(text(
            "SELECT count(*) FROM procrastinate_jobs WHERE attempts > 0"
            " AND task_name = 'microcred.batch_chunk'"))  # fmt: skip
    assert retried is not None
    assert retried >= killed  # the killed workers' chunks ran again elsewhere
