"""Sharing: create and withdraw share links, the recipient's view, answering a presentation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from microcred.core.i18n import pick
from microcred.core.verification.report import failed, ok
from microcred.core.verify import Check, Report
from microcred.services.context import Context
from microcred.services.errors import InvalidInput, LinkExpired, NotFound, ReplayRejected
from microcred.services.learner import presentations, sharing, verifying, wallet
from microcred.services.learner.facts import Fact, annex1_claims, facts, title_of
from microcred.web.web_state import Form, LearnerId, State, Who, field, message, page, redirect

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Shown:
    """One shared credential as the recipient sees it."""

    report: Report
    verdict: str
    status: str
    facts: list[Fact]
    elements: tuple[str, ...]
    extra: tuple[Check, ...]
    summary: dict[str, Any]


def _selection(form: FormData) -> dict[str, list[str]]:
    chosen: dict[str, list[str]] = {}
    for credential_id in form.getlist("credential"):
        if isinstance(credential_id, str):
            elements = form.getlist(f"elements-{credential_id}")
            chosen[credential_id] = [e for e in elements if isinstance(e, str)]
    return chosen


@router.post("/wallet/share")
def create_share(
    request: Request, who: Who, state: State, form: Form, learner: LearnerId
) -> Response:
    days = field(form, "days", 4)
    try:
        link = sharing.create_share(state.ctx, learner, _selection(form),
                                    int(days) if days.isdigit() else 0)  # fmt: skip
    except (InvalidInput, NotFound) as exc:
        return message(request, who, 400, "error.bad_input", exc.message)
    first = wallet.get(state.ctx, learner, next(iter(_selection(form))))
    name = pick(first.title, who.language) or ""
    organisation = next(iter(first.issuer_name.values()), "")
    linkedin = sharing.linkedin_url(name, organisation, first.issued_at, link.url)
    return page(request, who, "learner/share_created.html", link=link, linkedin=linkedin)


@router.post("/wallet/shares/{share_id}/revoke")
def revoke_share(
    request: Request, who: Who, state: State, share_id: str, form: Form, learner: LearnerId
) -> Response:
    try:
        sharing.revoke_share(state.ctx, learner, share_id)
    except NotFound:
        return message(request, who, 404, "error.not_found")
    return redirect(request, who, "/wallet#shares")


def _original_status(ctx: Context, item: sharing.SharedItem, account_raw: str | None) -> Check:
    """For an SD-JWT share: the revocation status of the credential it was derived from."""
    if account_raw is None:
        return ok("status", "no status information is attached to this credential")
    word = verifying.status_word(verifying.check(ctx, account_raw))
    if word == "ok":
        return ok("status", "the issuer has not revoked or suspended the original credential")
    return failed("status", f"the issuer has {word} the original credential")


def show_item(ctx: Context, item: sharing.SharedItem, raw: str | None, lang: str) -> Shown:
    """Verify one shared item; facts are only what the share discloses."""
    report = verifying.check(ctx, item.presented)
    extra = (_original_status(ctx, item, raw),) if item.format == "sd-jwt-vc" else ()
    claims = annex1_claims(report.document or {})
    word = verifying.status_word(report)
    if extra and extra[0].status == "failed":
        word = "suspended" if "suspended" in extra[0].detail else "revoked"
    return Shown(report, verifying.verdict(report, extra), word, facts(claims, lang),
                 item.elements, extra, verifying.summary(report, extra))  # fmt: skip


@router.get("/s/{token}")
def shared(request: Request, who: Who, state: State, token: str) -> Response:
    try:
        items = sharing.open_share(state.ctx, token)
    except LinkExpired:
        return message(request, who, 410, "share.expired")
    shown = [
        show_item(state.ctx, item, sharing.shared_document(state.ctx, item), who.language)
        for item in items
    ]
    return page(request, who, "learner/shared.html", shown=shown)


@router.get("/wallet/present")
def present_page(
    request: Request, who: Who, state: State, learner: LearnerId, challenge: str = ""
) -> Response:
    try:
        wanted = presentations.get_request(state.ctx, challenge[:100])
    except NotFound:
        return message(request, who, 404, "request.unknown")
    held = wallet.list_held(state.ctx, learner)
    titles = {h.id: title_of({"title": h.title}, who.language) for h in held}
    return page(request, who, "learner/present.html", wanted=wanted, held=held, titles=titles)


@router.post("/wallet/present")
def present(request: Request, who: Who, state: State, form: Form, learner: LearnerId) -> Response:
    challenge = field(form, "challenge", 100)
    try:
        wanted = presentations.get_request(state.ctx, challenge)
        answer = presentations.build_presentation(
            state.ctx, learner, field(form, "credential", 40), wanted.challenge, wanted.domain
        )
        presentations.submit(state.ctx, wanted.challenge, answer)
    except NotFound:
        return message(request, who, 404, "error.not_found")
    except ReplayRejected:
        return message(request, who, 409, "request.used")
    return message(request, who, 200, "request.sent")
