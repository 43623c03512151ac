"""Token Status Lists (draft-ietf-oauth-status-list) for the SD-JWT VCs issued here.

An SD-JWT VC of a platform credential points at the same position as its Bitstring Status
List entries: ``status.status_list = {"idx": <status_index>, "uri": <token list URL>}``. The
Status List Token is drawn from the provider's revocation and suspension bitstrings when asked
for (2 bits an entry: 0 valid, 1 revoked, 2 suspended), signed with the provider's active key:
revoking or suspending a credential in the platform changes both kinds of list at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from microcred.adapters.db.tables import Credential, Provider, StatusListRow
from microcred.core.status_token import (
    INVALID,
    SUSPENDED,
    TokenStatusList,
    status_claim,
    status_list_token,
)
from microcred.services import signing_keys
from microcred.services.context import Context
from microcred.services.errors import NotFound
from microcred.services.statuses import LIST_SIZE

TOKEN_LIFETIME = timedelta(days=1)
TOKEN_TTL = timedelta(minutes=5)  # how long a verifier may cache it: a revocation shows soon


def token_list_url(ctx: Context, slug: str, number: int) -> str:
    """Where the Status List Token of a provider's list ``number`` is served."""
    return f"{ctx.site.public_url}/status-lists/{slug}/token/{number}"


def status_of(ctx: Context, credential_ref: str | None) -> dict[str, Any] | None:
    """The ``status`` claim for an SD-JWT VC of the platform credential ``credential_ref``
    (None for a credential not issued here)."""
    if credential_ref is None:
        return None
    row = ctx.session.execute(
        select(Credential.status_list, Credential.status_index, Provider.slug)
        .join(Provider, Provider.id == Credential.provider_id)
        .where(Credential.id == credential_ref)
    ).first()
    if row is None:
        return None
    return status_claim(token_list_url(ctx, row.slug, row.status_list), row.status_index)


def _set_entries(target: TokenStatusList, bitstring: bytes, value: int) -> None:
    """Copy the set bits of a W3C bitstring (most significant bit first) as ``value``."""
    for byte_index, byte in enumerate(bitstring):
        if byte:
            for bit in range(8):
                if byte & (0x80 >> bit):
                    target.set(byte_index * 8 + bit, value)


def list_token(ctx: Context, slug: str, number: int) -> str:
    """Public: the signed Status List Token (``statuslist+jwt``) of list ``number``."""
    provider = ctx.session.scalar(select(Provider).where(Provider.slug == slug))
    if provider is None:
        raise NotFound(f"no provider {slug!r}")
    rows = {
        row.purpose: row.bits
        for row in ctx.session.scalars(
            select(StatusListRow).where(
                StatusListRow.provider_id == provider.id, StatusListRow.number == number
            )
        )
    }
    if not rows:
        raise NotFound(f"no status list {number} for provider {slug!r}")
    entries = TokenStatusList(bits=2, size=LIST_SIZE)
    _set_entries(entries, rows.get("suspension", b""), SUSPENDED)
    _set_entries(entries, rows.get("revocation", b""), INVALID)  # revoked wins
    key = signing_keys.active_key(ctx, provider.id)
    return status_list_token(
        entries,
        uri=token_list_url(ctx, slug, number),
        issuer=ctx.site.provider_did(slug),
        key=signing_keys.key_pair(ctx, key),
        kid=signing_keys.verification_method(ctx, slug, key),
        now=ctx.now().replace(microsecond=0),
        lifetime=TOKEN_LIFETIME,
        ttl=TOKEN_TTL,
    )
