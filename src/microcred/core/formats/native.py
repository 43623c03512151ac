"""microcred's native description: the Annex I model as JSON or YAML, marked ``microcred: "1"``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from microcred.core.annex1 import Problem
from microcred.core.formats.base import Imported
from microcred.core.model import MicroCredential

MARKER = "microcred"
VERSION = "1"

# Model field -> Annex I element key used in reports.
ELEMENT_OF_FIELD = {
    "level": "eqf_level",
    "assessment_types": "assessment_type",
    "participation": "participation_form",
}


def is_native(document: Mapping[str, Any]) -> bool:
    return MARKER in document


def to_native(mc: MicroCredential) -> dict[str, Any]:
    """The native document for a model."""
    body = mc.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return {MARKER: VERSION, **body}


def from_native(document: Mapping[str, Any]) -> Imported:
    """Read a native document; fields that break the model are dropped and reported by element."""
    if str(document.get(MARKER)) != VERSION:
        version = document.get(MARKER)
        return Imported(
            "native",
            MicroCredential(),
            (Problem("format", f"unsupported native version {version!r}"),),
        )
    data = {k: v for k, v in document.items() if k != MARKER and not k.startswith("$")}
    problems: list[Problem] = []
    for _ in range(len(MicroCredential.model_fields) + 1):
        try:
            return Imported("native", MicroCredential.model_validate(data), tuple(problems))
        except ValidationError as error:
            problems.extend(_drop_broken_fields(data, error))
    return Imported("native", MicroCredential(), tuple(problems))


def _drop_broken_fields(data: dict[str, Any], error: ValidationError) -> list[Problem]:
    found = []
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else "credential"
        data.pop(field, None)
        where = ".".join(str(p) for p in detail["loc"][1:])
        element = ELEMENT_OF_FIELD.get(field, field)
        found.append(Problem(element, f"{where + ': ' if where else ''}{detail['msg']}"))
    return found
