"""VC-JOSE and SD-JWT VC interoperability with independent Python libraries, both ways.

Issue requirement: "credentials we sign verify with an independent implementation, and theirs
with ours". ``joserfc`` (Authlib) checks and makes ``vc+jwt`` tokens (ES256, ES384, EdDSA and
RFC 9864's ``Ed25519``); since microcred's own JWS layer runs on joserfc, ``jwcrypto`` does the
same as an implementation independent of it. The OpenWallet Foundation ``sd-jwt`` package
(``sd_jwt``, on ``jwcrypto``) verifies our SD-JWT VC presentations with a Key Binding JWT and
issues and presents ones we verify.

Limitation of ``sd-jwt`` 0.10.4 (not ours): ``SDJWTVerifier`` checks every KB-JWT with
``alg="ES256"`` (its ``DEFAULT_SIGNING_ALG``), so it verifies key binding only for P-256 holder
keys; for Ed25519 and P-384 holders it is used without key binding (issuer signature and
disclosures only), and our verifier checks their key binding instead.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from joserfc import jws
from joserfc.errors import BadSignatureError, SecurityWarning
from joserfc.jwk import ECKey, OKPKey, import_key
from jwcrypto.jwk import JWK
from jwcrypto.jws import JWS, InvalidJWSSignature
from sd_jwt import holder as sd_jwt_holder
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from microcred.cli.main import main
from microcred.core.did import DidResolver
from microcred.core.formats.detect import load_document, read_document
from microcred.core.formats.ob3 import to_ob3
from microcred.core.formats.sdjwt_vc import (
    annex1_disclosable_claims,
    issue_annex1_sd_jwt_vc,
    to_sdjwt_claims,
)
from microcred.core.keys import KeyPair, KeyType, PublicKey
from microcred.core.model import MicroCredential
from microcred.core.proofs.jose import sign_vc_jwt, verify_vc_jwt
from microcred.core.proofs.jws import b64url_decode, b64url_encode
from microcred.core.proofs.sd_jwt import (
    KeyBindingPolicy,
    issue_sd_jwt,
    present_sd_jwt,
    verify_sd_jwt,
)
from tests.strategies import complete_credentials

pytestmark = pytest.mark.interop

KEY_TYPES = list(KeyType)
SEEDS = {
    KeyType.ED25519: bytes(range(1, 33)),
    KeyType.P256: bytes(range(2, 34)),
    KeyType.P384: bytes(range(3, 51)),
}
CURVES = {KeyType.ED25519: "Ed25519", KeyType.P256: "P-256", KeyType.P384: "P-384"}
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
AUD = "https://verifier.example"
NONCE = "n-0S6_WzA2Mj"
EXAMPLES = settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def example_credential() -> MicroCredential:
    source = resources.files("microcred.core.formats").joinpath("templates", "example.yaml")
    return read_document(load_document(source.read_bytes())).credential


def our_key(key_type: KeyType) -> KeyPair:
    return KeyPair.from_seed(SEEDS[key_type], key_type)


def holder_key(key_type: KeyType) -> KeyPair:
    return KeyPair.from_seed(bytes(reversed(SEEDS[key_type])), key_type)


def resolve() -> Any:
    return DidResolver().key_resolver("assertionMethod")


@pytest.fixture
def eddsa_allowed() -> Iterator[None]:
    """joserfc 1.8 warns that the polymorphic "EdDSA" is deprecated by RFC 9864."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "EdDSA is deprecated", SecurityWarning)
        yield


def forge(token: str, claim: str = "name") -> str:
    """The JWS with one payload claim changed after signing (header and signature kept)."""
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims[claim] = f"{claims.get(claim)} (forged)"
    return ".".join([header, b64url_encode(json.dumps(claims).encode()), signature])


# --- VC-JOSE: we sign, joserfc verifies --------------------------------------------------------


@pytest.mark.usefixtures("eddsa_allowed")
@pytest.mark.parametrize("key_type", KEY_TYPES, ids=lambda t: t.value)
@EXAMPLES
@given(mc=complete_credentials())
def test_joserfc_verifies_our_vc_jwt(key_type: KeyType, mc: MicroCredential) -> None:
    key = our_key(key_type)
    credential = to_ob3(mc, issuer_id=key.public.did_key)
    token = sign_vc_jwt(credential, key, kid=key.public.did_key_vm)
    public = import_key(dict[str, str | list[str]](key.public.to_jwk()))
    alg = key.public.jws_alg
    verified = jws.deserialize_compact(token, public, algorithms=[alg])
    assert verified.headers() == {
        "alg": alg,
        "kid": key.public.did_key_vm,
        "typ": "vc+jwt",
        "cty": "vc",
    }
    assert json.loads(verified.payload) == credential
    with pytest.raises(BadSignatureError):
        jws.deserialize_compact(forge(token), public, algorithms=[alg])


