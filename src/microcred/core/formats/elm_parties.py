"""The people and organisations of an EDC: learner (Person), awarding bodies and issuer
(Organisation, with location, legal identifiers, contact, logo), and the display parameter."""

from __future__ import annotations

import re
from typing import Any

from microcred.core.formats.elm_read_parties import SALT_MARKER
from microcred.core.formats.elm_terms import (
    AUTHORITY,
    BASE64,
    IMAGE_TYPES,
    NOTE_LOGO,
    PLACEHOLDER_PNG,
    concept_node,
    language_concept,
    note_node,
)
from microcred.core.model import ConceptRef, Identifier, Learner, Organisation, Place
from microcred.core.vocab import Vocabularies

# Identifier schemes of the model that ELM has a legal-identifier property for.
LEGAL_IDENTIFIERS = {
    "eidas": "eIDASIdentifier",
    "vat": "vatIdentifier",
    "registration": "registration",
    "tax": "taxIdentifier",
}
_SINGLE = {"eIDASIdentifier", "registration"}
_DATA_URL = re.compile(r"^data:(?P<type>image/[a-z+.-]+);base64,(?P<data>[A-Za-z0-9+/=\s]+)$")


def places_nodes(
    places: tuple[Place, ...], vocab: Vocabularies, prefix: str = ""
) -> tuple[dict[str, Any], ...]:
    """One Location per country: address countryCode, NUTS region as spatialCode."""
    nodes = []
    for i, place in enumerate(places):
        location: dict[str, Any] = {
            "id": f"_:{prefix}location-{i}",
            "type": "Location",
            "address": [
                {
                    "id": f"_:{prefix}address-{i}",
                    "type": "Address",
                    "countryCode": concept_node(place.country, "country", vocab),
                }
            ],
        }
        if place.region is not None:
            location["spatialCode"] = [concept_node(place.region, "nuts", vocab)]
        nodes.append(location)
    return tuple(nodes)


def organisation_node(
    body: Organisation,
    places: tuple[dict[str, Any], ...],
    vocab: Vocabularies,
    *,
    node_id: str | None = None,
    index: int = 0,
) -> dict[str, Any]:
    """An Organisation: legal name, the issuer's locations, identifiers, homepage, e-mail, logo."""
    node: dict[str, Any] = {
        "id": node_id or body.id or f"_:org-{index}",
        "type": "Organisation",
        "legalName": dict(body.name),
    }
    if places:
        node["location"] = list(places)
    country = _first_country(places)
    node.update(_identifiers(body.identifiers, country))
    if body.homepage:
        node["homepage"] = [{"type": "WebResource", "contentURL": body.homepage}]
    if body.email:
        node["contactPoint"] = [_contact(body.email)]
    if body.logo:
        node.update(_logo(body.logo, vocab))
    return node


def _first_country(places: tuple[dict[str, Any], ...]) -> dict[str, Any] | None:
    if not places:
        return None
    country: dict[str, Any] = places[0]["address"][0]["countryCode"]
    return country


def _identifiers(
    identifiers: tuple[Identifier, ...], country: dict[str, Any] | None
) -> dict[str, Any]:
    """Every identifier as an Identifier (order kept); eIDAS, VAT... also as legal identifiers.

    The eIDAS legal identifier EDC requires of an issuer is the eIDAS one, else the VAT number
    or registration (what a qualified seal's organisationIdentifier carries).
    """
    out: dict[str, Any] = {}
    if not identifiers:
        return out
    out["identifier"] = [_identifier(i) for i in identifiers]
    for ident in identifiers:
        key = LEGAL_IDENTIFIERS.get(ident.scheme)
        if key is not None and not (key in _SINGLE and key in out):
            legal = _legal(ident.value, country)
            out[key] = legal if key in _SINGLE else [*out.get(key, []), legal]
    by_scheme = {i.scheme: i.value for i in reversed(identifiers)}
    eidas = next((by_scheme[s] for s in ("eidas", "vat", "registration") if s in by_scheme), None)
    if eidas is not None and "eIDASIdentifier" not in out:
        out["eIDASIdentifier"] = _legal(eidas, country)
    return out


