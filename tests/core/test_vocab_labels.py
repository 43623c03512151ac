"""Our French, Romanian and German labels: complete for the schemes the UI shows, and merged."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources

import pytest

from microcred.core.summary import Localiser
from microcred.core.vocab import vocabularies

UI_SCHEMES = (
    "eqf",
    "qf-ehea",
    "learning-setting",
    "learning-assessment",
    "assessment",
    "learning-activity",
    "accreditation",
    "education-credit",
    "supervision",
    "language",
)
LANGUAGES = ("fr", "ro", "de")


def data(name: str) -> str:
    return resources.files("microcred.core.vocab").joinpath("data", name).read_text("utf-8")


def test_every_translated_uri_is_a_known_concept_with_three_labels() -> None:
    labels: dict[str, dict[str, str]] = json.loads(data("labels.json"))
    for uri, by_lang in labels.items():
        assert vocabularies().find(uri) is not None, uri
        assert set(by_lang) == set(LANGUAGES), uri
        assert all(text.strip() == text and text for text in by_lang.values()), uri


@pytest.mark.parametrize("scheme", UI_SCHEMES)
def test_ui_schemes_are_fully_translated(scheme: str) -> None:
    for concept in vocabularies().scheme(scheme):
        for lang in LANGUAGES:
            assert concept.label(lang).language == lang, (concept.uri, lang)


def test_european_countries_are_translated() -> None:
    rows = csv.DictReader(io.StringIO(data("countries-eu-authority-deqar.csv")))
    european = [
        r["eu_authority_uri"]
        for r in rows
        if "True" in (r["eu_member"], r["eea_member"], r["ehea_member_per_deqar_fixture"])
    ]
    assert len(european) >= 49
    countries = vocabularies().scheme("country")
    for uri in european:
        concept = countries.get(uri)
        assert concept is not None
        for lang in LANGUAGES:
            assert concept.label(lang).language == lang, (uri, lang)


def test_english_labels_are_unchanged_and_localiser_uses_ours() -> None:
    romania = "http://publications.europa.eu/resource/authority/country/ROU"
    concept = vocabularies().find(romania)
    assert concept is not None
    assert concept.labels["en"] == "Romania"
    assert Localiser("de").text(dict(concept.labels)) == "Rumänien"
    assert Localiser("ro").text(dict(concept.labels)) == "România"