# --- VC-JOSE: joserfc signs, we verify ---------------------------------------------------------


def joserfc_key(key_type: KeyType) -> OKPKey | ECKey:
    if key_type is KeyType.ED25519:
        return OKPKey.generate_key("Ed25519")
    return ECKey.generate_key(CURVES[key_type])


def joserfc_vc_jwt(
    mc: MicroCredential, key_type: KeyType, alg: str | None = None
) -> tuple[str, dict[str, Any], PublicKey]:
    """A vc+jwt made by joserfc with its own key; returns token, credential, our view of key."""
    theirs = joserfc_key(key_type)
    public = PublicKey.from_jwk(theirs.as_dict(private=False))
    credential = to_ob3(mc, issuer_id=public.did_key)
    alg = alg or public.jws_alg
    header = {"alg": alg, "typ": "vc+jwt", "cty": "vc", "kid": public.did_key_vm}
    token = jws.serialize_compact(header, json.dumps(credential), theirs, algorithms=[alg])
    return token, credential, public


@pytest.mark.usefixtures("eddsa_allowed")
@pytest.mark.parametrize("key_type", KEY_TYPES, ids=lambda t: t.value)
@EXAMPLES
@given(mc=complete_credentials())
def test_we_verify_vc_jwt_joserfc_signs(key_type: KeyType, mc: MicroCredential) -> None:
    token, credential, public = joserfc_vc_jwt(mc, key_type)
    result = verify_vc_jwt(token, resolve())
    assert result.ok, result.reason
    assert result.kind == "credential"
    assert result.document == credential
    assert result.key_id == public.did_key_vm
    assert not verify_vc_jwt(forge(token), resolve()).ok
    assert not verify_vc_jwt(forge(token, "kid"), resolve()).ok


def test_we_verify_joserfc_tokens_with_the_fully_specified_ed25519_alg() -> None:
    """RFC 9864 deprecates "EdDSA" for "Ed25519", which joserfc recommends: we accept it.

    (Found by this test: microcred refused alg "Ed25519"; fixed in ``core/proofs/jws.py``.)
    """
    token, _, _ = joserfc_vc_jwt(example_credential(), KeyType.ED25519, alg="Ed25519")
    result = verify_vc_jwt(token, resolve())
    assert result.ok, result.reason
    assert not verify_vc_jwt(forge(token), resolve()).ok


@pytest.mark.usefixtures("eddsa_allowed")
@pytest.mark.parametrize("alg", ["EdDSA", "Ed25519", "ES256", "ES384"])
def test_the_cli_verifies_vc_jwt_joserfc_signs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, alg: str
) -> None:
    key_type = {"ES256": KeyType.P256, "ES384": KeyType.P384}.get(alg, KeyType.ED25519)
    mc = example_credential()
    token, _, _ = joserfc_vc_jwt(mc, key_type, alg=alg)
    good, bad = tmp_path / "good.jwt", tmp_path / "bad.jwt"
    good.write_text(token, "ascii")
    bad.write_text(forge(token), "ascii")
    assert mc.issued is not None
    argv = ["verify", "--json", "--now", mc.issued.isoformat()]
    assert main([*argv, str(good)]) == 0, capsys.readouterr().out
    [report] = json.loads(capsys.readouterr().out)
    assert report["verified"] is True
    assert main([*argv, str(bad)]) == 1
    [report] = json.loads(capsys.readouterr().out)
    assert report["verified"] is False


# --- VC-JOSE with jwcrypto: independent of joserfc, on which microcred's JWS now runs ---------


