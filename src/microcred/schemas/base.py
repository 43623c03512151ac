"""Building blocks of the public forms: moments, concept labels, JSON documents passed through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, WithJsonSchema

from microcred.services.moments import iso

Moment = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
"""A UTC moment as ``2026-01-31T12:00:00Z``."""


def moment(value: datetime) -> str:
    """A moment that is always known, as a :data:`Moment`."""
    found = iso(value)
    assert found is not None
    return found


LangText = dict[str, str]
"""A text by language code: ``{"en": "Data literacy", "fr": "Littératie des données"}``."""


class Form(BaseModel):
    """A public form: every field is always present (null when unknown)."""

    model_config = ConfigDict(extra="forbid")


class JsonObject(BaseModel):
    """A JSON object passed through as stored or signed: every member kept, in order."""

    model_config = ConfigDict(extra="allow")


def documented(**members: object) -> Callable[[dict[str, Any]], None]:
    """A ``json_schema_extra`` naming members a passed-through object has (none required)."""

    def add(schema: dict[str, Any]) -> None:
        schema.setdefault("properties", {}).update(members)

    return add


class ConceptLabel(Form):
    """A concept of an EU vocabulary and its English label."""

    id: str
    label: str


class RowError(Form):
    """A row of an input file that was not processed, by line."""

    line: int
    error: str
