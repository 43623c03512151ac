"""ESCO occupations, skills and their relations, normalised and immutable.

Labels are language maps; ``labels`` holds ESCO's own preferred labels, ``translations`` labels
that microcred wrote where ESCO's were not available here (never mixed up: an export of ESCO
data uses ``labels`` only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from microcred.core.i18n import pick

T = TypeVar("T")


class Relation(StrEnum):
    """How an ESCO occupation relates to a skill (``relationType`` in ESCO's CSV)."""

    ESSENTIAL = "essential"
    OPTIONAL = "optional"


class _Labelled:
    """The labels of an ESCO concept (a skill or an occupation) and how a reader sees them."""

    uri: str
    labels: Mapping[str, str]
    alt_labels: Mapping[str, tuple[str, ...]]
    translations: Mapping[str, str]

    def label(self, language: str) -> str:
        """The label in ``language``: ESCO's, then ours, then ESCO's by :func:`pick`'s rule
        (English, then the first), then the URI."""
        own = self.labels.get(language) or self.translations.get(language)
        return own or pick(self.labels, language) or self.uri

    def all_labels(self) -> Iterator[tuple[str, str]]:
        """Every (language, text) this concept can be found by: preferred, alternative, ours."""
        yield from self.labels.items()
        for language, texts in self.alt_labels.items():
            for text in texts:
                yield language, text
        yield from self.translations.items()


@dataclass(frozen=True)
class EscoSkill(_Labelled):
    """One ESCO knowledge, skill or competence concept (or a skill group)."""

    uri: str
    labels: Mapping[str, str]
    alt_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    skill_type: str | None = None
    reuse_level: str | None = None
    translations: Mapping[str, str] = field(default_factory=dict)
    is_group: bool = False


@dataclass(frozen=True)
class SkillLink:
    """One occupation-skill relation."""

    skill: str
    relation: Relation
    source: str | None = None


@dataclass(frozen=True)
class EscoOccupation(_Labelled):
    """One ESCO occupation with its essential and optional skills."""

    uri: str
    labels: Mapping[str, str]
    alt_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    isco_group: str | None = None
    code: str | None = None
    description: Mapping[str, str] = field(default_factory=dict)
    translations: Mapping[str, str] = field(default_factory=dict)
    skills: tuple[SkillLink, ...] = ()


@dataclass(frozen=True)
class EscoData:
    """A set of occupations and skills, with the skill pillar's broader links.

    ``broader`` maps a skill (or group) URI to its broader concepts' URIs (ESCO's skill pillar is
    a mono-hierarchy for groups, but a knowledge concept may also sit under an ISCED-F field).
    """

    occupations: Mapping[str, EscoOccupation] = field(default_factory=dict)
    skills: Mapping[str, EscoSkill] = field(default_factory=dict)
    broader: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def occupation(self, uri: str) -> EscoOccupation | None:
        return self.occupations.get(uri)

    def skill(self, uri: str) -> EscoSkill | None:
        return self.skills.get(uri)

    def ancestors(self, uri: str, *, limit: int = 16) -> tuple[str, ...]:
        """The broader concepts of ``uri``, nearest first, each once (cycles are cut)."""
        seen: list[str] = []
        frontier = list(self.broader.get(uri, ()))
        while frontier and len(seen) < limit:
            current = frontier.pop(0)
            if current in seen or current == uri:
                continue
            seen.append(current)
            frontier.extend(self.broader.get(current, ()))
        return tuple(seen)

    def merged(self, other: EscoData) -> EscoData:
        """This data with ``other`` laid over it: labels of both languages are kept."""
        return EscoData(
            occupations=_merge(self.occupations, other.occupations, _merge_occupation),
            skills=_merge(self.skills, other.skills, _merge_skill),
            broader=_merge_broader(self.broader, other.broader),
        )


def _merge(
    left: Mapping[str, T], right: Mapping[str, T], combine: Callable[[T, T], T]
) -> dict[str, T]:
    result = dict(left)
    for key, value in right.items():
        result[key] = combine(result[key], value) if key in result else value
    return result


def _merge_skill(a: EscoSkill, b: EscoSkill) -> EscoSkill:
    return EscoSkill(
        uri=a.uri,
        labels={**a.labels, **b.labels},
        alt_labels={**a.alt_labels, **b.alt_labels},
        skill_type=b.skill_type or a.skill_type,
        reuse_level=b.reuse_level or a.reuse_level,
        translations={**a.translations, **b.translations},
        is_group=a.is_group or b.is_group,
    )


def _merge_occupation(a: EscoOccupation, b: EscoOccupation) -> EscoOccupation:
    links = {(link.skill, link.relation): link for link in (*a.skills, *b.skills)}
    return EscoOccupation(
        uri=a.uri,
        labels={**a.labels, **b.labels},
        alt_labels={**a.alt_labels, **b.alt_labels},
        isco_group=b.isco_group or a.isco_group,
        code=b.code or a.code,
        description={**a.description, **b.description},
        translations={**a.translations, **b.translations},
        skills=tuple(links.values()),
    )


def _merge_broader(
    a: Mapping[str, tuple[str, ...]], b: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    result = {key: tuple(value) for key, value in a.items()}
    for key, value in b.items():
        result[key] = tuple(dict.fromkeys((*result.get(key, ()), *value)))
    return result


def skills_by_uri(items: Iterable[EscoSkill]) -> dict[str, EscoSkill]:
    return {item.uri: item for item in items}


def occupations_by_uri(items: Iterable[EscoOccupation]) -> dict[str, EscoOccupation]:
    return {item.uri: item for item in items}
