"""A 10,000-learner batch killed mid-way (SIGKILL) and resumed: every learner once, none twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from microcred.adapters.db.tables import Credential
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import batches, issuance, opportunities, providers
from microcred.services.batch_input import read_csv
from microcred.services.context import SYSTEM
from microcred.services.verification import verify_document
from tests.platform.samples import opportunity_in, provider_in

LEARNERS = 10_000


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "MICROCRED_DATABASE_URL": settings.effective_database_url,
            "MICROCRED_SECRET_KEY": settings.secret_key,
            "MICROCRED_PUBLIC_URL": settings.public_url,
            "MICROCRED_DATA_DIR": str(settings.data_dir),
            "MICROCRED_BATCH_WORKERS": "2", "MICROCRED_BATCH_CHUNK": "200",
            "MICROCRED_BATCH_RUNNER": settings.batch_runner}  # fmt: skip


def _cli(settings: Settings, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "microcred.cli.main", "issue-batch", *args]
    return subprocess.Popen(command, env=_env(settings), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def _count(platform: Platform) -> int:
    with platform.context(SYSTEM) as ctx:
        return ctx.session.scalar(select(func.count()).select_from(Credential)) or 0


def _prepare(platform: Platform, tmp_path: Path) -> str:
    csv = tmp_path / "learners.csv"
    lines = [f"Learner {n},learner{n}@example.org,{n % 10 + 1},2026-02-01" for n in range(LEARNERS)]
    csv.write_text("name,email,grade,date\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in())
        row = opportunities.create(ctx, provider.id, opportunity_in())
        opportunities.publish(ctx, row.id)
        return batches.create(ctx, row.id, read_csv(csv.read_text("utf-8"))).id


@pytest.mark.slow
def test_kill_and_resume(platform: Platform, settings: Settings, tmp_path: Path) -> None:
    batch_id = _prepare(platform, tmp_path)
    first = _cli(settings, "--resume", batch_id)
    deadline = time.monotonic() + 600
    while _count(platform) < LEARNERS // 5 and time.monotonic() < deadline:
        assert first.poll() is None, "the batch ended before we could kill it"
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    killed_at = _count(platform)
    assert 0 < killed_at < LEARNERS
    second = _cli(settings, "--resume", batch_id, "--takeover", "--json")
    assert second.wait(timeout=900) == 0
    with platform.context(SYSTEM) as ctx:
        batch = batches.get(ctx, batch_id)
        assert (batch.state, batch.issued, batch.failed) == ("done", LEARNERS, 0)
        rows = ctx.session.execute(select(Credential.idempotency_key, Credential.status_list,
                                          Credential.status_index)).all()  # fmt: skip
        assert len(rows) == LEARNERS
        assert len({r[0] for r in rows}) == LEARNERS
        assert len({(r[1], r[2]) for r in rows}) == LEARNERS
        sample = issuance.list_credentials(ctx, batch.provider_id, limit=500)[::100]
        for row in sample:
            assert verify_document(ctx, issuance.parsed_document(row)).verified


@pytest.mark.slow
def test_two_processes_on_one_batch(platform: Platform, settings: Settings, tmp_path: Path) -> None:
    """Two runs racing on the same batch (takeover): every learner exactly once."""
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in())
        row = opportunities.create(ctx, provider.id, opportunity_in())
        opportunities.publish(ctx, row.id)
        rows = read_csv("name,email\n" + "\n".join(f"L{n},l{n}@x.eu" for n in range(600)))
        batch_id = batches.create(ctx, row.id, rows).id
    runs = [_cli(settings, "--resume", batch_id, "--takeover", "--workers", "1")
            for _ in range(2)]  # fmt: skip
    for run in runs:
        run.wait(timeout=600)
    with platform.context(SYSTEM) as ctx:
        keys = ctx.session.scalars(select(Credential.idempotency_key)).all()
        assert len(keys) == len(set(keys)) == 600
        finished = batches.get(ctx, batch_id).state == "done"
    if not finished:  # both gave up on a clash: finish it
        batches.run(platform, SYSTEM, batch_id, takeover=True)
    with platform.context(SYSTEM) as ctx:
        assert batches.get(ctx, batch_id).issued == 600
