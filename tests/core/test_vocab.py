"""The packaged vocabularies: official URIs, labels in several languages, fallbacks."""

from __future__ import annotations

import pytest

from microcred.core.coding import coded, concept, eqf_number
from microcred.core.model import ConceptRef
from microcred.core.vocab import vocabularies

SMALL_SCHEMES = (
    "eqf",
    "qf-ehea",
    "learning-setting",
    "learning-assessment",
    "assessment",
    "accreditation",
    "supervision",
    "education-credit",
)


def test_every_scheme_the_model_codes_is_packaged() -> None:
    schemes = vocabularies().schemes
    for key in (
        *SMALL_SCHEMES,
        "country",
        "nuts",
        "language",
        "isced-f",
        "nqf",
        "learning-activity",
    ):
        assert len(schemes[key].concepts) > 1, key


def test_annex1_supervision_has_exactly_four_values() -> None:
    values = [c.notation for c in vocabularies().scheme("supervision")]
    assert values == [
        "unsupervised-no-id-verification",
        "supervised-no-id-verification",
        "supervised-online-id-verification",
        "supervised-onsite-id-verification",
    ]


@pytest.mark.parametrize("scheme", SMALL_SCHEMES)
@pytest.mark.parametrize("language", ["fr", "ro"])
def test_labels_exist_in_french_and_romanian(scheme: str, language: str) -> None:
    for item in vocabularies().scheme(scheme):
        label = item.label(language)
        assert not label.fell_back, f"{item.uri} has no {language} label"
        assert label.text.strip()


def test_country_labels_in_three_languages() -> None:
    germany = vocabularies().scheme("country").by_notation("DE")
    assert germany is not None
    assert {germany.label(lang).text for lang in ("en", "fr", "ro", "de")} == {
        "Germany",
        "Allemagne",
        "Germania",
        "Deutschland",
    }


def test_a_missing_language_falls_back_to_english() -> None:
    item = vocabularies().find("http://data.europa.eu/snb/isced-f/0732")
    assert item is not None
    label = item.label("ro")
    assert label.fell_back
    assert label.language == "en"
    assert label.text == item.labels["en"]


def test_concept_refs_carry_their_labels() -> None:
    ref = concept("http://data.europa.eu/snb/eqf/7")
    assert ref.label["en"] == "Level 7"
    assert ref.label["fr"] == "Niveau 7"
    assert eqf_number(ref) == 7
    assert concept("urn:unknown").label == {}


def test_codes_find_official_uris() -> None:
    belgium = coded("country", "BE")
    assert belgium is not None
    assert belgium.id == "http://publications.europa.eu/resource/authority/country/BEL"
    assert coded("nuts", "RO321") is not None
    assert coded("eqf", "9") is None


def test_a_concept_given_by_uri_alone_carries_the_vocabulary_labels() -> None:
    ref = ConceptRef.model_validate(
        {"id": "http://data.europa.eu/snb/learning-assessment/920fbb3cbe"}
    )
    assert ref.label["en"] == "Online"
    assert set(ref.label) >= {"en", "fr", "ro", "de"}
    own = ConceptRef(id="http://data.europa.eu/snb/eqf/6", label={"en": "EQF six"})
    assert own.label == {"en": "EQF six"}  # labels the document carries are kept as they are
