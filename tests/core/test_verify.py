"""verify(): each check's ok / failed / skipped paths, as a verifier would read them."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from microcred.adapters.resolver import DocumentMap
from microcred.core.did import DidResolver, did_web_document, did_web_url
from microcred.core.formats.detect import read_credential
from microcred.core.formats.ob3 import to_ob3
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.status import StatusList, credential_status_entry, status_list_credential
from microcred.core.verify import Report, verify

NOW = datetime(2026, 11, 1, tzinfo=UTC)
LIST_URL = "https://issuer.example/status/1"
ISSUER_KEY = KeyPair.from_seed(bytes(range(32)))
OTHER_KEY = KeyPair.from_seed(bytes(range(1, 33)))


def example_ob3(issuer: str = ISSUER_KEY.public.did_key) -> dict[str, Any]:
    """The bundled complete micro-credential description, as an unsigned OB 3.0 credential."""
    text = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    model = read_credential(text.read_bytes()).credential
    return to_ob3(
        model, credential_id="urn:uuid:0b3c6e2a-1111-4c2e-9a55-000000000001", issuer_id=issuer
    )


def sign(
    document: dict[str, Any],
    key: KeyPair = ISSUER_KEY,
    method: str | None = None,
    suite: str = "eddsa-rdfc-2022",
) -> dict[str, Any]:
    return sign_document(document, key, method or key.public.did_key_vm, suite, created=NOW)


class Documents:
    """A DocumentMap over files written into the test's directory."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.paths: dict[str, Path] = {}

    def put(self, url: str, document: dict[str, Any]) -> None:
        path = self.folder / f"doc{len(self.paths)}.json"
        path.write_text(json.dumps(document), "utf-8")
        self.paths[url] = path

    def check(self, document: Any, **options: Any) -> Report:
        fetch = DocumentMap(self.paths)
        return verify(
            document,
            resolver=DidResolver(fetch),
            fetch_document=fetch,
            now=options.pop("now", NOW),
            **options,
        )


@pytest.fixture
def docs(tmp_path: Path) -> Documents:
    return Documents(tmp_path)


def status_of(report: Report, name: str) -> list[str]:
    return [check.status for check in report.named(name)]


def detail(report: Report, name: str) -> str:
    return " | ".join(check.detail for check in report.named(name))


def with_status(
    docs: Documents, index: int, bits: tuple[int, ...] = (), purpose: str = "revocation"
) -> dict[str, Any]:
    status_list = StatusList(purpose)
    for bit in bits:
        status_list.set(bit)
    listed = status_list_credential(status_list, LIST_URL, ISSUER_KEY.public.did_key, NOW)
    docs.put(LIST_URL, sign(listed))
    document = example_ob3()
    document["credentialStatus"] = credential_status_entry(LIST_URL, index, purpose)
    return sign(document)


def test_a_complete_signed_micro_credential_is_verified(docs: Documents) -> None:
    report = docs.check(with_status(docs, 5, bits=(4, 6)))
    assert [c.name for c in report.checks] == [
        "format",
        "spelling",
        "proof",
        "issuer",
        "status",
        "validity",
    ]
    assert all(check.status == "ok" for check in report.checks), report.to_dict()
    assert report.verified
    assert report.authentic
    assert report.completeness is not None
    assert report.completeness.state == "complete"
    assert report.format == "Open Badges 3.0"
    assert "eddsa-rdfc-2022" in detail(report, "proof")


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "ecdsa-rdfc-2019"])
def test_other_suites_verify(docs: Documents, suite: str) -> None:
    key = (
        ISSUER_KEY
        if suite.startswith("eddsa")
        else KeyPair.from_seed(bytes(range(32)), KeyType.P256)
    )
    document = sign(example_ob3(key.public.did_key), key, suite=suite)
    report = docs.check(document)
    assert report.verified, report.to_dict()
    assert suite in detail(report, "proof")


def test_a_changed_credential_fails_its_proof(docs: Documents) -> None:
    signed = sign(example_ob3())
    signed["name"] = "Something else"
    report = docs.check(signed)
    assert status_of(report, "proof") == ["failed"]
    assert "changed after signing" in detail(report, "proof")
    assert not report.authentic
    assert not report.verified


def test_a_proof_moved_onto_another_document_fails(docs: Documents) -> None:
    first, second = sign(example_ob3()), example_ob3()
    second["id"] = "urn:uuid:0b3c6e2a-1111-4c2e-9a55-000000000002"
    second["proof"] = first["proof"]
    assert status_of(docs.check(second), "proof") == ["failed"]


def test_no_proof_fails(docs: Documents) -> None:
    report = docs.check(example_ob3())
    assert status_of(report, "proof") == ["failed"]
    assert "no proof" in detail(report, "proof")


