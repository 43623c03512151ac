"""The learner tables join the platform's migration history without losing a row: a database
made by yesterday's migrations (or whose learner tables were made outside Alembic), with wallet
data in it, is upgraded and everything is found through the new models."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from microcred.adapters.db.engine import make_engine
from microcred.adapters.db.learner_models import (
    AccessToken,
    LoginLink,
    OutboxMail,
    VerifierChallenge,
    WalletClaim,
    WalletCredential,
    WalletShare,
    WalletShareItem,
    WebAccount,
    WebSession,
)
from microcred.adapters.db.migrate import (
    current_revisions,
    is_up_to_date,
    packaged_heads,
    upgrade,
)
from microcred.adapters.db.tables import Base

SERVER = os.environ.get("MICROCRED_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")  # fmt: skip
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEARNER_MODELS = (WebAccount, WebSession, LoginLink, WalletCredential, WalletClaim, AccessToken,
                  WalletShare, WalletShareItem, VerifierChallenge, OutboxMail)  # fmt: skip
LEARNER_TABLES = [table for table in Base.metadata.sorted_tables
                  if table.name in {model.__tablename__ for model in LEARNER_MODELS}]  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each kind."""
    if request.param == "sqlite":
        made = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
        yield made
        made.dispose()
        return
    name = f"microcred_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL not available: {exc}")
    made = make_engine(make_url(SERVER).set(database=name).render_as_string(hide_password=False))
    yield made
    made.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _wallet_data(engine: Engine) -> None:
    """A learner with a held credential, a share of it, a pending claim and a mail."""
    with engine.begin() as conn:
        conn.execute(insert(WebAccount).values(
            id="acc-1", email="ana@example.org", password_hash="x", role="learner",
            display_name="Ana", language="ro", created_at=AT))  # fmt: skip
        conn.execute(insert(WalletCredential).values(
            id="held-1", account_id="acc-1", format="ob3", raw='{"id": "urn:x"}',
            title={"en": "Data literacy"}, issuer_name={"en": "UniBuc"}, issued_at=AT,
            source="claimed", added_at=AT))  # fmt: skip
        conn.execute(insert(WalletShare).values(
            id="share-1", token_hash="a" * 64, account_id="acc-1", created_at=AT,
            expires_at=AT))  # fmt: skip
        conn.execute(insert(WalletShareItem).values(
            share_id="share-1", credential_id="held-1", format="ob3", presented="{}",
            elements=["title"]))  # fmt: skip
        conn.execute(insert(WalletClaim).values(
            id="claim-1", token_hash="b" * 64, pre_auth_hash="c" * 64, issuer_id="did:web:x",
            document="{}", created_at=AT, expires_at=AT))  # fmt: skip
        conn.execute(
            insert(OutboxMail).values(
                recipient="ana@example.org", subject="Your credential", body="...", created_at=AT
            )
        )


def _everything_is_found(engine: Engine) -> None:
    head = packaged_heads(engine)
    assert len(head) == 1  # one head: the branches are merged
    assert current_revisions(engine) == head
    assert is_up_to_date(engine)
    with Session(engine) as session:
        ana = session.scalars(select(WebAccount).where(WebAccount.email == "ana@example.org")).one()
        assert (ana.display_name, ana.language, ana.created_at) == ("Ana", "ro", AT)
        held = session.get(WalletCredential, "held-1")
        assert held is not None
        assert (held.account_id, held.raw, held.title) == ("acc-1", '{"id": "urn:x"}',
                                                           {"en": "Data literacy"})  # fmt: skip
        item = session.scalars(select(WalletShareItem)).one()
        assert (item.share_id, item.credential_id, item.elements) == ("share-1", "held-1",
                                                                      ["title"])  # fmt: skip
        assert session.get(WalletClaim, "claim-1") is not None
        assert session.scalars(select(OutboxMail.subject)).all() == ["Your credential"]


def test_a_database_of_yesterdays_migrations_keeps_its_wallet(engine: Engine) -> None:
    upgrade(engine, "0004")  # the platform's history before the merge
    upgrade(engine, "learner_0001")  # and the learner branch, as `db upgrade` made them
    assert current_revisions(engine) == {"0004", "learner_0001"}
    _wallet_data(engine)
    upgrade(engine)
    _everything_is_found(engine)


def test_learner_tables_made_outside_alembic_are_adopted(engine: Engine) -> None:
    upgrade(engine, "0004")
    Base.metadata.create_all(engine, tables=LEARNER_TABLES)  # as a test harness once did
    _wallet_data(engine)
    upgrade(engine)
    _everything_is_found(engine)


def test_a_new_database_gets_every_learner_table(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as conn:
        present = set(engine.dialect.get_table_names(conn))
    assert {table.name for table in LEARNER_TABLES} <= present
    assert current_revisions(engine) == packaged_heads(engine)
