"""The platform's OpenID4VP verifier: ask a wallet for a presentation, receive it, judge it.

The verifier is ``decentralized_identifier:<the platform's did:web>`` (OpenID4VP 1.0 section
5.9.3: the request must be signed, with a key of that DID). A request is passed by reference:
the wallet link (QR code or same-device ``openid4vp://``) carries ``client_id`` and
``request_uri``; ``GET request_uri`` returns the request object (``oauth-authz-req+jwt``)
signed by the platform's key. The wallet POSTs ``vp_token`` and ``state`` to the response URI
(``direct_post``); the transaction found by ``state`` is spent by that first answer (a replay
is refused), every presentation is checked by the platform's verifier with the request's
``nonce`` and ``client_id`` (Key Binding JWT for SD-JWT VC, challenge and domain for Data
Integrity presentations), and the judgement is stored for the verifier's page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select, update

from microcred.adapters.db.learner_models import PresentationTransaction
from microcred.core.errors import OAuthError
from microcred.core.formats.sdjwt_vc import ANNEX1_CLAIMS, VCT
from microcred.core.oid4vp.dcql import parse_dcql
from microcred.core.oid4vp.request import (
    DID_PREFIX,
    AuthorizationRequest,
    new_request,
    request_link,
    sign_request_object,
    verifier_metadata,
)
from microcred.core.oid4vp.response import Outcome, Presented, Transaction, receive_response
from microcred.core.verify import Report
from microcred.services import signing_keys
from microcred.services.context import Context
from microcred.services.errors import InvalidInput, NotFound, ReplayRejected
from microcred.services.learner import verifying
from microcred.services.learner.facts import annex1_claims

REQUEST_TTL = timedelta(minutes=10)
OB_TYPE = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
Kind = Literal["sd-jwt", "di"]
KINDS: tuple[Kind, ...] = ("sd-jwt", "di")
SD_JWT_QUERY_ID = "micro_credential"
DI_QUERY_ID = "open_badge"


@dataclass(frozen=True)
class Pending:
    """A transaction as the verifier's page shows it."""

    id: str
    client_id: str
    request_uri: str
    link: str
    dcql_query: Mapping[str, Any]
    expires_at: datetime
    answered_at: datetime | None
    result: Mapping[str, Any] | None

    @property
    def kind(self) -> Kind:
        first = (self.dcql_query.get("credentials") or [{}])[0]
        return "di" if first.get("format") == "ldp_vc" else "sd-jwt"

    @property
    def claims(self) -> list[str]:
        """The claims asked for (top-level names)."""
        first = (self.dcql_query.get("credentials") or [{}])[0]
        return [str(c["path"][0]) for c in first.get("claims", []) if c.get("path")]


def client_id(ctx: Context) -> str:
    """The verifier's client identifier: the platform's did:web with its prefix."""
    return f"{DID_PREFIX}:{ctx.site.platform_did}"


def response_uri(ctx: Context) -> str:
    return f"{ctx.public_url}/oid4vp/response"


def request_uri(ctx: Context, transaction_id: str) -> str:
    return f"{ctx.public_url}/oid4vp/requests/{transaction_id}/request.jwt"


def dcql_for(kind: str, claims: list[str]) -> dict[str, Any]:
    """The DCQL query of the verifier page: a micro-credential SD-JWT VC with ``claims``, or an
    Open Badges 3.0 credential with Data Integrity (presented whole, in a VP)."""
    unknown = [name for name in claims if name not in ANNEX1_CLAIMS]
    if unknown:
        raise InvalidInput(f"claim {unknown[0]!r} is not an Annex I element", field="claims")
    if len(set(claims)) != len(claims):
        raise InvalidInput("a claim is asked for twice", field="claims")
    if kind == "sd-jwt":
        query: dict[str, Any] = {"id": SD_JWT_QUERY_ID, "format": "dc+sd-jwt",
                                 "meta": {"vct_values": [VCT]}}  # fmt: skip
        if claims:
            query["claims"] = [{"path": [name]} for name in claims]
    elif kind == "di":
        if claims:
            raise InvalidInput("a Data Integrity credential is presented whole: ask no claims",
                               field="claims")  # fmt: skip
        query = {"id": DI_QUERY_ID, "format": "ldp_vc", "meta": {"type_values": [[OB_TYPE]]}}
    else:
        raise InvalidInput(f"kind {kind!r} is not one of {', '.join(KINDS)}", field="kind")
    return {"credentials": [query]}


def _pending(ctx: Context, row: PresentationTransaction) -> Pending:
    uri = request_uri(ctx, row.id)
    return Pending(row.id, row.client_id, uri, request_link(row.client_id, uri), row.dcql_query,
                   row.expires_at, row.answered_at, row.result)  # fmt: skip


def create(ctx: Context, kind: str, claims: list[str]) -> Pending:
    """A new request (stored, expiring in :data:`REQUEST_TTL`)."""
    query = parse_dcql(dcql_for(kind, claims))
    request = new_request(client_id=client_id(ctx), response_uri=response_uri(ctx),
                          dcql_query=query, random_bytes=ctx.random_bytes)  # fmt: skip
    now = ctx.clock()
    row = PresentationTransaction(
        id=ctx.token(24), state=request.state, nonce=request.nonce, client_id=request.client_id,
        response_uri=request.response_uri, dcql_query=dict(query.raw), created_at=now,
        expires_at=now + REQUEST_TTL,
    )  # fmt: skip
    ctx.session.add(row)
    ctx.session.flush()
    return _pending(ctx, row)


