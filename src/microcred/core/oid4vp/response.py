"""The verifier receives the wallet's answer (OpenID4VP 1.0 sections 8, 8.6, 14.1).

The wallet POSTs ``vp_token`` (a JSON object: credential query id -> array of presentations)
and ``state`` to the response URI. :func:`receive_response` finds that the answer belongs to
the pending :class:`Transaction` (same ``state``, not expired, not answered before: a replay is
refused) and spends it, then checks each presentation:

* it is verified by the injected ``verify`` (the platform's :func:`microcred.core.verify.verify`)
  with the request's ``nonce`` as challenge and its ``client_id`` as audience/domain: an SD-JWT
  VC needs a Key Binding JWT with that ``nonce`` and ``aud`` (and ``sd_hash``); a Data Integrity
  presentation needs a proof with that ``challenge`` and ``domain`` by the holder;
* a VC presented in a VP is bound to that holder (its subject is the holder), 14.1.2;
* it is of the format, type and claims the query asked for (8.6: the verifier checks itself);

and the set of answered queries must meet every required credential set. The reports are kept:
:attr:`Outcome.accepted` says the answer is genuine and complete; :attr:`Outcome.verified` says
also that every credential is in force (status, validity, trust).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from microcred.core.errors import OAuthError
from microcred.core.oid4vp.dcql import SD_JWT, W3C_FORMATS, CredentialQuery
from microcred.core.oid4vp.matching import ExpandTypes, claims_satisfied, expanded_types
from microcred.core.oid4vp.request import AuthorizationRequest
from microcred.core.verification.report import Report

MAX_PRESENTATIONS = 50
VerifyPresentation = Callable[[str | Mapping[str, Any], str | None, str | None], Report]
"""``verify(presentation, expected_challenge, expected_domain) -> Report``."""


@dataclass(frozen=True)
class Transaction:
    """A request the verifier is waiting on; ``answered_at`` is set once, by the answer."""

    request: AuthorizationRequest
    expires_at: datetime
    answered_at: datetime | None = None


@dataclass(frozen=True)
class Presented:
    """One presentation in the VP Token, with the verifier's report on it."""

    query_id: str
    report: Report | None
    problems: tuple[str, ...] = ()
    claims: Mapping[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        """Genuine (authentic and bound to this request) and what the query asked for."""
        return not self.problems and self.report is not None and self.report.authentic


@dataclass(frozen=True)
class Outcome:
    """The verifier's judgement of one answer."""

    presented: tuple[Presented, ...] = ()
    problems: tuple[str, ...] = ()
    wallet_error: str | None = None

    @property
    def accepted(self) -> bool:
        """Every presentation accepted and every required credential set met."""
        ok = all(p.accepted for p in self.presented)
        return bool(self.presented) and ok and not self.problems and not self.wallet_error

    @property
    def verified(self) -> bool:
        """Accepted, and every credential in force (no revocation, expiry, untrusted issuer)."""
        return self.accepted and all(p.report and p.report.verified for p in self.presented)


def _state(form: Mapping[str, str]) -> str:
    state = form.get("state")
    if not isinstance(state, str) or not state:
        raise OAuthError("invalid_request", "the response has no state")
    return state


def accept(transaction: Transaction, form: Mapping[str, str], now: datetime) -> Transaction:
    """The transaction spent by this answer; ``invalid_request`` when it may not be used."""
    if _state(form) != transaction.request.state:
        raise OAuthError("invalid_request", "the state does not belong to this request")
    if transaction.answered_at is not None:
        raise OAuthError("invalid_request", "this request was already answered: replay refused")
    if now > transaction.expires_at:
        raise OAuthError("invalid_request", "this request has expired")
    return replace(transaction, answered_at=now)


def read_vp_token(form: Mapping[str, str]) -> dict[str, list[str | dict[str, Any]]]:
    """The ``vp_token`` parameter as a JSON object of non-empty presentation arrays."""
    try:
        token = json.loads(form.get("vp_token") or "")
    except ValueError:
        raise OAuthError("invalid_request", "vp_token is not JSON") from None
    if not isinstance(token, dict) or not token:
        raise OAuthError("invalid_request", "vp_token must be a non-empty JSON object")
    count = 0
    for key, items in token.items():
        if not isinstance(items, list) or not items:
            raise OAuthError("invalid_request", f"vp_token.{key} must be a non-empty array")
        if not all(isinstance(item, str | dict) for item in items):
            raise OAuthError("invalid_request", f"vp_token.{key} holds strings or objects only")
        count += len(items)
    if count > MAX_PRESENTATIONS:
        raise OAuthError("invalid_request", f"more than {MAX_PRESENTATIONS} presentations")
    return token


def _claims_problem(query: CredentialQuery, claims: Mapping[str, Any]) -> str | None:
    if any(claims_satisfied(claims, option) is not None for option in query.claim_options()):
        return None
    return "the requested claims are not all disclosed"


def _sd_jwt(query: CredentialQuery, report: Report) -> tuple[list[str], Mapping[str, Any]]:
    claims = report.document or {}
    problems = []
    if claims.get("vct") not in query.vct_values:
        problems.append(f"vct {claims.get('vct')!r} is not one of {list(query.vct_values)}")
    problem = _claims_problem(query, claims)
    return [*problems, *([problem] if problem else [])], claims


def _w3c(
    query: CredentialQuery, report: Report, expand: ExpandTypes
) -> tuple[list[str], Mapping[str, Any]]:
    problems: list[str] = []
    credential = report
    if query.require_binding:
        if report.kind != "presentation" or len(report.credentials) != 1:
            return ["a presentation (VP) of exactly one credential is expected"], {}
        credential = report.credentials[0]
    elif report.kind != "credential":
        return ["a credential is expected"], {}
    document = credential.document or {}
    subject = document.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, Mapping) else None
    if query.require_binding and (subject_id is None or subject_id != report.issuer):
        problems.append(f"the credential's subject {subject_id} is not the holder {report.issuer}")
    types = expand(document)
    if not any(set(option) <= types for option in query.type_values):
        problems.append("the credential is not of a requested type")
    problem = _claims_problem(query, document)
    return [*problems, *([problem] if problem else [])], document


