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
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    broader = {item["concept"]: tuple(item["broader"]) for item in data.get("broader", ())}
    return EscoData(
        occupations=occupations_by_uri(_occupation(o) for o in data["occupations"]),
        skills=skills_by_uri(_skill(s) for s in data["skills"]),
        broader=broader,
    )