def test_a_key_of_someone_else_fails_the_issuer_check(docs: Documents) -> None:
    report = docs.check(sign(example_ob3(), OTHER_KEY))
    assert status_of(report, "proof") == ["ok"]
    assert status_of(report, "issuer") == ["failed"]
    assert "not controlled by the issuer" in detail(report, "issuer")
    assert not report.authentic


def test_revoked_and_suspended(docs: Documents) -> None:
    revoked = docs.check(with_status(docs, 7, bits=(7,)))
    assert status_of(revoked, "status") == ["failed"]
    assert "revoked" in detail(revoked, "status")
    assert revoked.authentic
    assert not revoked.verified
    suspended = docs.check(with_status(docs, 9, bits=(9,), purpose="suspension"))
    assert "suspended" in detail(suspended, "status")


def test_an_unreachable_or_unsigned_status_list_is_never_verified(docs: Documents) -> None:
    document = example_ob3()
    document["credentialStatus"] = credential_status_entry(LIST_URL, 3)
    signed = sign(document)
    unreachable = docs.check(signed)
    assert status_of(unreachable, "status") == ["failed"]
    assert "unreachable" in detail(unreachable, "status")
    docs.put(LIST_URL, status_list_credential(StatusList(), LIST_URL, "did:example:x", NOW))
    unsigned = docs.check(signed)
    assert "has no proof" in detail(unsigned, "status")
    assert not unsigned.verified


def test_a_status_list_that_is_not_a_status_list(docs: Documents) -> None:
    document = example_ob3()
    document["credentialStatus"] = credential_status_entry(LIST_URL, 3)
    docs.put(LIST_URL, sign(example_ob3()))
    report = docs.check(sign(document))
    assert "not a status list" in detail(report, "status")


def test_no_status_is_skipped_without_blocking(docs: Documents) -> None:
    report = docs.check(sign(example_ob3()))
    assert status_of(report, "status") == ["skipped"]
    assert report.verified


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("validUntil", "2026-10-01T00:00:00Z", "expired"),
        ("validFrom", "2027-01-01T00:00:00Z", "not valid yet"),
    ],
)
def test_validity_period(docs: Documents, field: str, value: str, words: str) -> None:
    document = example_ob3()
    document[field] = value
    report = docs.check(sign(document))
    assert status_of(report, "validity") == ["failed"]
    assert words in detail(report, "validity")
    assert report.authentic
    assert not report.verified
    later = docs.check(sign(document), now=datetime(2026, 8, 1, tzinfo=UTC))
    assert status_of(later, "validity") == (["ok"] if field == "validUntil" else ["failed"])


def test_an_incomplete_micro_credential_is_verified_and_incomplete(docs: Documents) -> None:
    document = example_ob3()
    del document["credentialSubject"]["achievement"]["alignment"]
    report = docs.check(sign(document))
    assert report.verified, report.to_dict()
    assert report.completeness is not None
    assert report.completeness.state == "incomplete"
    assert report.completeness.missing == ("eqf_level",)


def test_annex1_does_not_apply_to_other_credentials(docs: Documents) -> None:
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": ISSUER_KEY.public.did_key,
        "credentialSubject": {"id": "did:example:learner"},
    }
    report = docs.check(sign(document))
    assert report.completeness is not None
    assert report.completeness.state == "not-a-micro-credential"
    assert report.verified


def test_trust_list(docs: Documents) -> None:
    signed = sign(example_ob3())
    assert docs.check(signed).named("trusted-issuer") == []
    trusted = docs.check(signed, trust_list=[ISSUER_KEY.public.did_key])
    assert status_of(trusted, "trusted-issuer") == ["ok"]
    stranger = docs.check(signed, trust_list=["did:web:other.example"])
    assert status_of(stranger, "trusted-issuer") == ["failed"]
    assert not stranger.verified
    assert stranger.authentic


def test_a_rotated_out_key_verifies_while_listed_then_fails(docs: Documents) -> None:
    did = "did:web:issuer.example"
    old, new = ISSUER_KEY, OTHER_KEY
    document = sign(example_ob3(did), old, f"{did}#{old.public.to_multibase()}")
    docs.put(did_web_url(did), did_web_document(did, [old.public, new.public]))
    assert docs.check(document).verified
    docs.put(did_web_url(did), did_web_document(did, [new.public]))
    removed = docs.check(document)
    assert status_of(removed, "proof") == ["failed"]
    assert "is not listed for assertionMethod" in detail(removed, "proof")
    docs.put(did_web_url(did), did_web_document(did, [old.public, new.public], [new.public]))
    revoked = docs.check(document)
    assert "not listed for assertionMethod" in detail(revoked, "proof")


def test_a_did_web_that_cannot_be_resolved_fails(docs: Documents) -> None:
    did = "did:web:gone.example"
    report = docs.check(sign(example_ob3(did), ISSUER_KEY, f"{did}#key-1"))
    assert status_of(report, "proof") == ["failed"]
    assert "not in the document map" in detail(report, "proof")


