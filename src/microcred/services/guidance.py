"""Guidance on skill gaps: a target (an ESCO occupation or skills), what the learner already
evidences, and the published opportunities that fill the gap best, each with its reasons.

Candidates come from the catalogue's search index (documents carrying a missing skill or a
broader one); the core ranks them (``core.guidance``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from microcred.adapters.db import search_sql
from microcred.core.errors import InvalidGuidanceTarget, MicrocredError
from microcred.core.esco import EscoData
from microcred.core.formats.detect import read_credential
from microcred.core.guidance import (
    Candidate,
    Evidence,
    Gap,
    Suggestion,
    compute_gap,
    missing_labels,
    parse_target,
    rank_opportunities,
)
from microcred.core.search import SearchDocument, parse_search_query
from microcred.core.search.text import LANGUAGES
from microcred.services import esco as esco_service
from microcred.services.context import Context
from microcred.services.learner import verifying, wallet

Params = Mapping[str, str | Sequence[str]]
SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
MAX_HELD = 500


@dataclass(frozen=True)
class Guidance:
    """The gap, its missing skills with labels, and the ranked suggestions."""

    language: str
    target_label: str  # the occupation's label in ``language`` ("" for a set of skills)
    gap: Gap
    missing: tuple[tuple[str, str, float], ...]  # (skill URI, label, weight)
    suggestions: tuple[Suggestion, ...]


def _list(params: Params, name: str) -> list[str]:
    raw = params.get(name) or ()
    values = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _held(params: Params) -> Evidence:
    skills = _list(params, "held")
    if len(skills) > MAX_HELD:
        raise InvalidGuidanceTarget(f"held: at most {MAX_HELD} skills", field="held")
    wrong = next((s for s in skills if not s.startswith(SKILL_PREFIX)), None)
    if wrong is not None:
        raise InvalidGuidanceTarget(f"held: {wrong[:120]!r} is not an ESCO skill URI", field="held")
    return Evidence("declared", tuple(skills))


def _level(params: Params) -> int | None:
    raw = _list(params, "level")
    if not raw:
        return None
    if len(raw) > 1 or not raw[0].isdigit() or not 1 <= int(raw[0]) <= 8:
        raise InvalidGuidanceTarget("level: an EQF level, 1 to 8", field="level")
    return int(raw[0])


def wallet_evidence(ctx: Context, account_id: str) -> list[Evidence]:
    """The learner's wallet credentials that verify now (authentic, in force), as evidence: the
    ESCO skills their outcomes name and their EQF level. Others do not count."""
    found = []
    for held in wallet.list_held(ctx, account_id):
        if not verifying.check(ctx, held.raw).verified:
            continue
        try:
            credential = read_credential(held.raw.encode()).credential
        except MicrocredError:
            continue  # verified but not readable as a micro-credential: it names no skills
        skills = tuple(dict.fromkeys(s for o in credential.learning_outcomes for s in o.skills))
        level = (
            credential.level.eqf.id.rstrip("/").rsplit("/", 1)[-1]
            if credential.level and credential.level.eqf
            else ""
        )
        found.append(Evidence(held.id, skills, int(level) if level.isdigit() else None))
    return found


def guide(
    ctx: Context, params: Params, evidence: Sequence[Evidence] = (), esco: EscoData | None = None
) -> Guidance:
    """Guidance for ``params``: ``occupation`` or ``skills`` (the target), ``held`` (skills the
    learner declares), ``level`` (current EQF level), ``lang`` and the catalogue's filters
    (country, language, mode, price_max, starts_from...); ``evidence`` from a wallet."""
    esco = esco or esco_service.current(ctx)
    target = parse_target(params, esco)
    search_params = {k: v for k, v in params.items()
                     if k not in ("occupation", "skills", "held", "level", "q")}  # fmt: skip
    query = parse_search_query(search_params)
    language = query.language if query.language in LANGUAGES else "en"
    declared = _held(params)
    gap = compute_gap(target, [*evidence, declared], esco, _level(params))
    wanted = {u for s in gap.missing for u in (s.uri, *esco.ancestors(s.uri))}
    documents = search_sql.carrying(ctx.session.connection(), wanted, query.filters)
    candidates = [Candidate(SearchDocument.model_validate(d)) for d in documents]
    suggestions = rank_opportunities(gap, candidates, esco, filters=query.filters,
                                     language=language, limit=query.per_page)  # fmt: skip
    missing = tuple((s.uri, label, s.weight) for s, label in missing_labels(gap, esco, language))
    occupation = esco.occupation(target.occupation or "")
    label = occupation.label(language) if occupation else ""
    return Guidance(language, label, gap, missing, suggestions)