@pytest.mark.parametrize("key_type", KEY_TYPES, ids=lambda t: t.value)
def test_jwcrypto_verifies_our_vc_jwt(key_type: KeyType) -> None:
    key = our_key(key_type)
    credential = to_ob3(example_credential(), issuer_id=key.public.did_key)
    token = sign_vc_jwt(credential, key, kid=key.public.did_key_vm)
    theirs = JWS()
    theirs.deserialize(token)
    theirs.verify(JWK(**key.public.to_jwk()), alg=key.public.jws_alg)
    assert json.loads(theirs.payload) == credential
    forged = JWS()
    forged.deserialize(forge(token))
    with pytest.raises(InvalidJWSSignature):
        forged.verify(JWK(**key.public.to_jwk()), alg=key.public.jws_alg)


@pytest.mark.parametrize("key_type", KEY_TYPES, ids=lambda t: t.value)
def test_we_verify_vc_jwt_jwcrypto_signs(key_type: KeyType) -> None:
    signer = jwcrypto_key(key_type)
    public = PublicKey.from_jwk(signer.export_public(as_dict=True))
    credential = to_ob3(example_credential(), issuer_id=public.did_key)
    header = {"alg": public.jws_alg, "typ": "vc+jwt", "cty": "vc", "kid": public.did_key_vm}
    theirs = JWS(json.dumps(credential).encode())
    theirs.add_signature(signer, alg=public.jws_alg, protected=json.dumps(header))
    token = theirs.serialize(compact=True)
    result = verify_vc_jwt(token, resolve())
    assert result.ok, result.reason
    assert result.document == credential
    assert not verify_vc_jwt(forge(token), resolve()).ok


# --- SD-JWT VC: we issue and present, sd-jwt verifies ------------------------------------------


def issuer_key_callback(_iss: str | None, header: dict[str, Any]) -> JWK:
    """sd-jwt asks for the issuer's key: the did:key in the header's kid, as a jwcrypto JWK."""
    return JWK(**DidResolver().resolve_key(header["kid"]).to_jwk())


def our_sd_jwt(
    issuer_type: KeyType, holder: KeyPair, mc: MicroCredential, now: datetime = NOW
) -> str:
    issuer = our_key(issuer_type)
    credential = to_ob3(mc, issuer_id=issuer.public.did_key)
    return issue_annex1_sd_jwt_vc(
        credential,
        issuer_key=issuer,
        kid=issuer.public.did_key_vm,
        holder_key=holder.public,
        random_bytes=os.urandom,
        now=now,
    )


REVEAL = [("title",), ("learner",), ("workload",)]


@pytest.mark.parametrize("issuer_type", KEY_TYPES, ids=lambda t: t.value)
@EXAMPLES
@given(mc=complete_credentials())
def test_sd_jwt_verifies_our_presentations_with_key_binding(
    issuer_type: KeyType, mc: MicroCredential
) -> None:
    assert mc.issued is not None
    at = mc.issued  # issued, presented and checked while the credential is valid
    holder = holder_key(KeyType.P256)  # sd-jwt checks KB-JWTs with ES256 only
    issued = our_sd_jwt(issuer_type, holder, mc, at)
    presented = present_sd_jwt(
        issued, reveal=REVEAL, holder_key=holder, aud=AUD, nonce=NONCE, now=at
    )
    verifier = SDJWTVerifier(presented, issuer_key_callback, expected_aud=AUD, expected_nonce=NONCE)
    claims = verifier.get_verified_payload()
    policy = KeyBindingPolicy(AUD, NONCE)
    ours = verify_sd_jwt(presented, resolve_key=resolve(), now=at, key_binding=policy)
    assert ours.ok, ours.reason
    assert claims == ours.claims
    assert {"title", "learner", "workload", "vct", "iss", "cnf"} <= set(claims)
    assert not {"grade", "quality_assurance", "assessment_type"} & set(claims)


@pytest.mark.parametrize("holder_type", [KeyType.ED25519, KeyType.P384], ids=lambda t: t.value)
def test_sd_jwt_verifies_our_presentations_of_other_holder_keys_without_key_binding(
    holder_type: KeyType,
) -> None:
    holder = holder_key(holder_type)
    issued = our_sd_jwt(KeyType.ED25519, holder, example_credential())
    presented = present_sd_jwt(
        issued, reveal=REVEAL, holder_key=holder, aud=AUD, nonce=NONCE, now=NOW
    )
    claims = SDJWTVerifier(presented, issuer_key_callback).get_verified_payload()
    assert claims["cnf"] == {"jwk": holder.public.to_jwk()}
    assert {"title", "learner", "workload"} <= set(claims)


