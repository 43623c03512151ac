"""Readers that turn the packaged vocabulary files into schemes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

from microcred.core.vocab.concepts import Concept, Scheme
from microcred.core.vocab.translations import with_translations

MICROCRED_VOCAB = "https://w3id.org/microcred/vocab"
QF_EHEA_SCHEME = f"{MICROCRED_VOCAB}/qf-ehea"
SUPERVISION_SCHEME = f"{MICROCRED_VOCAB}/supervision"
EU_SUPERVISION = "http://data.europa.eu/snb/supervision-verification"

# The four Annex I values of "supervision and identity verification during assessment".
# EU Vocabularies' supervision-verification list (partial in our data) has no concept for
# "supervised without identity verification" and one concept for both online and on-site
# supervision with identity verification, so the Annex I values are ours and map onto theirs.
ANNEX1_SUPERVISION: tuple[tuple[str, str, str | None], ...] = (
    (
        "unsupervised-no-id-verification",
        "Unsupervised, no identity verification",
        f"{EU_SUPERVISION}/c598449d64",
    ),
    ("supervised-no-id-verification", "Supervised, no identity verification", None),
    (
        "supervised-online-id-verification",
        "Supervised online, with identity verification",
        f"{EU_SUPERVISION}/70be69aaf9",
    ),
    (
        "supervised-onsite-id-verification",
        "Supervised on site, with identity verification",
        f"{EU_SUPERVISION}/70be69aaf9",
    ),
)

# Values Annex I names that EU Vocabularies' lists lack: the learning-setting list has formal and
# non-formal learning only, and the assessment list no "recognition of prior learning" (Annex I,
# type of assessment). Validation of non-formal and informal learning needs both; the concepts are
# ours, in schemes of their own, and annex1 accepts them beside the EU lists (EXTENDED_BY).
EXTENSION_CONCEPTS: dict[str, tuple[str, str, str]] = {
    "learning-setting-microcred": (
        f"{MICROCRED_VOCAB}/learning-setting", "informal", "informal learning"
    ),
    "assessment-microcred": (
        f"{MICROCRED_VOCAB}/assessment", "recognition-of-prior-learning",
        "recognition of prior learning",
    ),
}  # fmt: skip
EXTENDED_BY = {"learning-setting": "learning-setting-microcred",
               "assessment": "assessment-microcred"}  # fmt: skip
INFORMAL_LEARNING = f"{MICROCRED_VOCAB}/learning-setting/informal"
RECOGNITION_OF_PRIOR_LEARNING = f"{MICROCRED_VOCAB}/assessment/recognition-of-prior-learning"

# Accreditation concepts used by DEQAR's Europass export (newer than the ELM XSD ids).
DEQAR_ACCREDITATION = (
    ("http://data.europa.eu/snb/accreditation/c_1f1a469a", "Institutional quality assurance"),
    ("http://data.europa.eu/snb/accreditation/c_64666c29", "Programme quality assurance"),
)


def _data(name: str) -> str:
    return resources.files("microcred.core.vocab").joinpath("data", name).read_text("utf-8")


def _csv(name: str) -> Iterator[dict[str, str]]:
    return csv.DictReader(io.StringIO(_data(name)))


def _scheme(key: str, uri: str, title: str, concepts: Iterable[Concept]) -> Scheme:
    return Scheme(key, uri, title, {c.uri: c for c in concepts})


def _concept(
    uri: str,
    scheme: str,
    en: str,
    notation: str | None = None,
    broader: str | None = None,
    labels: dict[str, str] | None = None,
) -> Concept:
    return Concept(uri, scheme, {"en": en, **(labels or {})}, notation, broader)


def elm_schemes() -> Iterator[Scheme]:
    """The EU Vocabularies lists extracted from the ELM repository."""
    data: dict[str, Any] = json.loads(_data("elm-controlled-lists.json"))
    for key, body in data["schemes"].items():
        concepts = [
            _concept(c["id"], key, c["prefLabel"]["en"], c["id"].rsplit("/", 1)[-1])
            for c in body["concepts"]
        ]
        if key == "accreditation":
            concepts += [
                _concept(u, key, label, u.rsplit("/", 1)[-1]) for u, label in DEQAR_ACCREDITATION
            ]
        yield _scheme(key, body["conceptScheme"], body.get("usedFor", key), concepts)


def qf_ehea_scheme() -> Scheme:
    data: dict[str, Any] = json.loads(_data("qf-ehea-cycles.json"))
    concepts = [
        _concept(
            f"{QF_EHEA_SCHEME}/{c['name'].replace(' ', '-')}",
            "qf-ehea",
            c["name"],
            c["name"],
            f"http://data.europa.eu/snb/eqf/{c['eqf']}",
        )
        for c in data["cycles"]
    ]
    return _scheme("qf-ehea", QF_EHEA_SCHEME, "QF-EHEA cycles", concepts)


def supervision_scheme() -> Scheme:
    concepts = [
        _concept(f"{SUPERVISION_SCHEME}/{key}", "supervision", label, key, eu)
        for key, label, eu in ANNEX1_SUPERVISION
    ]
    return _scheme(
        "supervision", SUPERVISION_SCHEME, "Annex I supervision and ID verification", concepts
    )


def extension_schemes() -> Iterator[Scheme]:
    """microcred's own concepts for Annex I values EU Vocabularies lack (EXTENSION_CONCEPTS)."""
    for key, (base, notation, label) in EXTENSION_CONCEPTS.items():
        yield _scheme(key, base, f"microcred {label}", [_concept(f"{base}/{notation}", key,
                                                                 label, notation)])  # fmt: skip


