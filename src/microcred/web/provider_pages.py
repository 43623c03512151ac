"""The provider dashboard: opportunities, issue one, batch CSV with progress, revoke, suspend."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response

from microcred.core.errors import MicrocredError
from microcred.core.i18n import pick
from microcred.core.proofs.jades import JADES
from microcred.core.vocab import vocabularies
from microcred.services import (
    batch_input,
    batches,
    issuance,
    opportunities,
    providers,
    seal_certificates,
    statuses,
)
from microcred.services.bounds import row_id
from microcred.services.context import Actor, Context, Role, Units
from microcred.services.issuance import IssueIn
from microcred.services.learner import claims
from microcred.services.opportunities import OpportunityIn
from microcred.web.session import Visitor
from microcred.web.web_state import (
    Form,
    IdPath,
    ProviderUser,
    Who,
    field,
    message,
    page,
    redirect,
    signed_in,
)

router = APIRouter(include_in_schema=False)
MAX_CSV_BYTES = 1024 * 1024


def _platform(request: Request) -> Units:
    platform: Units = request.app.state.platform
    return platform


@contextmanager
def provider_context(request: Request, who: Visitor) -> Iterator[Context]:
    """A platform context acting as the signed-in provider user (SignInRequired if none)."""
    account = signed_in(request, who, "provider")
    platform = _platform(request)
    with platform.context() as lookup:
        provider_id = providers.by_slug(lookup, str(account.provider_ref)).id
    actor = Actor(f"web:{account.email}", Role.PROVIDER_ADMIN, provider_id)
    with platform.unit_of_work(actor) as ctx:
        yield ctx


def _options(scheme: str, lang: str) -> list[tuple[str, str]]:
    return [(c.uri, c.label(lang).text) for c in vocabularies().scheme(scheme)]


@router.get("/provider")
def dashboard(
    request: Request, who: Who, _user: ProviderUser, q: str = "", state: str = ""
) -> Response:
    with provider_context(request, who) as ctx:
        provider_id = ctx.actor.provider_id
        assert provider_id is not None
        provider = providers.get(ctx, provider_id)
        found = issuance.list_credentials(ctx, provider_id, email=q.strip().lower() or None,
                                          state=state or None, limit=100)  # fmt: skip
        values: dict[str, Any] = {
            "provider": provider, "q": q[:200], "state": state,
            "opportunities": _opportunity_rows(ctx, provider_id, who.language),
            "credentials": found,
            "can_seal": bool(seal_certificates.certificates_of(ctx, provider_id)),
            "assessments": _options("assessment", who.language),
            "modes": _options("learning-assessment", who.language),
        }  # fmt: skip
        return page(request, who, "learner/provider.html", **values)


def _opportunity_rows(ctx: Context, provider_id: int, lang: str) -> list[dict[str, Any]]:
    """Id, published version and title (from the draft, else the latest version)."""
    rows = []
    for op in opportunities.list_for_provider(ctx, provider_id):
        data = op.draft
        if data is None and op.latest_version:
            data = opportunities.version(ctx, op.id).data
        title = ((data or {}).get("credential") or {}).get("title") or {}
        text = pick(title, lang) or ""
        rows.append({"id": op.id, "latest_version": op.latest_version, "title": text})
    return rows


def _opportunity_form(form: Any) -> OpportunityIn:
    title, lang = field(form, "title", 300), field(form, "language", 2) or "en"
    ects = field(form, "ects", 6) or "0"
    credential: dict[str, Any] = {
        "title": {lang: title},
        "description": {lang: field(form, "description", 3000) or title},
        "learning_outcomes": [{"text": {lang: line.strip()}}
                              for line in field(form, "outcomes", 5000).splitlines()
                              if line.strip()],
        "workload": {"ects": ects, "hours": field(form, "hours", 6) or None},
        "level": {"eqf": {"id": f"http://data.europa.eu/snb/eqf/{field(form, 'eqf', 1)}"}},
        "assessment_types": [{"id": field(form, "assessment", 200)}],
        "participation": {"mode": {"id": field(form, "mode", 200)}},
    }  # fmt: skip
    return OpportunityIn.model_validate({"credential": credential})


@router.post("/provider/opportunities")
def create_opportunity(request: Request, who: Who, form: Form, _user: ProviderUser) -> Response:
    try:
        with provider_context(request, who) as ctx:
            assert ctx.actor.provider_id is not None
            row = opportunities.create(ctx, ctx.actor.provider_id, _opportunity_form(form))
            if field(form, "publish"):
                opportunities.publish(ctx, row.id)
    except (MicrocredError, ValueError) as exc:
        return message(request, who, 400, "error.bad_input", _reason(exc))
    return redirect(request, who, "/provider#opportunities")


@router.post("/provider/opportunities/{opportunity_id}/publish")
def publish(
    request: Request, who: Who, opportunity_id: IdPath, form: Form, _user: ProviderUser
) -> Response:
    try:
        with provider_context(request, who) as ctx:
            opportunities.publish(ctx, opportunity_id)
    except MicrocredError as exc:
        return message(request, who, 400, "error.bad_input", exc.message)
    return redirect(request, who, "/provider#opportunities")


def _reason(exc: Exception) -> str:
    return exc.message if isinstance(exc, MicrocredError) else str(exc).splitlines()[0][:300]


SEALED = {"format": "elm", "suite": JADES}  # the form's "sealed Europass credential" box


@router.post("/provider/issue")
def issue_one(request: Request, who: Who, form: Form, _user: ProviderUser) -> Response:
    try:
        with provider_context(request, who) as ctx:
            data = IssueIn.model_validate({
                "opportunity_id": row_id(field(form, "opportunity", 12)),
                "learner": {"name": field(form, "name", 300) or None,
                            "email": field(form, "email", 300).lower() or None},
                "grade": field(form, "grade", 200) or None,
                **(SEALED if field(form, "sealed", 1) else {})})  # fmt: skip
            row, _new = issuance.issue(ctx, data)
            ref, email = row.id, row.learner_email
            link = claims.offer_issued(ctx, ref, row.document, email)
    except (MicrocredError, ValueError) as exc:
        return message(request, who, 400, "error.bad_input", _reason(exc))
    return page(request, who, "learner/issued.html", link=link, ref=ref, email=email)


@router.post("/provider/batches")
async def upload_batch(request: Request, who: Who, form: Form, _user: ProviderUser) -> Response:
    upload = form.get("file")
    data = await upload.read(MAX_CSV_BYTES + 1) if isinstance(upload, UploadFile) else b""
    try:
        if len(data) > MAX_CSV_BYTES:
            raise ValueError("the file is larger than 1 MB")
        rows = batch_input.read_rows(data.decode("utf-8-sig"), "csv")
        with provider_context(request, who) as ctx:
            batch = batches.create(ctx, row_id(field(form, "opportunity", 12)), rows)
            batch_id = batch.id
    except (MicrocredError, ValueError, UnicodeDecodeError) as exc:
        return message(request, who, 400, "error.bad_input", _reason(exc))
    actor = Actor(f"web:{who.account.email if who.account else ''}", Role.PROVIDER_ADMIN,
                  batch.provider_id)  # fmt: skip
    threading.Thread(target=_run, args=(_platform(request), actor, batch_id), daemon=True).start()
    return redirect(request, who, f"/provider/batches/{batch_id}")


def _run(platform: Units, actor: Actor, batch_id: str) -> None:
    """Issue a batch in the background (the page polls its progress)."""
    try:
        platform.start_batch(actor, batch_id)  # here, or as the workers' jobs (PostgreSQL)
    except Exception:  # the batch stays resumable; the API process resumes it on restart
        logging.getLogger(__name__).exception("batch %s stopped", batch_id)


@router.get("/provider/batches/{batch_id}")
def batch_page(request: Request, who: Who, batch_id: str, _user: ProviderUser) -> Response:
    try:
        with provider_context(request, who) as ctx:
            batch = batches.get(ctx, batch_id)
            ctx.actor.require("read", batch.provider_id)
            finished = batch.state not in ("pending", "running")
            errors = batches.errors(ctx, batch_id) if finished else []
            if finished:
                _send_offers(ctx, batch)
            response = page(request, who, "learner/batch.html", batch=batch, errors=errors)
    except MicrocredError:
        return message(request, who, 404, "error.not_found")
    return response


def _send_offers(ctx: Context, batch: Any) -> None:
    """A claim link for each credential a finished batch issued (once), e-mailed to the
    learner."""
    found = issuance.list_credentials(ctx, batch.provider_id, batch_id=batch.id, limit=500)
    for credential in found:
        claims.offer_issued(ctx, credential.id, credential.document, credential.learner_email)


@router.get("/provider/batches/{batch_id}/state")
def batch_state(request: Request, who: Who, batch_id: str) -> Response:
    """Progress for the polling script; once done, claim links go out to the learners."""
    try:
        with provider_context(request, who) as ctx:
            batch = batches.get(ctx, batch_id)
            ctx.actor.require("read", batch.provider_id)
            finished = batch.state not in ("pending", "running")
            done, total = batch.issued + batch.failed, batch.total
            if finished:
                _send_offers(ctx, batch)
    except MicrocredError:  # not signed in too: the poller stops
        return JSONResponse({"error": "not-found"}, status_code=404)
    return JSONResponse({"done": done, "total": total, "finished": finished,
                         "text": f"{done} / {total}"})  # fmt: skip


@router.post("/provider/credentials/{credential_id}/{action}")
def change_status(request: Request, who: Who, credential_id: str, action: str,
                  form: Form, _user: ProviderUser) -> Response:  # fmt: skip
    if action not in ("revoke", "suspend", "reinstate"):
        return message(request, who, 404, "error.not_found")
    try:
        with provider_context(request, who) as ctx:
            statuses.change(ctx, credential_id, action, field(form, "reason", 500) or None)
    except MicrocredError as exc:
        return message(request, who, 400, "error.bad_input", exc.message)
    return redirect(request, who, "/provider#credentials")
