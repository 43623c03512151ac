"""Concept references built from the vocabularies, carrying their labels."""

from __future__ import annotations

from microcred.core.model import ConceptRef
from microcred.core.vocab import Vocabularies, vocabularies


def concept(uri: str, vocab: Vocabularies | None = None) -> ConceptRef:
    """A reference to ``uri`` with the labels the vocabularies know (none when unknown)."""
    found = (vocab or vocabularies()).find(uri)
    return ConceptRef(id=uri, label=dict(found.labels) if found else {})


def coded(scheme: str, notation: str, vocab: Vocabularies | None = None) -> ConceptRef | None:
    """A reference by code within a scheme (``country``/``BE``, ``eqf``/``6``), or ``None``."""
    found = (vocab or vocabularies()).scheme(scheme).by_notation(notation)
    return ConceptRef(id=found.uri, label=dict(found.labels)) if found else None


def eqf_number(ref: ConceptRef | None) -> int | None:
    """The EQF level as an integer (``http://data.europa.eu/snb/eqf/6`` -> 6)."""
    if ref is None:
        return None
    tail = ref.id.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() and 1 <= int(tail) <= 8 else None
