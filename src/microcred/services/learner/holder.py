"""Each learner's holder key: Ed25519, encrypted at rest under a key derived from the secret."""

from __future__ import annotations

from sqlalchemy import select

from microcred.adapters.db.learner_models import WebAccount
from microcred.core.keys import KeyPair
from microcred.services.context import Context
from microcred.services.errors import NotFound


def _passphrase(ctx: Context, account_id: str) -> bytes:
    return ctx.keyed("holder-key", account_id).hex().encode("ascii")


def new_holder_key(ctx: Context, account_id: str) -> tuple[bytes, str]:
    """A fresh holder key for ``account_id``: ``(encrypted key file, did:key)``."""
    pair = KeyPair.from_seed(ctx.random_bytes(32))
    return pair.to_encrypted(_passphrase(ctx, account_id)), pair.public.did_key


def holder_key(ctx: Context, account_id: str) -> KeyPair:
    """Decrypt the holder key of ``account_id``."""
    row = ctx.session.execute(
        select(WebAccount.holder_key).where(WebAccount.id == account_id)
    ).first()
    if row is None or row.holder_key is None:
        raise NotFound("no such account")
    return KeyPair.from_encrypted(bytes(row.holder_key), _passphrase(ctx, account_id))