def test_sd_jwt_refuses_our_presentations_when_changed_or_replayed() -> None:
    holder = holder_key(KeyType.P256)
    issued = our_sd_jwt(KeyType.P384, holder, example_credential())
    presented = present_sd_jwt(
        issued, reveal=REVEAL, holder_key=holder, aud=AUD, nonce=NONCE, now=NOW
    )
    with pytest.raises(ValueError, match="nonce"):
        SDJWTVerifier(presented, issuer_key_callback, expected_aud=AUD, expected_nonce="other")
    with pytest.raises(ValueError, match="audience"):
        SDJWTVerifier(
            presented, issuer_key_callback, expected_aud="https://x", expected_nonce=NONCE
        )
    jwt, *disclosures, kb_jwt = presented.split("~")
    dropped = "~".join([jwt, *disclosures[1:], kb_jwt])  # a disclosure removed after binding
    with pytest.raises(ValueError, match="digest"):
        SDJWTVerifier(dropped, issuer_key_callback, expected_aud=AUD, expected_nonce=NONCE)
    forged = "~".join([forge(jwt, "vct"), *disclosures, kb_jwt])
    with pytest.raises(InvalidJWSSignature):
        SDJWTVerifier(forged, issuer_key_callback, expected_aud=AUD, expected_nonce=NONCE)


# --- SD-JWT VC: sd-jwt issues (and presents), we verify ----------------------------------------


def jwcrypto_key(key_type: KeyType) -> JWK:
    if key_type is KeyType.ED25519:
        return JWK.generate(kty="OKP", crv="Ed25519")
    return JWK.generate(kty="EC", crv=CURVES[key_type])


def their_sd_jwt(issuer_type: KeyType, holder: JWK, mc: MicroCredential) -> str:
    """An SD-JWT VC issued by sd-jwt: our Annex I claim layout, every element disclosable."""
    issuer = jwcrypto_key(issuer_type)
    public = PublicKey.from_jwk(issuer.export_public(as_dict=True))
    claims = to_sdjwt_claims(to_ob3(mc, issuer_id=public.did_key))
    disclosable = {path[0] for path in annex1_disclosable_claims(claims)}
    user_claims = {(SDObj(k) if k in disclosable else k): v for k, v in claims.items()}
    header = {"typ": "dc+sd-jwt", "kid": public.did_key_vm}
    issued = SDJWTIssuer(
        user_claims,
        issuer,
        holder_key=holder,
        sign_alg=public.jws_alg,
        add_decoy_claims=True,
        extra_header_parameters=header,
    )
    token: str = issued.sd_jwt_issuance
    return token


@pytest.mark.parametrize("issuer_type", KEY_TYPES, ids=lambda t: t.value)
@pytest.mark.parametrize("holder_type", KEY_TYPES, ids=lambda t: t.value)
def test_we_verify_sd_jwt_vcs_the_library_issues_and_presents(
    monkeypatch: pytest.MonkeyPatch, issuer_type: KeyType, holder_type: KeyType
) -> None:
    monkeypatch.setattr(sd_jwt_holder, "time", NOW.timestamp)  # its KB-JWT iat
    holder = jwcrypto_key(holder_type)
    holder_alg = PublicKey.from_jwk(holder.export_public(as_dict=True)).jws_alg
    issued = their_sd_jwt(issuer_type, holder, example_credential())
    presenter = SDJWTHolder(issued)
    presenter.create_presentation(
        {"title": True, "grade": True}, nonce=NONCE, aud=AUD, holder_key=holder, sign_alg=holder_alg
    )
    presented: str = presenter.sd_jwt_presentation
    policy = KeyBindingPolicy(AUD, NONCE)
    result = verify_sd_jwt(presented, resolve_key=resolve(), now=NOW, key_binding=policy)
    assert result.ok, result.reason
    assert set(result.disclosed) == {("title",), ("grade",)}
    assert "learner" not in result.claims
    for other in (KeyBindingPolicy(AUD, "other"), KeyBindingPolicy("https://x", NONCE)):
        assert not verify_sd_jwt(presented, resolve_key=resolve(), now=NOW, key_binding=other).ok
    jwt, *disclosures, kb_jwt = presented.split("~")
    dropped = "~".join([jwt, *disclosures[1:], kb_jwt])
    forged = "~".join([forge(jwt, "vct"), *disclosures, kb_jwt])
    for changed in (dropped, forged):
        assert not verify_sd_jwt(changed, resolve_key=resolve(), now=NOW, key_binding=policy).ok


