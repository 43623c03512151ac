"""Claim links: a single-use, expiring link (and OpenID4VCI offer) for one issued credential."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from microcred.adapters.db.learner_models import WalletClaim
from microcred.core.oid4vci.metadata import LDP_VC_CONFIGURATION, SD_JWT_CONFIGURATION
from microcred.core.oid4vci.offer import (
    CredentialOffer,
    TxCode,
    offer_link,
    offer_link_by_reference,
)
from microcred.services.context import Context, token_hash
from microcred.services.errors import LinkExpired
from microcred.services.learner import wallet
from microcred.services.learner.binding import bound_sd_jwt, issuer_of
from microcred.services.learner.holder import holder_key

CLAIM_TTL = timedelta(days=30)
OFFERED = (SD_JWT_CONFIGURATION, LDP_VC_CONFIGURATION)
TX_CODE = TxCode(6, "numeric", "The code sent to you apart from this offer")


@dataclass(frozen=True)
class ClaimLink:
    """A fresh claim: the link for the learner and the OpenID4VCI offer for a wallet app."""

    id: str
    token: str
    url: str
    offer_uri: str  # by value: a same-device link
    tx_code: str | None
    offer_reference: str = ""  # by reference: what a QR code or an e-mail carries


@dataclass(frozen=True)
class PendingClaim:
    """An unused claim, as the learner sees it when opening the link."""

    id: str
    document: str
    learner_email: str | None
    credential_ref: str | None
    expires_at: datetime
    offer_uri: str
    offer_reference: str = ""


def pre_authorized_code(ctx: Context, token: str) -> str:
    """The OpenID4VCI pre-authorized code that goes with a claim token (derived, not stored)."""
    return ctx.keyed("pre-auth", token).hex()


def issuer_state(ctx: Context, code: str) -> str:
    """The offer's ``issuer_state`` for the authorization code flow (derived, its hash kept)."""
    return ctx.keyed("issuer-state", code).hex()


def credential_offer(ctx: Context, code: str, with_tx_code: bool) -> CredentialOffer:
    """The Credential Offer of a claim whose pre-authorized code is ``code``: both grants (the
    authorization code flow has the learner sign in here and agree)."""
    return CredentialOffer(ctx.public_url, OFFERED, code, TX_CODE if with_tx_code else None,
                           authorization_code=True,
                           issuer_state=issuer_state(ctx, code))  # fmt: skip


def offer_uri(ctx: Context, token: str, with_tx_code: bool) -> str:
    """``openid-credential-offer://?credential_offer=...`` for the claim (by value)."""
    return offer_link(credential_offer(ctx, pre_authorized_code(ctx, token), with_tx_code))


def offer_reference(ctx: Context, token: str) -> str:
    """``openid-credential-offer://?credential_offer_uri=...``: the offer is fetched from
    ``/oid4vci/offers/<pre-authorized code>`` (it reveals nothing the offer does not hold)."""
    code = pre_authorized_code(ctx, token)
    return offer_link_by_reference(f"{ctx.public_url}/oid4vci/offers/{code}")


