"""Claim links by API: a provider asks for a (new) claim link and OpenID4VCI offer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict

from microcred.api.deps import Auth
from microcred.schemas.learners import ClaimLinkOut
from microcred.services import issuance
from microcred.services.learner import claims
from microcred.services.learner.outbox import send_mail

router = APIRouter(tags=["learners"])
CredentialId = Annotated[str, Path(max_length=64)]


class ClaimLinkIn(BaseModel):
    """Options of a new claim link."""

    model_config = ConfigDict(extra="forbid")
    tx_code: bool = False
    email: bool = True


@router.post("/credentials/{credential_id}/claim-link", status_code=201,
             summary="A claim link and OpenID4VCI offer for an issued credential",
             response_model_exclude_none=True)  # fmt: skip
def claim_link(
    ctx: Auth, credential_id: CredentialId, body: ClaimLinkIn | None = None
) -> ClaimLinkOut:
    """The link is shown once (only its hash is kept); valid 30 days; e-mailed if asked."""
    options = body or ClaimLinkIn()
    row = issuance.get(ctx, credential_id)
    ctx.actor.require("issue", row.provider_id)
    ref, document, email = row.id, row.document, row.learner_email
    link = claims.create_claim(ctx, document, learner_email=email, credential_ref=ref,
                               with_tx_code=options.tx_code)  # fmt: skip
    if options.email and email:
        text = (f"Keep it in your wallet or download it (the link works once):\n{link.url}\n\n"
                f"{claims.wallet_app_text(link)}")  # fmt: skip
        send_mail(ctx, email, "Your micro-credential is ready", text)
    return ClaimLinkOut(url=link.url, credential_offer_uri=link.offer_uri,
                        credential_offer_reference=link.offer_reference,
                        tx_code=link.tx_code or None)  # fmt: skip
