"""A credential this platform issued to a learner with a wallet account goes straight into that
wallet (a recognition decision, a validated micro-credential), bound to the holder's key."""

from __future__ import annotations

from microcred.adapters.db.tables import Credential
from microcred.services.context import Context
from microcred.services.learner import wallet
from microcred.services.learner.binding import bound_sd_jwt
from microcred.services.learner.holder import holder_key


def deliver(ctx: Context, account_id: str, credential: Credential) -> wallet.Held:
    """Verify and store ``credential`` in the wallet of ``account_id``."""
    holder = holder_key(ctx, account_id).public
    sd_jwt = bound_sd_jwt(ctx, credential.document, holder)
    return wallet.add(ctx, account_id, credential.document, source="issued", sd_jwt=sd_jwt,
                      credential_ref=credential.id)  # fmt: skip