def offer_by_code(ctx: Context, code: str) -> dict[str, Any]:
    """The offer behind ``/oid4vci/offers/<code>`` while its claim is usable."""
    row = ctx.session.scalars(
        select(WalletClaim).where(WalletClaim.pre_auth_hash == token_hash(code))
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= ctx.clock():
        raise LinkExpired("this credential offer has expired or was already used")
    return credential_offer(ctx, code, row.tx_code_hash is not None).to_json()


def create_claim(
    ctx: Context,
    document: str,
    *,
    learner_email: str | None,
    credential_ref: str | None,
    ttl: timedelta = CLAIM_TTL,
    with_tx_code: bool = False,
) -> ClaimLink:
    """Store a claim for an issued credential; only hashes of the secrets are kept."""
    token = ctx.token()
    tx_code = None
    if with_tx_code:
        tx_code = f"{int.from_bytes(ctx.random_bytes(4), 'big') % 1_000_000:06d}"
    issuer = issuer_of(json.loads(document)) if document.lstrip().startswith("{") else None
    claim_id = ctx.new_id()
    now = ctx.clock()
    ctx.session.execute(
        insert(WalletClaim).values(
            id=claim_id, token_hash=token_hash(token),
            pre_auth_hash=token_hash(pre_authorized_code(ctx, token)),
            issuer_state_hash=token_hash(issuer_state(ctx, pre_authorized_code(ctx, token))),
            tx_code_hash=token_hash(tx_code) if tx_code else None,
            credential_ref=credential_ref, learner_email=learner_email,
            issuer_id=issuer or "", document=document, created_at=now,
            expires_at=now + ttl,
        )
    )  # fmt: skip
    url = f"{ctx.public_url}/claim/{token}"
    return ClaimLink(claim_id, token, url, offer_uri(ctx, token, with_tx_code), tx_code,
                     offer_reference(ctx, token))  # fmt: skip


def open_claim(ctx: Context, token: str) -> PendingClaim:
    """The claim behind a link, if unused and unexpired; :class:`LinkExpired` otherwise."""
    row = ctx.session.scalars(
        select(WalletClaim).where(WalletClaim.token_hash == token_hash(token))
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= ctx.clock():
        raise LinkExpired("this claim link has expired or was already used")
    offer = offer_uri(ctx, token, row.tx_code_hash is not None)
    return PendingClaim(row.id, row.document, row.learner_email, row.credential_ref,
                        row.expires_at, offer, offer_reference(ctx, token))  # fmt: skip


def consume(ctx: Context, column: Any, secret_hash: str) -> Any:
    """Mark the claim used, atomically; the row, or :class:`LinkExpired` if it was not usable."""
    now = ctx.clock()
    row = ctx.session.scalars(
        update(WalletClaim)
        .where(column == secret_hash)
        .where(WalletClaim.used_at.is_(None))
        .where(WalletClaim.expires_at > now)
        .values(used_at=now)
        .returning(WalletClaim)
    ).first()
    if row is None:
        raise LinkExpired("this claim link has expired or was already used")
    return row


def claim_into_wallet(ctx: Context, token: str, account_id: str) -> wallet.Held:
    """Store the credential in the learner's wallet (once), with an SD-JWT VC bound to them."""
    row = consume(ctx, WalletClaim.token_hash, token_hash(token))
    holder = holder_key(ctx, account_id).public
    sd_jwt = bound_sd_jwt(ctx, row.document, holder, row.credential_ref)
    return wallet.add(ctx, account_id, row.document, source="claimed", sd_jwt=sd_jwt,
                      credential_ref=row.credential_ref)  # fmt: skip


def claim_download(ctx: Context, token: str) -> str:
    """Take the credential as a file instead (this also uses up the link)."""
    return str(consume(ctx, WalletClaim.token_hash, token_hash(token)).document)


def wallet_app_text(link: ClaimLink) -> str:
    """The e-mail's paragraph for a wallet app: the OpenID4VCI offer by reference."""
    return (f"Or add it to a wallet app (OpenID4VCI): open this link on your phone, or paste "
            f"it into the app:\n{link.offer_reference}\n")  # fmt: skip


def offer_issued(
    ctx: Context, credential_ref: str, document: str, learner_email: str | None
) -> ClaimLink | None:
    """A claim link for a credential just issued here, e-mailed to the learner (once).

    None when the credential already has one (links are not stored, so not shown again).
    """
    known = ctx.session.execute(
        select(WalletClaim.id).where(WalletClaim.credential_ref == credential_ref)
    ).first()
    if known is not None:
        return None
    link = create_claim(ctx, document, learner_email=learner_email, credential_ref=credential_ref)
    if learner_email:
        from microcred.services.learner.outbox import send_mail

        body = (f"A micro-credential was issued to you. Keep it in your wallet or download it "
                f"(the link works once, for 30 days):\n{link.url}\n\n"
                f"{wallet_app_text(link)}")  # fmt: skip
        send_mail(ctx, learner_email, "Your micro-credential is ready", body)
    return link