def _presented(
    query: CredentialQuery,
    item: str | Mapping[str, Any],
    request: AuthorizationRequest,
    verify: VerifyPresentation,
    expand: ExpandTypes,
) -> Presented:
    if query.format == SD_JWT and not isinstance(item, str):
        return Presented(query.id, None, ("an SD-JWT VC presentation is a string",))
    if query.format in W3C_FORMATS and not isinstance(item, Mapping):
        return Presented(query.id, None, ("a W3C presentation is a JSON object",))
    if query.format != SD_JWT and query.format not in W3C_FORMATS:
        return Presented(query.id, None, (f"format {query.format} is not supported",))
    bound = query.require_binding
    report = verify(item, request.nonce if bound else None, request.client_id if bound else None)
    if query.format == SD_JWT:
        problems, claims = _sd_jwt(query, report)
    else:
        problems, claims = _w3c(query, report, expand)
    return Presented(query.id, report, tuple(problems), claims)


def check_vp_token(
    request: AuthorizationRequest,
    vp_token: Mapping[str, list[str | dict[str, Any]]],
    verify: VerifyPresentation,
    expand: ExpandTypes = expanded_types,
) -> Outcome:
    """Judge every presentation and the answer as a whole (8.6)."""
    query, problems, presented = request.dcql_query, [], []
    for query_id, items in vp_token.items():
        try:
            credential_query = query.credential(query_id)
        except KeyError:
            problems.append(f"vp_token answers {query_id!r}, which was not asked for")
            continue
        if len(items) > 1 and not credential_query.multiple:
            problems.append(f"vp_token.{query_id} holds {len(items)} presentations; one was asked")
        presented += [_presented(credential_query, i, request, verify, expand) for i in items]
    answered = {p.query_id for p in presented if p.accepted}
    for wanted in query.required_sets():
        if not any(set(option) <= answered for option in wanted.options):
            options = " or ".join("+".join(option) for option in wanted.options)
            problems.append(f"no accepted presentation for {options}")
    return Outcome(tuple(presented), tuple(problems))


def receive_response(
    transaction: Transaction,
    form: Mapping[str, str],
    *,
    verify: VerifyPresentation,
    now: datetime,
    expand: ExpandTypes = expanded_types,
) -> tuple[Transaction, Outcome]:
    """Spend the transaction with this answer (or refuse it) and judge the answer."""
    spent = accept(transaction, form, now)
    if "error" in form:
        error = str(form.get("error"))[:80]
        described = str(form.get("error_description") or "")[:300]
        return spent, Outcome(wallet_error=f"{error}: {described}" if described else error)
    try:
        token = read_vp_token(form)
    except OAuthError as exc:
        return spent, Outcome(problems=(exc.message,))
    return spent, check_vp_token(transaction.request, token, verify, expand)
