"""Assessor pages (issue 11 §4): an organisation's validations of non-formal and informal
learning; open one with the claimed outcomes, upload evidence (the platform's form limit applies,
2 MB by default), assess each claim and certify. Plain forms: no JavaScript needed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from microcred.core.errors import MicrocredError
from microcred.core.vocab import vocabularies
from microcred.schemas.validation import ValidationOut
from microcred.services import providers, validation
from microcred.services.context import Actor, Context, Role, Units
from microcred.services.errors import SignInRequired
from microcred.services.validation_forms import ValidationEventIn, ValidationIn
from microcred.web.session import Visitor
from microcred.web.web_state import Form, Who, field, message, page, redirect, signed_in

router = APIRouter(include_in_schema=False)


@contextmanager
def assessor_context(request: Request, who: Visitor) -> Iterator[Context]:
    """A unit of work acting as the signed-in assessor of their organisation."""
    account = signed_in(request, who, "assessor")
    platform: Units = request.app.state.platform
    with platform.context() as lookup:
        provider_id = providers.by_slug(lookup, str(account.provider_ref)).id
    with platform.unit_of_work(Actor(f"web:{account.email}", Role.ASSESSOR, provider_id)) as ctx:
        yield ctx


def _view(row: Any) -> dict[str, Any]:
    made: dict[str, Any] = ValidationOut.of(row, validation.case_of(row)).model_dump(mode="json")
    return made


def _methods(lang: str) -> list[tuple[str, str]]:
    return [(c.uri, c.label(lang).text) for c in vocabularies().scheme("assessment")]


def _list(request: Request, who: Visitor, status: int = 200, error: str = "") -> Response:
    with assessor_context(request, who) as ctx:
        cases = [_view(r) for r in validation.list_cases(ctx, ctx.actor.provider_id or 0)]
    return page(request, who, "learner/validation_list.html", status, cases=cases, error=error)


@router.get("/assessor")
def assessor_cases(request: Request, who: Who) -> Response:
    return _list(request, who)


@router.post("/assessor")
def open_case(request: Request, who: Who, form: Form) -> Response:
    lang = who.language
    claims = [{"id": f"lo-{n}", "text": {lang: line.strip()}}
              for n, line in enumerate(field(form, "claims", 20000).splitlines(), 1)
              if line.strip()]  # fmt: skip
    try:
        with assessor_context(request, who) as ctx:
            data = ValidationIn.model_validate({
                "provider_id": ctx.actor.provider_id, "candidate": field(form, "candidate", 500),
                "title": {lang: field(form, "title", 500)}, "claims": claims,
                "setting": field(form, "setting", 20) or "non-formal"})  # fmt: skip
            row_id = validation.create(ctx, data).id
    except SignInRequired:
        raise
    except (MicrocredError, ValueError) as exc:
        text = exc.message if isinstance(exc, MicrocredError) else str(exc).splitlines()[-1]
        return _list(request, who, 422, text)
    return redirect(request, who, f"/assessor/{row_id}")


def _case(request: Request, who: Visitor, case_id: str, status: int = 200,
          error: str = "") -> Response:  # fmt: skip
    with assessor_context(request, who) as ctx:
        view = _view(validation.get(ctx, case_id))
    return page(request, who, "learner/validation_case.html", status, case=view, error=error,
                methods=_methods(who.language))  # fmt: skip


@router.get("/assessor/{case_id}")
def assessor_case(request: Request, who: Who, case_id: str) -> Response:
    try:
        return _case(request, who, case_id[:36])
    except SignInRequired:
        raise
    except MicrocredError as exc:
        return message(request, who, exc.http_status, "error.not_found", exc.message)


@router.post("/assessor/{case_id}/evidence")
async def upload(request: Request, who: Who, case_id: str, form: Form) -> Response:
    file = form.get("file")
    content, name, kind = b"", "evidence", ""
    if isinstance(file, UploadFile):
        content = await file.read(validation.POLICY.max_bytes + 1)
        name, kind = file.filename or "evidence", file.content_type or ""
    try:
        with assessor_context(request, who) as ctx:
            validation.add_evidence(ctx, case_id[:36], name=name, media_type=kind,
                                    content=content, outcomes=[v for v in form.getlist("supports")
                                                               if isinstance(v, str)][:50],
                                    description=field(form, "description"))  # fmt: skip
    except SignInRequired:
        raise
    except MicrocredError as exc:
        return _case(request, who, case_id[:36], exc.http_status, exc.message)
    return redirect(request, who, f"/assessor/{case_id[:36]}")


@router.post("/assessor/{case_id}/step")
def step(request: Request, who: Who, case_id: str, form: Form) -> Response:
    kind = field(form, "type", 20)
    body: dict[str, Any] = {"type": kind}
    try:
        with assessor_context(request, who) as ctx:
            if kind == "assessed":
                claims = validation.get(ctx, case_id[:36]).events[0]["claims"]
                body["method"] = field(form, "method", 500)
                body["results"] = [
                    {
                        "outcome": c["id"],
                        "met": field(form, f"met-{c['id']}") == "yes",
                        "comment": field(form, f"comment-{c['id']}"),
                    }
                    for c in claims
                ]
            validation.record(ctx, case_id[:36], ValidationEventIn.model_validate(body))
    except SignInRequired:
        raise
    except (MicrocredError, ValueError) as exc:
        text = exc.message if isinstance(exc, MicrocredError) else str(exc).splitlines()[-1]
        status = exc.http_status if isinstance(exc, MicrocredError) else 422
        return _case(request, who, case_id[:36], status, text)
    return redirect(request, who, f"/assessor/{case_id[:36]}")
