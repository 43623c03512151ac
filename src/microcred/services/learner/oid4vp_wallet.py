"""The platform wallet answers OpenID4VP requests: read the link, show who asks for what, let
the learner choose the credential and the claims, present with the holder key, post the answer.

A link (``openid4vp://?client_id=...&request_uri=...``, or the same query on the wallet page's
address) is read with the pure core: the request object is checked as a wallet must (signed by
a key of the verifier's ``decentralized_identifier`` DID, ``typ``, ``aud``, dates; the
response URI https, or http on loopback). Requests whose ``request_uri`` and ``response_uri``
are this platform's are fetched and answered without an HTTP call to ourselves (as
:class:`~microcred.services.verification.PlatformDocuments` does for documents); other
verifiers are refused with a named reason until the guarded fetcher can POST.

An SD-JWT VC discloses only the claims the learner keeps among those asked, with a Key Binding
JWT (``aud`` = client_id, ``nonce``); a Data Integrity credential about the holder's DID goes
whole in a VP signed by the holder key (``challenge`` = nonce, ``domain`` = client_id).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from microcred.core.did import DidResolver
from microcred.core.errors import MicrocredError, OAuthError
from microcred.core.oid4vp.matching import Candidate, Held, Plan, held_ldp_vc, held_sd_jwt, plan
from microcred.core.oid4vp.request import (
    AuthorizationRequest,
    client_id_prefix,
    open_request_object,
    read_invocation,
)
from microcred.core.oid4vp.wallet import Choice, build_vp_token, refusal_form, response_form
from microcred.services import oid4vp_verifier
from microcred.services.context import Context
from microcred.services.errors import InvalidInput
from microcred.services.learner import wallet
from microcred.services.learner.holder import holder_key
from microcred.services.verification import local_path, platform_documents

_OWN_REQUEST = re.compile(r"/oid4vp/requests/([A-Za-z0-9_-]{1,64})/request\.jwt")
MAX_LINK = 4000


@dataclass(frozen=True)
class Asked:
    """A request as the wallet page shows it: who asks, for what, what can answer."""

    link: str
    request: AuthorizationRequest
    verifier: str
    plan: Plan

    @property
    def query_id(self) -> str:
        return self.request.dcql_query.credentials[0].id

    @property
    def asked_claims(self) -> list[str]:
        claims = self.request.dcql_query.credentials[0].claims or ()
        return [".".join(str(step) for step in claim.path) for claim in claims]

    @property
    def format(self) -> str:
        return self.request.dcql_query.credentials[0].format

    @property
    def options(self) -> tuple[Candidate, ...]:
        return tuple(self.plan.candidates.get(self.query_id, ()))


def _own_request_object(ctx: Context, request_uri: str) -> str:
    try:
        path = local_path(ctx.site, request_uri)
    except ValueError:
        path = None
    found = _OWN_REQUEST.fullmatch(path or "")
    if found is None:
        raise OAuthError("invalid_request_uri", "this wallet answers this platform's verifier "
                         "only: the request_uri is elsewhere")  # fmt: skip
    return oid4vp_verifier.request_object(ctx, found.group(1))


def read_request(ctx: Context, link: str) -> AuthorizationRequest:
    """The checked request behind a wallet link; ``OAuthError`` naming what is wrong."""
    if len(link) > MAX_LINK:
        raise OAuthError("invalid_request", f"the link is longer than {MAX_LINK} characters")
    invocation = read_invocation(link)
    if invocation.request_uri is None:
        raise OAuthError("invalid_request", "the link has no request_uri (a signed request "
                         "by reference is expected)")  # fmt: skip
    token = _own_request_object(ctx, invocation.request_uri)
    resolver = DidResolver(platform_documents(ctx))
    return open_request_object(
        token, client_id=invocation.client_id, now=ctx.clock(),
        resolve_key=lambda kid: resolver.resolve_key(kid, "assertionMethod"),
        allow_http=ctx.public_url.startswith("http://"),
    )  # fmt: skip


def _held(ctx: Context, account_id: str, holder_did: str) -> list[Held]:
    found: list[Held] = []
    for item in wallet.list_held(ctx, account_id):
        try:
            if item.disclosable:
                found.append(held_sd_jwt(item.id, item.disclosable))
            elif item.raw.startswith("{"):
                found.append(held_ldp_vc(item.id, json.loads(item.raw), holder_did))
        except (MicrocredError, ValueError):
            continue  # a credential the matcher cannot read answers nothing
    return found


def ask(ctx: Context, account_id: str, link: str) -> Asked:
    """What the request asks and which of the learner's credentials can answer it."""
    request = read_request(ctx, link)
    if len(request.dcql_query.credentials) != 1:
        raise OAuthError("invalid_request", "this wallet answers requests for one credential")
    holder = holder_key(ctx, account_id).public.did_key
    return Asked(link, request, client_id_prefix(request.client_id)[1],
                 plan(request.dcql_query, _held(ctx, account_id, holder)))  # fmt: skip


