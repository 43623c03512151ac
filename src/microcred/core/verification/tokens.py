"""Credentials as tokens: VC-JOSE (``vc+jwt``, VC 1.1 JWT) and SD-JWT VC.

The engine reads a compact JWS once (:func:`~microcred.core.proofs.jose.verify_vc_jwt`) and
hands a credential here, a presentation to :mod:`.presentations`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from microcred.core.proofs.jose import JoseResult
from microcred.core.proofs.sd_jwt import (
    KeyBindingPolicy,
    SdJwtResult,
    validity_problem,
    verify_sd_jwt,
)
from microcred.core.verification.checks import form_checks, trust_check
from microcred.core.verification.completeness import disclosed_completeness
from microcred.core.verification.context import Context
from microcred.core.verification.controllers import KeyLookup
from microcred.core.verification.report import Check, Report, failed, ok, skipped, unreadable
from microcred.core.verification.shared import (
    credential_report,
    key_owner_check,
    token_owner_check,
    token_proof_check,
)
from microcred.core.verification.token_status import token_status_check


def vc_jwt_report(result: JoseResult, lookup: KeyLookup, context: Context) -> Report:
    """A ``vc+jwt`` (or VC 1.1 JWT) credential, already read and its signature checked."""
    document = result.document
    label = "VC 1.1 JWT" if result.vc11 else str(result.header.get("typ") or "vc+jwt")
    if not document:
        checks = [failed("format", result.reason), token_proof_check(result, label)]
        return Report("credential", label, tuple(checks), issuer=None)
    issuer = _issuer(document)
    checks = [*form_checks(document, f"a {label}"), token_proof_check(result, label),
              token_owner_check("issuer", issuer, result, lookup)]  # fmt: skip
    claims = _claim_validity(result.payload, context.now)
    if claims is not None:
        checks.append(claims)
    report = credential_report(document, checks, context, lookup, issuer)
    return replace(report, format=f"{report.format} ({label})")  # keeps a CLR's parts


def _issuer(document: Mapping[str, Any]) -> str | None:
    issuer = document.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def _claim_validity(payload: Mapping[str, Any], now: datetime) -> Check | None:
    """JWT ``exp``/``nbf`` claims, when the token has them and they do not hold."""
    problem = validity_problem(payload, now.timestamp())
    return failed("validity", problem) if problem else None


def verify_sd_jwt_vc(token: str, context: Context) -> Report:
    """An SD-JWT VC (``dc+sd-jwt``), with Key Binding when a challenge is expected."""
    lookup = context.lookup()
    policy = None
    if context.expected_challenge is not None:
        policy = KeyBindingPolicy(
            aud=context.expected_domain or "", nonce=context.expected_challenge
        )
    result = verify_sd_jwt(token, resolve_key=lookup, now=context.now, key_binding=policy,
                           leeway=timedelta(0))  # fmt: skip
    if not result.header:
        return unreadable(result.reason, "SD-JWT")
    claims = result.claims or result.payload
    checks = [_sd_format(result), _sd_proof(result), *_sd_owner(result, lookup)]
    issuer = claims.get("iss") if isinstance(claims.get("iss"), str) else None
    checks.append(_sd_status(result, issuer, lookup, context))
    checks.append(_sd_validity(result))
    trusted = trust_check(issuer, context.trust_list)
    if trusted is not None:
        checks.append(trusted)
    return Report("credential", "SD-JWT VC", tuple(checks), issuer=issuer, document=claims,
                  completeness=disclosed_completeness(claims))  # fmt: skip


def _sd_format(result: SdJwtResult) -> Check:
    missing = [claim for claim in ("iss", "vct") if claim not in result.payload]
    if missing:
        return failed("format", f"an SD-JWT VC needs the claims {', '.join(missing)}")
    return ok("format", f"an SD-JWT VC of type {result.payload['vct']}")


def _sd_validity(result: SdJwtResult) -> Check:
    """The exp/nbf verdict, judged apart from the signature."""
    if result.validity_problem:
        return failed("validity", result.validity_problem)
    return ok("validity", "within exp/nbf")


def _sd_proof(result: SdJwtResult) -> Check:
    alg = result.header.get("alg", "?")
    if result.authentic:
        bound = " and holder key binding" if result.key_binding else ""
        return ok("proof", f"sd-jwt ({alg}): issuer signature{bound} valid")
    return failed("proof", f"sd-jwt ({alg}): {result.reason}")


def _sd_owner(result: SdJwtResult, lookup: KeyLookup) -> list[Check]:
    issuer = result.payload.get("iss")
    if not isinstance(issuer, str):
        return [failed("issuer", "the SD-JWT names no issuer (iss)")]
    kid = result.header.get("kid")
    method = kid if isinstance(kid, str) and kid else issuer
    proof = [ok("proof", "") if result.authentic else failed("proof", result.reason)]
    return [key_owner_check("issuer", issuer, [method], lookup, proof)]


def _sd_status(
    result: SdJwtResult, issuer: str | None, lookup: KeyLookup, context: Context
) -> Check:
    """The Token Status List decides, once the token itself holds (draft section 8.3)."""
    if "status" in result.payload and not (result.authentic and not result.validity_problem):
        return skipped("status", "not looked up: the token itself does not hold")
    return token_status_check(result.payload, issuer, lookup, context.fetch_status_token,
                              context.now)  # fmt: skip
