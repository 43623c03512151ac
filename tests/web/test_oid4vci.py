"""OpenID4VCI pre-authorized code flow, driven by a wallet written here from the specification,
over real HTTP to the running platform."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from microcred.core.did import DidResolver
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.jws import sign_jws
from microcred.core.proofs.sd_jwt import present_sd_jwt
from microcred.core.proofs.sd_jwt_disclosures import split_sd_jwt
from microcred.core.verify import verify
from microcred.services import issuance
from microcred.services.context import SYSTEM
from microcred.services.issuance import IssueIn
from microcred.services.learner import claims
from tests.web.live import Live, live_platform

PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("oid4vci")) as running:
        yield running


def _offer(live: Live, *, tx_code: bool) -> claims.ClaimLink:
    with live.platform.unit_of_work(SYSTEM) as ctx:
        learner = {"name": "Wallet User", "email": f"w{time.monotonic_ns()}@example.org"}
        data = IssueIn.model_validate({"opportunity_id": 1, "grade": "10", "learner": learner})
        row, _ = issuance.issue(ctx, data)
        document = row.document
    with live.platform.unit_of_work(SYSTEM) as ctx:
        return claims.create_claim(ctx, document, learner_email=None, credential_ref=row.id,
                                   with_tx_code=tx_code)  # fmt: skip


class Wallet:
    """A minimal OpenID4VCI wallet: reads the offer, gets a token, proves its key."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.key = KeyPair.generate(KeyType.P256)

    @staticmethod
    def read_offer(uri: str) -> dict[str, Any]:
        parts = urlsplit(uri)
        assert parts.scheme == "openid-credential-offer"
        offer: dict[str, Any] = json.loads(parse_qs(parts.query)["credential_offer"][0])
        return offer

    def metadata(self, issuer: str) -> tuple[dict[str, Any], str]:
        meta = self.http.get(f"{issuer}/.well-known/openid-credential-issuer").json()
        server = meta.get("authorization_servers", [issuer])[0]
        oauth = self.http.get(f"{server}/.well-known/oauth-authorization-server").json()
        return meta, oauth["token_endpoint"]

    def token(self, endpoint: str, code: str, tx_code: str | None) -> httpx.Response:
        form = {"grant_type": PRE_AUTH, "pre-authorized_code": code}
        if tx_code is not None:
            form["tx_code"] = tx_code
        return self.http.post(endpoint, data=form)

    def proof(self, issuer: str, nonce: str, iat: float | None = None) -> str:
        header = {"typ": "openid4vci-proof+jwt", "alg": "ES256", "jwk": self.key.public.to_jwk()}
        payload = {"aud": issuer, "iat": int(iat or time.time()), "nonce": nonce}
        return sign_jws(header, payload, self.key)

    def credential(self, endpoint: str, access: str, config: str, proof: str) -> httpx.Response:
        body = {"credential_configuration_id": config, "proof": {"proof_type": "jwt", "jwt": proof}}
        return self.http.post(endpoint, json=body, headers={"Authorization": f"Bearer {access}"})


def _fetch_over_http(base: str) -> Any:
    """did:web names https URLs; the test server speaks plain http on the same host."""

    def fetch(url: str) -> Mapping[str, Any]:
        host = urlsplit(base).netloc
        local = url.replace(f"https://{host}", base)
        document: Mapping[str, Any] = httpx.get(local).json()
        return document

    return fetch


