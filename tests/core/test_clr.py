"""CLR 2.0: bundles built from signed credentials verify as a whole and part by part."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import pytest
from jsonschema import Draft201909Validator  # type: ignore[import-untyped]

from microcred.adapters.resolver import DocumentMap
from microcred.core.did import DidResolver
from microcred.core.errors import InvalidCredential, NotACredential
from microcred.core.formats.clr import Association, build_clr, is_clr, read_clr
from microcred.core.formats.detect import read_credential
from microcred.core.formats.ob3 import from_ob3, to_ob3
from microcred.core.keys import KeyPair
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.verify import Report, verify
from tests.conftest import vectors_path

NOW = datetime(2026, 11, 1, tzinfo=UTC)
PROVIDER = KeyPair.from_seed(bytes(range(32)))
WALLET = KeyPair.from_seed(bytes(range(2, 34)))
LEARNER = "did:example:learner-1"
SCHEMA = ("1edtech-ob3-clr2", "json-schema", "clr_v2p0", "clr_v2p0_clrcredential_schema.json")


def _signed_part(number: int, title: str) -> dict[str, Any]:
    """The bundled example micro-credential, retitled and signed by the provider."""
    text = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    model = read_credential(text.read_bytes()).credential
    learner = model.learner.model_copy(update={"id": LEARNER}) if model.learner else None
    model = model.model_copy(update={"title": {"en": title}, "learner": learner})
    document = to_ob3(model, credential_id=f"urn:uuid:0b3c6e2a-1111-4c2e-9a55-00000000000{number}",
                      issuer_id=PROVIDER.public.did_key)  # fmt: skip
    return sign_document(document, PROVIDER, PROVIDER.public.did_key_vm, created=NOW)


def _achievement_id(part: dict[str, Any]) -> str:
    return str(part["credentialSubject"]["achievement"]["id"])


@pytest.fixture(scope="module")
def parts() -> list[dict[str, Any]]:
    return [_signed_part(1, "Data literacy"), _signed_part(2, "Data analysis"),
            _signed_part(3, "Certificate in data science")]  # fmt: skip


def _clr(parts: list[dict[str, Any]], key: KeyPair = WALLET) -> dict[str, Any]:
    larger = _achievement_id(parts[2])
    links = [Association("isPartOf", _achievement_id(p), larger) for p in parts[:2]]
    links.append(Association("precedes", _achievement_id(parts[0]), _achievement_id(parts[1])))
    issuer = {"id": key.public.did_key, "type": ["Profile"], "name": "Learner wallet"}
    document = build_clr(parts, links, issuer, LEARNER, clr_id="urn:uuid:c1a0-0000-0001",
                         name="My data science record", valid_from=NOW)  # fmt: skip
    return sign_document(document, key, key.public.did_key_vm, created=NOW)


def _verify(document: Any) -> Report:
    fetch = DocumentMap({})
    return verify(document, resolver=DidResolver(fetch), fetch_document=fetch, now=NOW)


def _status(report: Report, name: str) -> set[str]:
    return {check.status for check in report.named(name)}


def test_the_spec_vector_is_rebuilt_and_its_proof_reproduced() -> None:
    path = vectors_path("1edtech-ob3-clr2", "spec-test-vectors", "clrv2p0-ldp-test-vector.json")
    vector = json.loads(path.read_text("utf-8"))
    before = vector["document-before"]
    subject = before["credentialSubject"]
    [link] = subject["association"]
    built = build_clr(
        subject["verifiableCredential"],
        [Association(link["associationType"], link["sourceId"], link["targetId"])],
        before["issuer"],
        subject["id"],
        clr_id=before["id"],
        name=before["name"],
        valid_from=datetime.fromisoformat(before["validFrom"]),
        achievements=subject["achievement"],
    )
    assert built == before
    key = KeyPair.from_multibase_private(vector["key-pair"]["secretKeyMultibase"])
    options = vector["proof-before"]
    signed = sign_document(built, key, options["verificationMethod"],
                           created=datetime.fromisoformat(options["created"]))  # fmt: skip
    assert signed["proof"] == vector["proof"]


def test_a_built_clr_is_schema_valid_and_verifies_part_by_part(parts: list[dict[str, Any]]) -> None:
    clr = _clr(parts)
    schema = json.loads(vectors_path(*SCHEMA).read_text("utf-8"))
    errors = [e.message for e in Draft201909Validator(schema).iter_errors(clr)]
    assert errors == []
    report = _verify(clr)
    assert report.format == "CLR 2.0"
    assert report.verified, [c.to_dict() for c in report.checks]
    assert [r.document for r in report.credentials] == parts  # embedded byte for byte
    assert all(r.verified and r.issuer == PROVIDER.public.did_key for r in report.credentials)
    associations = report.named("associations")[0].detail
    assert "'Data literacy' isPartOf 'Certificate in data science'" in associations
    assert "'Data literacy' precedes 'Data analysis'" in associations
    assert "3 bundled credential(s), 3 verified" in report.named("parts")[0].detail


def test_editing_a_part_breaks_both_the_bundle_and_that_part(parts: list[dict[str, Any]]) -> None:
    clr = _clr(parts)
    clr["credentialSubject"]["verifiableCredential"][1]["name"] = "Data analysis (honours)"
    report = _verify(clr)
    assert _status(report, "proof") == {"failed"}
    assert [r.authentic for r in report.credentials] == [True, False, True]
    assert not report.authentic


def test_a_forged_part_inside_an_honest_bundle_is_caught(parts: list[dict[str, Any]]) -> None:
    forged = copy.deepcopy(parts)
    forged[0]["credentialSubject"]["achievement"]["name"] = "Advanced data literacy"
    report = _verify(_clr(forged))  # the wallet signs the bundle it was given
    assert _status(report, "proof") == {"ok"}
    assert not report.credentials[0].authentic
    assert not report.authentic
    assert not report.verified


def test_read_clr_gives_each_part_to_the_ob3_reader(parts: list[dict[str, Any]]) -> None:
    bundle = read_clr(_clr(parts))
    assert (bundle.learner, bundle.issuer) == (LEARNER, WALLET.public.did_key)
    assert [a.association_type for a in bundle.associations] == ["isPartOf", "isPartOf", "precedes"]
    titles = [from_ob3(part).credential.title for part in bundle.parts]
    assert titles == [{"en": "Data literacy"}, {"en": "Data analysis"},
                      {"en": "Certificate in data science"}]  # fmt: skip
    assert from_ob3(bundle.parts[0]).credential == from_ob3(parts[0]).credential


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("type", "is not one of"),
        ("target", "not an achievement of the CLR"),
        ("unsigned", "is not signed"),
        ("clr", "not an Open Badges 3.0 credential"),
        ("naive", "time zone"),
    ],
)
def test_the_builder_refuses_what_would_not_make_a_sound_clr(
    parts: list[dict[str, Any]], change: str, message: str
) -> None:
    given = [dict(p) for p in parts[:2]]
    valid_from = NOW.replace(tzinfo=None) if change == "naive" else NOW
    if change == "unsigned":
        given[1].pop("proof")
    if change == "clr":
        given[1] = _clr(parts)
    target = "urn:uuid:elsewhere" if change == "target" else _achievement_id(parts[1])
    kind = "isPartOff" if change == "type" else "isPartOf"

    def build() -> None:
        link = Association(kind, _achievement_id(parts[0]), target)
        build_clr(given, [link], WALLET.public.did_key, LEARNER, clr_id="urn:uuid:x",
                  name="x", valid_from=valid_from)  # fmt: skip

    with pytest.raises(InvalidCredential, match=message):
        build()


def test_read_clr_refuses_other_credentials_and_names_bad_associations(
    parts: list[dict[str, Any]],
) -> None:
    assert not is_clr(parts[0])
    with pytest.raises(NotACredential):
        read_clr(parts[0])
    clr = _clr(parts)
    clr["credentialSubject"]["association"][0]["associationType"] = "isFriendOf"
    with pytest.raises(InvalidCredential, match="isFriendOf"):
        read_clr(clr)
    report = _verify(clr)
    assert _status(report, "associations") == {"failed"}
    assert "isFriendOf" in report.named("associations")[0].detail


@pytest.mark.parametrize("name", ["simple.json", "simple_v1.json", "complex.json"])
def test_the_validator_clrs_report_each_part_and_their_associations(name: str) -> None:
    data = vectors_path("1edtech-ob3-clr2", "validator-test-resources", "clr20", name).read_bytes()
    document = json.loads(data)
    report = _verify(data)
    assert report.format == "CLR 2.0"
    assert _status(report, "proof") == {"ok"}
    embedded = document["credentialSubject"]["verifiableCredential"]
    assert len(report.credentials) == len(embedded)
    assert all("ok" in _status(part, "proof") for part in report.credentials)
    assert _status(report, "associations") == {"ok"}
    assert "isParentOf" in report.named("associations")[0].detail
