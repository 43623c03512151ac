"""the learner tables join the platform's history (one head, one metadata)

Revision ID: 0005
Revises: 0004, learner_0001
Create Date: 2026-12-06 07:00:00

The learner tables were a branch of their own (``learner_0001``) described by a separate
``MetaData``; they are now models of the platform's ``Base.metadata``
(``adapters/db/learner_models.py``). This merge keeps every existing learner table and its rows
as they are (adopted, nothing is copied or dropped) and creates any that is missing, so
``microcred db upgrade`` leaves one head.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from microcred.adapters.db import learner_models
from microcred.adapters.db.tables import Base

revision = "0005"
down_revision = ("0004", "learner_0001")
branch_labels = None
depends_on = None

LEARNER_MODELS = (
    learner_models.WebAccount, learner_models.WebSession, learner_models.LoginLink,
    learner_models.WalletCredential, learner_models.WalletClaim, learner_models.AccessToken,
    learner_models.WalletShare, learner_models.WalletShareItem,
    learner_models.VerifierChallenge, learner_models.OutboxMail,
)  # fmt: skip


def upgrade() -> None:
    bind = op.get_bind()
    for model in LEARNER_MODELS:  # in dependency order: accounts before what refers to them
        if not sa.inspect(bind).has_table(model.__tablename__):
            Base.metadata.tables[model.__tablename__].create(bind)


def downgrade() -> None:
    """Nothing to undo: the tables stay with the ``learner`` branch's first revision."""
