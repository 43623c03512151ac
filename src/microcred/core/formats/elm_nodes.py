"""Reading EDC JSON-LD nodes as written by any issuer: one value or a list, language maps whose
values are strings or lists, concepts with or without labels, local ``urn:epass`` node ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from microcred.core.annex1 import Problem
from microcred.core.coding import concept
from microcred.core.model import LANGUAGE_TAG, ConceptRef
from microcred.core.vocab import Vocabularies

Node = Mapping[str, Any]
_BLANK = "_:"


@dataclass
class Findings:
    """What reading found it could not map, or found wrong, by Annex I element."""

    vocab: Vocabularies
    problems: list[Problem] = field(default_factory=list)

    def add(self, element: str, message: str) -> None:
        problem = Problem(element, message)
        if problem not in self.problems:
            self.problems.append(problem)


def nodes(value: Any) -> list[Node]:
    """The nodes of a property: one node or a list of them (strings and numbers are skipped)."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, Mapping)]


def node(value: Any) -> Node | None:
    found = nodes(value)
    return found[0] if found else None


def string(value: Any) -> str | None:
    """The first non-empty string of a value (a string, a list, or a ``@value`` object)."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping):
            item = item.get("@value")
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, bool | int | float) and not isinstance(item, bool):
            return str(item)
    return None


def text(value: Any) -> dict[str, str] | None:
    """A language map from ``{"en": "x"}``, ``{"en": ["x"]}`` or a plain string (English)."""
    if isinstance(value, str | list) and not isinstance(value, Mapping):
        plain = string(value)
        return {"en": plain} if plain else None
    if not isinstance(value, Mapping):
        return None
    out: dict[str, str] = {}
    for tag, item in value.items():
        lang, found = str(tag).strip().lower(), string(item)
        if found and LANGUAGE_TAG.match(lang) and lang not in out:
            out[lang] = found
    return out or None


def first_text(value: Any) -> str | None:
    """The first text of a language map (names and grades are plain strings in the model)."""
    found = text(value)
    return next(iter(found.values())) if found else None


def node_id(item: Node | None) -> str | None:
    if item is None:
        return None
    return string(item.get("id", item.get("@id")))


def model_id(item: Node | None) -> str | None:
    """A node's id unless it is a blank node (``_:``).

    EDC-local ``urn:epass:...`` ids are kept: they name the node in the source, and a
    conversion keeps every id of its source (issue 8 §4; ``docs/elm-mapping.md``).
    """
    found = node_id(item)
    return None if found is None or found.startswith(_BLANK) else found


def types(item: Node) -> set[str]:
    value = item.get("type", item.get("@type", []))
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def concept_ref(value: Any) -> ConceptRef | None:
    """A concept node (or a bare URI) as a reference, with the labels the document gives."""
    if isinstance(value, str):
        return ConceptRef(id=value) if value.strip() else None
    found = node(value)
    uri = node_id(found)
    if found is None or uri is None:
        return None
    return ConceptRef(id=uri, label=text(found.get("prefLabel")) or {})


def concept_refs(value: Any) -> list[ConceptRef]:
    items = value if isinstance(value, list) else [value]
    return [ref for item in items if (ref := concept_ref(item)) is not None]


def official(ref: ConceptRef, scheme: str, element: str, found: Findings) -> ConceptRef:
    """A local concept (``urn:epass:...``) read as the official one of ``scheme`` with its label."""
    vocab = found.vocab.scheme(scheme)
    if ref.id in vocab or not ref.label:
        return ref
    wanted = {label.strip().casefold() for label in ref.label.values()}
    for candidate in vocab:
        if any(label.strip().casefold() in wanted for label in candidate.labels.values()):
            found.add(
                element,
                f"local concept {ref.id!r} ({next(iter(ref.label.values()))}) "
                f"read as {candidate.uri}",
            )
            return concept(candidate.uri, found.vocab)
    return ref


def when(value: Any) -> datetime | None:
    """An xsd:dateTime (``Z`` or offset; a bare date is midnight)."""
    found = string(value)
    if found is None:
        return None
    try:
        return datetime.fromisoformat(found)
    except ValueError:
        return None


def day(value: Any) -> date | None:
    found = when(value)
    return found.date() if found else None
