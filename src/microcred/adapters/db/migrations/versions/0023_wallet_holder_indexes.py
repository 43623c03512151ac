"""wallet holder indexes: the statistics walk from the declarations to the credentials

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 15:55:00

Counting by the learner's declared age band or gender used to join every credential to its
holder (6-10 s at 1,000,000 credentials on SQLite). It now starts from the declarations: the
wallet rows of each declaring account (``ix_wallet_credentials_account``: account, credential
ref) and, to count a credential held twice once, whether an earlier wallet row holds it
(``ix_wallet_credentials_holder``: credential ref, account, id; it replaces 0019's index on the
credential ref alone, which it covers). Both are read from the index only. An index made
outside Alembic (a harness creating the tables from the models) is kept as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

NEW = {
    "ix_wallet_credentials_holder": ["credential_ref", "account_id", "id"],
    "ix_wallet_credentials_account": ["account_id", "credential_ref"],
}


def _indexes() -> set[str | None]:
    return {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("wallet_credentials")}


def upgrade() -> None:
    indexed = _indexes()
    for name, columns in NEW.items():
        if name not in indexed:
            op.create_index(name, "wallet_credentials", columns)
    if "ix_wallet_credentials_credential_ref" in indexed:
        op.drop_index("ix_wallet_credentials_credential_ref", table_name="wallet_credentials")


def downgrade() -> None:
    op.create_index(
        "ix_wallet_credentials_credential_ref", "wallet_credentials", ["credential_ref"]
    )
    for name in NEW:
        op.drop_index(name, table_name="wallet_credentials")
