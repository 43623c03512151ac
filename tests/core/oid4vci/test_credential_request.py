"""Key proofs, batches and the credential request: one credential per proven key.

Includes the full ``ldp_vc`` issuance, pure: keys proven by ``jwt`` and ``di_vp`` proofs, the
Open Badges 3.0 credential re-issued about each holder's did:key, signed, and verified.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microcred.core.did import DidResolver
from microcred.core.errors import OAuthError
from microcred.core.keys import KeyPair, KeyType
from microcred.core.oid4vci.credential import (
    Grant,
    bind_to_holder,
    credential_response,
    requested_configuration,
)
from microcred.core.oid4vci.metadata import LDP_VC_CONFIGURATION, SD_JWT_CONFIGURATION
from microcred.core.oid4vci.proofs import (
    PROOF_TYP,
    ProofPolicy,
    check_jwt_proof,
    proven_keys,
)
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.jws import sign_jws
from microcred.core.verify import verify
from tests.core.oid4vci.test_offer_and_metadata import DATA, _configurations
from tests.core.test_verify import example_ob3

NOW = datetime(2026, 9, 1, 10, tzinfo=UTC)
ISSUER_ID = "https://platform.example"
POLICY = ProofPolicy(audience=ISSUER_ID)
KEYS = [
    KeyPair.from_seed(bytes([i]) * 32, kind)
    for i, kind in ((1, KeyType.ED25519), (2, KeyType.P256), (3, KeyType.ED25519))
]
ISSUER_KEY = KeyPair.from_seed(b"\x40" * 32)


def jwt_proof(key: KeyPair, nonce: str | None = "n-1", **changes: Any) -> str:
    header: dict[str, Any] = {"typ": PROOF_TYP, "jwk": key.public.to_jwk()}
    header.update(changes.pop("header", {}))
    payload: dict[str, Any] = {"aud": ISSUER_ID, "iat": int(NOW.timestamp()), "nonce": nonce}
    payload.update(changes)
    return sign_jws(
        {k: v for k, v in header.items() if v is not None},
        {k: v for k, v in payload.items() if v is not None},
        key,
    )


def di_vp_proof(
    key: KeyPair, nonce: str = "n-1", domain: str = ISSUER_ID, **kw: Any
) -> dict[str, Any]:
    vp = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": key.public.did_key,
    }
    suite = "eddsa-jcs-2022" if key.public.type is KeyType.ED25519 else "ecdsa-jcs-2019"
    return sign_document(
        vp,
        key,
        key.public.did_key_vm,
        suite=suite,
        proof_purpose=kw.get("purpose", "authentication"),
        created=NOW,
        challenge=nonce,
        domain=domain,
    )


class Nonces:
    """The issuer's single-use c_nonce store, in memory for a pure test."""

    def __init__(self, *fresh: str) -> None:
        self.fresh = set(fresh)
        self.spent: list[str] = []

    def __call__(self, nonce: str) -> bool:
        if nonce not in self.fresh:
            return False
        self.fresh.remove(nonce)
        self.spent.append(nonce)
        return True


def prove(body: dict[str, Any], nonces: Nonces | None = None, **kw: Any) -> Any:
    return proven_keys(
        body,
        kw.pop("policy", POLICY),
        accepted=kw.pop("accepted", ("jwt", "di_vp")),
        batch_size=kw.pop("batch_size", 10),
        spend_nonce=nonces or Nonces("n-1"),
        now=kw.pop("now", NOW),
    )


def test_the_specs_jwt_proof_verifies() -> None:
    text = (DATA / "proof_jwt_example.txt").read_text()
    token = re.sub(r"\s+", "", re.search(r'"(eyJ[^"]+)"', text, re.S).group(1))  # type: ignore[union-attr]
    policy = ProofPolicy(audience="https://credential-issuer.example.com")
    proven = check_jwt_proof(token, policy, datetime.fromtimestamp(1701960444 + 30, UTC))
    assert proven.nonce == "LarRGSbmUPYtRYO6BQ4yn8"
    assert proven.key.to_jwk()["x"] == "nUWAoAv3XZith8E7i19OdaxOLYFOwM-Z2EuM02TirT4"
    with pytest.raises(OAuthError, match="too far from now"):
        check_jwt_proof(token, policy, datetime.fromtimestamp(1701960444 + 3600, UTC))