def test_pre_authorized_flow_with_tx_code(live: Live) -> None:
    link = _offer(live, tx_code=True)
    assert link.tx_code is not None
    with httpx.Client() as http:
        wallet = Wallet(http)
        offer = wallet.read_offer(link.offer_uri)
        issuer = offer["credential_issuer"]
        assert issuer == live.base
        grant = offer["grants"][PRE_AUTH]
        assert grant["tx_code"]["length"] == 6
        meta, token_endpoint = wallet.metadata(issuer)
        config = offer["credential_configuration_ids"][0]
        assert meta["credential_configurations_supported"][config]["format"] == "dc+sd-jwt"
        assert wallet.token(token_endpoint, grant["pre-authorized_code"], "000000").json()[
            "error"] == "invalid_grant"  # fmt: skip
        answer = wallet.token(token_endpoint, grant["pre-authorized_code"], link.tx_code)
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
        tokens = answer.json()
        again = wallet.token(token_endpoint, grant["pre-authorized_code"], link.tx_code)
        assert again.json()["error"] == "invalid_grant"
        endpoint = meta["credential_endpoint"]
        stale = wallet.credential(endpoint, tokens["access_token"], config,
                                  wallet.proof(issuer, "not-the-nonce"))  # fmt: skip
        assert stale.json()["error"] == "invalid_nonce"
        issued = wallet.credential(endpoint, tokens["access_token"], config,
                                   wallet.proof(issuer, tokens["c_nonce"]))  # fmt: skip
        assert issued.status_code == 200, issued.text
        sd_jwt = issued.json()["credentials"][0]["credential"]
        replay = wallet.credential(endpoint, tokens["access_token"], config,
                                   wallet.proof(issuer, tokens["c_nonce"]))  # fmt: skip
        assert replay.status_code == 401
    _check_bound(live, sd_jwt, wallet.key)


def _check_bound(live: Live, sd_jwt: str, key: KeyPair) -> None:
    from microcred.core.proofs.jws import parse_jws

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
    link = _offer(live, tx_code=False)
    with httpx.Client() as http:
        wallet = Wallet(http)
        offer = wallet.read_offer(link.offer_uri)
        meta, token_endpoint = wallet.metadata(offer["credential_issuer"])
        code = offer["grants"][PRE_AUTH]["pre-authorized_code"]
        tokens = wallet.token(token_endpoint, code, None).json()
        endpoint, config = meta["credential_endpoint"], offer["credential_configuration_ids"][0]
        elsewhere = wallet.credential(
            endpoint,
            tokens["access_token"],
            config,
            wallet.proof("https://evil.example", tokens["c_nonce"]),
        )
        assert elsewhere.json()["error"] == "invalid_proof"
        old = wallet.proof(offer["credential_issuer"], tokens["c_nonce"], time.time() - 3600)
        assert wallet.credential(endpoint, tokens["access_token"], config, old).json()[
            "error"] == "invalid_proof"  # fmt: skip
        assert wallet.credential(endpoint, "wrong", config, old).status_code == 401
        good = wallet.proof(offer["credential_issuer"], tokens["c_nonce"])
        assert wallet.credential(endpoint, tokens["access_token"], config, good).status_code == 200
    assert http.is_closed


def test_nonce_endpoint_and_proofs_array(live: Live) -> None:
    """The OpenID4VCI 1.0 shape: c_nonce from the nonce endpoint, ``proofs.jwt`` array."""
    link = _offer(live, tx_code=False)
    with httpx.Client() as http:
        wallet = Wallet(http)
        offer = wallet.read_offer(link.offer_uri)
        issuer = offer["credential_issuer"]
        meta, token_endpoint = wallet.metadata(issuer)
        code = offer["grants"][PRE_AUTH]["pre-authorized_code"]
        access = wallet.token(token_endpoint, code, None).json()["access_token"]
        nonce = http.post(meta["nonce_endpoint"]).json()["c_nonce"]
        body = {"credential_configuration_id": offer["credential_configuration_ids"][0],
                "proofs": {"jwt": [wallet.proof(issuer, nonce)]}}  # fmt: skip
        auth = {"Authorization": f"Bearer {access}"}
        issued = http.post(meta["credential_endpoint"], json=body, headers=auth)
        assert issued.status_code == 200, issued.text
        assert issued.json()["credentials"][0]["credential"].count("~") > 3
        link2 = _offer(live, tx_code=False)
        offer2 = wallet.read_offer(link2.offer_uri)
        code2 = offer2["grants"][PRE_AUTH]["pre-authorized_code"]
        access2 = wallet.token(token_endpoint, code2, None).json()["access_token"]
        reused = http.post(meta["credential_endpoint"], json=body,
                           headers={"Authorization": f"Bearer {access2}"})  # fmt: skip
        assert reused.json()["error"] == "invalid_nonce"