def _narrowed(asked: Asked, chosen: Candidate, keep: Sequence[str]) -> Plan:
    claims = tuple(c for c in chosen.claims if ".".join(map(str, c.path[:1])) in keep)
    if chosen.claims and not claims:
        raise InvalidInput("keep at least one claim, or decline the request", field="claims")
    narrowed = replace(chosen, claims=claims)
    others = tuple(c for c in asked.options if c is not chosen)
    return Plan(asked.plan.query, {asked.query_id: (narrowed, *others)})


@dataclass(frozen=True)
class Sent:
    """The verifier's answer to what the wallet sent."""

    redirect_uri: str | None
    refused: str | None


def _post(ctx: Context, request: AuthorizationRequest, form: dict[str, str]) -> Sent:
    if local_path(ctx.site, request.response_uri) != "/oid4vp/response":
        raise OAuthError("invalid_request", "the response_uri is not this platform's")
    received = oid4vp_verifier.receive(ctx, form)
    return Sent(received.body.get("redirect_uri"), received.refused)


def answer(
    ctx: Context, account_id: str, link: str, credential_id: str | None,
    claims: Sequence[str] | None,
) -> Sent:  # fmt: skip
    """Present ``credential_id`` (default: the first that answers) disclosing ``claims`` among
    those asked (default: all of them), bound to the request, and post it."""
    asked = ask(ctx, account_id, link)
    options = [c for c in asked.options if credential_id in (None, c.held.ref)]
    if not options:
        raise InvalidInput("no credential of this wallet answers the request that way",
                           field="credential_id")  # fmt: skip
    chosen = options[0]
    keep = asked.asked_claims if claims is None else list(claims)
    unasked = [name for name in keep if name not in asked.asked_claims]
    if unasked:
        raise InvalidInput(f"{unasked[0]!r} was not asked for: it is not sent", field="claims")
    narrowed = _narrowed(asked, chosen, keep)
    key = holder_key(ctx, account_id)
    choice = Choice({asked.query_id: ((chosen.held.ref, chosen.option),)})
    token = build_vp_token(asked.request, narrowed, choice, key_for=lambda _held: key,
                           now=ctx.clock())  # fmt: skip
    return _post(ctx, asked.request, response_form(asked.request, token))


def decline(ctx: Context, link: str) -> Sent:
    """Tell the verifier the learner declined (``access_denied``)."""
    request = read_request(ctx, link)
    return _post(ctx, request, refusal_form(request, "the learner declined"))


def describe(asked: Asked) -> dict[str, Any]:
    """The JSON shape of a request for the wallet API."""
    return {"verifier": asked.verifier, "client_id": asked.request.client_id,
            "format": asked.format, "claims": asked.asked_claims,
            "credentials": [{"id": c.held.ref, "whole": c.whole,
                             "claims": [".".join(map(str, x.path)) for x in c.claims]}
                            for c in asked.options]}  # fmt: skip
