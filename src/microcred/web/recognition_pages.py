"""Recognition pages (issue 11 §3): the learner submits a case from the wallet, follows it,
reads the decision, downloads the letter and appeals; the authority's recognition officer lists
the cases, checks, scores the criteria and decides. Plain forms: no JavaScript needed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from microcred.core.errors import MicrocredError
from microcred.core.recognition import CRITERIA
from microcred.schemas.recognition import CaseOut
from microcred.services import providers, recognition
from microcred.services import recognition_learner as mine
from microcred.services.context import Actor, Context, Role, Units
from microcred.services.errors import SignInRequired
from microcred.services.learner import wallet
from microcred.services.recognition_forms import EventIn
from microcred.web.session import Visitor
from microcred.web.web_state import (
    Form,
    LearnerId,
    State,
    Who,
    field,
    message,
    page,
    redirect,
    signed_in,
)

router = APIRouter(include_in_schema=False)
OUTCOMES = ("full", "partial", "alternative", "conditional", "refused")
SCORES = ("strong", "substantial", "weak", "none")
STEPS = ("authenticity-checked", "facts-gathered", "criteria-assessed", "decided",
         "decision-issued", "withdrawn")  # fmt: skip


def _view(row: Any) -> dict[str, Any]:
    made: dict[str, Any] = CaseOut.of(row, recognition.case_of(row)).model_dump(mode="json")
    return made


def _authorities(ctx: Context) -> list[tuple[int, str]]:
    found, _total = providers.list_providers(ctx, limit=200)
    return [(p.id, next(iter(p.legal_name.values()), p.slug)) for p in found]


# --- the learner -------------------------------------------------------------------------


def _learner_page(request: Request, who: Visitor, state: Any, learner: str, status: int = 200,
                  error: str = "") -> Response:  # fmt: skip
    return page(request, who, "learner/recognition_mine.html", status,
                cases=[_view(r) for r in mine.mine(state.ctx, learner)],
                held=wallet.list_held(state.ctx, learner), authorities=_authorities(state.ctx),
                error=error)  # fmt: skip


@router.get("/wallet/recognition")
def my_cases(request: Request, who: Who, state: State, learner: LearnerId) -> Response:
    return _learner_page(request, who, state, learner)


@router.post("/wallet/recognition")
def submit(request: Request, who: Who, state: State, form: Form, learner: LearnerId) -> Response:
    picked = [v for v in form.getlist("credential") if isinstance(v, str)][:50]
    authority = field(form, "authority", 20)
    try:
        if not authority.isdigit():
            raise MicrocredError("authority: choose the authority that decides")
        row = mine.submit(state.ctx, learner, int(authority), picked, field(form, "purpose"),
                          field(form, "language", 2))  # fmt: skip
    except MicrocredError as exc:
        return _learner_page(request, who, state, learner, 400, exc.message)
    return redirect(request, who, f"/wallet/recognition/{row.id}")


@router.get("/wallet/recognition/{case_id}")
def my_case(request: Request, who: Who, state: State, case_id: str, learner: LearnerId) -> Response:
    try:
        row = mine.get(state.ctx, learner, case_id[:36])
    except MicrocredError:
        return message(request, who, 404, "error.not_found")
    return page(request, who, "learner/recognition_case.html", case=_view(row), error="")


@router.get("/wallet/recognition/{case_id}/letter.pdf")
def my_letter(
    request: Request, who: Who, state: State, case_id: str, learner: LearnerId
) -> Response:
    try:
        mine.get(state.ctx, learner, case_id[:36])
        pdf = recognition.decision_letter_pdf(state.ctx, case_id[:36])
    except MicrocredError as exc:
        return message(request, who, exc.http_status, "error.not_found", exc.message)
    headers = {"Content-Disposition": f'attachment; filename="decision-{case_id[:36]}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post("/wallet/recognition/{case_id}/appeal")
def appeal(request: Request, who: Who, state: State, case_id: str, form: Form,
           learner: LearnerId) -> Response:  # fmt: skip
    try:
        mine.appeal(state.ctx, learner, case_id[:36], field(form, "grounds", 5000))
    except MicrocredError as exc:
        return message(request, who, exc.http_status, "error.bad_input", exc.message)
    return redirect(request, who, f"/wallet/recognition/{case_id[:36]}")


# --- the recognition officer --------------------------------------------------------------


@contextmanager
def officer_context(request: Request, who: Visitor) -> Iterator[Context]:
    """A unit of work acting as the signed-in recognition officer of their authority."""
    account = signed_in(request, who, "recognition-officer")
    platform: Units = request.app.state.platform
    with platform.context() as lookup:
        provider_id = providers.by_slug(lookup, str(account.provider_ref)).id
    actor = Actor(f"web:{account.email}", Role.RECOGNITION_OFFICER, provider_id)
    with platform.unit_of_work(actor) as ctx:
        yield ctx


@router.get("/recognition")
def officer_cases(request: Request, who: Who) -> Response:
    with officer_context(request, who) as ctx:
        provider_id = ctx.actor.provider_id or 0
        cases = [_view(r) for r in recognition.list_cases(ctx, provider_id)]
    return page(request, who, "learner/recognition_officer.html", cases=cases)


def _officer_case(request: Request, who: Who, case_id: str, status: int = 200,
                  error: str = "") -> Response:  # fmt: skip
    with officer_context(request, who) as ctx:
        row = recognition.get(ctx, case_id)
        case = recognition.case_of(row)
        view = _view(row)
    facts = [vars(f) for f in case.facts]
    return page(request, who, "learner/recognition_review.html", status, case=view, facts=facts,
                criteria=CRITERIA, scores=SCORES, outcomes=OUTCOMES, error=error)  # fmt: skip


@router.get("/recognition/{case_id}")
def officer_case(request: Request, who: Who, case_id: str) -> Response:
    try:
        return _officer_case(request, who, case_id[:36])
    except SignInRequired:
        raise
    except MicrocredError as exc:
        return message(request, who, exc.http_status, "error.not_found", exc.message)


def _event(form: FormData) -> EventIn:
    kind = field(form, "type", 40)
    body: dict[str, Any] = {"type": kind if kind in STEPS else "invalid"}
    if kind == "criteria-assessed":
        body["scores"] = [{"criterion": c, "score": field(form, f"score-{c}", 20),
                           "comment": field(form, f"comment-{c}")} for c in CRITERIA]  # fmt: skip
    elif kind == "decided":
        body["confirms"] = field(form, "confirms", 100) or None
        if field(form, "outcome", 20):
            lines = field(form, "differences", 5000).splitlines()
            body["decision"] = {
                "outcome": field(form, "outcome", 20), "reasons": field(form, "reasons", 5000),
                "ects_granted": field(form, "ects", 10) or None,
                "alternative": field(form, "alternative") or None,
                "remaining": field(form, "remaining") or None,
                "substantial_differences": [d.strip() for d in lines if d.strip()],
            }  # fmt: skip
    elif kind == "withdrawn":
        body["reason"] = field(form, "reason", 5000)
    return EventIn.model_validate(body)


@router.post("/recognition/{case_id}/step")
def officer_step(request: Request, who: Who, case_id: str, form: Form) -> Response:
    try:
        with officer_context(request, who) as ctx:
            recognition.record(ctx, case_id[:36], _event(form))
    except SignInRequired:
        raise
    except MicrocredError as exc:
        return _officer_case(request, who, case_id[:36], exc.http_status, exc.message)
    except ValueError as exc:  # a form pydantic cannot read (an unknown step, a bad number)
        return _officer_case(request, who, case_id[:36], 422, " ".join(str(exc).splitlines()[1:3]))
    return redirect(request, who, f"/recognition/{case_id[:36]}")
