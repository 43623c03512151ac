"""Presentation requests: a verifier's single-use challenge and domain; the learner's answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from microcred.adapters.db.learner_models import VerifierChallenge
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.sd_jwt import present_sd_jwt
from microcred.core.verify import Report
from microcred.services.context import Context
from microcred.services.errors import NotFound, ReplayRejected
from microcred.services.learner import verifying, wallet
from microcred.services.learner.facts import annex1_claims
from microcred.services.learner.holder import holder_key
from microcred.services.learner.oid4vci import NONCE_PURPOSE

CHALLENGE_TTL = timedelta(minutes=15)
VC_V2 = "https://www.w3.org/ns/credentials/v2"


@dataclass(frozen=True)
class Request:
    """A presentation request as the verifier page shows it."""

    challenge: str
    domain: str
    expires_at: datetime
    used: bool
    result: dict[str, Any] | None


def new_request(ctx: Context) -> Request:
    """A fresh challenge bound to this platform's domain (stored; usable once)."""
    challenge, now = ctx.token(24), ctx.clock()
    ctx.session.execute(insert(VerifierChallenge).values(
        challenge=challenge, domain=ctx.domain, created_at=now,
        expires_at=now + CHALLENGE_TTL))  # fmt: skip
    return Request(challenge, ctx.domain, now + CHALLENGE_TTL, False, None)


def get_request(ctx: Context, challenge: str) -> Request:
    """A request by its challenge; :class:`NotFound` if unknown."""
    row = ctx.session.scalars(
        select(VerifierChallenge).where(VerifierChallenge.challenge == challenge)
        .where(VerifierChallenge.domain != NONCE_PURPOSE)
    ).first()  # fmt: skip
    if row is None:
        raise NotFound("no such presentation request")
    return Request(row.challenge, row.domain, row.expires_at, row.used_at is not None, row.result)


def build_presentation(
    ctx: Context,
    account_id: str,
    credential_id: str,
    challenge: str,
    domain: str,
    elements: tuple[str, ...] = (),
) -> str:
    """The learner's answer, signed with their holder key.

    An SD-JWT VC gets a Key Binding JWT (``nonce`` = challenge, ``aud`` = domain) and discloses
    ``elements`` (all Annex I elements when empty); any other credential goes whole in a VP with
    a Data Integrity ``authentication`` proof carrying the challenge and domain.
    """
    held = wallet.get(ctx, account_id, credential_id)
    key = holder_key(ctx, account_id)
    token = held.disclosable
    if token:
        from microcred.services.learner.sharing import disclosable_elements

        reveal = elements or tuple(disclosable_elements(held))
        return present_sd_jwt(token, reveal=[(e,) for e in reveal], holder_key=key, aud=domain,
                              nonce=challenge, now=ctx.clock())  # fmt: skip
    inner: Any = json.loads(held.raw) if held.raw.startswith("{") else _enveloped(held.raw)
    vp = {"@context": [VC_V2], "type": ["VerifiablePresentation"],
          "holder": key.public.did_key, "verifiableCredential": [inner]}  # fmt: skip
    signed = sign_document(vp, key, key.public.did_key_vm, suite="eddsa-jcs-2022",
                           proof_purpose="authentication", created=ctx.clock(),
                           challenge=challenge, domain=domain)  # fmt: skip
    return json.dumps(signed)


def _enveloped(token: str) -> dict[str, Any]:
    return {"@context": [VC_V2], "type": ["EnvelopedVerifiableCredential"],
            "id": "data:application/vc+jwt," + token}  # fmt: skip


def submit(ctx: Context, challenge: str, presentation: str) -> Report:
    """Verify an answer to a request; the challenge is spent, so a replay is refused."""
    now = ctx.clock()
    row = ctx.session.execute(
        update(VerifierChallenge).where(VerifierChallenge.challenge == challenge)
        .where(VerifierChallenge.domain != NONCE_PURPOSE)
        .where(VerifierChallenge.used_at.is_(None)).where(VerifierChallenge.expires_at > now)
        .values(used_at=now).returning(VerifierChallenge.domain)
    ).first()  # fmt: skip
    if row is None:
        raise ReplayRejected("this challenge is unknown, expired or already answered")
    report = verifying.check(ctx, presentation, challenge=challenge, domain=row.domain)
    inner = report.credentials[0].document if report.credentials else report.document
    result = {**report.to_dict(), "verdict": verifying.verdict(report),
              "claims": annex1_claims(inner or {})}  # fmt: skip
    ctx.session.execute(update(VerifierChallenge).where(VerifierChallenge.challenge == challenge)
                 .values(result=result))  # fmt: skip
    return report
