"""The learner tables as SQLAlchemy Core tables, for the learner services' statements.

They are the tables of the models in :mod:`microcred.adapters.db.learner_models`, on the
platform's ``Base.metadata`` (one metadata, one migration history).
"""

from __future__ import annotations

from sqlalchemy import Table

from microcred.adapters.db import learner_models
from microcred.adapters.db.tables import Base


def _table(model: type[Base]) -> Table:
    found: Table = Base.metadata.tables[model.__tablename__]
    return found


accounts = _table(learner_models.WebAccount)
sessions = _table(learner_models.WebSession)
login_links = _table(learner_models.LoginLink)
wallet_credentials = _table(learner_models.WalletCredential)
claims = _table(learner_models.WalletClaim)
access_tokens = _table(learner_models.AccessToken)
shares = _table(learner_models.WalletShare)
share_items = _table(learner_models.WalletShareItem)
challenges = _table(learner_models.VerifierChallenge)
outbox = _table(learner_models.OutboxMail)
