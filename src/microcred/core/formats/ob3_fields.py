"""Readers for the parts of an OB 3.0 credential: texts, concepts, learner, issuer, grade."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from microcred.core.coding import coded, concept
from microcred.core.model import (
    LANGUAGE_TAG,
    ConceptRef,
    Grade,
    Identifier,
    Learner,
    Organisation,
    Place,
)
from microcred.core.vocab import vocabularies

Report = Callable[[str, str], None]
"""Collects a problem: ``report(element, message)``."""

# OB 3.0 IdentityType of the learner -> Learner field.
LEARNER_FIELDS = {
    "name": "full_name",
    "ext:givenName": "given_name",
    "ext:familyName": "family_name",
    "emailAddress": "email",
}
LEARNER_SCHEMES = {"nationalIdentityNumber": "national-id"}


def as_list(value: Any) -> list[Any]:
    """A JSON-LD value as a list (``None`` -> ``[]``)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def iri(value: Any) -> str | None:
    """A non-empty IRI string (or the ``id`` of an object), else ``None``."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def concept_list(value: Any) -> tuple[ConceptRef, ...]:
    """Concept references from IRIs (or ``{"id": IRI}`` objects)."""
    return tuple(concept(found) for found in map(iri, as_list(value)) if found)


def optional_concept(value: Any) -> ConceptRef | None:
    found = concept_list(value)
    return found[0] if found else None


def _lang_map(value: Mapping[str, Any]) -> dict[str, str]:
    return {
        str(tag): text
        for tag, text in value.items()
        if isinstance(text, str) and text.strip() and LANGUAGE_TAG.match(str(tag))
    }


def _value_objects(values: list[Any], lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in values:
        if isinstance(item, str) and item.strip():
            found.setdefault(lang, item)
        elif isinstance(item, Mapping) and isinstance(item.get("@value"), str):
            found.setdefault(str(item.get("@language") or lang), item["@value"])
    return _lang_map(found)


def text(node: Any, plain: str, lang_map: str, lang: str) -> dict[str, str] | None:
    """A language map from the ``lang_map`` extension term, else from the plain OB 3.0 property."""
    if not isinstance(node, Mapping):
        return None
    if lang_map and isinstance(node.get(lang_map), Mapping):
        found = _lang_map(node[lang_map])
        if found:
            return found
    value = node.get(plain) if plain else None
    if isinstance(value, Mapping):
        return _lang_map(value) or None
    return _value_objects(as_list(value), lang) or None


def learner(subject: Mapping[str, Any], report: Report) -> Learner | None:
    """The learner from ``credentialSubject.id`` and its IdentityObjects."""
    fields: dict[str, Any] = {
        "id": subject.get("id") if isinstance(subject.get("id"), str) else None
    }
    identifiers: list[Identifier] = []
    for entry in as_list(subject.get("identifier")):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("identityHash"), str):
            report("learner", "an identifier without an identityHash")
            continue
        kind, value = str(entry.get("identityType") or "identifier"), entry["identityHash"]
        if not value or kind in ("ext:", "ext:hashed-"):
            report("learner", f"an empty identifier or identity type {kind!r}")
            continue
        if entry.get("hashed") in (True, "true"):
            salt = entry.get("salt") if isinstance(entry.get("salt"), str) else None
            identifiers.append(
                Identifier(
                    scheme=f"hashed-{kind.removeprefix('ext:')}", value=value, salt=salt or None
                )
            )
        elif kind in LEARNER_FIELDS:
            fields[LEARNER_FIELDS[kind]] = value
        elif kind == "ext:birthDate":
            fields["birth_date"] = _birth_date(value, report)
        else:
            scheme = LEARNER_SCHEMES.get(kind, kind.removeprefix("ext:"))
            identifiers.append(Identifier(scheme=scheme, value=value))
    found = Learner(**fields, identifiers=tuple(identifiers))
    return found if found != Learner() else None


def _birth_date(value: str, report: Report) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        report("learner", f"birth date {value!r} is not an ISO 8601 date")
        return None


def organisation(node: Any, element: str, lang: str, report: Report) -> Organisation | None:
    """An awarding body from an OB 3.0 Profile (or a bare issuer IRI)."""
    if isinstance(node, str) and node:
        report(element, f"the issuer {node} is given by IRI only; its name is unknown")
        return Organisation(id=node, name={lang: node})
    if not isinstance(node, Mapping):
        return None
    name = text(node, "name", "nameMap", lang)
    if name is None:
        report(element, f"the issuer {node.get('id', '')} has no name".replace("  ", " "))
        return None
    try:
        return Organisation(
            id=iri(node.get("awardingBodyId")) or iri(node.get("id")),
            name=name,
            identifiers=tuple(_identifiers(node.get("otherIdentifier"))),
            homepage=node.get("url") if isinstance(node.get("url"), str) else None,
            email=node.get("email") if isinstance(node.get("email"), str) else None,
            logo=iri(node.get("image")),
        )
    except ValidationError as error:
        report(element, f"the issuer is not readable: {error.errors()[0]['msg']}")
        return None


def _identifiers(entries: Any) -> Iterator[Identifier]:
    for entry in as_list(entries):
        if isinstance(entry, Mapping) and isinstance(entry.get("identifier"), str):
            kind = str(entry.get("identifierType") or "identifier").removeprefix("ext:")
            if entry["identifier"] and kind:
                yield Identifier(scheme=kind, value=entry["identifier"])


def issuer_places(issuer: Any, report: Report) -> tuple[Place, ...]:
    """The issuer's countries and NUTS regions from its address(es)."""
    if not isinstance(issuer, Mapping):
        return ()
    addresses = [*as_list(issuer.get("address")), *as_list(issuer.get("additionalAddress"))]
    places = (_place(a, report) for a in addresses if isinstance(a, Mapping))
    return tuple(p for p in places if p is not None)


