"""Importing the official EDC samples (ELM repository, EBSI schema examples, MyNextID)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from microcred.core import annex1
from microcred.core.formats.base import Imported
from microcred.core.formats.elm import from_elm, is_elm
from tests.conftest import vectors_path

SNB = "http://data.europa.eu/snb"
MC_ANNEX1 = (
    "elm-Sample-MC-Annex1-unsigned.jsonld",
    "elm-Sample-MC-Annex1-signed.jsonld",
    "elm-Sample-MC-Annex1-unsigned-uploadable.json",
)
CERT_OF_PART = (
    "elm-Sample-CertOfPart-unsigned.jsonld",
    "elm-Sample-CertOfPart-signed.jsonld",
    "elm-Sample-CertOfPart-unsigned-uploadable.json",
)
MYNEXTID = ("mynextid-edc-mc-example.json", "mynextid-edc-mc-signed.jsonld")
RDF_SAMPLES = (
    "elm-3.1-rdf-samples-credential-sample.jsonld",
    "elm-3.2-rdf-samples-credential-sample.jsonld",
)
NOT_CARRIED = (
    "learning_outcomes",
    "workload",
    "eqf_level",
    "assessment_type",
    "participation_form",
    "quality_assurance",
)

# file -> (missing mandatory elements, substrings of the reading problems expected)
EXPECTED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    **dict.fromkeys(
        MC_ANNEX1,
        (
            ("quality_assurance",),
            (
                "'P60M' is 60 months",
                "IRL_CTH_DUB",
                "read as http://data.europa.eu/snb/assessment/de4d165a6c",
                "2 ISCED-F fields",
            ),
        ),
    ),
    **dict.fromkeys(
        CERT_OF_PART,
        (
            ("learning_outcomes", "eqf_level", "assessment_type", "quality_assurance"),
            ("'P2M' is 2 months",),
        ),
    ),
    **dict.fromkeys(MYNEXTID, (("quality_assurance",), ("Supervised with ID Verification",))),
    **dict.fromkeys(RDF_SAMPLES, (NOT_CARRIED, ())),
    "ebsi-vcdm2-edc-example-Microcredential-Data-and-software-business.json": (
        ("eqf_level", "assessment_type", "participation_form", "quality_assurance"),
        ("no mode",),
    ),
    "ebsi-vcdm2-edc-example-DigiComp-Generic.json": (
        ("workload", "assessment_type", "participation_form", "quality_assurance"),
        (),
    ),
}


def load(name: str) -> Imported:
    document = json.loads(vectors_path("edc", "credentials", name).read_text("utf-8"))
    assert is_elm(document)
    return from_elm(document)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_sample_imports_with_expected_gaps_and_problems(name: str) -> None:
    imported = load(name)
    missing, problems = EXPECTED[name]
    assert imported.format == "elm"
    assert annex1.check(imported.credential).missing == missing
    messages = [str(p) for p in imported.problems]
    for expected in problems:
        assert any(expected in m for m in messages), (expected, messages)
    if not problems:
        assert messages == []


@pytest.mark.parametrize("name", MC_ANNEX1)
def test_mc_annex1_sample_recovers_every_element_it_carries(name: str) -> None:
    mc = load(name).credential
    assert mc.learner is not None
    assert mc.learner.full_name == "Ana Andromeda"
    assert (mc.learner.email or "").startswith("ana.andromeda")  # the sealed copy has another
    assert [(i.scheme, i.value) for i in mc.learner.identifiers] == [("national-id", "LA-234218")]
    assert mc.title == {"en": "Digital micro-credential creation"}
    assert "IRL" in [p.country.id.rsplit("/", 1)[-1] for p in mc.issuer_countries]
    assert [b.name for b in mc.awarding_bodies] == [{"en": "University of Zed"}]
    assert {i.scheme for i in mc.awarding_bodies[0].identifiers} >= {"vat", "registration"}
    assert mc.issued is not None  # unsigned: validFrom; sealed: the `issued` of the seal
    assert mc.issued >= datetime(2022, 12, 31, 23, 0, tzinfo=UTC)
    assert [o.text["en"] for o in mc.learning_outcomes] == [
        "Communication, collaboration and creativity",
        "Developing digital content",
    ]
    assert [len(o.skills) for o in mc.learning_outcomes] == [3, 3]
    assert all(
        o.skills[0].startswith("http://data.europa.eu/esco/skill/") for o in mc.learning_outcomes
    )
    assert mc.learning_outcomes[1].skills[1:] == (  # DigComp skills, kept beside the ESCO one
        "http://data.europa.eu/snb/dcf/u69o196gu6",
        "http://data.europa.eu/snb/dcf/3ol5wi3605",
    )
    assert mc.workload is not None
    assert (mc.workload.ects, mc.workload.hours) == (Decimal(2), Decimal(60))
    assert mc.level is not None
    assert mc.level.eqf is not None
    assert mc.level.eqf.id == f"{SNB}/eqf/6"
    assert mc.level.nqf is not None
    assert [a.id for a in mc.assessment_types] == [f"{SNB}/assessment/de4d165a6c"]
    assert mc.participation is not None
    assert mc.participation.mode.label == {"en": "Blended"}
    assert mc.participation.setting is not None
    assert mc.participation.activity is not None
    assert mc.prerequisites is not None
    assert "EU Login" in mc.prerequisites["en"]
    assert mc.supervision is not None
    assert mc.supervision.id.endswith("/unsupervised-no-id-verification")
    assert mc.grade is not None
    assert (mc.grade.value, mc.grade.scheme) == ("Pass", {"en": "Standard grading"})
    assert mc.stackability is not None
    assert mc.stackability.kind == "stand-alone"
    assert mc.field_of_study is not None
    assert mc.field_of_study.id == f"{SNB}/isced-f/003"
    assert [lang.id.rsplit("/", 1)[-1] for lang in mc.languages] == ["ENG"]


def test_mc_annex1_sample_only_lacks_quality_assurance() -> None:
    report = annex1.check(load(MC_ANNEX1[0]).credential)
    assert report.missing == ("quality_assurance",)
    assert report.problems == ()


@pytest.mark.parametrize("name", MYNEXTID)
def test_local_supervision_concept_and_online_mode(name: str) -> None:
    mc = load(name).credential
    assert mc.supervision is not None
    assert mc.supervision.id.endswith("/supervised-online-id-verification")
    assert mc.learner is not None
    assert (mc.learner.full_name or "").startswith("Joe Do")  # "Joe Done" in the sealed copy


def test_ebsi_sample_reads_lists_in_language_maps() -> None:
    mc = load("ebsi-vcdm2-edc-example-Microcredential-Data-and-software-business.json").credential
    assert mc.learner is not None
    assert mc.learner.full_name == "David Smith"
    assert mc.title == {"en": "Data and software business"}
    assert mc.workload is not None
    assert mc.workload.ects == Decimal(5)
    assert mc.grade is not None
    assert mc.grade.value == "Excellent (5)"


def test_rdf_samples_naive_dates_are_reported_by_annex1() -> None:
    report = annex1.check(load(RDF_SAMPLES[1]).credential)
    assert {p.element for p in report.problems} == {"issued", "valid_until"}


def test_legacy_xml_is_not_elm_json() -> None:
    document: dict[str, Any] = {
        "xml": vectors_path("edc", "credentials", "elm-v2-EDC_DiplomaSupplement_AA.xml").read_text(
            "utf-8"
        )[:100]
    }
    assert not is_elm(document)