@pytest.mark.parametrize("issuer_type", KEY_TYPES, ids=lambda t: t.value)
def test_we_present_what_the_library_issues_and_both_verify(issuer_type: KeyType) -> None:
    """Our holder takes an SD-JWT VC from sd-jwt's issuer (with decoys) and presents it."""
    holder = holder_key(KeyType.P256)
    issued = their_sd_jwt(issuer_type, JWK(**holder.private_jwk()), example_credential())
    presented = present_sd_jwt(
        issued, reveal=[("title",), ("issued",)], holder_key=holder, aud=AUD, nonce=NONCE, now=NOW
    )
    policy = KeyBindingPolicy(AUD, NONCE)
    ours = verify_sd_jwt(presented, resolve_key=resolve(), now=NOW, key_binding=policy)
    assert ours.ok, ours.reason
    assert set(ours.disclosed) == {("title",), ("issued",)}
    theirs = SDJWTVerifier(presented, issuer_key_callback, expected_aud=AUD, expected_nonce=NONCE)
    assert theirs.get_verified_payload() == ours.claims


# --- nested claims and array elements, both ways -------------------------------------------

NESTED: dict[str, Any] = {
    "vct": "https://w3id.org/microcred/vct/test",
    "learner": {"id": "did:example:ana", "name": "Ana Popescu"},
    "learning_outcomes": [{"text": "clean data"}, {"text": "present data"}, {"text": "éthique"}],
}
NESTED_SHOWN = {
    "vct": NESTED["vct"],
    "learner": NESTED["learner"],
    "learning_outcomes": [{"text": "clean data"}, {"text": "éthique"}],
}


def test_sd_jwt_reads_our_nested_and_array_disclosures() -> None:
    issuer, holder = our_key(KeyType.ED25519), holder_key(KeyType.P256)
    issued = issue_sd_jwt(
        NESTED,
        issuer_key=issuer,
        kid=issuer.public.did_key_vm,
        disclosable=[("learner", "name"), ("learning_outcomes", 1), ("learning_outcomes", 2)],
        random_bytes=os.urandom,
        holder_key=holder.public,
        decoys=2,
    )
    presented = present_sd_jwt(
        issued,
        reveal=[("learner", "name"), ("learning_outcomes", 2)],
        holder_key=holder,
        aud=AUD,
        nonce=NONCE,
        now=NOW,
    )
    verifier = SDJWTVerifier(presented, issuer_key_callback, expected_aud=AUD, expected_nonce=NONCE)
    claims = verifier.get_verified_payload()
    assert {k: claims[k] for k in NESTED_SHOWN} == NESTED_SHOWN


def test_we_read_the_librarys_nested_and_array_disclosures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sd_jwt_holder, "time", NOW.timestamp)  # its KB-JWT iat
    issuer, holder = jwcrypto_key(KeyType.P384), jwcrypto_key(KeyType.P256)
    public = PublicKey.from_jwk(issuer.export_public(as_dict=True))
    outcomes = NESTED["learning_outcomes"]
    user_claims = {
        "vct": NESTED["vct"],
        "learner": {"id": "did:example:ana", SDObj("name"): "Ana Popescu"},
        "learning_outcomes": [outcomes[0], SDObj(outcomes[1]), SDObj(outcomes[2])],
    }
    issued = SDJWTIssuer(
        user_claims,
        issuer,
        holder_key=holder,
        sign_alg="ES384",
        add_decoy_claims=True,
        extra_header_parameters={"typ": "dc+sd-jwt", "kid": public.did_key_vm},
    ).sd_jwt_issuance
    presenter = SDJWTHolder(issued)
    presenter.create_presentation(
        {"learner": {"name": True}, "learning_outcomes": [None, None, True]},
        nonce=NONCE,
        aud=AUD,
        holder_key=holder,
        sign_alg="ES256",
    )
    policy = KeyBindingPolicy(AUD, NONCE)
    result = verify_sd_jwt(
        presenter.sd_jwt_presentation, resolve_key=resolve(), now=NOW, key_binding=policy
    )
    assert result.ok, result.reason
    assert {k: result.claims[k] for k in NESTED_SHOWN} == NESTED_SHOWN
    assert set(result.disclosed) == {("learner", "name"), ("learning_outcomes", 2)}