def test_a_key_named_only_by_its_fragment_is_unconfirmed(docs: Documents) -> None:
    issuer = "https://issuer.example/profile"
    method = f"{issuer}#{ISSUER_KEY.public.to_multibase()}"
    report = docs.check(sign(example_ob3(issuer), ISSUER_KEY, method))
    assert status_of(report, "proof") == ["ok"]
    assert status_of(report, "issuer") == ["skipped"]
    assert "unconfirmed" in detail(report, "issuer")
    assert not report.authentic


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "not json at all",
        "[1, 2]",
        '{"foo": 1}',
        b"\x00\x01binary",
        "eyJhbGciOi.x.y",
        "[" * 10_000 + "]" * 10_000,
        '{"a":' * 10_000 + "1" + "}" * 10_000,
        42,
    ],
)
def test_garbage_gives_a_failed_format_check(docs: Documents, garbage: Any) -> None:
    report = docs.check(garbage)
    assert not report.readable
    assert not report.verified
    assert status_of(report, "format") == ["failed"]


def test_a_malformed_credential_fails_the_format_check(docs: Documents) -> None:
    document = sign(example_ob3())
    broken = copy.deepcopy(document)
    broken["validFrom"] = "yesterday"
    report = docs.check(broken)
    assert status_of(report, "format") == ["failed"]
    assert "validFrom" in detail(report, "format")


@pytest.mark.parametrize(
    "name", ["elm-Sample-MC-Annex1-signed.jsonld", "mynextid-edc-mc-signed.jsonld"]
)
def test_a_jades_sealed_edc(docs: Documents, name: str) -> None:
    from tests.conftest import vectors_path

    sealed = json.loads(vectors_path("edc", "credentials", name).read_text("utf-8"))
    report = docs.check(sealed)
    assert report.format == "ELM/EDC (JAdES seal)"
    assert status_of(report, "proof") == ["ok"]
    assert "JAdES seal (RS256): signature valid" in detail(report, "proof")
    assert status_of(report, "issuer") == ["skipped"]
    assert "no trust list is configured" in detail(report, "issuer")
    assert not report.verified
    tampered = json.loads(json.dumps(sealed))
    tampered["payload"] = tampered["payload"].replace('"urn:credential:', '"urn:credentials:', 1)
    report = docs.check(tampered)
    assert status_of(report, "proof") == ["failed"]
    assert "changed after sealing" in detail(report, "proof")


def test_a_fetcher_that_raises_its_own_errors_gives_failed_checks() -> None:
    documents: dict[str, Any] = {}
    did = "did:web:issuer.example"
    document = example_ob3(did)
    document["credentialStatus"] = credential_status_entry(LIST_URL, 3)
    signed = sign(document, ISSUER_KEY, f"{did}#{ISSUER_KEY.public.to_multibase()}")
    report = verify(
        signed,
        resolver=DidResolver(documents.__getitem__),
        fetch_document=documents.__getitem__,
        now=NOW,
    )
    assert status_of(report, "proof") == ["failed"]
    assert status_of(report, "status") == ["failed"]
    with pytest.raises(ValueError, match="timezone-aware"):
        verify(
            signed,
            resolver=DidResolver(),
            fetch_document=documents.__getitem__,
            now=datetime(2026, 1, 1),
        )


def test_baked_images_that_carry_nothing_are_unreadable(docs: Documents) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    assert not docs.check(png).readable
    svg = b'<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"></svg>'
    assert not docs.check(svg).readable


def test_a_credential_proof_must_be_made_for_assertion(docs: Documents) -> None:
    signed = sign_document(
        example_ob3(),
        ISSUER_KEY,
        ISSUER_KEY.public.did_key_vm,
        proof_purpose="authentication",
        created=NOW,
    )
    report = docs.check(signed)
    assert status_of(report, "proof") == ["failed"]
    assert "assertionMethod" in detail(report, "proof")


def test_a_status_list_signed_by_someone_else_is_not_trusted(docs: Documents) -> None:
    listed = status_list_credential(StatusList(), LIST_URL, ISSUER_KEY.public.did_key, NOW)
    docs.put(LIST_URL, sign(listed, OTHER_KEY))
    document = example_ob3()
    document["credentialStatus"] = credential_status_entry(LIST_URL, 3)
    report = docs.check(sign(document))
    assert status_of(report, "status") == ["failed"]
    assert "not by its issuer" in detail(report, "status")


def test_a_value_that_is_no_credential_is_named_in_json_words() -> None:
    report = verify([1, 2], resolver=DidResolver(), fetch_document={}.__getitem__, now=NOW)  # type: ignore[arg-type]
    assert not report.readable
    assert [c.detail for c in report.checks] == ["cannot read an array [...] as a credential"]
