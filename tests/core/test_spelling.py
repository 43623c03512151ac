"""What the checks read is what the signature covers (issue 8 §1).

A proof over RDFC-1.0 signs the JSON-LD meaning, so a document that writes ``validUntil`` or
``credentialStatus`` another way keeps a valid signature: these tests re-spell signed documents
and check that the verifier refuses them (the ``spelling`` check), and the issuer too.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from microcred.core.canon import PyldCanonicalizer
from microcred.core.errors import MalformedCredential
from microcred.core.jsonld import expand, expansion, shared_expansions
from microcred.core.verification.wellformed import require_well_formed
from tests.core.test_verify import LIST_URL, Documents, example_ob3, sign, with_status
from tests.vectors.test_dcc_fixtures import FIXTURES
from tests.vectors.test_dcc_fixtures import check as check_dcc

CRED = "https://www.w3.org/2018/credentials#"
STATUS = "https://www.w3.org/ns/credentials/status#"
DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
MULTIBASE = "https://w3id.org/security#multibase"


def respelled(
    document: dict[str, Any], key: str, new_key: str, datatype: str | None = None
) -> dict[str, Any]:
    """``document`` with ``key`` written as ``new_key``; a typed value keeps its ``datatype``
    (which the context gave the plain key), so the RDF, and the signature, stay the same."""
    copied = copy.deepcopy(document)
    value = copied.pop(key)
    copied[new_key] = value if datatype is None else {"@value": value, "@type": datatype}
    return copied


def statuses(report: Any) -> dict[str, str]:
    return {check.name: check.status for check in report.checks}


@pytest.fixture
def docs(tmp_path: Path) -> Documents:
    return Documents(tmp_path)


def test_a_revoked_credential_written_with_the_full_iri_is_not_verified(docs: Documents) -> None:
    revoked = with_status(docs, 5, bits=(5,))
    assert statuses(docs.check(revoked))["status"] == "failed"
    report = docs.check(respelled(revoked, "credentialStatus", CRED + "credentialStatus"))
    checks = statuses(report)
    assert checks["proof"] == "ok"  # the signature covers the meaning, which did not change
    assert checks["spelling"] == "failed"
    assert "credentialStatus" in report.named("spelling")[0].detail
    assert not report.verified
    assert not report.authentic


def test_an_expired_credential_written_with_the_full_iri_is_not_verified(docs: Documents) -> None:
    document = example_ob3()
    document["validUntil"] = "2026-01-01T00:00:00Z"
    expired = sign(document)
    assert statuses(docs.check(expired))["validity"] == "failed"
    report = docs.check(respelled(expired, "validUntil", CRED + "validUntil", DATETIME))
    assert statuses(report)["proof"] == "ok"
    assert statuses(report)["spelling"] == "failed"
    assert "validUntil" in report.named("spelling")[0].detail
    assert not report.verified


def test_a_plain_credential_passes_the_spelling_check(docs: Documents) -> None:
    report = docs.check(with_status(docs, 5))
    assert statuses(report)["spelling"] == "ok"
    assert report.verified


def test_the_issuer_refuses_to_sign_a_respelled_credential() -> None:
    document = example_ob3()
    document[CRED + "validUntil"] = "2030-01-01T00:00:00Z"
    with pytest.raises(MalformedCredential) as refused:
        require_well_formed(document)
    assert ("validUntil", refused.value.problems[0][1]) == refused.value.problems[0]
    assert CRED + "validUntil" in refused.value.message


def test_a_respelled_status_list_is_not_trusted(docs: Documents) -> None:
    credential = with_status(docs, 5)
    listed = json.loads(docs.paths[LIST_URL].read_text("utf-8"))
    listed["credentialSubject"] = respelled(
        listed["credentialSubject"], "encodedList", STATUS + "encodedList", MULTIBASE
    )
    docs.put(LIST_URL, listed)  # the list's proof still holds: the meaning is the same
    report = docs.check(credential)
    assert statuses(report)["status"] == "failed"
    assert "credentialSubject.encodedList" in report.named("status")[0].detail


def test_a_dcc_revoked_credential_respelled_is_not_verified() -> None:
    path = FIXTURES / "verifiableCredentials/v2/bothSignatureTypes/didkey"
    fixture = json.loads((path / "noRegistry-revokedStatus-notExpired.json").read_text("utf-8"))
    assert statuses(check_dcc(fixture))["status"] == "failed"
    report = check_dcc(respelled(fixture, "credentialStatus", CRED + "credentialStatus"))
    assert {c.status for c in report.named("proof")} == {"ok"}
    assert statuses(report)["spelling"] == "failed"
    assert not report.verified


def test_a_dcc_expired_legacy_credential_respelled_is_not_verified() -> None:
    path = FIXTURES / "verifiableCredentials/v1/ed25519/didKey/oidf-noStatus-expired.json"
    fixture = json.loads(path.read_text("utf-8"))
    assert statuses(check_dcc(fixture))["validity"] == "failed"
    report = check_dcc(respelled(fixture, "expirationDate", CRED + "expirationDate", DATETIME))
    assert statuses(report)["proof"] == "ok"
    assert statuses(report)["spelling"] == "failed"
    assert not report.verified


@pytest.mark.parametrize("inline_context", [False, True], ids=["fastrdf", "pyld"])
def test_canonicalising_and_reading_share_one_unchanged_expansion(inline_context: bool) -> None:
    document = example_ob3()
    if inline_context:  # fastrdf steps aside for an embedded context: pyld expands
        document["credentialSubject"]["@context"] = {"vcx": CRED}
    with shared_expansions():
        PyldCanonicalizer().canonize(document)
        kept = expansion(document)
        assert (kept.fast_refusal is not None) is inline_context
        assert expansion(copy.deepcopy(document)) is kept  # by the JSON, not by the object
    assert kept.nodes == expand(document)  # canonicalising did not change what is kept
    assert expansion(document) is not expansion(document)  # outside, nothing is kept


def test_a_respelled_revoked_credential_spoils_the_presentation_that_holds_it(
    docs: Documents,
) -> None:
    from tests.core.test_verify_presentations import presentation

    revoked = with_status(docs, 5, bits=(5,))
    hidden = respelled(revoked, "credentialStatus", CRED + "credentialStatus")
    report = docs.check(presentation(hidden, challenge="c"), expected_challenge="c")
    inner = report.credentials[0]
    assert statuses(inner)["proof"] == "ok"
    assert statuses(inner)["spelling"] == "failed"
    assert not report.verified
