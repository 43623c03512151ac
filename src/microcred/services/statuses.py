"""Bitstring status lists: index allocation, revoke / suspend / reinstate, signed list credentials.

Every credential gets the same index in its provider's revocation and suspension lists. Indexes
are handed out by a counter on the provider row (one atomic UPDATE ... RETURNING) and spread
over the list by an odd stride, so neighbours in a batch do not sit side by side in the list.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update

from microcred.adapters.db.tables import Credential, Provider, StatusListRow
from microcred.core.keys import KeyType
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.registry import suite_for_key
from microcred.core.status import StatusList, status_list_credential
from microcred.services import audit, signing_keys
from microcred.services.context import Context
from microcred.services.errors import Conflict, InvalidInput, NotFound

LIST_SIZE = 131_072  # the spec's minimum, for herd privacy
STRIDE = 40_503  # odd, so counter -> index is a bijection modulo 2**17
PURPOSES = ("revocation", "suspension")
ACTIONS = ("revoke", "suspend", "reinstate")


def position(counter: int) -> tuple[int, int]:
    """(list number, index in the list) of the ``counter``-th credential of a provider."""
    return counter // LIST_SIZE, (counter % LIST_SIZE) * STRIDE % LIST_SIZE


def _create_lists(ctx: Context, provider_id: int, number: int) -> None:
    for purpose in PURPOSES:
        row = StatusListRow(provider_id=provider_id, purpose=purpose, number=number,
                            bits=bytes(LIST_SIZE // 8), updated_at=ctx.now())  # fmt: skip
        ctx.session.add(row)


def allocate(ctx: Context, provider_id: int, count: int) -> list[tuple[int, int]]:
    """Reserve ``count`` positions (in the caller's transaction), creating lists as they fill."""
    end = ctx.session.execute(
        update(Provider)
        .where(Provider.id == provider_id)
        .values(status_counter=Provider.status_counter + count)
        .returning(Provider.status_counter)
    ).scalar_one()
    start = end - count
    for number in range(start // LIST_SIZE, (end - 1) // LIST_SIZE + 1):
        if number * LIST_SIZE >= start:  # a list whose first position is in this range
            _create_lists(ctx, provider_id, number)
    ctx.session.flush()
    return [position(counter) for counter in range(start, end)]


def _list_row(ctx: Context, provider_id: int, purpose: str, number: int) -> StatusListRow:
    query = select(StatusListRow).where(
        StatusListRow.provider_id == provider_id,
        StatusListRow.purpose == purpose,
        StatusListRow.number == number,
    )
    row = ctx.session.scalar(query.with_for_update())
    if row is None:
        raise NotFound(f"no {purpose} status list {number}")
    return row


def _set_bit(ctx: Context, credential: Credential, purpose: str, value: int) -> None:
    row = _list_row(ctx, credential.provider_id, purpose, credential.status_list)
    bits = StatusList(purpose, LIST_SIZE, 1, bytearray(row.bits))
    bits.set(credential.status_index, value)
    row.bits = bytes(bits.bits)
    row.signed = None
    row.updated_at = ctx.now()


NEXT_STATE = {
    ("revoke", "active"): "revoked",
    ("revoke", "suspended"): "revoked",
    ("suspend", "active"): "suspended",
    ("reinstate", "suspended"): "active",
}


def change(ctx: Context, credential_id: str, action: str, reason: str | None) -> Credential:
    """Revoke, suspend or reinstate; the served list changes at once; audited with the reason."""
    if action not in ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(ACTIONS)}", field="action")
    credential = ctx.session.get(Credential, credential_id, with_for_update=True)
    if credential is None:
        raise NotFound(f"no credential {credential_id}")
    ctx.actor.require("issue", credential.provider_id)
    state = NEXT_STATE.get((action, credential.state))
    if state is None:
        raise Conflict(f"cannot {action} a credential that is {credential.state}")
    if action == "revoke":
        _set_bit(ctx, credential, "revocation", 1)
    if (action == "revoke" and credential.state == "suspended") or action == "reinstate":
        _set_bit(ctx, credential, "suspension", 0)
    if action == "suspend":
        _set_bit(ctx, credential, "suspension", 1)
    before, credential.state, credential.state_reason = credential.state, state, reason
    audit.record(ctx, f"credential.{action}", "credential", credential.id,
                 provider_id=credential.provider_id, reason=reason,
                 detail={"from": before, "to": state})  # fmt: skip
    ctx.session.flush()
    return credential


def _list_id(ctx: Context, slug: str, purpose: str, number: int) -> str:
    return ctx.site.status_list_url(slug, purpose, number)


def list_credential(ctx: Context, slug: str, purpose: str, number: int) -> dict[str, Any]:
    """Public: the signed BitstringStatusListCredential (re-signed only after a change)."""
    if purpose not in PURPOSES:
        raise NotFound(f"no {purpose} lists (only revocation and suspension)")
    provider = ctx.session.scalar(select(Provider).where(Provider.slug == slug))
    if provider is None:
        raise NotFound(f"no provider {slug!r}")
    row = _list_row(ctx, provider.id, purpose, number)
    if row.signed is None:
        row.signed = json.dumps(_sign_list(ctx, provider, row), separators=(",", ":"))
        ctx.session.flush()
    document: dict[str, Any] = json.loads(row.signed)
    return document


def _sign_list(ctx: Context, provider: Provider, row: StatusListRow) -> dict[str, Any]:
    bits = StatusList(row.purpose, LIST_SIZE, 1, bytearray(row.bits))
    now = ctx.now().replace(microsecond=0)
    # Valid from when the bits took this state, not from the first read that signs it: a
    # verifier whose clock read a moment earlier (another process, another machine) would
    # otherwise be told a freshly signed list "is not valid before" now.
    since = min(row.updated_at.replace(microsecond=0), now)
    url = _list_id(ctx, provider.slug, row.purpose, row.number)
    document = status_list_credential(bits, url, ctx.site.provider_did(provider.slug), since)
    key = signing_keys.active_key(ctx, provider.id)
    suite = suite_for_key(KeyType(key.key_type))
    method = signing_keys.verification_method(ctx, provider.slug, key)
    pair = signing_keys.key_pair(ctx, key)
    return sign_document(document, pair, method, suite, created=now)


def status_urls(ctx: Context, slug: str, number: int) -> tuple[str, str]:
    """The revocation and suspension list URLs of list ``number``."""
    return _list_id(ctx, slug, "revocation", number), _list_id(ctx, slug, "suspension", number)
