"""VC-JOSE-COSE: the W3C test suite's JOSE and SD-JWT cases, the spec's examples, OB 3.0 VC-JWTs.

Not run here: the 9 COSE cases (COSE is out of scope for microcred) and the cases that need a
P-521 key (ES512): microcred's key types are Ed25519, P-256 and P-384.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.core.errors import ResolutionError
from microcred.core.keys import KeyPair, PublicKey
from microcred.core.proofs.jose import sign_vc_jwt, verify_vc_jwt
from microcred.core.proofs.jws import parse_jws
from microcred.core.proofs.sd_jwt import claim_path, issue_sd_jwt, verify_sd_jwt
from microcred.core.proofs.sd_jwt_disclosures import process_disclosures, split_sd_jwt
from tests.conftest import VECTORS, vectors_path

SUITE = "w3c-vc-jose-cose-test-suite"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
W3C_SD_TYPS = ("vc+sd-jwt", "vp+sd-jwt")


def _mapping() -> dict[str, dict[str, Any]]:
    path = VECTORS / SUITE / "test-mapping.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text("utf-8"))
    return {
        name: {**case, "group": group}
        for group in ("JOSETestMapping", "SDJWTTestMapping", "COSETestMapping")
        for name, case in data[group].items()
    }


CASES = _mapping()


def _input(name: str) -> str:
    return vectors_path(SUITE, "input", name).read_text("utf-8")


def _method(case: dict[str, Any]) -> dict[str, Any]:
    return json.loads(_input(case["key_file"]))  # type: ignore[no-any-return]


def _resolver(method: dict[str, Any]) -> Callable[[str], PublicKey]:
    """The case's key, found by its JWK thumbprint kid or its verification method id."""

    def resolve(kid: str) -> PublicKey:
        if kid not in (method["publicKeyJwk"]["kid"], method["id"]):
            raise ResolutionError(f"{kid} is not the key of this case")
        return PublicKey.from_jwk(method["publicKeyJwk"])

    return resolve


def _skip_unsupported(case: dict[str, Any], method: dict[str, Any]) -> None:
    if case["group"] == "COSETestMapping":
        pytest.skip("COSE (COSE_Sign1) is out of scope for microcred")
    if method["publicKeyJwk"].get("crv") == "P-521" and case["expected_result"] == "success":
        pytest.skip("needs a P-521 key (ES512); microcred keys are Ed25519, P-256, P-384")


def _verify(case: dict[str, Any], token: str, method: dict[str, Any]) -> tuple[bool, str]:
    if case["feature"].endswith("_jose"):
        jose = verify_vc_jwt(token, _resolver(method))
        return jose.ok, jose.reason
    sd = verify_sd_jwt(
        token, resolve_key=_resolver(method), now=NOW, key_binding=None, accepted_typs=W3C_SD_TYPS
    )
    return sd.ok, sd.reason


def _salts() -> Callable[[int], bytes]:
    """Deterministic distinct salts."""
    counter = itertools.count()
    return lambda n: hashlib.sha256(str(next(counter)).encode()).digest()[:n]


def _issue(case: dict[str, Any], method: dict[str, Any]) -> str:
    document = json.loads(_input(case["input_file"]))
    pair = KeyPair.from_private_jwk(method["secretKeyJwk"])
    kid = method["publicKeyJwk"]["kid"]
    presentation = case["feature"].startswith("presentation")
    if case["feature"].endswith("_jose"):
        return sign_vc_jwt(document, pair, kid, typ="vp+jwt" if presentation else "vc+jwt")
    paths = [claim_path(p) for p in case["disclosure_paths"]]
    typ = "vp+sd-jwt" if presentation else "vc+sd-jwt"
    return issue_sd_jwt(
        document,
        issuer_key=pair,
        kid=kid,
        disclosable=paths,
        random_bytes=_salts(),
        typ=typ,
    )


def _number(name: str) -> int:
    return int(CASES[name]["number"])


