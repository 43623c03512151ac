"""Guidance: the gap between a target (an ESCO occupation or a set of skills) and a wallet's
valid credentials, and opportunities ranked by how much of the gap they fill, with reasons.

Public API::

    occupation_target(esco, uri) / skills_target(uris) / parse_target(params, esco) -> Target
    compute_gap(target, [Evidence(credential, skills, eqf)], esco, current_level=None) -> Gap
    rank_opportunities(gap, [Candidate(document, relevance)], esco, filters=, language=)
        -> (Suggestion(rank, coverage, level_distance, covers, reasons), ...)
    Reason.text(lang)  # from microcred.core.search.explain
"""

from __future__ import annotations

from microcred.core.guidance.gap import (
    PARTIAL_COVER,
    Evidence,
    Gap,
    GapSkill,
    compute_gap,
    covering,
)
from microcred.core.guidance.ranking import (
    Candidate,
    CoveredSkill,
    Suggestion,
    missing_labels,
    rank_opportunities,
)
from microcred.core.guidance.target import (
    ESSENTIAL_WEIGHT,
    OPTIONAL_WEIGHT,
    Target,
    TargetKind,
    TargetSkill,
    occupation_target,
    parse_target,
    skills_target,
)

__all__ = [
    "ESSENTIAL_WEIGHT",
    "OPTIONAL_WEIGHT",
    "PARTIAL_COVER",
    "Candidate",
    "CoveredSkill",
    "Evidence",
    "Gap",
    "GapSkill",
    "Suggestion",
    "Target",
    "TargetKind",
    "TargetSkill",
    "compute_gap",
    "covering",
    "missing_labels",
    "occupation_target",
    "parse_target",
    "rank_opportunities",
    "skills_target",
]
