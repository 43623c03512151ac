"""Guidance targets: an ESCO occupation (essential skills weigh more than optional ones) or a
chosen set of ESCO skills."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from microcred.core.errors import InvalidGuidanceTarget
from microcred.core.esco import EscoData, Relation

ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5
CHOSEN_WEIGHT = 1.0
SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
MAX_SKILLS = 200


class TargetKind(StrEnum):
    OCCUPATION = "occupation"
    SKILLS = "skills"


@dataclass(frozen=True)
class TargetSkill:
    """A skill the target asks for, with its weight and why (essential, optional, chosen)."""

    uri: str
    weight: float
    relation: str


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    skills: tuple[TargetSkill, ...]
    occupation: str | None = None


def occupation_target(esco: EscoData, uri: str) -> Target:
    """The skills of an occupation: essential at weight 1, optional at 0.5."""
    occupation = esco.occupation(uri)
    if occupation is None:
        raise InvalidGuidanceTarget(
            f"{uri[:120]!r} is not an ESCO occupation we know (import the ESCO release to use it)",
            field="occupation",
        )
    weights = {Relation.ESSENTIAL: ESSENTIAL_WEIGHT, Relation.OPTIONAL: OPTIONAL_WEIGHT}
    best: dict[str, TargetSkill] = {}
    for link in occupation.skills:
        skill = TargetSkill(link.skill, weights[link.relation], link.relation.value)
        if link.skill not in best or skill.weight > best[link.skill].weight:
            best[link.skill] = skill
    if not best:
        raise InvalidGuidanceTarget(
            f"the occupation {occupation.label('en')!r} has no skills in the ESCO data loaded here",
            field="occupation",
        )
    return Target(TargetKind.OCCUPATION, tuple(best.values()), uri)


def skills_target(uris: Sequence[str]) -> Target:
    """A chosen set of ESCO skills, each at weight 1."""
    chosen = list(dict.fromkeys(u.strip() for u in uris if u.strip()))
    if not chosen:
        raise InvalidGuidanceTarget("choose at least one ESCO skill", field="skills")
    if len(chosen) > MAX_SKILLS:
        raise InvalidGuidanceTarget(f"at most {MAX_SKILLS} skills", field="skills")
    for uri in chosen:
        if not uri.startswith(SKILL_PREFIX):
            raise InvalidGuidanceTarget(
                f"{uri[:120]!r} is not an ESCO skill URI ({SKILL_PREFIX}...)", field="skills"
            )
    return Target(TargetKind.SKILLS, tuple(TargetSkill(u, CHOSEN_WEIGHT, "chosen") for u in chosen))


def parse_target(params: Mapping[str, str | Sequence[str]], esco: EscoData) -> Target:
    """``occupation=<URI>`` or ``skills=<URI>,<URI>...`` (exactly one of them)."""
    occupation, skills = params.get("occupation"), params.get("skills")
    if bool(occupation) == bool(skills):
        raise InvalidGuidanceTarget(
            "give either an occupation or skills, not both nor neither", field="occupation"
        )
    if occupation:
        text = occupation if isinstance(occupation, str) else ",".join(occupation)
        if not text.startswith(OCCUPATION_PREFIX):
            raise InvalidGuidanceTarget(
                f"{text[:120]!r} is not an ESCO occupation URI", field="occupation"
            )
        return occupation_target(esco, text)
    values = [skills] if isinstance(skills, str) else list(skills or ())
    return skills_target([part for value in values for part in value.split(",")])