def _row(ctx: Context, transaction_id: str) -> PresentationTransaction:
    row = ctx.session.get(PresentationTransaction, transaction_id[:64])
    if row is None:
        raise NotFound("no such presentation request")
    return row


def get(ctx: Context, transaction_id: str) -> Pending:
    """A transaction by id; :class:`NotFound` if unknown."""
    return _pending(ctx, _row(ctx, transaction_id))


def _request(row: PresentationTransaction) -> AuthorizationRequest:
    return AuthorizationRequest(row.client_id, row.response_uri, row.nonce, row.state,
                                parse_dcql(row.dcql_query), verifier_metadata())  # fmt: skip


def request_object(ctx: Context, transaction_id: str) -> str:
    """The signed request object behind ``request_uri``; refused once answered or expired."""
    row = _row(ctx, transaction_id)
    if row.answered_at is not None or ctx.clock() > row.expires_at:
        raise OAuthError("invalid_request_uri", "this request was already answered or expired",
                         http_status=410)  # fmt: skip
    signing_keys.platform_did_document(ctx)  # the platform key is made on first use
    key_row = signing_keys.active_key(ctx, None)
    kid = f"{ctx.site.platform_did}#{key_row.public_multibase}"
    key = signing_keys.key_pair(ctx, key_row)
    return sign_request_object(_request(row), key=key, kid=kid, now=ctx.clock())


def _transaction(ctx: Context, form: Mapping[str, str]) -> PresentationTransaction:
    state = form.get("state")
    if not state:
        raise OAuthError("invalid_request", "the response has no state")
    row = ctx.session.scalars(
        select(PresentationTransaction).where(PresentationTransaction.state == state[:64])
    ).first()
    if row is None:
        raise OAuthError("invalid_request", "the state belongs to no request of this verifier")
    if row.answered_at is not None:
        raise ReplayRejected("this request was already answered: the response is refused")
    return row


def _spend(ctx: Context, row: PresentationTransaction, now: datetime) -> None:
    """Mark the transaction answered, atomically: of two answers racing, one wins."""
    done = ctx.session.execute(
        update(PresentationTransaction).where(PresentationTransaction.id == row.id)
        .where(PresentationTransaction.answered_at.is_(None)).values(answered_at=now)
        .returning(PresentationTransaction.id)
    ).first()  # fmt: skip
    if done is None:
        raise ReplayRejected("this request was already answered: the response is refused")


def _presented(item: Presented) -> dict[str, Any]:
    report: Report | None = item.report
    inner = (report.credentials[0].document if report and report.credentials else None) or (
        report.document if report else None
    )
    shown = {**report.to_dict(), "verdict": verifying.verdict(report)} if report else None
    return {"query_id": item.query_id, "accepted": item.accepted, "problems": list(item.problems),
            "report": shown, "claims": annex1_claims(item.claims or inner or {})}  # fmt: skip


def _result(outcome: Outcome) -> dict[str, Any]:
    verdict = "not-verified"
    if outcome.accepted:
        verdict = "verified" if outcome.verified else "partially"
    return {"accepted": outcome.accepted, "verified": outcome.verified, "verdict": verdict,
            "problems": list(outcome.problems), "wallet_error": outcome.wallet_error,
            "presentations": [_presented(p) for p in outcome.presented]}  # fmt: skip


@dataclass(frozen=True)
class Received:
    """What the response URI answers: ``body`` (200), or ``refused`` saying why (400)."""

    body: dict[str, Any]
    refused: str | None = None


def receive(ctx: Context, form: Mapping[str, str]) -> Received:
    """The answer POSTed to the response URI: spend the transaction, judge, store the result.

    The body (8.2) has ``redirect_uri``: the verifier's page of the request, where a
    same-device wallet sends the person. A response for an unknown or expired request is refused
    (``invalid_request``), one for an answered request too (:class:`ReplayRejected`). Any other
    answer spends the transaction, even one judged not genuine: that one is stored as such and
    ``refused`` names why (the caller commits, then says 400).
    """
    row = _transaction(ctx, form)
    now = ctx.clock()

    def check(item: str | Mapping[str, Any], nonce: str | None, audience: str | None) -> Report:
        return verifying.check(ctx, item, challenge=nonce, domain=audience)

    transaction = Transaction(_request(row), row.expires_at)
    _, outcome = receive_response(transaction, form, verify=check, now=now)
    _spend(ctx, row, now)
    row.result = _result(outcome)
    ctx.session.flush()
    body = {"redirect_uri": f"{ctx.public_url}/verify/oid4vp/{row.id}"}
    if outcome.accepted or outcome.wallet_error:
        return Received(body)
    reasons = [*(p for i in outcome.presented for p in _reasons(i)), *outcome.problems]
    return Received(body, "; ".join(reasons)[:500] or "the presentation is not accepted")


def _reasons(item: Presented) -> list[str]:
    """Why a presentation is not accepted: the failed checks first, then the query's rules."""
    checks = verifying.all_checks(item.report) if item.report else []
    failed = [f"{c.name}: {c.detail}" for c in checks if c.status == "failed"]
    if not failed and not item.problems and not item.accepted:
        failed = ["the presentation is not authentic"]
    return [*failed, *item.problems]
