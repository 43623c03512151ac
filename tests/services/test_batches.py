"""Batch issuance: bad rows by line, duplicates, resume without duplicates."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from microcred.adapters.db.tables import Batch, BatchItem, Credential
from microcred.bootstrap import Platform
from microcred.core.proofs.registry import DEFAULT_SUITE
from microcred.services import (
    batch_chunks,
    batches,
    issuance,
    opportunities,
    providers,
    signing_keys,
)
from microcred.services.batch_chunks import Progress
from microcred.services.batch_input import read_csv, read_json
from microcred.services.batch_signing import InlineSigner
from microcred.services.context import SYSTEM, Context
from microcred.services.errors import InvalidInput
from microcred.services.verification import verify_document
from tests.platform.fixtures import Clock
from tests.platform.samples import opportunity_in, provider_in

CSV = """name,email,grade,date
Ana Popescu,ana@example.org,9.5,2026-02-01
Broken Row,not-an-email,8,2026-02-01
Jean Dupont,jean@example.org,7,not-a-date
Ion Ionescu,ion@example.org,10,
Ana Again,ANA@example.org,9,
"""


def _published(ctx: Context) -> int:
    provider = providers.register(ctx, provider_in())
    row = opportunities.create(ctx, provider.id, opportunity_in())
    opportunities.publish(ctx, row.id)
    return row.id


def run(platform: Platform, ctx: Context, batch_id: str, progress: Progress | None = None) -> Batch:
    """Run a batch as background work does: the test's writes committed first (it is their
    entry point), the run in units of work of its own; ``ctx`` then sees what it stored."""
    ctx.session.commit()
    done = batches.run(platform, SYSTEM, batch_id, progress)
    ctx.session.expire_all()
    return done


def test_csv_rows_with_line_numbers() -> None:
    rows = read_csv(CSV)
    assert [r.line for r in rows] == [2, 3, 4, 5, 6]
    assert "email" in (rows[1].error or "")
    assert "date" in (rows[2].error or "")
    assert read_json('[{"name": "A"}, 3, {"nom": "x"}]')[1].error == "not a JSON object"


def test_a_json_batch_that_repeats_a_key_is_refused_not_guessed() -> None:
    with pytest.raises(InvalidInput, match="email"):
        read_json('[{"name": "A", "email": "a@x.eu", "email": "b@x.eu"}]')


def test_batch_issues_and_reports(platform: Platform, ctx: Context) -> None:
    opportunity = _published(ctx)
    batch = batches.create(ctx, opportunity, read_csv(CSV))
    seen: list[tuple[int, int]] = []
    batch = run(platform, ctx, batch.id, lambda done, total: seen.append((done, total)))
    assert (batch.state, batch.issued, batch.failed) == ("done", 2, 3)
    assert [e["line"] for e in batches.errors(ctx, batch.id)] == [3, 4, 6]
    again = batches.create(ctx, opportunity, read_csv(CSV))
    again = run(platform, ctx, again.id)
    assert again.issued == 2
    count = ctx.session.scalar(select(func.count()).select_from(Credential))
    assert count == 2
    row = issuance.list_credentials(ctx, batch.provider_id, email="ion@example.org")[0]
    assert verify_document(ctx, issuance.parsed_document(row)).verified


def test_learners_streamed_in_slices_are_one_batch(
    platform: Platform, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generator of rows (the way a million learners come in) is inserted a slice at a
    time; a learner repeated in a later slice is still that line's error."""
    opportunity = _published(ctx)
    monkeypatch.setattr(batches, "INSERT_SLICE", 2)
    rows = iter(read_csv(CSV))
    batch = run(platform, ctx, batches.create(ctx, opportunity, rows).id)
    assert (batch.state, batch.total, batch.issued, batch.failed) == ("done", 5, 2, 3)
    assert [e["line"] for e in batches.errors(ctx, batch.id)] == [3, 4, 6]
    assert (
        "same learner as line 2"
        in ctx.session.scalars(
            select(BatchItem.error).where(BatchItem.batch_id == batch.id, BatchItem.line == 6)
        ).one()
    )
    with pytest.raises(InvalidInput, match="no learners"):
        batches.create(ctx, opportunity, iter([]))


def test_batch_with_pool(platform: Platform, ctx: Context) -> None:
    opportunity = _published(ctx)
    rows = read_json(str([{"name": f"L{n}"} for n in range(120)]).replace("'", '"'))
    platform.settings = replace(platform.settings, batch_workers=2, batch_chunk=40)
    batch = run(platform, ctx, batches.create(ctx, opportunity, rows).id)
    assert (batch.state, batch.issued) == ("done", 120)
    rows_db = issuance.list_credentials(ctx, batch.provider_id, limit=500)
    assert len({(r.status_list, r.status_index) for r in rows_db}) == 120


def test_stalled_batches_resume(platform: Platform, ctx: Context, clock: Clock) -> None:
    opportunity = _published(ctx)
    batch = batches.create(ctx, opportunity, read_csv(CSV))
    assert batches.stalled(ctx) == []  # just created: its creator is about to run it
    ctx.session.commit()
    clock.tick(120)
    assert batches.resume_stalled(platform) == [batch.id]
    ctx.session.expire_all()
    assert batches.get(ctx, batch.id).state == "done"
    assert batches.stalled(ctx) == []


def test_a_chunk_stored_twice_is_kept_once(platform: Platform, ctx: Context) -> None:
    """Two runs signed the same chunk: the first store keeps it, the second keeps nothing."""
    opportunity = _published(ctx)
    rows = read_json(str([{"name": f"L{n}"} for n in range(30)]).replace("'", '"'))
    batch = batches.create(ctx, opportunity, rows)
    ctx.session.commit()
    with platform.unit_of_work(SYSTEM) as uow:
        provider_id = batches.get(uow, batch.id).provider_id
        key_id = signing_keys.active_key(uow, provider_id).id
        pair = signing_keys.key_pair(uow, signing_keys.active_key(uow, provider_id))
    signer = InlineSigner(pair, "did:web:mc.example:providers:x#key-1", DEFAULT_SUITE)
    jobs = [batch_chunks.Job(platform, SYSTEM, batch.id, key_id, "", signer) for _ in range(2)]
    chunks = [batch_chunks.prepare(job, 0) for job in jobs]
    assert chunks[0] is not None
    assert chunks[1] is not None
    assert batch_chunks.store(jobs[0], chunks[0], None)
    assert not batch_chunks.store(jobs[1], chunks[1], None)
    ctx.session.expire_all()
    assert ctx.session.scalar(select(func.count()).select_from(Credential)) == 30
    assert (batches.get(ctx, batch.id).issued, jobs[0].meter.stored) == (30, 30)
