"""The learner's pathway pages: pick a published pathway, submit wallet credentials, read the
evaluation (what each credential counts for, what is missing and which catalogue opportunities
would fill it, the officer's decision and the larger credential)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.core.errors import MicrocredError
from microcred.services import pathway_gaps, pathway_wallet
from microcred.services.errors import NotFound
from microcred.services.learner import wallet
from microcred.web.web_state import Form, LearnerId, State, Who, field, message, page, redirect

router = APIRouter(include_in_schema=False)


@router.get("/wallet/pathways")
def pathways_page(request: Request, who: Who, state: State, learner: LearnerId) -> Response:
    ctx = state.ctx
    mine = pathway_wallet.evaluations(ctx, learner)
    titles = {p.row.id: p.row.title for p in pathway_wallet.published(ctx)}
    for row in mine:
        titles.setdefault(row.rules_row_id, pathway_wallet.published_rules(ctx, row.rules_row_id)
                          .title)  # fmt: skip
    return page(request, who, "learner/pathways.html", published=pathway_wallet.published(ctx),
                held=wallet.list_held(ctx, learner), mine=mine, titles=titles)  # fmt: skip


@router.post("/wallet/pathways")
def ask(request: Request, who: Who, state: State, form: Form, learner: LearnerId) -> Response:
    chosen = [str(v)[:40] for v in form.getlist("credential") if isinstance(v, str)]
    try:
        row = pathway_wallet.request_evaluation(state.ctx, learner, field(form, "pathway", 40),
                                                chosen)  # fmt: skip
    except MicrocredError as exc:
        return message(request, who, exc.http_status, "error.bad_input", exc.message)
    return redirect(request, who, f"/wallet/evaluations/{row.id}")


def _credentials(state: State, learner: str, row: Any) -> list[dict[str, Any]]:
    """Each submitted credential: its wallet entry, the verifier's verdict, what it did."""
    found = []
    for item in row.submitted:
        wallet_id = item.get("wallet_id")
        try:
            held = wallet.get(state.ctx, learner, wallet_id) if wallet_id else None
        except NotFound:  # deleted from the wallet since
            held = None
        found.append({"held": held, "key": item["key"],
                      "verified": bool(row.reports[item["key"]]["verified"]),
                      "did": pathway_wallet.contribution(state.ctx, row, item["key"])})  # fmt: skip
    return found


@router.get("/wallet/evaluations/{evaluation_id}")
def evaluation_page(
    request: Request, who: Who, state: State, evaluation_id: str, learner: LearnerId
) -> Response:
    ctx = state.ctx
    try:
        row = pathway_wallet.evaluation(ctx, learner, evaluation_id[:40])
    except NotFound:
        return message(request, who, 404, "error.not_found")
    larger = None
    if row.credential_id:
        larger = next((h for h in wallet.list_held(ctx, learner)
                       if h.credential_ref == row.credential_id), None)  # fmt: skip
    gaps = pathway_gaps.views(ctx, pathway_wallet.evaluation_gaps(ctx, row), who.language)
    rules = pathway_wallet.published_rules(ctx, row.rules_row_id)
    return page(request, who, "learner/evaluation.html", row=row, rules=rules, gaps=gaps,
                credentials=_credentials(state, learner, row), larger=larger)  # fmt: skip


def stacks(state: State, learner: str, held_id: str, language: str) -> list[dict[str, Any]]:
    """For the wallet credential page: each pathway the credential was submitted to."""
    found = []
    for one in pathway_wallet.stacks_towards(state.ctx, learner, held_id):
        found.append({"evaluation": one.evaluation, "rules": one.rules,
                      "counts_for": one.counts_for, "could_meet": one.could_meet,
                      "refused": one.refused,
                      "views": pathway_gaps.views(state.ctx, one.gaps, language)})  # fmt: skip
    return found
