"""Signing keys per provider: creation, rotation (old keys stay listed), did:web documents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from microcred.adapters.db.tables import Provider, SigningKey, StatusListRow
from microcred.core.did import did_web_document
from microcred.core.keys import KeyPair, KeyType, PublicKey
from microcred.services import audit
from microcred.services.context import Context
from microcred.services.errors import Conflict, InvalidInput, NotFound


def create_key(ctx: Context, provider_id: int | None, key_type: KeyType) -> SigningKey:
    """Generate a key, seal it with the vault and store it (not committed)."""
    pair = ctx.new_key(key_type)
    row = SigningKey(
        provider_id=provider_id,
        key_type=key_type.value,
        public_multibase=pair.public.to_multibase(),
        private_encrypted=ctx.vault.seal(pair),
        created_at=ctx.now(),
    )
    ctx.session.add(row)
    ctx.session.flush()
    return row


def keys_of(ctx: Context, provider_id: int | None) -> list[SigningKey]:
    """Every key of a provider (or of the platform), oldest first."""
    owner = (
        SigningKey.provider_id.is_(None)
        if provider_id is None
        else SigningKey.provider_id == provider_id
    )
    return list(ctx.session.scalars(select(SigningKey).where(owner).order_by(SigningKey.id)))


def active_key(
    ctx: Context, provider_id: int | None, key_types: frozenset[KeyType] | None = None
) -> SigningKey:
    """The newest key (of one of ``key_types``) that is neither retired nor revoked."""
    for row in reversed(keys_of(ctx, provider_id)):
        usable = key_types is None or KeyType(row.key_type) in key_types
        if usable and row.retired_at is None and row.revoked_at is None:
            return row
    wanted = "/".join(sorted(k.value for k in key_types)) if key_types else "signing"
    raise Conflict(f"no active {wanted} key: rotate the keys to create one")


def key_pair(ctx: Context, row: SigningKey) -> KeyPair:
    return ctx.vault.open(row.private_encrypted)


def rotate(ctx: Context, provider_id: int, key_type: str = "ed25519") -> SigningKey:
    """A new active key; previous keys of its type retire but keep verifying what they signed."""
    ctx.actor.require("manage", provider_id)
    if ctx.session.get(Provider, provider_id) is None:
        raise NotFound(f"no provider {provider_id}")
    try:
        kind = KeyType(key_type)
    except ValueError:
        raise InvalidInput(f"key type {key_type!r} is not one of ed25519, p256, p384",
                           field="key_type") from None  # fmt: skip
    now = ctx.now()
    for row in keys_of(ctx, provider_id):
        if row.retired_at is None and row.key_type == kind.value:
            row.retired_at = now
    new = create_key(ctx, provider_id, kind)
    audit.record(ctx, "key.rotate", "signing-key", new.id, provider_id=provider_id)
    return new


def revoke_key(ctx: Context, provider_id: int, key_id: int, reason: str) -> SigningKey:
    """Mark a key compromised: it stays listed but no longer verifies anything."""
    ctx.actor.require("manage", provider_id)
    row = ctx.session.get(SigningKey, key_id)
    if row is None or row.provider_id != provider_id:
        raise NotFound(f"provider {provider_id} has no key {key_id}")
    row.revoked_at = row.revoked_at or ctx.now()
    row.retired_at = row.retired_at or row.revoked_at
    lists = update(StatusListRow).where(StatusListRow.provider_id == provider_id)
    ctx.session.execute(lists.values(signed=None))  # re-signed with a valid key on next read
    audit.record(ctx, "key.revoke", "signing-key", key_id, provider_id=provider_id, reason=reason)
    return row


def did_document(did: str, rows: list[SigningKey]) -> dict[str, Any]:
    """The did:web document: every key listed, revoked ones not valid for any purpose."""
    keys = [PublicKey.from_multibase(r.public_multibase) for r in rows]
    valid = [k for k, r in zip(keys, rows, strict=True) if r.revoked_at is None]
    document = did_web_document(did, keys, valid)
    active = [k for k, r in zip(keys, rows, strict=True) if r.retired_at is None]
    if active:
        document["alsoKnownAs"] = [active[-1].did_key]
    return document


def provider_did_document(ctx: Context, slug: str) -> dict[str, Any]:
    """Public: the did:web document of a provider."""
    provider = ctx.session.scalar(select(Provider).where(Provider.slug == slug))
    if provider is None:
        raise NotFound(f"no provider {slug!r}")
    return did_document(ctx.site.provider_did(slug), keys_of(ctx, provider.id))


def platform_did_document(ctx: Context) -> dict[str, Any]:
    """Public: the platform's did:web document (its key is created on first use)."""
    rows = keys_of(ctx, None)
    if not rows:
        rows = [create_key(ctx, None, KeyType.ED25519)]
        ctx.session.flush()
    return did_document(ctx.site.platform_did, rows)


def verification_method(ctx: Context, slug: str, row: SigningKey) -> str:
    """The verification method id of a provider key inside its did:web document."""
    return f"{ctx.site.provider_did(slug)}#{row.public_multibase}"