def _place(address: Mapping[str, Any], report: Report) -> Place | None:
    country = optional_concept(address.get("countryConcept")) or _country(address, report)
    if country is None:
        return None
    region = optional_concept(address.get("regionConcept"))
    named = address.get("addressRegion")
    if region is None and isinstance(named, str) and named:
        region = _region(named, country)
        if region is None:
            report("issuer_countries", f"region {named!r} is not a NUTS region; left out")
    return Place(country=country, region=region)


def _country(address: Mapping[str, Any], report: Report) -> ConceptRef | None:
    code, name = address.get("addressCountryCode"), address.get("addressCountry")
    for value in (code, name):
        if (
            isinstance(value, str)
            and len(value) == 2
            and (found := coded("country", value.upper()))
        ):
            return found
    if isinstance(name, str) and name:
        for candidate in vocabularies().scheme("country"):
            if any(label.casefold() == name.casefold() for label in candidate.labels.values()):
                return concept(candidate.uri)
    if code or name:
        report("issuer_countries", f"country {code or name!r} is not recognised")
    return None


def _region(named: str, country: ConceptRef) -> ConceptRef | None:
    vocab = vocabularies()
    found = coded("nuts", named.strip().upper())
    if found is not None:
        return found
    iso = vocab.concept("country", country.id)
    prefix = {"GR": "EL", "GB": "UK"}.get(iso.notation or "", iso.notation) if iso else None
    for region in vocab.scheme("nuts"):
        in_country = bool(prefix) and (region.notation or "").startswith(prefix or "-")
        if in_country and region.label().text.casefold() == named.casefold():
            return concept(region.uri)
    return None


def grade(
    subject: Mapping[str, Any],
    achievement: Mapping[str, Any],
    ours: bool,
    lang: str,
    report: Report,
) -> Grade | None:
    """The grade: the first valued result, with the name of its ResultDescription as scheme."""
    results = [r for r in as_list(subject.get("result")) if isinstance(r, Mapping)]
    valued = next((r for r in results if has_value(r.get("value"))), None)
    if valued is None:
        if results:
            report("grade", "results without a value (only levels or statuses) are not read")
        return None
    descriptions = [
        d for d in as_list(achievement.get("resultDescription")) if isinstance(d, Mapping)
    ]
    wanted = valued.get("resultDescription")
    match = next((d for d in descriptions if d.get("id") == wanted), None)
    if match is None and len(descriptions) == 1:
        match = descriptions[0]
    scheme = text(match, "" if ours else "name", "nameMap", lang) if match else None
    return Grade(value=str(valued["value"]), scheme=scheme)


def has_value(value: Any) -> bool:
    return (
        isinstance(value, (str, int, float))
        and not isinstance(value, bool)
        and bool(str(value).strip())
    )
