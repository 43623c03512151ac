"""The small ESCO subset shipped with microcred (``data/esco-subset.json``, see PROVENANCE.md)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from microcred.core.esco.model import (
    EscoData,
    EscoOccupation,
    EscoSkill,
    Relation,
    SkillLink,
    occupations_by_uri,
    skills_by_uri,
)


def _alternatives(item: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(texts) for lang, texts in item.get("alt_labels", {}).items()}


def _skill(item: dict[str, Any]) -> EscoSkill:
    return EscoSkill(
        uri=item["uri"],
        labels=item["labels"],
        alt_labels=_alternatives(item),
        skill_type=item.get("skill_type"),
        reuse_level=item.get("reuse_level") or None,
        translations=item.get("translations", {}),
        is_group=item.get("is_group", False),
    )


def _occupation(item: dict[str, Any]) -> EscoOccupation:
    links = tuple(
        SkillLink(link["skill"], Relation(link["relation"]), link.get("source"))
        for link in item.get("skills", ())
    )
    return EscoOccupation(
        uri=item["uri"],
        labels=item["labels"],
        alt_labels=_alternatives(item),
        isco_group=item.get("isco_group"),
        code=item.get("code"),
        description=item.get("description", {}),
        translations=item.get("translations", {}),
        skills=links,
    )


@lru_cache(maxsize=1)
def packaged_esco() -> EscoData:
    """The shipped subset: a few occupations of the demo catalogue's fields and their skills."""
    path = resources.files("microcred.core.esco").joinpath("data", "esco-subset.json")
    return esco_from_json(json.loads(path.read_text("utf-8")))


def esco_from_json(data: dict[str, Any]) -> EscoData:
    """ESCO data from its JSON form (the packaged file's shape, also what the database keeps)."""
    broader = {item["concept"]: tuple(item["broader"]) for item in data.get("broader", ())}
    return EscoData(
        occupations=occupations_by_uri(_occupation(o) for o in data.get("occupations", ())),
        skills=skills_by_uri(_skill(s) for s in data.get("skills", ())),
        broader=broader,
    )


def skill_json(skill: EscoSkill) -> dict[str, Any]:
    """The JSON form of one skill (read back by :func:`esco_from_json`)."""
    return {"uri": skill.uri, "labels": dict(skill.labels),
            "alt_labels": {k: list(v) for k, v in skill.alt_labels.items()},
            "skill_type": skill.skill_type, "reuse_level": skill.reuse_level,
            "translations": dict(skill.translations), "is_group": skill.is_group}  # fmt: skip


def occupation_json(occupation: EscoOccupation) -> dict[str, Any]:
    """The JSON form of one occupation with its skill links."""
    return {"uri": occupation.uri, "labels": dict(occupation.labels),
            "alt_labels": {k: list(v) for k, v in occupation.alt_labels.items()},
            "isco_group": occupation.isco_group, "code": occupation.code,
            "description": dict(occupation.description),
            "translations": dict(occupation.translations),
            "skills": [{"skill": link.skill, "relation": link.relation.value,
                        "source": link.source} for link in occupation.skills]}  # fmt: skip
