"""The OpenID4VCI authorization endpoint: the learner signs in, sees what a wallet asks for,
and agrees or refuses (a form that works without JavaScript)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from microcred.core.errors import OAuthError
from microcred.core.oid4vci.authorization import check_redirect_uri
from microcred.services.learner import oid4vci_authorize, verifying
from microcred.services.learner.facts import annex1_claims, facts
from microcred.web.web_state import Form, LearnerId, State, Who, field, message, page

router = APIRouter(include_in_schema=False)
PARAMS = ("response_type", "client_id", "redirect_uri", "code_challenge",
          "code_challenge_method", "authorization_details", "scope", "state",
          "issuer_state")  # fmt: skip
MAX_PARAM = 2000


def _away(url: str) -> Response:
    """A redirect to the wallet (its redirect URI), not to one of our pages."""
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def _checked_uri(request: Request, who: Who, params: dict[str, str]) -> Response | None:
    """A page (never a redirect) when the redirect URI itself is bad (RFC 6749 4.1.2.1)."""
    try:
        check_redirect_uri(params.get("redirect_uri"))
    except OAuthError as exc:
        return message(request, who, 400, "authorize.bad_request", exc.message)
    return None


@router.get("/oid4vci/authorize")
def authorize_page(request: Request, who: Who, state: State) -> Response:
    params = {k: v[:MAX_PARAM] for k, v in request.query_params.items() if k in PARAMS}
    bad = _checked_uri(request, who, params)
    if bad is not None:
        return bad
    try:
        found = oid4vci_authorize.consent(state.ctx, params)
    except OAuthError as exc:
        return _away(oid4vci_authorize.refusal(state.ctx, params, exc))
    if who.account is None or who.account.role != "learner":
        here = f"{request.url.path}?{request.url.query}"
        return RedirectResponse(f"/login?next={quote(here, safe='')}", status_code=303)
    report = verifying.check(state.ctx, found.document)
    shown = facts(annex1_claims(report.document or {}), who.language)
    return page(request, who, "learner/authorize.html", params=params, facts=shown,
                client=found.request.client_id,
                destination=urlsplit(found.request.redirect_uri).netloc
                or found.request.redirect_uri,
                configurations=found.request.configuration_ids,
                verdict=verifying.verdict(report), summary=verifying.summary(report))  # fmt: skip


@router.post("/oid4vci/authorize")
def decide(request: Request, who: Who, state: State, form: Form, learner: LearnerId) -> Response:
    params = {name: field(form, name, MAX_PARAM) for name in PARAMS if field(form, name)}
    bad = _checked_uri(request, who, params)
    if bad is not None:
        return bad
    try:
        if field(form, "decision") != "allow":
            raise OAuthError("access_denied", "the learner did not agree")
        return _away(oid4vci_authorize.approve(state.ctx, params, learner))
    except OAuthError as exc:
        return _away(oid4vci_authorize.refusal(state.ctx, params, exc))
