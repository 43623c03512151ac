"""Pathways from the learner's side (issue 11): the published pathways any learner may pick,
an evaluation asked for from the wallet (each credential verified first, the reports kept with
the evaluation for the receiving organisation's officer), the learner's own evaluations, and what
each wallet credential stacks towards. A learner sees their own evaluations only."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from microcred.adapters.db.tables import PathwayEvaluation, PathwayRules, Provider
from microcred.core.stacking.gaps import Gap, gaps
from microcred.services import pathways
from microcred.services.context import Context
from microcred.services.errors import InvalidInput, NotFound
from microcred.services.learner import wallet
from microcred.services.submitted import MAX_SUBMITTED

MAX_PUBLISHED = 200


@dataclass(frozen=True)
class Published:
    """The latest version of a published rule set, with its organisation's name."""

    row: PathwayRules
    provider_name: dict[str, str]


def published(ctx: Context) -> list[Published]:
    """Every provider's published pathways (latest version of each rule set), by title: rules
    are published to be read, so no role is needed."""
    query = (select(PathwayRules, Provider.legal_name).join(Provider, Provider.id ==
             PathwayRules.provider_id).order_by(PathwayRules.published_at.desc(),
                                                PathwayRules.id))  # fmt: skip
    latest: dict[tuple[int, str], Published] = {}
    for row, name in ctx.session.execute(query.limit(MAX_PUBLISHED * 5)):
        latest.setdefault((row.provider_id, row.rules_id), Published(row, dict(name or {})))
    found = list(latest.values())[:MAX_PUBLISHED]
    return sorted(found, key=lambda p: json.dumps(p.row.title, sort_keys=True))


def published_rules(ctx: Context, rules_row_id: str) -> PathwayRules:
    """One published version (public); NotFound when there is none."""
    row = ctx.session.get(PathwayRules, rules_row_id)
    if row is None:
        raise NotFound(f"no published pathway {rules_row_id}")
    return row


def _document(raw: str) -> dict[str, Any] | str:
    """A wallet entry as submitted: JSON documents as objects, JWTs as text."""
    text = raw.strip()
    if text.startswith("{"):
        parsed = json.loads(text)
        if isinstance(parsed, dict):
            return parsed
    return text


def request_evaluation(
    ctx: Context, account_id: str, rules_row_id: str, credential_ids: Sequence[str]
) -> PathwayEvaluation:
    """Submit credentials of the learner's wallet to a published pathway: each is verified, the
    engine evaluates them, and the organisation's officers find the evaluation to decide on."""
    ctx.actor.require_account(account_id)
    rules_row = published_rules(ctx, rules_row_id)
    chosen = list(dict.fromkeys(credential_ids))
    if not chosen:
        raise InvalidInput("choose at least one credential of your wallet", field="credentials")
    if len(chosen) > MAX_SUBMITTED:
        raise InvalidInput(f"at most {MAX_SUBMITTED} credentials at once", field="credentials")
    held = [wallet.get(ctx, account_id, credential_id) for credential_id in chosen]
    return pathways.record_evaluation(
        ctx, rules_row, [_document(h.raw) for h in held], account_id=account_id,
        wallet_ids=[h.id for h in held],
    )  # fmt: skip


def evaluations(ctx: Context, account_id: str) -> list[PathwayEvaluation]:
    """The learner's own evaluations, newest first."""
    ctx.actor.require_account(account_id)
    query = select(PathwayEvaluation).where(PathwayEvaluation.account_id == account_id)
    return list(ctx.session.scalars(query.order_by(PathwayEvaluation.evaluated_at.desc(),
                                                   PathwayEvaluation.id)))  # fmt: skip


def evaluation(ctx: Context, account_id: str, evaluation_id: str) -> PathwayEvaluation:
    """One of the learner's own evaluations; NotFound for anyone else's."""
    ctx.actor.require_account(account_id)
    row = ctx.session.get(PathwayEvaluation, evaluation_id)
    if row is None or row.account_id != account_id:
        raise NotFound("no such evaluation")
    return row


def evaluation_gaps(ctx: Context, row: PathwayEvaluation) -> list[Gap]:
    """What is still missing for this evaluation's rules (none once satisfied)."""
    if row.outcome == "satisfied":
        return []
    rules_row = published_rules(ctx, row.rules_row_id)
    rules = pathways.read_rules(ctx, rules_row.provider_id, rules_row.document)
    return gaps(rules, row.result["trace"])


@dataclass
class Contribution:
    """What one credential does in one evaluation: the parts it counts for, the parts it could
    meet, the reasons it was refused, and what the pathway still misses."""

    evaluation: PathwayEvaluation
    rules: PathwayRules
    counts_for: list[str] = field(default_factory=list)
    could_meet: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def _key_of(row: PathwayEvaluation, wallet_id: str) -> str | None:
    return next((item["key"] for item in row.submitted if item.get("wallet_id") == wallet_id),
                None)  # fmt: skip


def _walk(trace: dict[str, Any]) -> list[dict[str, Any]]:
    found = [trace]
    for child in trace.get("children") or ():
        found.extend(_walk(child))
    return found


def _short_total(node: dict[str, Any]) -> bool:
    """An unmet total: the credentials it does not refuse add to it, without reaching it."""
    return node.get("kind") == "aggregate" and node.get("outcome") != "satisfied"


def contribution(ctx: Context, row: PathwayEvaluation, key: str) -> Contribution:
    found = Contribution(row, published_rules(ctx, row.rules_row_id))
    for node in _walk(row.result["trace"]):
        label = str(node.get("description") or node.get("path"))
        reasons = [r["reasons"] for r in node.get("refused", ()) if r["credential"] == key]
        if key in node.get("used", ()):
            found.counts_for.append(label)
        elif key in node.get("met_by", ()) or (not reasons and _short_total(node)):
            found.could_meet.append(label)  # meets the part alone, or adds to a short total
        found.refused.extend(f"{label}: {'; '.join(each)}" for each in reasons)
    found.gaps = evaluation_gaps(ctx, row)
    return found


def stacks_towards(ctx: Context, account_id: str, wallet_id: str) -> list[Contribution]:
    """For one wallet credential, each pathway it was submitted to (its latest evaluation):
    what it counts for there and what is still missing."""
    wallet.get(ctx, account_id, wallet_id)
    seen: set[str] = set()
    found = []
    for row in evaluations(ctx, account_id):
        key = _key_of(row, wallet_id)
        if key is None or row.rules_row_id in seen:
            continue
        seen.add(row.rules_row_id)
        found.append(contribution(ctx, row, key))
    return found