def country_scheme() -> Scheme:
    concepts = [
        _concept(
            r["eu_authority_uri"],
            "country",
            r["label_en"],
            r["iso_3166_alpha2"] or r["eu_authority_code"],
        )
        for r in _csv("countries-eu-authority-deqar.csv")
    ]
    return _scheme(
        "country", "http://publications.europa.eu/resource/authority/country", "Countries", concepts
    )


def nuts_scheme() -> Scheme:
    concepts = [
        _concept(
            r["uri"],
            "nuts",
            r["label"],
            r["code"],
            f"http://data.europa.eu/nuts/code/{r['code'][:-1]}" if r["nuts_level"] != "0" else None,
        )
        for r in _csv("nuts-codes-elm.csv")
    ]
    return _scheme("nuts", "http://data.europa.eu/nuts", "NUTS regions", concepts)


def language_scheme() -> Scheme:
    concepts = [
        _concept(r["eu_authority_uri"], "language", r["label_en"], r["iso_639_1"])
        for r in _csv("languages-eu-esco.csv")
    ]
    return _scheme(
        "language",
        "http://publications.europa.eu/resource/authority/language",
        "Languages",
        concepts,
    )


def isced_scheme() -> Scheme:
    concepts = [
        _concept(
            r["snb_uri"],
            "isced-f",
            r["label_en"],
            r["code"],
            f"http://data.europa.eu/snb/isced-f/{r['parent']}" if r["parent"] else None,
        )
        for r in _csv("isced-f-2013.csv")
    ]
    return _scheme(
        "isced-f", "http://data.europa.eu/snb/isced-f/25831c2", "ISCED-F 2013 fields", concepts
    )


def nqf_scheme() -> Scheme:
    concepts = [_concept(r["uri"], "nqf", r["label_en"]) for r in _csv("nqf-qdr-concepts.csv")]
    return _scheme(
        "nqf",
        "http://data.europa.eu/snb/qdr/25831c2",
        "National qualification frameworks",
        concepts,
    )


def load_all_schemes() -> list[Scheme]:
    """Every scheme microcred knows, with translations merged in."""
    schemes = [
        *elm_schemes(),
        qf_ehea_scheme(),
        supervision_scheme(),
        *extension_schemes(),
        country_scheme(),
        nuts_scheme(),
        language_scheme(),
        isced_scheme(),
        nqf_scheme(),
    ]
    return [with_translations(s) for s in schemes]
