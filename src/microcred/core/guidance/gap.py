"""The gap between a target and what the learner's valid credentials evidence.

A target skill is covered (1) when a valid credential evidences it, partially covered
(``PARTIAL_COVER`` = 0.5) when a credential evidences a *broader* skill of it in the ESCO
hierarchy (a learner who shows "computer programming" has part of "Haskell"), and missing
otherwise. Only credentials the caller found valid (authentic, not revoked, not expired) count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from microcred.core.esco import EscoData
from microcred.core.guidance.target import Target

PARTIAL_COVER = 0.5


@dataclass(frozen=True)
class Evidence:
    """A valid credential of the wallet: its id, the ESCO skills it names, its EQF level."""

    credential: str
    skills: tuple[str, ...]
    eqf: int | None = None


@dataclass(frozen=True)
class GapSkill:
    """A target skill and how much of it the wallet covers (0, 0.5 or 1)."""

    uri: str
    weight: float
    relation: str
    covered: float
    credentials: tuple[str, ...] = ()
    via: str | None = None

    @property
    def missing_weight(self) -> float:
        return self.weight * (1 - self.covered)


@dataclass(frozen=True)
class Gap:
    target: Target
    skills: tuple[GapSkill, ...]
    current_level: int | None

    @property
    def missing(self) -> tuple[GapSkill, ...]:
        return tuple(s for s in self.skills if s.covered < 1)

    @property
    def missing_weight(self) -> float:
        return sum(s.missing_weight for s in self.skills)


def covering(target: str, offered: Iterable[str], esco: EscoData) -> tuple[float, str | None]:
    """How much skills ``offered`` cover ``target``: 1 if named, 0.5 through a broader skill."""
    offered = set(offered)
    if target in offered:
        return 1.0, None
    for ancestor in esco.ancestors(target):
        if ancestor in offered:
            return PARTIAL_COVER, ancestor
    return 0.0, None


def compute_gap(
    target: Target, evidence: Iterable[Evidence], esco: EscoData, current_level: int | None = None
) -> Gap:
    """The target's skills with what the wallet covers; the learner's level is the highest EQF
    among the evidence unless given."""
    items = list(evidence)
    levels = [e.eqf for e in items if e.eqf]
    level = current_level if current_level is not None else (max(levels) if levels else None)
    skills = []
    for wanted in target.skills:
        best, via, who = 0.0, None, []
        for item in items:
            share, through = covering(wanted.uri, item.skills, esco)
            if share > best:
                best, via, who = share, through, [item.credential]
            elif share and share == best:
                who.append(item.credential)
        skills.append(GapSkill(wanted.uri, wanted.weight, wanted.relation, best, tuple(who), via))
    return Gap(target, tuple(skills), level)
