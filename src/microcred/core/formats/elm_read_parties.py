"""EDC Person and Organisation nodes -> learner, awarding bodies and the issuer's countries."""

from __future__ import annotations

from typing import Any

from microcred.core.formats.elm_nodes import (
    Findings,
    Node,
    concept_ref,
    concept_refs,
    day,
    first_text,
    model_id,
    node,
    nodes,
    string,
    text,
)
from microcred.core.formats.elm_terms import IMAGE_TYPES, NOTE_LOGO
from microcred.core.model import Identifier, Learner, Organisation, Place

# ELM legal-identifier properties -> identifier schemes of the model.
LEGAL_SCHEMES = {
    "eIDASIdentifier": "eidas",
    "vatIdentifier": "vat",
    "registration": "registration",
    "taxIdentifier": "tax",
}
_FILE_TYPES = {code: mime for mime, code in IMAGE_TYPES.items()}
SALT_MARKER = ";salt="  # schemeName of a salted hashed identifier: hashed-<type>;salt=<salt>


def read_learner(subject: Node | None) -> Learner | None:
    """The learner from the credential subject; ``None`` when it identifies nobody."""
    if subject is None:
        return None
    identifiers = _identifiers(subject, {"nationalID": "national-id"})
    learner = Learner(
        id=model_id(subject),
        full_name=first_text(subject.get("fullName")),
        given_name=first_text(subject.get("givenName")),
        family_name=first_text(subject.get("familyName")),
        email=_email(subject),
        birth_date=day(subject.get("dateOfBirth")),
        identifiers=identifiers,
    )
    return learner if learner != Learner() else None


def read_organisation(item: Node, found: Findings) -> Organisation | None:
    """An awarding body: legal name, identifiers, homepage, e-mail, logo."""
    name = text(item.get("legalName")) or text(item.get("prefLabel"))
    if name is None:
        found.add(
            "awarding_bodies", f"organisation {model_id(item) or '(unnamed)'} has no legal name"
        )
        return None
    homepage = node(item.get("homepage"))
    return Organisation(
        id=model_id(item),
        name=name,
        identifiers=_identifiers(item, LEGAL_SCHEMES),
        homepage=string(homepage.get("contentURL", homepage.get("contentUrl")))
        if homepage
        else None,
        email=_email(item),
        logo=_logo(item),
        places=read_places(item, found),
    )


def _identifiers(item: Node, legal: dict[str, str]) -> tuple[Identifier, ...]:
    """Identifiers in document order, then legal identifiers whose value is not among them."""
    found: list[Identifier] = []
    for ident in nodes(item.get("identifier")):
        value = string(ident.get("notation"))
        if value:
            scheme, salt = split_salt(string(ident.get("schemeName")) or "identifier")
            found.append(Identifier(scheme=scheme, value=value, salt=salt))
    for key, scheme in legal.items():
        for ident in nodes(item.get(key)):
            value = string(ident.get("notation"))
            if value and all(value != f.value for f in found):
                found.append(Identifier(scheme=scheme, value=value))
    return tuple(found)


def split_salt(scheme_name: str) -> tuple[str, str | None]:
    """``hashed-email;salt=abc`` -> (``hashed-email``, ``abc``): ELM has no salt property."""
    scheme, marker, salt = scheme_name.partition(SALT_MARKER)
    return (
        (scheme, salt or None) if marker and scheme.startswith("hashed-") else (scheme_name, None)
    )


def _email(item: Node) -> str | None:
    for contact in nodes(item.get("contactPoint")):
        for mailbox in (
            contact.get("emailAddress", [])
            if isinstance(contact.get("emailAddress"), list)
            else [contact.get("emailAddress")]
        ):
            address = model_id(mailbox) if isinstance(mailbox, dict) else string(mailbox)
            if address:
                return address.removeprefix("mailto:")
    return None


def _logo(item: Node) -> str | None:
    """A base64 MediaObject as a data URL, or the URL of a microcred logo note."""
    media = node(item.get("logo"))
    if media is not None:
        content = string(media.get("content"))
        file_type = concept_ref(media.get("contentType"))
        mime = _FILE_TYPES.get(file_type.id.rsplit("/", 1)[-1]) if file_type else None
        if content and mime:
            return f"data:{mime};base64,{content}"
        url = string(media.get("contentURL", media.get("contentUrl")))
        if url:
            return url
    for note in nodes(item.get("additionalNote")):
        subject = concept_ref(note.get("subject"))
        if subject is not None and subject.id == NOTE_LOGO:
            return first_text(note.get("noteLiteral"))
    return None


def read_places(organisation: Node | None, found: Findings) -> tuple[Place, ...]:
    """The countries (and NUTS regions) of an organisation's locations."""
    places: dict[str, Place] = {}
    for location in nodes(organisation.get("location")) if organisation else []:
        region = _region(location.get("spatialCode"), found)
        for address in nodes(location.get("address")):
            country = concept_ref(address.get("countryCode"))
            if country is not None and country.id not in places:
                places[country.id] = Place(country=country, region=region)
    return tuple(places.values())


def _region(value: Any, found: Findings) -> Any:
    """The NUTS region among spatial codes; other codes (e.g. ATU) are reported, not kept."""
    region = None
    for ref in concept_refs(value):
        if ref.id in found.vocab.scheme("nuts") or ref.id.startswith("http://data.europa.eu/nuts/"):
            region = region or ref
        else:
            label = next(iter(ref.label.values()), "")
            found.add(
                "issuer_countries",
                f"spatial code {ref.id} ({label}) is not a NUTS region; not kept",
            )
    return region
