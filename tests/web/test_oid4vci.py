"""OpenID4VCI 1.0, pre-authorized code: a wallet written from the specification
(:mod:`tests.web.oid4vci_wallet`) over real HTTP to the running platform."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from microcred.core.did import DidResolver
from microcred.core.keys import KeyPair
from microcred.core.proofs.jws import parse_jws
from microcred.core.proofs.sd_jwt import present_sd_jwt
from microcred.core.proofs.sd_jwt_disclosures import split_sd_jwt
from microcred.core.verify import verify
from microcred.services import issuance
from microcred.services.context import SYSTEM
from microcred.services.issuance import IssueIn
from microcred.services.learner import claims
from tests.web.live import Live, live_platform
from tests.web.oid4vci_wallet import PRE_AUTH, SD_JWT, Wallet

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("oid4vci")) as running:
        yield running


def issue_offer(live: Live, *, tx_code: bool = False) -> claims.ClaimLink:
    """A credential issued now to a fresh learner, with its claim link and offers."""
    with live.platform.unit_of_work(SYSTEM) as ctx:
        learner = {"name": "Wallet User", "email": f"w{time.monotonic_ns()}@example.org"}
        data = IssueIn.model_validate({"opportunity_id": 1, "grade": "10", "learner": learner})
        row, _ = issuance.issue(ctx, data)
        document = row.document
    with live.platform.unit_of_work(SYSTEM) as ctx:
        return claims.create_claim(ctx, document, learner_email=None, credential_ref=row.id,
                                   with_tx_code=tx_code)  # fmt: skip


def access_token(wallet: Wallet, link: claims.ClaimLink) -> tuple[dict[str, Any], str]:
    """(offer, access token) by the pre-authorized code of ``link``."""
    offer = wallet.read_offer(link.offer_uri)
    wallet.discover(offer["credential_issuer"])
    answer = wallet.pre_authorized(offer["grants"][PRE_AUTH]["pre-authorized_code"])
    assert answer.status_code == 200, answer.text
    return offer, answer.json()["access_token"]


def test_pre_authorized_flow_with_tx_code(live: Live) -> None:
    link = issue_offer(live, tx_code=True)
    assert link.tx_code is not None
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        offer = wallet.read_offer(link.offer_uri)
        assert offer["credential_issuer"] == live.base
        grant = offer["grants"][PRE_AUTH]
        assert grant["tx_code"]["length"] == 6
        wallet.discover(offer["credential_issuer"])
        assert set(offer["credential_configuration_ids"]) <= set(
            wallet.meta["credential_configurations_supported"])  # fmt: skip
        assert wallet.meta["batch_credential_issuance"]["batch_size"] >= 2
        code = grant["pre-authorized_code"]
        assert wallet.pre_authorized(code, "000000").json()["error"] == "invalid_grant"
        missing = wallet.pre_authorized(code)
        assert missing.status_code == 400
        assert missing.json()["error"] == "invalid_request"
        answer = wallet.pre_authorized(code, link.tx_code)
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
        tokens = answer.json()
        assert "c_nonce" not in tokens  # the final text: nonces come from the nonce endpoint
        assert wallet.pre_authorized(code, link.tx_code).json()["error"] == "invalid_grant"
        access = tokens["access_token"]
        stale = wallet.request(access, SD_JWT, {"jwt": [wallet.jwt_proof("not-a-nonce")]})
        assert stale.json()["error"] == "invalid_nonce"
        single = {"proof_type": "jwt", "jwt": wallet.jwt_proof(wallet.nonce())}
        draft = {"credential_configuration_id": SD_JWT, "proof": single}
        assert wallet.credential(access, draft).json()["error"] == "invalid_proof"
        issued = wallet.request(access, SD_JWT, {"jwt": [wallet.jwt_proof(wallet.nonce())]})
        assert issued.status_code == 200, issued.text
        (only,) = issued.json()["credentials"]
        replay = wallet.request(access, SD_JWT, {"jwt": [wallet.jwt_proof(wallet.nonce())]})
        assert replay.status_code == 401
        assert replay.json()["error"] == "invalid_token"
    check_bound(live, only["credential"], wallet.key)


def _fetch_over_http(base: str) -> Any:
    """did:web names https URLs; the test server speaks plain http on the same host."""

    def fetch(url: str) -> Mapping[str, Any]:
        host = urlsplit(base).netloc
        document: Mapping[str, Any] = httpx.get(url.replace(f"https://{host}", base)).json()
        return document

    return fetch


def check_bound(live: Live, sd_jwt: str, key: KeyPair) -> None:
    """The SD-JWT VC is bound to ``key`` and verifies, disclosing only what is chosen."""
    payload = parse_jws(split_sd_jwt(sd_jwt).jwt).payload
    assert payload["cnf"]["jwk"] == key.public.to_jwk()
    assert payload["iss"].startswith("did:web:127.0.0.1")
    fetch = _fetch_over_http(live.base)
    now = live.platform.clock()
    presented = present_sd_jwt(sd_jwt, reveal=[("title",), ("workload",)], holder_key=key,
                               aud="verifier.example", nonce="n-123", now=now)  # fmt: skip
    report = verify(presented, resolver=DidResolver(fetch), fetch_document=fetch, now=now,
                    expected_challenge="n-123", expected_domain="verifier.example")  # fmt: skip
    assert report.authentic, report.to_dict()
    assert set(report.document or {}) >= {"title", "workload"}
    assert "learner" not in (report.document or {})


def test_proof_must_name_this_issuer_and_be_fresh(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        _, access = access_token(wallet, issue_offer(live))
        elsewhere = wallet.jwt_proof(wallet.nonce(), aud="https://evil.example")
        assert wallet.request(access, SD_JWT, {"jwt": [elsewhere]}).json()[
            "error"] == "invalid_proof"  # fmt: skip
        old = wallet.jwt_proof(wallet.nonce(), iat=time.time() - 3600)
        assert wallet.request(access, SD_JWT, {"jwt": [old]}).json()["error"] == "invalid_proof"
        assert wallet.request("wrong", SD_JWT, {"jwt": [old]}).status_code == 401
        good = wallet.jwt_proof(wallet.nonce())
        assert wallet.request(access, SD_JWT, {"jwt": [good]}).status_code == 200


def test_a_nonce_is_spent_once(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        _, access = access_token(wallet, issue_offer(live))
        proofs = {"jwt": [wallet.jwt_proof(wallet.nonce())]}
        assert wallet.request(access, SD_JWT, proofs).status_code == 200
        _, access2 = access_token(wallet, issue_offer(live))
        reused = wallet.request(access2, SD_JWT, proofs)
        assert reused.status_code == 400
        assert reused.json()["error"] == "invalid_nonce"
        assert set(reused.json()) == {"error", "error_description"}


def test_offer_by_reference_for_a_qr_code(live: Live) -> None:
    link = issue_offer(live)
    assert "credential_offer_uri=" in link.offer_reference
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        offer = wallet.read_offer(link.offer_reference)
        assert offer == wallet.read_offer(link.offer_uri)
        wallet.discover(offer["credential_issuer"])
        assert wallet.pre_authorized(offer["grants"][PRE_AUTH]["pre-authorized_code"]).is_success
        gone = http.get(
            f"{live.base}/oid4vci/offers/{offer['grants'][PRE_AUTH]['pre-authorized_code']}"
        )
        assert gone.status_code == 410
        assert gone.headers["content-type"].startswith("application/problem+json")
        unknown = http.get(f"{live.base}/oid4vci/offers/nothing-here")
        assert unknown.status_code == 410


@pytest.mark.parametrize(
    ("endpoint", "body", "error"),
    [
        ("token", {"grant_type": "password"}, "unsupported_grant_type"),
        ("token", {"grant_type": PRE_AUTH}, "invalid_request"),
        ("token", {"grant_type": PRE_AUTH, "pre-authorized_code": "x" * 5000}, "invalid_grant"),
    ],
)
def test_bad_token_requests_are_oauth_errors(
    live: Live, endpoint: str, body: dict[str, str], error: str
) -> None:
    answer = httpx.post(f"{live.base}/oid4vci/{endpoint}", data=body, timeout=30)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": error,
        "error_description": answer.json()["error_description"],
    }


def test_bad_credential_requests_are_oauth_errors(live: Live) -> None:
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        _, access = access_token(wallet, issue_offer(live))
        auth = {"Authorization": f"Bearer {access}"}
        cases: list[tuple[Any, str]] = [
            (b"not json", "invalid_credential_request"),
            ([1, 2], "invalid_credential_request"),
            ({"credential_configuration_id": "Nope", "proofs": {}},
             "unknown_credential_configuration"),
            ({"credential_configuration_id": SD_JWT}, "invalid_proof"),
            ({"credential_configuration_id": SD_JWT, "proofs": {"jwt": "x"}}, "invalid_proof"),
            ({"credential_configuration_id": SD_JWT, "proofs": {"jwt": ["a.b.c"]}},
             "invalid_proof"),
            ({"credential_configuration_id": SD_JWT, "credential_identifier": "x"},
             "invalid_credential_request"),
        ]  # fmt: skip
        for body, error in cases:
            content = body if isinstance(body, bytes) else httpx.Request(
                "POST", "/", json=body).content  # fmt: skip
            answer = http.post(wallet.meta["credential_endpoint"], content=content,
                               headers={**auth, "Content-Type": "application/json"})  # fmt: skip
            assert answer.status_code == 400, (body, answer.text)
            assert answer.json()["error"] == error, (body, answer.text)
        assert wallet.request(
            access, SD_JWT, {"jwt": [wallet.jwt_proof(wallet.nonce())]}
        ).is_success


def test_wrong_transaction_codes_void_the_offer(live: Live) -> None:
    link = issue_offer(live, tx_code=True)
    assert link.tx_code is not None
    wrong = "999999" if link.tx_code != "999999" else "000000"
    with httpx.Client(timeout=30) as http:
        wallet = Wallet(http)
        offer = wallet.read_offer(link.offer_uri)
        wallet.discover(offer["credential_issuer"])
        code = offer["grants"][PRE_AUTH]["pre-authorized_code"]
        for _ in range(5):
            assert wallet.pre_authorized(code, wrong).json()["error"] == "invalid_grant"
        void = wallet.pre_authorized(code, link.tx_code)
        assert void.json()["error"] == "invalid_grant"
        assert "too many" in void.json()["error_description"]
