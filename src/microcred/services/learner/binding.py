"""SD-JWT VCs bound to a holder key, issued from an Open Badges 3.0 credential of this platform."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.formats.sdjwt_vc import annex1_disclosable_claims, to_sdjwt_claims
from microcred.core.keys import PublicKey
from microcred.core.proofs.sd_jwt import issue_sd_jwt
from microcred.services.context import Context
from microcred.services.status_tokens import status_of


def issuer_of(document: Mapping[str, Any]) -> str | None:
    """The issuer id of a credential."""
    issuer = document.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def bound_sd_jwt(
    ctx: Context, raw: str, holder: PublicKey, credential_ref: str | None = None
) -> str | None:
    """An SD-JWT VC of the credential, every Annex I element disclosable, bound to ``holder``;
    with the Token Status List entry of ``credential_ref`` when it was issued here (so
    revoking the credential revokes the SD-JWT VC too).

    None when the credential is not an OB 3.0 JSON credential issued by a provider whose key
    this platform holds.
    """
    try:
        document = json.loads(raw)
    except ValueError:
        return None
    issuer = issuer_of(document) if isinstance(document, dict) else None
    signer = ctx.issuer_keys.signer(ctx, issuer) if issuer else None
    if signer is None:
        return None
    key, kid = signer
    try:
        claims = to_sdjwt_claims(document)
        claims["iat"] = int(ctx.clock().timestamp())
        status = status_of(ctx, credential_ref)
        if status is not None:
            claims["status"] = status
        return issue_sd_jwt(
            claims, issuer_key=key, kid=kid, holder_key=holder,
            disclosable=annex1_disclosable_claims(claims), random_bytes=ctx.random_bytes,
        )  # fmt: skip
    except MicrocredError:
        return None