CASE_NAMES: list[str] = sorted(CASES, key=_number)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_suite_case(name: str) -> None:
    case = CASES[name]
    method = _method(case)
    _skip_unsupported(case, method)
    if case["number"] == 5:
        pytest.skip("expects JSON-LD undefined-term refusal at issuance, not a JOSE check")
    if case["fn"] == "issue":
        token = _issue(case, method)
        ok, reason = _verify(case, token, method)
    else:
        ok, reason = _verify(case, _input(case["input_file"]), method)
    assert ok is (case["expected_result"] == "success"), reason


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (9, "unsupported alg 'ES512'"),
        (10, "not a compact JWS"),
        (11, "not a compact JWS"),
        (12, "signature does not verify"),
        (13, "unsupported typ 'bad+typ'"),
        (14, "unsupported typ 'bad+typ'"),
        (15, "'vc' and 'vp' must not be present"),
        (16, "not a data: URL"),
        (23, "signature does not verify"),
        (24, "unsupported typ 'bad+typ'"),
        (25, "unsupported typ 'bad+typ'"),
        (26, "unsupported typ 'bad+typ'"),
    ],
)
def test_suite_failures_name_their_reason(number: int, reason: str) -> None:
    case = next(c for c in CASES.values() if c["number"] == number) if CASES else None
    if case is None:
        pytest.skip("vectors not available")
    ok, found = _verify(case, _input(case["input_file"]), _method(case))
    assert not ok
    assert reason in found


def test_suite_issuance_is_readable_back_with_disclosed_claims() -> None:
    case = next(c for c in CASES.values() if c["number"] == 17) if CASES else None
    if case is None:
        pytest.skip("vectors not available")
    method = _method(case)
    result = verify_sd_jwt(
        _issue(case, method), resolve_key=_resolver(method), now=NOW, key_binding=None,
        accepted_typs=W3C_SD_TYPS,
    )  # fmt: skip
    assert result.ok, result.reason
    assert result.claims == {**json.loads(_input(case["input_file"]))}
    assert result.disclosed == (
        ("credentialSubject", "firstName"),
        ("credentialSubject", "lastName"),
    )


def test_suite_presentation_lists_its_enveloped_credentials() -> None:
    case = next(c for c in CASES.values() if c["number"] == 7) if CASES else None
    if case is None:
        pytest.skip("vectors not available")
    result = verify_vc_jwt(_input(case["input_file"]), _resolver(_method(case)))
    assert result.ok, result.reason
    media = [(e.media_type, e.parameters) for e in result.enveloped]
    assert media == [
        ("application/vc+jwt", ()),
        ("application/vc+sd-jwt", ()),
        ("application/vc+cose", ("base64",)),
    ]
    inner = verify_vc_jwt(result.enveloped[0].data, _resolver(json.loads(_input("vm-p256.json"))))
    assert inner.ok, inner.reason


# --- the specification's examples (no public keys published: structure only) -----------------

EXAMPLES = "w3c-vc-jose-cose"
EXACT_JOSE = ("ex001", "ex019", "ex020")  # the others were rewritten by the spec's generator
EXACT_SD = ("ex004", "ex019", "ex020")


def _example_files(pattern: str) -> list[str]:
    folder = VECTORS / EXAMPLES / "examples"
    return sorted(p.name for p in folder.glob(pattern)) if folder.exists() else []


def _unsecured(name: str) -> Any:
    stem = name.split(".")[0]
    return json.loads(vectors_path(EXAMPLES, "examples", f"{stem}.json").read_text("utf-8"))


def _no_key(kid: str) -> PublicKey:
    raise ResolutionError(f"the spec publishes no key for {kid}")


