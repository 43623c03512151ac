"""Model <-> Open Badges 3.0: lossless round trip, schema-valid, every JSON-LD term defined."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft201909Validator  # type: ignore[import-untyped]

from microcred.core import jsonld
from microcred.core.annex1 import MANDATORY, check
from microcred.core.errors import NotACredential
from microcred.core.formats.detect import read_credential
from microcred.core.formats.ob3 import EXTENSION_CONTEXT, from_ob3, is_ob3, to_ob3
from microcred.core.jsonld import load_context_file
from microcred.core.model import MicroCredential
from tests.conftest import SHARED, vectors_path
from tests.strategies import complete_credentials, credentials_missing

SCHEMA = ("1edtech-ob3-clr2", "json-schema", "ob_v3p0", "ob_v3p0_achievementcredential_schema.json")
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
MICROCRED_VOCAB = "https://w3id.org/microcred/vocab#"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
EXAMPLES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=1)
def _validator() -> Draft201909Validator:
    schema = json.loads(vectors_path(*SCHEMA).read_text("utf-8"))
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09/")
    return Draft201909Validator(schema)


def _wire(document: dict[str, Any]) -> dict[str, Any]:
    """The document as it travels: through JSON text."""
    loaded: dict[str, Any] = json.loads(json.dumps(document))
    return loaded


def _keys(expanded: Any) -> Iterator[str]:
    """Every property IRI of an expanded JSON-LD document."""
    if isinstance(expanded, list):
        for item in expanded:
            yield from _keys(item)
    elif isinstance(expanded, dict):
        for key, value in expanded.items():
            if not key.startswith("@"):
                yield key
            yield from _keys(value)


def _compact_keys(document: Any) -> Iterator[str]:
    """Every property of a compact document, skipping language maps and @context."""
    if isinstance(document, list):
        for item in document:
            yield from _compact_keys(item)
    elif isinstance(document, dict):
        for key, value in document.items():
            if key in ("@context", "id", "type"):
                continue
            yield key
            if key not in _LANGUAGE_TERMS:
                yield from _compact_keys(value)


_LANGUAGE_TERMS = {
    term
    for term, body in load_context_file("microcred-ob3-extension-v1.jsonld")["@context"].items()
    if isinstance(body, dict) and body.get("@container") == "@language"
}


@EXAMPLES
@given(complete_credentials())
def test_round_trip_is_lossless(mc: MicroCredential) -> None:
    imported = from_ob3(_wire(to_ob3(mc)))
    assert imported.format == "ob3"
    assert imported.problems == ()
    assert imported.credential == mc
    assert check(imported.credential).complete


@EXAMPLES
@given(complete_credentials())
def test_output_is_a_valid_achievement_credential(mc: MicroCredential) -> None:
    document = _wire(to_ob3(mc))
    errors = [
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in _validator().iter_errors(document)
    ]
    assert errors == []
    assert document["@context"][-1] == EXTENSION_CONTEXT
    assert document["credentialSubject"]["achievement"]["achievementType"] == "MicroCredential"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complete_credentials())
def test_every_term_is_defined(mc: MicroCredential) -> None:
    document = _wire(to_ob3(mc))
    expanded = jsonld.expand(document)
    assert len(list(_keys(expanded))) == len(list(_compact_keys(document)))  # nothing dropped
    iris = set(_keys(expanded))
    assert not [iri for iri in iris if iri.startswith(ISSUER_DEPENDENT)]
    assert all(iri.startswith(("http://", "https://")) for iri in iris)
    ours = {k for k in _compact_keys(document) if k in _extension_terms()}
    assert {MICROCRED_VOCAB + term for term in ours} <= iris
    assert jsonld.to_nquads(document)


@lru_cache(maxsize=1)
def _extension_terms() -> frozenset[str]:
    context = load_context_file("microcred-ob3-extension-v1.jsonld")["@context"]
    return frozenset(k for k in context if not k.startswith("@"))


def test_extension_context_defines_protected_terms_under_our_vocabulary() -> None:
    context = load_context_file("microcred-ob3-extension-v1.jsonld")["@context"]
    assert jsonld.context_index()[EXTENSION_CONTEXT] == "microcred-ob3-extension-v1.jsonld"
    assert context["@protected"] is True
    for term in _extension_terms():
        assert context[term]["@id"] == MICROCRED_VOCAB + term
    concept_terms = {"assessmentType", "participationMode", "qaType", "supervisionVerification"}
    assert all(context[t]["@type"] == "@id" for t in concept_terms)
    assert context["nameMap"]["@container"] == "@language"


@pytest.mark.parametrize("key", MANDATORY)
def test_a_missing_mandatory_element_is_named(key: str) -> None:
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(credentials_missing(key))
    def run(mc: MicroCredential) -> None:
        imported = from_ob3(_wire(to_ob3(mc)))
        assert check(imported.credential).missing == (key,)
        assert [p.element for p in imported.problems] == [key]

    run()


@settings(max_examples=10, deadline=None)
@given(complete_credentials())
def test_issuer_id_and_credential_id_override(mc: MicroCredential) -> None:
    document = to_ob3(mc, credential_id="urn:uuid:1", issuer_id="did:web:issuer.example")
    assert document["id"] == "urn:uuid:1"
    assert document["issuer"]["id"] == "did:web:issuer.example"
    imported = from_ob3(_wire(document)).credential
    assert imported.awarding_bodies == mc.awarding_bodies
    assert imported.id == "urn:uuid:1"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
    | st.sampled_from(["en", "", "ext:", "2020-01-01", "http://data.europa.eu/snb/eqf/3"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["id", "type", "name", "en", "identityHash"]), inner),
    max_leaves=8,
)  # fmt: skip


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(complete_credentials(), st.data())
def test_damaged_credentials_never_raise(mc: MicroCredential, data: st.DataObject) -> None:
    document = _wire(to_ob3(mc))
    for _ in range(data.draw(st.integers(1, 4))):
        path = data.draw(st.sampled_from([p for p in _paths(document) if p[0] != "type"]))
        node: Any = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = data.draw(_JSON)
    assert is_ob3(document)
    assert from_ob3(document).format == "ob3"


def test_micro_credential_is_an_ob3_achievement_type() -> None:
    enums = json.loads((SHARED / "vocab" / "credential-standards-enums.json").read_text("utf-8"))
    assert "MicroCredential" in enums["ob3_achievement_type"]


@settings(max_examples=5, deadline=None)
@given(complete_credentials())
def test_the_generic_reader_detects_and_reads_our_output(mc: MicroCredential) -> None:
    imported = read_credential(json.dumps(to_ob3(mc)).encode("utf-8"))
    assert imported.format == "ob3"
    assert imported.credential == mc


def test_reads_vc_1_1_achievement_credential_with_string_issuer() -> None:
    document = {
        "@context": ["https://www.w3.org/2018/credentials/v1",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "http://example.edu/credentials/3732",
        "type": ["VerifiableCredential", "AchievementCredential"],
        "issuer": "https://example.edu/issuers/565049",
        "issuanceDate": "2010-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.com/achievements/21st-century-skills/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "inLanguage": "fr",
                "creditsAvailable": 3,
                "alignment": [{"type": ["Alignment"], "targetName": "EQF 5",
                               "targetUrl": "http://data.europa.eu/snb/eqf/5"}],
            },
        },
    }  # fmt: skip
    imported = from_ob3(document)
    mc = imported.credential
    assert mc.title == {"fr": "Teamwork"}
    assert mc.issued is not None
    assert mc.issued.year == 2010
    assert mc.valid_until is not None
    assert mc.valid_until.year == 2030
    assert mc.awarding_bodies[0].id == "https://example.edu/issuers/565049"
    assert mc.level is not None
    assert mc.level.eqf is not None
    assert mc.level.eqf.id == "http://data.europa.eu/snb/eqf/5"
    assert mc.workload is not None
    assert mc.workload.ects == 3
    assert [lang.label["en"] for lang in mc.languages] == ["French"]
    elements = {p.element for p in imported.problems}
    assert {"awarding_bodies", "assessment_type", "quality_assurance"} <= elements


BRUSSELS = "Région de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest"


def test_reads_country_and_region_from_a_foreign_issuer_address() -> None:
    document = {
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://uni.example", "type": ["Profile"], "name": "Uni",
                   "address": {"type": ["Address"], "addressCountry": "Belgium",
                               "addressRegion": BRUSSELS}},
        "credentialSubject": {"achievement": {"name": "X"}},
    }  # fmt: skip
    places = from_ob3(document).credential.issuer_countries
    assert places[0].country.id == "http://publications.europa.eu/resource/authority/country/BEL"
    assert places[0].region is not None
    assert places[0].region.id == "http://data.europa.eu/nuts/code/BE10"


@pytest.mark.parametrize(
    "document",
    [
        {"type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:1"}},
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "x"},
        {"type": "EuropeanDigitalCredential"},
    ],
)
def test_not_an_ob3_credential_raises(document: dict[str, Any]) -> None:
    assert not is_ob3(document)
    with pytest.raises(NotACredential):
        from_ob3(document)


def test_a_bare_credential_is_read_with_every_element_reported() -> None:
    imported = from_ob3({"type": "OpenBadgeCredential"})
    assert imported.credential == MicroCredential()
    assert {p.element for p in imported.problems} == set(MANDATORY)


def test_extension_terms_clash_with_no_vc_ob_or_clr_term() -> None:
    names: set[str] = set()

    def walk(context: Any) -> None:
        for item in context if isinstance(context, list) else [context]:
            if isinstance(item, dict):
                for key, body in item.items():
                    names.add(key)
                    if isinstance(body, dict) and "@context" in body:
                        walk(body["@context"])

    for url in ("https://www.w3.org/ns/credentials/v2", OB_CONTEXT, CLR_CONTEXT):
        walk(load_context_file(jsonld.context_index()[url])["@context"])
    assert not names & _extension_terms()


@pytest.mark.parametrize(
    ("eu", "annex1"),
    [
        ("c598449d64", "unsupervised-no-id-verification"),
        ("70be69aaf9", None),  # online or on site: ambiguous, reported
    ],
)
def test_an_eu_supervision_concept_maps_back_when_unambiguous(eu: str, annex1: str | None) -> None:
    document = {
        "type": ["OpenBadgeCredential"],
        "credentialSubject": {"achievement": {"supervisionVerification":
                              f"http://data.europa.eu/snb/supervision-verification/{eu}"}},
    }  # fmt: skip
    imported = from_ob3(document)
    found = imported.credential.supervision
    if annex1 is None:
        assert found is None
        assert "supervision" in {p.element for p in imported.problems}
    else:
        assert found is not None
        assert found.id == f"https://w3id.org/microcred/vocab/supervision/{annex1}"


def test_a_hashed_learner_identity_stays_hashed() -> None:
    hashed = "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5"
    document = {
        "type": ["OpenBadgeCredential"],
        "credentialSubject": {"identifier": [{"type": "IdentityObject", "hashed": True,
                              "identityHash": hashed, "identityType": "emailAddress"}]},
    }  # fmt: skip
    learner = from_ob3(document).credential.learner
    assert learner is not None
    assert learner.identifiers[0].scheme == "hashed-emailAddress"
    written = to_ob3(MicroCredential(learner=learner))["credentialSubject"]["identifier"]
    assert written == [document["credentialSubject"]["identifier"][0]]  # type: ignore[index]
