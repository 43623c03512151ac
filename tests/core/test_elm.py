"""Model <-> EDC JSON-LD (ELM 3.2): round trips, missing elements, nearest-construct mappings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core import annex1
from microcred.core.coding import concept
from microcred.core.formats.elm import from_elm, is_elm, to_elm
from microcred.core.formats.elm_terms import EDC_CONTEXT, MODE_ONLINE, MODE_PRESENTIAL
from microcred.core.model import Identifier, MicroCredential, Organisation, Workload
from microcred.core.vocab.loaders import EU_SUPERVISION, SUPERVISION_SCHEME
from tests.strategies import canonical, complete_credentials, credentials_missing

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def round_trip(mc: MicroCredential, **options: Any) -> MicroCredential:
    document = json.loads(json.dumps(to_elm(mc, **options)))
    return from_elm(document).credential


@SETTINGS
@given(complete_credentials())
def test_model_elm_model_is_equal(mc: MicroCredential) -> None:
    imported = from_elm(json.loads(json.dumps(to_elm(mc))))
    assert imported.format == "elm"
    assert imported.problems == ()
    assert imported.credential == canonical(mc)


@SETTINGS
@given(complete_credentials())
def test_export_is_a_fixed_point(mc: MicroCredential) -> None:
    document = to_elm(mc)
    assert to_elm(from_elm(document).credential) == document


@SETTINGS
@given(complete_credentials())
def test_complete_export_is_complete_on_import(mc: MicroCredential) -> None:
    report = annex1.check(round_trip(mc))
    assert report.missing == ()
    assert report.problems == ()


@pytest.mark.parametrize("key", annex1.MANDATORY)
def test_missing_element_is_named_after_the_round_trip(key: str) -> None:
    @SETTINGS
    @given(credentials_missing(key))
    def check(mc: MicroCredential) -> None:
        back = round_trip(mc)
        assert annex1.missing_mandatory(back) == (key,)
        assert back == canonical(mc)

    check()


@SETTINGS
@given(complete_credentials())
def test_envelope(mc: MicroCredential) -> None:
    document = to_elm(mc, credential_id="urn:uuid:1234", issuer_id="did:web:uni.example")
    assert document["@context"] == ["https://www.w3.org/2018/credentials/v1", EDC_CONTEXT]
    assert document["type"] == ["VerifiableCredential", "EuropeanDigitalCredential"]
    assert document["id"] == "urn:uuid:1234"
    assert document["issuer"]["id"] == "did:web:uni.example"
    assert document["credentialProfiles"]["prefLabel"] == {"en": "Generic"}
    assert "proof" not in document
    assert is_elm(document)
    back = round_trip(mc, issuer_id="did:web:uni.example")
    own = mc.awarding_bodies[0].id  # an awarding body keeps its own id beside the issuer's
    assert back.awarding_bodies[0].id == (own or "did:web:uni.example")
    apart = own not in (None, "did:web:uni.example")
    assert back.issuer_id == ("did:web:uni.example" if apart else None)


def _with_supervision(mc: MicroCredential, key: str) -> MicroCredential:
    return mc.model_copy(update={"supervision": concept(f"{SUPERVISION_SCHEME}/{key}")})


@pytest.mark.parametrize(
    ("key", "eu", "mode"),
    [
        ("unsupervised-no-id-verification", f"{EU_SUPERVISION}/c598449d64", None),
        (
            "supervised-no-id-verification",
            f"{SUPERVISION_SCHEME}/supervised-no-id-verification",
            None,
        ),
        ("supervised-online-id-verification", f"{EU_SUPERVISION}/70be69aaf9", MODE_ONLINE),
        ("supervised-onsite-id-verification", f"{EU_SUPERVISION}/70be69aaf9", MODE_PRESENTIAL),
    ],
)
def test_supervision_is_written_as_the_eu_concept_and_read_back(
    key: str, eu: str, mode: str | None
) -> None:
    @settings(max_examples=5, deadline=None)
    @given(complete_credentials())
    def check(mc: MicroCredential) -> None:
        mc = _with_supervision(mc, key)
        assessment = to_elm(mc)["credentialSubject"]["hasClaim"][0]["provenBy"][0]
        assert assessment["idVerification"]["id"] == eu
        modes = [m["id"] for m in assessment["specifiedBy"].get("mode", [])]
        assert modes == ([mode] if mode else [])
        assert round_trip(mc).supervision == mc.supervision

    check()


def test_eu_supervision_without_a_mode_is_read_as_on_site_and_reported() -> None:
    @settings(max_examples=3, deadline=None)
    @given(complete_credentials())
    def check(mc: MicroCredential) -> None:
        document = to_elm(_with_supervision(mc, "supervised-online-id-verification"))
        del document["credentialSubject"]["hasClaim"][0]["provenBy"][0]["specifiedBy"]["mode"]
        imported = from_elm(document)
        assert imported.credential.supervision is not None
        assert imported.credential.supervision.id.endswith("supervised-onsite-id-verification")
        assert [p.element for p in imported.problems] == ["supervision"]

    check()


def test_calendar_duration_is_kept_as_written_for_annex1() -> None:
    @settings(max_examples=3, deadline=None)
    @given(complete_credentials())
    def check(mc: MicroCredential) -> None:
        mc = mc.model_copy(update={"workload": Workload(ects=Decimal(2), duration="P60M")})
        spec = to_elm(mc)["credentialSubject"]["hasClaim"][0]["specifiedBy"]
        assert spec["volumeOfLearning"] == "P60M"
        back = round_trip(mc)
        assert back.workload == Workload(ects=Decimal(2), duration="P60M")
        assert any("60 months" in p.message for p in annex1.check(back).problems)

    check()


def test_stackability_uses_partial_qualification_and_is_part_of() -> None:
    @settings(max_examples=10, deadline=None)
    @given(complete_credentials())
    def check(mc: MicroCredential) -> None:
        spec = to_elm(mc)["credentialSubject"]["hasClaim"][0]["specifiedBy"]
        assert mc.stackability is not None
        assert spec["isPartialQualification"] is (mc.stackability.kind == "stackable")
        assert [t["title"] for t in spec.get("isPartOf", [])] == [
            t.title for t in mc.stackability.towards
        ]

    check()


def test_qf_ehea_cycle_is_an_education_level() -> None:
    @settings(max_examples=10, deadline=None)
    @given(complete_credentials())
    def check(mc: MicroCredential) -> None:
        spec = to_elm(mc)["credentialSubject"]["hasClaim"][0]["specifiedBy"]
        cycle = mc.level.qf_ehea if mc.level else None
        assert [c["id"] for c in spec.get("educationLevel", [])] == ([cycle.id] if cycle else [])

    check()


def test_texts_are_language_maps() -> None:
    @settings(max_examples=5, deadline=None)
    @given(complete_credentials())
    def check(mc: MicroCredential) -> None:
        claim = to_elm(mc)["credentialSubject"]["hasClaim"][0]
        assert claim["title"] == mc.title
        assert claim["specifiedBy"]["learningOutcome"][0]["title"] == mc.learning_outcomes[0].text
        assert isinstance(claim["provenBy"][0]["grade"]["noteLiteral"], dict)

    check()


def test_data_url_logo_is_a_media_object() -> None:
    @settings(max_examples=3, deadline=None)
    @given(complete_credentials())
    def check(mc: MicroCredential) -> None:
        logo = "data:image/png;base64,iVBORw0KGgo="
        body = mc.awarding_bodies[0].model_copy(update={"logo": logo})
        mc = mc.model_copy(update={"awarding_bodies": (body, *mc.awarding_bodies[1:])})
        issuer = to_elm(mc)["issuer"]
        assert issuer["logo"]["content"] == "iVBORw0KGgo="
        assert round_trip(mc).awarding_bodies[0].logo == logo

    check()


def test_issuer_without_eidas_id_uses_vat_as_its_legal_identifier() -> None:
    body = Organisation(
        id="https://uni.example",
        name={"en": "Uni"},
        identifiers=(Identifier(scheme="vat", value="BE0123"),),
    )
    document = to_elm(MicroCredential(awarding_bodies=(body,)))
    assert document["issuer"]["eIDASIdentifier"]["notation"] == "BE0123"
    assert from_elm(document).credential.awarding_bodies == (body,)


def test_empty_credential_converts_and_everything_is_missing() -> None:
    document = to_elm(MicroCredential())
    back = from_elm(document).credential
    assert back == MicroCredential()
    assert annex1.missing_mandatory(back) == annex1.MANDATORY


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"@context": [EDC_CONTEXT], "type": ["VerifiableCredential"]}, True),
        ({"type": ["VerifiableCredential", "EuropeanDigitalCredential"]}, True),
        ({"credential": {"type": "EuropeanDigitalCredential"}}, True),
        ({"payload": json.dumps({"type": ["EuropeanDigitalCredential"]}), "signatures": []}, True),
        ({"type": ["VerifiableCredential", "OpenBadgeCredential"]}, False),
        ({"payload": "not json", "signatures": []}, False),
        ({}, False),
    ],
)
def test_is_elm(document: dict[str, Any], expected: bool) -> None:
    assert is_elm(document) is expected


def test_foreign_shapes_do_not_break_the_reader() -> None:
    document = {
        "type": "EuropeanDigitalCredential",
        "issued": "not a date",
        "credentialSubject": {
            "hasClaim": [
                {
                    "type": "LearningAchievement",
                    "title": "Plain",
                    "specifiedBy": {"creditPoint": {"point": "x"}, "volumeOfLearning": 12},
                }
            ]
        },
    }
    imported = from_elm(document)
    assert imported.credential.title == {"en": "Plain"}
    assert imported.credential.issued is None
    assert {p.element for p in imported.problems} == {"workload"}


def test_issued_prefers_the_credential_date() -> None:
    document = to_elm(MicroCredential(issued=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)))
    assert document["issued"] == document["validFrom"] == "2025-01-02T03:04:05+00:00"
    assert from_elm(document).credential.issued == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "key",
    [
        c.rsplit("/", 1)[-1]
        for c in (
            f"{SUPERVISION_SCHEME}/unsupervised-no-id-verification",
            f"{SUPERVISION_SCHEME}/supervised-no-id-verification",
            f"{SUPERVISION_SCHEME}/supervised-online-id-verification",
            f"{SUPERVISION_SCHEME}/supervised-onsite-id-verification",
        )
    ],
)
def test_supervision_without_a_grade_is_a_typed_note(key: str) -> None:
    @settings(max_examples=3, deadline=None)
    @given(complete_credentials())
    def check(mc: MicroCredential) -> None:
        mc = _with_supervision(mc, key).model_copy(update={"grade": None})
        claim = to_elm(mc)["credentialSubject"]["hasClaim"][0]
        assert "provenBy" not in claim  # ELM: a LearningAssessment has a grade
        note = claim["specifiedBy"]["provenBy"][0]["additionalNote"][0]
        assert note["subject"]["id"].startswith((EU_SUPERVISION, SUPERVISION_SCHEME))
        assert round_trip(mc) == canonical(mc)

    check()


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["NaN", "P60M", "PT3H", "2024-01-01", "_:x", "urn:epass:1", "mailto:a@b"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "title",
                    "en",
                    "notation",
                    "point",
                    "framework",
                    "noteLiteral",
                    "prefLabel",
                    "legalName",
                    "mode",
                    "grade",
                    "dcType",
                    "location",
                    "address",
                    "countryCode",
                ]
            ),
            inner,
            max_size=3,
        )
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else []
    )
    for key, item in items:
        found += _paths(item, (*prefix, key))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complete_credentials(), st.data())
def test_reader_survives_any_value_anywhere(mc: MicroCredential, data: st.DataObject) -> None:
    document = json.loads(json.dumps(to_elm(mc)))
    path = data.draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = data.draw(JSON)
    imported = from_elm(document)
    annex1.check(imported.credential)  # whatever was read, the checks run


@settings(max_examples=150, deadline=None)
@given(JSON, JSON)
def test_reader_survives_any_subject_and_issuer(subject: Any, issuer: Any) -> None:
    document = {
        "type": "EuropeanDigitalCredential",
        "credentialSubject": subject,
        "issuer": issuer,
        "issued": issuer,
    }
    annex1.check(from_elm(document).credential)