@pytest.mark.parametrize("name", _example_files("*.jose.jwt"))
def test_spec_jose_example_parses_and_stops_only_at_the_unknown_key(name: str) -> None:
    token = vectors_path(EXAMPLES, "examples", name).read_text("utf-8")
    jws = parse_jws(token)
    assert jws.header == {"kid": "ExHkBMW9fmbkvV266mRpuP2sUY_N_EWIN1lapUzO8ro", "alg": "ES256"}
    if name.startswith(EXACT_JOSE):
        assert jws.payload == _unsecured(name)
    result = verify_vc_jwt(token, _no_key)
    assert not result.ok
    if name.startswith("ex003"):  # the payload is an EnvelopedVerifiablePresentation
        assert "neither" in result.reason
    else:
        assert "not resolved" in result.reason
        assert result.payload == jws.payload


@pytest.mark.parametrize("name", _example_files("*.sd-jwt.txt"))
def test_spec_sd_jwt_example_digests_match(name: str) -> None:
    parts = split_sd_jwt(vectors_path(EXAMPLES, "examples", name).read_text("utf-8"))
    payload = parse_jws(parts.jwt).payload
    claims, revealed = process_disclosures(payload, parts.disclosures)
    assert len(revealed) == len(parts.disclosures)  # every disclosure referenced once
    assert ("type",) in revealed.values()
    if name.startswith(EXACT_SD):
        claims.pop("iat")
        claims.pop("exp")
        assert claims == _unsecured(name)


# --- Open Badges 3.0 / CLR 2.0 VC-JWTs (1EdTech validator resources) ----------------------------

OB = "1edtech-ob3-clr2/validator-test-resources"


def _ob_token(name: str) -> str:
    return vectors_path(*OB.split("/"), name).read_text("utf-8")


def _expect(name: str) -> str:
    expectations = json.loads(vectors_path(*OB.split("/"), "EXPECTATIONS.json").read_text("utf-8"))
    return str(expectations[name]["expect"])


def test_clr_jwt_signed_with_rs256_is_refused_for_its_algorithm() -> None:
    """1EdTech expects this VC 1.1 CLR token (RSA key in its own header) to verify.

    microcred's JOSE allowlist is EdDSA, Ed25519, ES256 and ES384 (no RSA): the token and each
    credential nested in it are refused with that reason, and their claims are still read.
    """
    assert _expect("clr20/simple.jwt") == "valid"
    result = verify_vc_jwt(_ob_token("clr20/simple.jwt"), _no_key)
    assert not result.ok
    assert "'RS256'" in result.reason
    assert "RSA" in result.reason
    assert (result.vc11, result.kind) == (True, "credential")
    assert "ClrCredential" in result.document["type"]
    nested = result.document["credentialSubject"]["verifiableCredential"]
    assert nested
    for token in nested:
        assert "'RS256'" in verify_vc_jwt(token, _no_key).reason


def test_ob3_jwt_whose_key_lives_on_the_web_parses_but_is_not_verified_offline() -> None:
    assert _expect("ob30/simple.jwt") == "valid"  # the validator fetches the key (network)
    result = verify_vc_jwt(_ob_token("ob30/simple.jwt"), _no_key)
    assert not result.ok
    assert "RS256" in result.reason
    assert result.payload["vc"]["name"] == "Example University Degree"


def test_ob3_velocity_jwt_is_invalid() -> None:
    assert _expect("ob30/velocity.jwt") == "invalid"
    assert not verify_vc_jwt(_ob_token("ob30/velocity.jwt"), _no_key).ok


@pytest.mark.parametrize("number", [6, 8])
def test_suite_jwt_with_changed_claims_fails(number: int) -> None:
    case = next(c for c in CASES.values() if c["number"] == number) if CASES else None
    if case is None:
        pytest.skip("vectors not available")
    method = _method(case)
    token = _input(case["input_file"]).strip()
    assert verify_vc_jwt(token, _resolver(method)).ok
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["validFrom"] = "2000-01-01T00:00:00Z"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    result = verify_vc_jwt(f"{header}.{forged}.{signature}", _resolver(method))
    assert not result.ok
    assert result.reason == "signature does not verify"
