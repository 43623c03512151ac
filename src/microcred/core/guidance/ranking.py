"""Rank learning opportunities by how much of a gap they fill, with reasons.

Order: weighted gap coverage (the share of the gap's missing weight the opportunity covers,
partially covered skills at ``PARTIAL_COVER``), then level fit (distance between the
opportunity's EQF level and the learner's next level: current + 1, or any level when unknown),
then text relevance (a score the caller may pass, e.g. from search), then id. Hard filters
(country, language, mode, price, dates...) are the search filters; an opportunity that covers no
missing skill is not suggested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from microcred.core.esco import EscoData
from microcred.core.guidance.gap import Gap, GapSkill, covering
from microcred.core.search.document import SearchDocument
from microcred.core.search.explain import Reason
from microcred.core.search.facets import passes
from microcred.core.search.query import Filters

UNKNOWN_LEVEL_DISTANCE = 9


@dataclass(frozen=True)
class Candidate:
    document: SearchDocument
    relevance: float = 0.0


@dataclass(frozen=True)
class CoveredSkill:
    uri: str
    label: str
    weight: float
    share: float
    via: str | None


@dataclass(frozen=True)
class Suggestion:
    """A suggested opportunity, its rank, what of the gap it covers and why it ranks there."""

    document: SearchDocument
    rank: int
    coverage: float
    level_distance: int
    relevance: float
    covers: tuple[CoveredSkill, ...]
    reasons: tuple[Reason, ...]


def _covers(
    gap: Gap, document: SearchDocument, esco: EscoData, language: str
) -> list[CoveredSkill]:
    found = []
    for skill in gap.missing:
        share, via = covering(skill.uri, document.skills, esco)
        gain = min(share, 1 - skill.covered)
        if gain > 0:
            label = esco.skill(skill.uri)
            found.append(
                CoveredSkill(
                    skill.uri,
                    label.label(language) if label else skill.uri,
                    skill.weight,
                    gain,
                    via,
                )
            )
    return found


def _distance(eqf: int | None, current: int | None) -> int:
    if eqf is None:
        return UNKNOWN_LEVEL_DISTANCE
    return 0 if current is None else abs(eqf - min(current + 1, 8))


def rank_opportunities(
    gap: Gap,
    candidates: Iterable[Candidate],
    esco: EscoData,
    *,
    filters: Filters | None = None,
    language: str = "en",
    limit: int = 20,
) -> tuple[Suggestion, ...]:
    """The best ``limit`` opportunities for the gap, each with its reasons."""
    total = gap.missing_weight
    scored = []
    for candidate in candidates:
        document = candidate.document
        if filters is not None and not passes(document, filters):
            continue
        covers = _covers(gap, document, esco, language)
        if not covers or total <= 0:
            continue
        coverage = sum(c.weight * c.share for c in covers) / total
        distance = _distance(document.eqf, gap.current_level)
        scored.append((round(coverage, 6), distance, candidate.relevance, document, covers))
    scored.sort(key=lambda s: (-s[0], s[1], -s[2], s[3].id))
    suggestions = []
    for rank, (coverage, distance, relevance, document, covers) in enumerate(scored[:limit], 1):
        reasons = _reasons(gap, rank, coverage, document.eqf, covers)
        suggestions.append(
            Suggestion(document, rank, coverage, distance, relevance, tuple(covers), reasons)
        )
    return tuple(suggestions)


def _reasons(
    gap: Gap, rank: int, coverage: float, eqf: int | None, covers: list[CoveredSkill]
) -> tuple[Reason, ...]:
    full = [c for c in covers if c.via is None]
    reasons = [
        Reason("guidance.reason.rank", {"rank": str(rank), "percent": str(round(coverage * 100))})
    ]
    if full:
        reasons.append(
            Reason(
                "guidance.reason.covers",
                {
                    "count": str(len(full)),
                    "missing": str(len(gap.missing)),
                    "skills": ", ".join(c.label for c in full),
                },
            )
        )
    reasons += [
        Reason("guidance.reason.partial", {"skill": c.label, "via": c.via or ""})
        for c in covers
        if c.via is not None
    ]
    reasons.append(_level_reason(eqf, gap.current_level))
    return tuple(reasons)


def _level_reason(eqf: int | None, current: int | None) -> Reason:
    if eqf is None:
        return Reason("guidance.reason.level.unknown", {})
    if current is None:
        return Reason("guidance.reason.level.any", {"level": str(eqf)})
    step = "next" if eqf == min(current + 1, 8) else "below" if eqf <= current else "above"
    return Reason(f"guidance.reason.level.{step}", {"level": str(eqf), "current": str(current)})


def missing_labels(gap: Gap, esco: EscoData, language: str) -> tuple[tuple[GapSkill, str], ...]:
    """The missing skills with their labels in ``language`` (for the gap list of a page)."""
    return tuple(
        (s, (found.label(language) if (found := esco.skill(s.uri)) else s.uri)) for s in gap.missing
    )
