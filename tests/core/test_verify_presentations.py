"""verify() on tokens and presentations: vc+jwt, SD-JWT VC, Data Integrity VPs and vp+jwt."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from microcred.core.formats.sdjwt_vc import annex1_disclosable_claims, to_sdjwt_claims
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.jose import sign_vc_jwt
from microcred.core.proofs.sd_jwt import issue_sd_jwt, present_sd_jwt
from tests.core.test_verify import ISSUER_KEY, NOW, Documents, detail, example_ob3, sign, status_of

HOLDER = KeyPair.from_seed(bytes(range(2, 34)))
P256 = KeyPair.from_seed(bytes(range(32)), KeyType.P256)


@pytest.fixture
def docs(tmp_path: Path) -> Documents:
    return Documents(tmp_path)


def presentation(*credentials: Any, challenge: str | None, domain: str | None = None) -> Any:
    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER.public.did_key,
        "verifiableCredential": list(credentials),
    }
    return sign_document(
        vp,
        HOLDER,
        HOLDER.public.did_key_vm,
        "eddsa-rdfc-2022",
        "authentication",
        NOW,
        challenge,
        domain,
    )


def test_a_presentation_with_our_challenge_verifies_with_its_credential(docs: Documents) -> None:
    vp = presentation(sign(example_ob3()), challenge="n-123", domain="verifier.example")
    report = docs.check(vp, expected_challenge="n-123", expected_domain="verifier.example")
    assert report.kind == "presentation"
    assert status_of(report, "challenge") == ["ok"]
    assert status_of(report, "holder") == ["ok"]
    assert len(report.credentials) == 1
    assert report.credentials[0].verified
    assert report.verified


@pytest.mark.parametrize("given", ["other", None])
def test_a_wrong_or_missing_challenge_fails(docs: Documents, given: str | None) -> None:
    vp = presentation(sign(example_ob3()), challenge=given)
    report = docs.check(vp, expected_challenge="n-123")
    assert status_of(report, "challenge") == ["failed"]
    assert status_of(report, "proof") == ["failed"]
    assert not report.verified


def test_a_presentation_checked_without_a_challenge_is_not_verified(docs: Documents) -> None:
    report = docs.check(presentation(sign(example_ob3()), challenge="n-1"))
    assert status_of(report, "challenge") == ["skipped"]
    assert "replay" in detail(report, "challenge")
    assert not report.verified


def test_a_bad_embedded_credential_spoils_the_presentation(docs: Documents) -> None:
    tampered = sign(example_ob3())
    tampered["name"] = "Changed"
    report = docs.check(presentation(tampered, challenge="c"), expected_challenge="c")
    assert status_of(report, "proof") == ["ok"]
    assert status_of(report.credentials[0], "proof") == ["failed"]
    assert not report.verified


@pytest.mark.parametrize("key", [ISSUER_KEY, P256], ids=["EdDSA", "ES256"])
def test_vc_jwt(docs: Documents, key: KeyPair) -> None:
    token = sign_vc_jwt(example_ob3(key.public.did_key), key, kid=key.public.did_key_vm)
    report = docs.check(token)
    assert report.verified, report.to_dict()
    assert f"vc+jwt ({key.public.jws_alg})" in detail(report, "proof")
    broken = token[:-8] + ("A" * 8 if not token.endswith("A" * 8) else "B" * 8)
    assert status_of(docs.check(broken), "proof") == ["failed"]


def test_vp_jwt_with_nonce_and_enveloped_credential(docs: Documents) -> None:
    vc = sign_vc_jwt(example_ob3(), ISSUER_KEY, kid=ISSUER_KEY.public.did_key_vm)
    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER.public.did_key,
        "verifiableCredential": [
            {
                "@context": "https://www.w3.org/ns/credentials/v2",
                "type": "EnvelopedVerifiableCredential",
                "id": f"data:application/vc+jwt,{vc}",
            }
        ],
        "nonce": "n-9",
        "aud": "verifier.example",
    }
    token = sign_vc_jwt(vp, HOLDER, kid=HOLDER.public.did_key_vm, typ="vp+jwt")
    report = docs.check(token, expected_challenge="n-9", expected_domain="verifier.example")
    assert report.verified, report.to_dict()
    assert report.credentials[0].verified
    replay = docs.check(token, expected_challenge="n-10")
    assert status_of(replay, "challenge") == ["failed"]


def sd_jwt(document: dict[str, Any]) -> str:
    claims = to_sdjwt_claims(document)
    return issue_sd_jwt(
        claims,
        issuer_key=ISSUER_KEY,
        disclosable=annex1_disclosable_claims(claims),
        random_bytes=os.urandom,
        kid=ISSUER_KEY.public.did_key_vm,
    )


def test_sd_jwt_vc(docs: Documents) -> None:
    report = docs.check(sd_jwt(example_ob3()))
    assert report.format == "SD-JWT VC"
    assert report.verified, report.to_dict()
    assert status_of(report, "issuer") == ["ok"]


def test_an_expired_sd_jwt_keeps_a_valid_signature(docs: Documents) -> None:
    document = example_ob3()
    document["validUntil"] = "2026-10-01T00:00:00Z"
    report = docs.check(sd_jwt(document))
    assert status_of(report, "proof") == ["ok"]
    assert status_of(report, "validity") == ["failed"]
    assert report.authentic
    later = docs.check(sd_jwt(document), now=datetime(2026, 9, 1, tzinfo=UTC))
    assert later.verified


def test_an_expired_sd_jwt_presented_now_keeps_its_signature_and_key_binding(
    docs: Documents,
) -> None:
    """The signature and the holder's Key Binding JWT (made now) are judged at now, apart from
    exp: the report says "signature valid, expired" rather than failing the proof."""
    document = example_ob3()
    document["validUntil"] = "2026-10-01T00:00:00Z"
    claims = to_sdjwt_claims(document)
    issued = issue_sd_jwt(
        claims,
        issuer_key=ISSUER_KEY,
        disclosable=annex1_disclosable_claims(claims),
        random_bytes=os.urandom,
        kid=ISSUER_KEY.public.did_key_vm,
        holder_key=HOLDER.public,
    )
    shown = present_sd_jwt(
        issued, reveal=[("title",)], holder_key=HOLDER, aud="v.example", nonce="n-1", now=NOW
    )
    report = docs.check(shown, expected_challenge="n-1", expected_domain="v.example")
    assert status_of(report, "proof") == ["ok"]
    assert "issuer signature and holder key binding valid" in detail(report, "proof")
    assert status_of(report, "validity") == ["failed"]
    assert "expired at 2026-10-01T00:00:00Z" in detail(report, "validity")
    assert report.authentic
    assert not report.verified


def test_work_is_bounded(docs: Documents) -> None:
    credential = sign(example_ob3())
    crowded = presentation(*[credential] * 51, challenge="c")
    report = docs.check(crowded, expected_challenge="c")
    assert "more than 50" in detail(report, "format")
    assert report.credentials == ()
    many = dict(credential)
    many["proof"] = [credential["proof"]] * 11
    assert "more than the 10" in detail(docs.check(many), "proof")
