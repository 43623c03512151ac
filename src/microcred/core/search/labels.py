"""Facet values as a person reads them: ``FR`` -> "France", ``0613`` -> "0613 Software and
applications development and analysis", a vocabulary id -> its label, in en/fr/ro/de."""

from __future__ import annotations

from functools import lru_cache

from microcred.core.i18n import translate
from microcred.core.vocab import vocabularies
from microcred.core.vocab.concepts import Concept

BY_CODE = {"country": "country", "nuts": "nuts", "isced": "isced-f", "language": "language",
           "qf_ehea": "qf-ehea"}  # fmt: skip
SHOW_CODE = {"nuts", "isced"}


@lru_cache(maxsize=1)
def _by_tail() -> dict[str, Concept]:
    """Vocabulary concepts by the last segment of their URI (how mode and QA type are stored)."""
    found: dict[str, Concept] = {}
    for scheme in vocabularies().schemes.values():
        for concept in scheme:
            found.setdefault(concept.uri.rstrip("/").rsplit("/", 1)[-1], concept)
    return found


@lru_cache(maxsize=4096)
def _by_code(scheme: str, code: str) -> Concept | None:
    return vocabularies().scheme(scheme).by_notation(code)


def facet_label(facet: str, value: str, language: str) -> str:
    """The label of ``value`` in ``facet`` (the value itself when nothing better is known)."""
    if facet == "eqf":
        return f"EQF {value}"
    if facet == "recognition":
        return translate(f"search.facet.{'yes' if value == 'yes' else 'no'}", language)
    if facet == "provider_type":
        try:
            return translate(f"provider_type.{value}", language)
        except KeyError:
            return value
    concept = _by_code(BY_CODE[facet], value) if facet in BY_CODE else None
    if concept is None and facet in ("mode", "qa_type"):
        concept = _by_tail().get(value)
    if concept is None:
        return value.replace("-", " ")
    text = concept.label(language).text
    return f"{value} {text}" if facet in SHOW_CODE and text != value else text
