"""A held credential as a CLR 2.0 record: the credential, the parts of it the wallet holds, and
their ``isPartOf`` associations, signed by the learner's holder key.

A larger credential names each part by its credential id (an OB 3.0 alignment to a
``ceterms:Credential``); the wallet's credentials with those ids join the bundle, each embedded
unchanged so its issuer's proof still holds. The record is the learner's own packaging: its
issuer is the holder's ``did:key``, and a verifier checks every part as well as the bundle.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.formats.clr import build_clr, embeddable
from microcred.core.stacking.larger import bundle_associations, part_ids
from microcred.services.context import Context
from microcred.services.errors import InvalidInput
from microcred.services.learner import wallet
from microcred.services.learner.holder import holder_key


def bundleable(held: wallet.Held) -> Mapping[str, Any] | None:
    """The signed OB 3.0 document of ``held``, when a CLR can embed it (else None)."""
    return embeddable(held.raw) if held.format == "ob3" else None


def _parts_held(
    ctx: Context, account_id: str, document: Mapping[str, Any]
) -> list[Mapping[str, Any]]:
    wanted = part_ids(document)
    if not wanted:
        return []
    by_id: dict[str, Mapping[str, Any]] = {}
    for other in wallet.list_held(ctx, account_id):
        candidate = bundleable(other)
        if candidate is not None and candidate.get("id") in wanted:
            by_id.setdefault(str(candidate["id"]), candidate)
    return [by_id[part] for part in wanted if part in by_id]


def record_of(ctx: Context, account_id: str, credential_id: str) -> dict[str, Any]:
    """The signed CLR 2.0 of a held OB 3.0 credential and the parts of it the wallet holds."""
    from microcred.core.proofs.data_integrity import sign_document
    from microcred.core.verification.wellformed import require_well_formed

    held = wallet.get(ctx, account_id, credential_id)
    document = bundleable(held)
    if document is None:
        raise InvalidInput("format: only a signed Open Badges 3.0 credential goes into a CLR")
    parts = _parts_held(ctx, account_id, document)
    key = holder_key(ctx, account_id)
    now = ctx.now()
    name = _title(held)
    try:
        record = build_clr(
            [document, *parts], bundle_associations(document, parts),
            {"id": key.public.did_key, "type": ["Profile"]}, key.public.did_key,
            clr_id=f"urn:uuid:{uuid.UUID(bytes=ctx.random_bytes(16), version=4)}",
            name=name, valid_from=now,
        )  # fmt: skip
        require_well_formed(record)  # the verifier's own rules: never sign what it would refuse
    except MicrocredError as exc:
        raise InvalidInput(f"clr: {exc.message}") from exc
    return sign_document(record, key, key.public.did_key_vm, "eddsa-rdfc-2022", created=now)


def _title(held: wallet.Held) -> str:
    title = held.title.get("en") or next(iter(held.title.values()), "")
    return f"Learner record: {title}" if title else "Learner record"