def _legal(value: str, country: dict[str, Any] | None) -> dict[str, Any]:
    legal: dict[str, Any] = {"type": "LegalIdentifier", "notation": value}
    if country is not None:
        legal["spatial"] = country
    return legal


def _identifier(ident: Identifier) -> dict[str, Any]:
    scheme = f"{ident.scheme}{SALT_MARKER}{ident.salt}" if ident.salt else ident.scheme
    return {"type": "Identifier", "notation": ident.value, "schemeName": scheme}


def _contact(email: str) -> dict[str, Any]:
    return {"type": "ContactPoint", "emailAddress": [{"id": f"mailto:{email}", "type": "Mailbox"}]}


def _logo(logo: str, vocab: Vocabularies) -> dict[str, Any]:
    """A base64 image data URL as a MediaObject; any other logo (a URL) as a typed note."""
    match = _DATA_URL.match(logo)
    if match and match["type"] in IMAGE_TYPES:
        file_type = ConceptRef(id=f"{AUTHORITY}/file-type/{IMAGE_TYPES[match['type']]}")
        return {
            "logo": {
                "type": "MediaObject",
                "content": match["data"],
                "contentType": concept_node(file_type, "file-type", vocab),
                "contentEncoding": concept_node(BASE64, "encoding", vocab),
            }
        }
    return {"additionalNote": [note_node({"en": logo}, NOTE_LOGO)]}


def person_node(learner: Learner | None, lang: str, claim: dict[str, Any]) -> dict[str, Any]:
    """The learner as a Person holding the claim; names are language maps in ELM."""
    node: dict[str, Any] = {"type": "Person"}
    if learner is not None and learner.id:
        node["id"] = learner.id
    if learner is not None:
        for key, value in (
            ("fullName", learner.full_name),
            ("givenName", learner.given_name),
            ("familyName", learner.family_name),
        ):
            if value:
                node[key] = {lang: value}
        if learner.email:
            node["contactPoint"] = [_contact(learner.email)]
        if learner.birth_date is not None:
            node["dateOfBirth"] = f"{learner.birth_date.isoformat()}T00:00:00Z"
        if learner.identifiers:
            node["identifier"] = [_identifier(i) for i in learner.identifiers]
    node["hasClaim"] = [claim]
    return node


def display_parameter(
    title: dict[str, str] | None, description: dict[str, str] | None, lang: str, vocab: Vocabularies
) -> dict[str, Any]:
    """What EDC wallets show: title, languages, and one (placeholder) page image per language."""
    languages = _display_languages(title, lang, vocab)
    node: dict[str, Any] = {"id": "_:display", "type": "DisplayParameter"}
    if title:
        node["title"] = dict(title)
    if description:
        node["description"] = dict(description)
    node["primaryLanguage"] = languages[0]
    node["language"] = languages
    png = concept_node(
        ConceptRef(id=f"{AUTHORITY}/file-type/PNG", label={"en": "PNG"}), "file-type", vocab
    )
    image = {
        "id": "_:display-image",
        "type": "MediaObject",
        "content": PLACEHOLDER_PNG,
        "contentType": png,
        "contentEncoding": concept_node(BASE64, "encoding", vocab),
    }
    node["individualDisplay"] = [
        {
            "type": "IndividualDisplay",
            "language": language,
            "displayDetail": [{"type": "DisplayDetail", "image": image, "page": 1}],
        }
        for language in languages
    ]
    return node


def _display_languages(
    title: dict[str, str] | None, lang: str, vocab: Vocabularies
) -> list[dict[str, Any]]:
    """The EU language concepts of the title's languages, primary first (English if none known)."""
    tags = [lang, *(t for t in (title or {}) if t != lang)]
    refs = [ref for tag in tags if (ref := language_concept(tag, vocab)) is not None]
    unique = list({ref.id: ref for ref in refs}.values())
    if not unique:
        unique = [ref for ref in [language_concept("en", vocab)] if ref is not None]
    return [concept_node(ref, "language", vocab) for ref in unique]
