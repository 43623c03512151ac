"""The learner side on PostgreSQL: migrations (one history with the platform) and the flows
that rely on atomic single-use updates (claims, challenges) and on erasure."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from microcred.adapters.db.migrate import packaged_heads
from microcred.services.errors import LinkExpired, ReplayRejected
from microcred.services.learner import accounts, claims, presentations, sharing
from tests.web.harness import Harness, make_harness

pytestmark = pytest.mark.postgres
SERVER = os.environ.get("MICROCRED_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")  # fmt: skip


@contextmanager
def postgres_harness(tmp_path: Path) -> Iterator[Harness]:
    """The harness on a fresh PostgreSQL database, dropped afterwards (skip without a server)."""
    name = f"microcred_web_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: the SQLite runs cover the same code
        admin.dispose()
        pytest.skip(f"PostgreSQL not available: {exc}")
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    harness = make_harness(tmp_path, database_url=url)
    try:
        yield harness
    finally:
        harness.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    with postgres_harness(tmp_path) as harness:
        yield harness


def test_learner_tables_migrate_with_the_platform(h: Harness) -> None:
    tables = set(inspect(h.platform.engine).get_table_names())
    assert {"web_accounts", "wallet_credentials", "wallet_claims", "wallet_shares",
            "verifier_challenges", "web_outbox", "credentials",
            "oid4vp_transactions"} <= tables  # fmt: skip
    with h.platform.engine.connect() as connection:
        heads = {
            row[0] for row in connection.execute(text("select version_num from alembic_version"))
        }
    assert heads == packaged_heads(
        h.platform.engine
    )  # the learner branch is merged into the history
    assert len(heads) == 1


def test_single_use_links_and_erasure(h: Harness) -> None:
    _ref, document = h.issuer.issue()
    with h.unit() as ctx:
        ana = accounts.create_account(ctx, "ana@example.org", "correct horse")
        link = claims.create_claim(ctx, document, learner_email=ana.email, credential_ref="r1")
    with h.unit() as ctx:
        held = claims.claim_into_wallet(ctx, link.token, ana.id)
    with pytest.raises(LinkExpired), h.unit() as ctx:
        claims.claim_into_wallet(ctx, link.token, ana.id)
    with h.unit() as ctx:
        share = sharing.create_share(ctx, ana.id, {held.id: ["title"]}, 2)
    with h.unit() as ctx:
        assert len(sharing.open_share(ctx, share.url.rsplit("/", 1)[1])) == 1
        wanted = presentations.new_request(ctx)
        answer = presentations.build_presentation(ctx, ana.id, held.id, wanted.challenge,
                                                  wanted.domain)  # fmt: skip
    with h.unit() as ctx:
        assert presentations.submit(ctx, wanted.challenge, answer).verified
    with pytest.raises(ReplayRejected), h.unit() as ctx:
        presentations.submit(ctx, wanted.challenge, answer)
    with h.unit() as ctx:
        accounts.erase_account(ctx, ana.id)
    with pytest.raises(LinkExpired), h.unit() as ctx:
        sharing.open_share(ctx, share.url.rsplit("/", 1)[1])
    with h.unit() as ctx:
        assert accounts.find_account(ctx, "ana@example.org") is None
