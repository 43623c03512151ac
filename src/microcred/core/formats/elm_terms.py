"""ELM 3.2 / EDC terms shared by the reader and the writer: contexts, concepts, schemes, notes."""

from __future__ import annotations

from typing import Any

from microcred.core.model import ConceptRef
from microcred.core.vocab import Vocabularies
from microcred.core.vocab.loaders import MICROCRED_VOCAB

VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
EDC_TYPES = ("VerifiableCredential", "EuropeanDigitalCredential")
SHACL_SCHEMA = "http://data.europa.eu/snb/model/ap/edc-generic-full"

SNB = "http://data.europa.eu/snb"
AUTHORITY = "http://publications.europa.eu/resource/authority"
GENERIC_PROFILE = ConceptRef(id=f"{SNB}/credential/e34929035b", label={"en": "Generic"})
ECTS = ConceptRef(
    id=f"{SNB}/education-credit/6fcec5c5af", label={"en": "European Credit Transfer System"}
)
BASE64 = ConceptRef(id=f"{SNB}/encoding/6146cde7dd", label={"en": "base64"})
MODE_ONLINE = f"{SNB}/learning-assessment/920fbb3cbe"
MODE_PRESENTIAL = f"{SNB}/learning-assessment/9191af2ed9"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"

# Scheme URIs by property, for concepts the packaged vocabularies do not know.
SCHEMES = {
    "credential": f"{SNB}/credential/25831c2",
    "education-credit": f"{SNB}/education-credit/25831c2",
    "encoding": f"{SNB}/encoding/25831c2",
    "file-type": f"{AUTHORITY}/file-type",
    "country": f"{AUTHORITY}/country",
    "language": f"{AUTHORITY}/language",
    "nuts": "http://data.europa.eu/nuts",
    "eqf": f"{SNB}/eqf/25831c2",
    "nqf": f"{SNB}/qdr/25831c2",
    "qf-ehea": f"{MICROCRED_VOCAB}/qf-ehea",
    "isced-f": f"{SNB}/isced-f/25831c2",
    "assessment": f"{SNB}/assessment/25831c2",
    "learning-assessment": f"{SNB}/learning-assessment/25831c2",
    "learning-setting": f"{SNB}/learning-setting/25831c2",
    "learning-activity": f"{SNB}/learning-activity/25831c2",
    "accreditation": f"{SNB}/accreditation/25831c2",
    "supervision-verification": f"{SNB}/supervision-verification/25831c2",
    "supervision": f"{MICROCRED_VOCAB}/supervision",
    "esco-skill": "http://data.europa.eu/esco/concept-scheme/skills",
    "note": f"{MICROCRED_VOCAB}/elm-note",
}

# Subjects of the typed notes microcred writes where ELM has no property of its own.
NOTE_LOGO = f"{SCHEMES['note']}/logo"
NOTE_FURTHER_INFORMATION = f"{SCHEMES['note']}/further-information"

# Logo data URLs <-> EU file-type concepts.
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/svg+xml": "SVG"}

# A 1x1 transparent PNG: EDC requires a display image; wallets render the credential from data.
PLACEHOLDER_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
    "AAAABJRU5ErkJggg=="
)


def concept_node(ref: ConceptRef, scheme: str, vocab: Vocabularies) -> dict[str, Any]:
    """A skos:Concept node in its scheme (the vocabularies' scheme when they know the concept)."""
    found = vocab.find(ref.id)
    scheme_uri = vocab.scheme(found.scheme).uri if found else SCHEMES.get(scheme, scheme)
    node: dict[str, Any] = {
        "id": ref.id,
        "type": "Concept",
        "inScheme": {"id": scheme_uri, "type": "ConceptScheme"},
    }
    if ref.label:
        node["prefLabel"] = dict(ref.label)
    return node


def note_node(text: dict[str, str], subject: str | None = None) -> dict[str, Any]:
    """A Note with a text in several languages, typed by a microcred note concept if given."""
    node: dict[str, Any] = {"type": "Note", "noteLiteral": dict(text)}
    if subject is not None:
        node["subject"] = {
            "id": subject,
            "type": "Concept",
            "inScheme": {"id": SCHEMES["note"], "type": "ConceptScheme"},
            "prefLabel": {"en": subject.rsplit("/", 1)[-1].replace("-", " ")},
        }
    return node


def language_concept(tag: str, vocab: Vocabularies) -> ConceptRef | None:
    """The EU language authority concept for a language tag (``en-GB`` -> ENG)."""
    found = vocab.scheme("language").by_notation(tag.split("-")[0].lower())
    return ConceptRef(id=found.uri, label=dict(found.labels)) if found else None
