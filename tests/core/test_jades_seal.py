"""JAdES seals checked cryptographically: the official sealed EDC sample with its chain and
time-stamp, seals of ours (B-B and B-T), and tampered or untrusted ones failing the named check.

The official sample and ours go through the same ``verify()`` path. The sample's eSeal is issued
by "ANF AC Qualified Certificates for eSeal", whose certificate the seal carries in ``xVals``;
a trust list that lists that CA (as the Spanish EU Trusted List lists ANF's qualified CAs) is
built here from it, since the real lists cannot be fetched in tests.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography import x509

from microcred.adapters.resolver import DocumentMap
from microcred.core.did import DidResolver
from microcred.core.proofs.jades import seal_jades, unsigned_certificates
from microcred.core.proofs.seal_keys import SealKey
from microcred.core.verification.seal_chain import SealTrust, TrustAnchor
from microcred.core.verify import Report, verify
from tests.conftest import vectors_path
from tests.local_tsa import LocalTsa
from tests.seal_pki import Pki, pki

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ANF_CA = "CN=ANF AC Qualified Certificates for eSeal"


def official(name: str = "elm-Sample-MC-Annex1-signed.jsonld") -> dict[str, Any]:
    return dict(json.loads(vectors_path("edc", "credentials", name).read_text("utf-8")))


def check(document: Any, trust: SealTrust | None = None, now: datetime = NOW) -> Report:
    fetch = DocumentMap({})
    return verify(document, resolver=DidResolver(fetch), fetch_document=fetch, now=now,
                  seal_trust=trust)  # fmt: skip


def status(report: Report, name: str) -> str:
    (found,) = report.named(name)
    return found.status


def detail(report: Report, name: str) -> str:
    return " | ".join(c.detail for c in report.named(name))


def anf_trust() -> SealTrust:
    signature = official()["signatures"][0]
    carried = [x509.load_der_x509_certificate(d) for d in unsigned_certificates(signature)]
    (ca,) = [c for c in carried if c.subject.rfc4514_string().startswith(ANF_CA + ",")]
    anchor = TrustAnchor(ca, "ANF AC Qualified Certificates for eSeal", "ANF", "ES")
    return SealTrust((anchor,), "the test trust list (ES)")


def our_trust(made: Pki) -> SealTrust:
    return SealTrust((TrustAnchor(made.root, "Qualified eSeal CA", "Test TSP", "RO"),), "test TL")


def reseal(payload: str, made: Pki, tsa: LocalTsa | None = None) -> dict[str, Any]:
    seal = SealKey(made.leaf_key, (made.leaf, made.root))
    return seal_jades(payload, seal, NOW, tsa.answer_digest if tsa else None)


@pytest.mark.parametrize(
    "name", ["elm-Sample-MC-Annex1-signed.jsonld", "elm-Sample-CertOfPart-signed.jsonld"]
)
def test_the_official_sample_verifies_with_its_chain_shown(name: str) -> None:
    report = check(official(name), anf_trust())
    assert status(report, "proof") == "ok"
    assert status(report, "seal-timestamp") == "ok"
    assert "2023-09-27T" in detail(report, "seal-timestamp")
    assert "good-tsa" in detail(report, "seal-timestamp")
    assert status(report, "seal-chain") == "ok"
    assert "the time-stamp's time" in detail(report, "seal-chain")
    assert status(report, "seal-trust") == "ok"
    assert status(report, "issuer") == "ok"
    assert report.authentic
    assert report.seal is not None
    chain = report.seal["chain"]
    assert chain[0]["subject"].split(",")[-2:] == ["2.5.4.5=A00000000", "C=ES"]
    assert chain[0]["issuer"].startswith(ANF_CA)
    assert chain[1]["subject"].startswith(ANF_CA)
    assert chain[0]["not_after"] == "2025-05-10T14:31:15+00:00"
    assert report.to_dict()["seal"]["trust_anchor"]["subject"].startswith(ANF_CA)


def test_the_official_sample_without_a_trust_list_is_not_tied_to_its_issuer() -> None:
    report = check(official())
    assert status(report, "proof") == "ok"
    assert status(report, "seal-trust") == "skipped"
    assert status(report, "seal-chain") == "skipped"  # ANF Global Root CA is not carried
    assert "ANF Global Root CA" in detail(report, "seal-chain")
    assert report.named("issuer")[0].blocking
    assert not report.authentic


def test_a_changed_payload_byte_fails_the_seal() -> None:
    tampered = official()
    payload = tampered["payload"]
    at = payload.index('"issuanceDate"') + 1
    tampered["payload"] = payload[:at] + payload[at].upper() + payload[at + 1 :]  # one byte
    report = check(tampered, anf_trust())
    assert status(report, "proof") == "failed"
    assert "changed after sealing" in detail(report, "proof")
    assert not report.authentic


def test_resealed_with_a_certificate_not_on_the_trust_list_fails_seal_trust() -> None:
    resealed = reseal(official()["payload"], pki("intruder"))
    report = check(resealed, anf_trust())
    assert status(report, "proof") == "ok"  # a valid signature, by someone else
    assert status(report, "seal-trust") == "failed"
    assert "not tied to the issuer" in detail(report, "issuer")
    assert not report.authentic
    assert not report.verified


def test_our_seal_b_b_and_b_t() -> None:
    made = pki("ours", use_rsa=True)
    payload = official()["payload"]
    plain = check(reseal(payload, made), our_trust(made))
    assert [status(plain, n) for n in ("proof", "seal-chain", "seal-trust", "issuer")] == [
        "ok", "ok", "ok", "ok"]  # fmt: skip
    assert status(plain, "seal-timestamp") == "skipped"
    assert "JAdES B-B" in detail(plain, "seal-timestamp")
    tsa = LocalTsa(lambda: NOW)
    stamped = check(reseal(payload, made, tsa), our_trust(made))
    assert status(stamped, "seal-timestamp") == "ok"
    assert "Local Test TSA" in detail(stamped, "seal-timestamp")


def test_a_time_stamp_of_another_signature_fails() -> None:
    made = pki("ours")
    tsa = LocalTsa(lambda: NOW)
    first = reseal(official()["payload"], made, tsa)
    second = reseal(official("elm-Sample-CertOfPart-signed.jsonld")["payload"], made)
    second["signatures"][0]["header"] = first["signatures"][0]["header"]
    report = check(second, our_trust(made))
    assert status(report, "proof") == "ok"
    assert status(report, "seal-timestamp") == "failed"
    assert "other data" in detail(report, "seal-timestamp")


def test_an_expired_certificate_fails_the_chain_without_a_time_stamp() -> None:
    made = pki("brief", end=datetime(2026, 6, 1, tzinfo=UTC))
    report = check(reseal(official()["payload"], made), our_trust(made))
    assert status(report, "seal-chain") == "failed"
    assert "expired on 2026-06-01" in detail(report, "seal-chain")


def test_x5c_is_read_as_sent() -> None:
    made = pki("ours")
    sealed = reseal(official()["payload"], made)
    protected = sealed["signatures"][0]["protected"]
    header = json.loads(base64.urlsafe_b64decode(protected + "=="))
    assert len(header["x5c"]) == 2
    assert header["crit"] == ["b64", "sigT"]
