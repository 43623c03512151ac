"""The receiving organisation's pathway pages: publish stacking rules (a preset or JSON), read
the evaluations submitted against them with the per-part trace and the verifier's reports,
record the officer's decision (which issues the larger credential on acceptance)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from microcred.core.errors import MicrocredError
from microcred.core.stacking import RuleSet, presets
from microcred.core.stacking.ctdl import rules_to_ctdl
from microcred.services import opportunities, pathways, providers
from microcred.services.context import Context
from microcred.services.errors import InvalidInput
from microcred.services.pathways import DecisionIn
from microcred.web.provider_pages import provider_context
from microcred.web.web_state import Form, ProviderUser, Who, field, message, page, redirect

router = APIRouter(include_in_schema=False)
MAX_RULES_TEXT = 256 * 1024


def _own_id(ctx: Context) -> int:
    provider_id = ctx.actor.provider_id
    assert provider_id is not None
    return provider_id


@router.get("/provider/pathways")
def pathways_page(request: Request, who: Who, _user: ProviderUser) -> Response:
    with provider_context(request, who) as ctx:
        provider_id = _own_id(ctx)
        rows = pathways.list_rules(ctx, provider_id)
        counts = {row.id: len(pathways.list_evaluations(ctx, row.id)) for row in rows}
        own = [op for op in opportunities.list_for_provider(ctx, provider_id)
               if op.latest_version]  # fmt: skip
        return page(request, who, "learner/provider_pathways.html", rules=rows, counts=counts,
                    opportunities=own, provider=providers.get(ctx, provider_id))  # fmt: skip


def _number(form: FormData, name: str) -> int | None:
    text = field(form, name, 6)
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInput(f"{name}: a whole number", field=name)
    return int(text)


def _rules_from_form(ctx: Context, form: FormData, language: str) -> Any:
    """The rules a publish form describes: JSON as written, or a preset filled in."""
    preset = field(form, "preset", 10) or "open"
    if preset == "json":
        try:
            return json.loads(field(form, "rules", MAX_RULES_TEXT))
        except ValueError:
            raise InvalidInput("rules: this is not JSON", field="rules") from None
    provider = providers.get(ctx, _own_id(ctx))
    home = [opportunities.provider_defaults(ctx, provider)["awarding_bodies"][0]["id"]]
    rules_id, version = field(form, "rules_id", 500), field(form, "version", 100) or "1"
    title = {field(form, "language", 2) or language: field(form, "title", 300)}
    if preset == "rigid":
        chosen = [int(v) for v in form.getlist("opportunity") if isinstance(v, str) and v.isdigit()]
        if not chosen:
            raise InvalidInput("choose at least one of your opportunities", field="opportunity")
        return presets.rigid_pathway(
            rules_id,
            title,
            version=version,
            home_providers=home,
            opportunities=[ctx.site.opportunity_url(o) for o in chosen],
        )
    return presets.open_pathway(rules_id, title, version=version, home_providers=home,
                                ects=_number(form, "ects") or 0, eqf_min=_number(form, "eqf_min"),
                                external_credit_cap=_number(form, "external_cap"))  # fmt: skip


@router.post("/provider/pathways")
def publish(request: Request, who: Who, form: Form, _user: ProviderUser) -> Response:
    try:
        with provider_context(request, who) as ctx:
            row = pathways.publish(ctx, _own_id(ctx), _rules_from_form(ctx, form, who.language))
            row_id = row.id
    except MicrocredError as exc:
        return message(request, who, exc.http_status, "error.bad_input", _detail(exc))
    return redirect(request, who, f"/provider/pathways/{row_id}")


def _detail(exc: MicrocredError) -> str:
    """The problem in one line: the field or node at fault, the message, the stable code."""
    where = getattr(exc, "field", None)
    text = f"{where}: {exc.message}" if where and where not in exc.message else exc.message
    return f"{text} ({exc.code})"


@router.get("/provider/pathways/{rules_row_id}")
def rules_page(request: Request, who: Who, rules_row_id: str, _user: ProviderUser) -> Response:
    try:
        with provider_context(request, who) as ctx:
            row = pathways.get_rules(ctx, rules_row_id[:40])
            rules = pathways.read_rules(ctx, row.provider_id, row.document)
            return page(request, who, "learner/provider_rules.html", row=row,
                        evaluations=pathways.list_evaluations(ctx, row.id),
                        rules_json=json.dumps(row.document, indent=2, ensure_ascii=False),
                        ctdl=_ctdl(rules))  # fmt: skip
    except MicrocredError:
        return message(request, who, 404, "error.not_found")


def _ctdl(rules: RuleSet) -> str:
    exported = rules_to_ctdl(rules)
    data = {
        "ceterms:requires": list(exported.requires),
        "approximated": list(exported.approximated),
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


@router.get("/provider/evaluations/{evaluation_id}")
def evaluation_page(
    request: Request, who: Who, evaluation_id: str, _user: ProviderUser
) -> Response:
    try:
        with provider_context(request, who) as ctx:
            row = pathways.get_evaluation(ctx, evaluation_id[:40])
            rules = pathways.get_rules(ctx, row.rules_row_id)
            names = pathways.credential_titles(row, who.language)
            return page(request, who, "learner/provider_evaluation.html", row=row, rules=rules,
                        trace=row.result["trace"], names=names)  # fmt: skip
    except MicrocredError:
        return message(request, who, 404, "error.not_found")


@router.post("/provider/evaluations/{evaluation_id}/decision")
def decide(
    request: Request, who: Who, evaluation_id: str, form: Form, _user: ProviderUser
) -> Response:
    try:
        data = DecisionIn.model_validate({
            "decision": field(form, "decision", 30), "reasons": field(form, "reasons", 5000),
            "conditions": field(form, "conditions", 5000) or None})  # fmt: skip
        with provider_context(request, who) as ctx:
            row = pathways.decide(ctx, evaluation_id[:40], data)
            row_id = row.id
    except MicrocredError as exc:
        return message(request, who, exc.http_status, "error.bad_input", exc.message)
    except ValueError as exc:  # the form's fields (pydantic names the first)
        return message(request, who, 400, "error.bad_input", str(exc).splitlines()[0][:300])
    return redirect(request, who, f"/provider/evaluations/{row_id}")