def test_a_batch_binds_one_credential_to_each_key_and_spends_the_nonce_once() -> None:
    nonces = Nonces("n-1")
    body = {"proofs": {"jwt": [jwt_proof(key) for key in KEYS]}}
    proven = prove(body, nonces)
    assert [p.key for p in proven] == [key.public for key in KEYS]
    assert nonces.spent == ["n-1"]
    with pytest.raises(OAuthError) as replayed:
        prove(body, nonces)
    assert replayed.value.error == "invalid_nonce"


def test_keys_named_by_did_key_and_di_vp_proofs() -> None:
    by_kid = jwt_proof(KEYS[0], header={"jwk": None, "kid": KEYS[0].public.did_key_vm})
    assert prove({"proofs": {"jwt": [by_kid]}})[0].key == KEYS[0].public
    vps = [di_vp_proof(KEYS[0]), di_vp_proof(KEYS[1])]
    assert [p.key for p in prove({"proofs": {"di_vp": vps}})] == [KEYS[0].public, KEYS[1].public]


@pytest.mark.parametrize(
    ("body", "error", "words"),
    [
        ({"proof": {"proof_type": "jwt", "jwt": "x"}}, "invalid_proof", "not 'proof'"),
        ({}, "invalid_proof", "exactly one proof type"),
        ({"proofs": {"jwt": [], "di_vp": []}}, "invalid_proof", "exactly one proof type"),
        ({"proofs": {"attestation": ["x"]}}, "invalid_proof", "is not accepted"),
        ({"proofs": {"jwt": []}}, "invalid_proof", "non-empty array"),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0])] * 11}},
            "invalid_credential_request",
            "at most 10",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0]), jwt_proof(KEYS[0])]}},
            "invalid_proof",
            "proven twice",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0]), jwt_proof(KEYS[1], nonce="n-2")]}},
            "invalid_nonce",
            "different c_nonce",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0], nonce=None)]}},
            "invalid_proof",
            "must carry a c_nonce",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0], nonce="forged")]}},
            "invalid_nonce",
            "get a new one",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0], aud="https://evil.example")]}},
            "invalid_proof",
            "aud is not this credential issuer",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0], iat=int(NOW.timestamp()) - 3600)]}},
            "invalid_proof",
            "iat is too far",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0], header={"typ": "JWT"})]}},
            "invalid_proof",
            "typ must be openid4vci-proof+jwt",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0], header={"jwk": KEYS[0].private_jwk()})]}},
            "invalid_proof",
            "must not hold a private key",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0], header={"jwk": KEYS[1].public.to_jwk()})]}},
            "invalid_proof",
            "does not match",
        ),
        (
            {"proofs": {"jwt": [jwt_proof(KEYS[0], header={"kid": "did:web:x.example#k"})]}},
            "invalid_proof",
            "exactly one of jwk, kid",
        ),
        (
            {
                "proofs": {
                    "jwt": [jwt_proof(KEYS[0], header={"jwk": None, "kid": "did:web:x.example#k"})]
                }
            },
            "invalid_proof",
            "a jwk or a did:key URL",
        ),
        ({"proofs": {"jwt": ["not a jwt"]}}, "invalid_proof", "compact JWS"),
        (
            {"proofs": {"di_vp": [di_vp_proof(KEYS[0], domain="https://evil.example")]}},
            "invalid_proof",
            "domain",
        ),
        (
            {"proofs": {"di_vp": [di_vp_proof(KEYS[0], purpose="assertionMethod")]}},
            "invalid_proof",
            "purpose",
        ),
        (
            {"proofs": {"di_vp": [{**di_vp_proof(KEYS[0]), "holder": KEYS[1].public.did_key}]}},
            "invalid_proof",
            "holder is not the controller",
        ),
        (
            {"proofs": {"di_vp": [{"type": ["VerifiableCredential"]}]}},
            "invalid_proof",
            "VerifiablePresentation object",
        ),
    ],
)
def test_bad_proofs_are_refused(body: dict[str, Any], error: str, words: str) -> None:
    with pytest.raises(OAuthError) as refused:
        prove(body)
    assert refused.value.error == error
    assert words in refused.value.message


def test_an_issuer_may_accept_only_jwt_proofs() -> None:
    with pytest.raises(OAuthError, match="is not accepted"):
        prove({"proofs": {"di_vp": [di_vp_proof(KEYS[0])]}}, accepted=("jwt",))


