"""Vocabulary checks for request fields: codes or URIs in, official concept URIs out."""

from __future__ import annotations

from microcred.core.vocab import vocabularies
from microcred.services.errors import InvalidInput

ISO_OF_NUTS = {"EL": "GR", "UK": "GB"}


def concept_uri(scheme: str, value: str, field: str) -> str:
    """The URI of ``value`` (a concept URI or a code) in ``scheme``; InvalidInput otherwise."""
    found = vocabularies().scheme(scheme)
    if value in found:
        return value
    by_code = found.by_notation(value) or found.by_notation(value.upper())
    if by_code is None:
        raise InvalidInput(
            f"{value!r} is not a concept of {found.title} ({found.uri}); give its URI or its code",
            field=field,
        )
    return by_code.uri


def region_uri(country_uri: str, value: str, field: str) -> str:
    """A NUTS region URI that lies in the given country."""
    uri = concept_uri("nuts", value, field)
    vocab = vocabularies()
    region = vocab.concept("nuts", uri)
    country = vocab.concept("country", country_uri)
    if region is not None and country is not None and region.notation:
        prefix = region.notation[:2]
        if ISO_OF_NUTS.get(prefix, prefix) != country.notation:
            raise InvalidInput(
                f"region {region.notation} is not in {country.labels.get('en')}", field=field
            )
    return uri


def notation(scheme: str, uri: str | None) -> str | None:
    """The code of a concept (``RO``, ``en``, ``0613``), or None."""
    if uri is None:
        return None
    found = vocabularies().concept(scheme, uri)
    return found.notation if found else None


def label(uri: str | None, language: str = "en") -> dict[str, str] | None:
    """``{"id": uri, "label": ...}`` for a concept, None for None."""
    if uri is None:
        return None
    found = vocabularies().find(uri)
    return {"id": uri, "label": found.label(language).text if found else uri}
