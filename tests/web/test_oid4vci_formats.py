"""OpenID4VCI 1.0 over real HTTP: ``ldp_vc`` (Open Badges 3.0 with Data Integrity) beside the
SD-JWT VC, ``jwt`` and ``di_vp`` key proofs, and batches (one credential per proven key)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.jws import parse_jws
from microcred.core.proofs.sd_jwt_disclosures import split_sd_jwt
from tests.web.live import Live, live_platform
from tests.web.oid4vci_wallet import LDP_VC, SD_JWT, Wallet
from tests.web.test_oid4vci import access_token, issue_offer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("oid4vci-formats")) as running:
        yield running


def _verified(http: httpx.Client, live: Live, credential: object) -> dict[str, object]:
    answer = http.post(f"{live.base}/credentials/verify", json={"verifiableCredential": credential})
    assert answer.status_code == 200, answer.text
    result: dict[str, object] = answer.json()
    return result


def test_metadata_describes_both_formats(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        wallet.discover(live.base)
        configs = wallet.meta["credential_configurations_supported"]
        assert configs[SD_JWT]["format"] == "dc+sd-jwt"
        assert configs[LDP_VC]["format"] == "ldp_vc"
        assert "OpenBadgeCredential" in configs[LDP_VC]["credential_definition"]["type"]
        assert set(configs[LDP_VC]["proof_types_supported"]) == {"jwt", "di_vp"}
        assert wallet.oauth["code_challenge_methods_supported"] == ["S256"]
        assert wallet.oauth["token_endpoint"] == f"{live.base}/oid4vci/token"


def test_ldp_vc_with_a_di_vp_proof(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http, KeyType.ED25519)
        _, access = access_token(wallet, issue_offer(live))
        answer = wallet.request(access, LDP_VC, {"di_vp": [wallet.di_vp_proof(wallet.nonce())]})
        assert answer.status_code == 200, answer.text
        (issued,) = answer.json()["credentials"]
        credential = issued["credential"]
        assert credential["credentialSubject"]["id"] == wallet.key.public.did_key
        assert credential["proof"]["proofPurpose"] == "assertionMethod"
        result = _verified(http, live, credential)
        assert result["verified"] is True, result


def test_ldp_vc_batch_with_jwt_proofs(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        keys = [KeyPair.generate(KeyType.P256), KeyPair.generate(KeyType.ED25519)]
        _, access = access_token(wallet, issue_offer(live))
        nonce = wallet.nonce()
        proofs = [wallet.jwt_proof(nonce, key=key) for key in keys]
        answer = wallet.request(access, LDP_VC, {"jwt": proofs})
        assert answer.status_code == 200, answer.text
        issued = [item["credential"] for item in answer.json()["credentials"]]
        assert [c["credentialSubject"]["id"] for c in issued] == [k.public.did_key for k in keys]
        assert issued[0]["id"] != issued[1]["id"]
        assert all(_verified(http, live, c)["verified"] is True for c in issued)


def test_sd_jwt_batch_one_credential_per_key(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        keys = [KeyPair.generate(KeyType.P256) for _ in range(3)]
        _, access = access_token(wallet, issue_offer(live))
        nonce = wallet.nonce()
        answer = wallet.request(
            access, SD_JWT, {"jwt": [wallet.jwt_proof(nonce, key=k) for k in keys]}
        )
        assert answer.status_code == 200, answer.text
        bound = [parse_jws(split_sd_jwt(item["credential"]).jwt).payload["cnf"]["jwk"]
                 for item in answer.json()["credentials"]]  # fmt: skip
        assert bound == [k.public.to_jwk() for k in keys]


def test_batch_limits(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        _, access = access_token(wallet, issue_offer(live))
        size = wallet.meta["batch_credential_issuance"]["batch_size"]
        nonce = wallet.nonce()
        many = [
            wallet.jwt_proof(nonce, key=KeyPair.generate(KeyType.P256)) for _ in range(size + 1)
        ]
        too_many = wallet.request(access, SD_JWT, {"jwt": many})
        assert too_many.status_code == 400
        assert too_many.json()["error"] == "invalid_credential_request"
        twice = wallet.jwt_proof(nonce)
        same_key = wallet.request(access, SD_JWT, {"jwt": [twice, wallet.jwt_proof(nonce)]})
        assert same_key.json()["error"] == "invalid_proof"
        mixed = wallet.request(
            access,
            SD_JWT,
            {
                "jwt": [
                    wallet.jwt_proof(wallet.nonce()),
                    wallet.jwt_proof(wallet.nonce(), key=KeyPair.generate(KeyType.P256)),
                ]
            },
        )
        assert mixed.json()["error"] == "invalid_nonce"
        di_vp_for_sd_jwt = wallet.request(
            access, SD_JWT, {"di_vp": [{"type": ["VerifiablePresentation"]}]}
        )
        assert di_vp_for_sd_jwt.json()["error"] == "invalid_proof"