# --- the credential request -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "grant", "expected"),
    [
        (
            {"credential_configuration_id": LDP_VC_CONFIGURATION},
            Grant((LDP_VC_CONFIGURATION,)),
            (LDP_VC_CONFIGURATION, None),
        ),
        (
            {"credential_identifier": "claim-9"},
            Grant((SD_JWT_CONFIGURATION,), {"claim-9": SD_JWT_CONFIGURATION}),
            (SD_JWT_CONFIGURATION, "claim-9"),
        ),
    ],
)
def test_what_a_credential_request_asks_for(body: Any, grant: Grant, expected: Any) -> None:
    assert requested_configuration(body, grant, _configurations()) == expected


@pytest.mark.parametrize(
    ("body", "grant", "error"),
    [
        ({"credential_configuration_id": "x"}, Grant(("x",)), "unknown_credential_configuration"),
        (
            {"format": "dc+sd-jwt"},
            Grant((SD_JWT_CONFIGURATION,)),
            "unknown_credential_configuration",
        ),
        (
            {"credential_configuration_id": LDP_VC_CONFIGURATION},
            Grant((SD_JWT_CONFIGURATION,)),
            "insufficient_scope",
        ),
        (
            {"credential_identifier": "claim-9"},
            Grant((SD_JWT_CONFIGURATION,)),
            "invalid_credential_request",
        ),
        (
            {"credential_configuration_id": SD_JWT_CONFIGURATION},
            Grant((SD_JWT_CONFIGURATION,), {"c": SD_JWT_CONFIGURATION}),
            "invalid_credential_request",
        ),
        (
            {"credential_identifier": "other"},
            Grant((SD_JWT_CONFIGURATION,), {"c": SD_JWT_CONFIGURATION}),
            "unknown_credential_identifier",
        ),
        (
            {"credential_identifier": "c", "credential_configuration_id": SD_JWT_CONFIGURATION},
            Grant((SD_JWT_CONFIGURATION,), {"c": SD_JWT_CONFIGURATION}),
            "invalid_credential_request",
        ),
        (
            {
                "credential_configuration_id": SD_JWT_CONFIGURATION,
                "credential_response_encryption": {"jwk": {}, "enc": "A128GCM"},
            },
            Grant((SD_JWT_CONFIGURATION,)),
            "invalid_encryption_parameters",
        ),
    ],
)
def test_credential_requests_that_are_refused(body: Any, grant: Grant, error: str) -> None:
    with pytest.raises(OAuthError) as refused:
        requested_configuration(body, grant, _configurations())
    assert refused.value.error == error


def _offline(url: str) -> dict[str, Any]:
    raise LookupError(url)


def test_ldp_vc_issuance_in_a_batch_verifies_for_each_holder() -> None:
    body = {
        "credential_configuration_id": LDP_VC_CONFIGURATION,
        "proofs": {"di_vp": [di_vp_proof(KEYS[0]), di_vp_proof(KEYS[1])]},
    }
    configuration, _ = requested_configuration(
        body, Grant((LDP_VC_CONFIGURATION,)), _configurations()
    )
    assert configuration == LDP_VC_CONFIGURATION
    stored = sign_document(
        example_ob3(ISSUER_KEY.public.did_key),
        ISSUER_KEY,
        ISSUER_KEY.public.did_key_vm,
        created=NOW - timedelta(days=1),
    )
    issued = []
    for n, proven in enumerate(prove(body)):
        unsigned = bind_to_holder(
            stored, proven.key.did_key, f"urn:uuid:00000000-0000-4000-8000-00000000000{n}"
        )
        issued.append(
            sign_document(unsigned, ISSUER_KEY, ISSUER_KEY.public.did_key_vm, created=NOW)
        )
    response = credential_response(issued)
    assert len(response["credentials"]) == 2
    subjects = [c["credential"]["credentialSubject"]["id"] for c in response["credentials"]]
    assert subjects == [KEYS[0].public.did_key, KEYS[1].public.did_key]
    assert issued[0]["id"] != issued[1]["id"]
    for credential in issued:
        report = verify(
            credential, resolver=DidResolver(_offline), fetch_document=_offline, now=NOW
        )
        assert report.verified, report.to_dict()
    assert "proof" in stored  # the stored credential is left as it was
    assert stored["credentialSubject"]["id"] == "did:example:learner-ana-popescu"


def test_the_specs_ldp_vc_credential_response_shape() -> None:
    text = (DATA / "credential_response_ldp_vc.txt").read_text()
    theirs = json.loads(re.sub(r"\s+(?=[A-Za-z0-9]+\")", "", text[text.index("{") :]))
    ours = credential_response([theirs["credentials"][0]["credential"]])
    assert ours == theirs
    assert credential_response(["a~b~"], "note-1") == {
        "credentials": [{"credential": "a~b~"}],
        "notification_id": "note-1",
    }
