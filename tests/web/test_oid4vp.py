"""OpenID4VP: a wallet written here from the specification (OpenID4VP 1.0 sections 5, 8, B.3)
answers the platform's verifier over real HTTP: it reads the openid4vp:// link, fetches and
checks the signed request object, presents an SD-JWT VC with a Key Binding JWT and POSTs it
(direct_post). Replays, wrong nonces and audiences, bad key binding and bad input are refused."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from microcred.core.did import DidResolver
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.jws import check_signature, parse_jws, sign_jws
from microcred.core.proofs.sd_jwt import present_sd_jwt
from microcred.core.proofs.sd_jwt_disclosures import split_sd_jwt
from tests.web.live import Live, live_platform
from tests.web.oid4vci_wallet import LDP_VC, SD_JWT, Wallet
from tests.web.test_oid4vci import _fetch_over_http, access_token, issue_offer

pytestmark = pytest.mark.slow
QUERY_ID = "micro_credential"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("oid4vp")) as running:
        yield running


class SpecWallet(Wallet):
    """A holder of an SD-JWT VC and an ldp_vc, got by OpenID4VCI, answering OpenID4VP requests."""

    def __init__(self, http: httpx.Client, live: Live) -> None:
        super().__init__(http)
        self.live = live
        offer, access = access_token(self, issue_offer(live))
        issued = self.request(access, SD_JWT, {"jwt": [self.jwt_proof(self.nonce())]})
        assert issued.status_code == 200, issued.text
        self.sd_jwt: str = issued.json()["credentials"][0]["credential"]
        self.offer = offer

    def ldp_vc(self) -> dict[str, Any]:
        """An Open Badges 3.0 credential with Data Integrity about this wallet's did:key."""
        _, access = access_token(self, issue_offer(self.live))
        issued = self.request(access, LDP_VC, {"di_vp": [self.di_vp_proof(self.nonce())]})
        assert issued.status_code == 200, issued.text
        credential: dict[str, Any] = issued.json()["credentials"][0]["credential"]
        return credential

    def open_link(self, link: str) -> dict[str, Any]:
        """5.10 and 5.7: the link names client_id and request_uri; the object is signed by the
        client's DID (decentralized_identifier prefix, kid a DID URL of that DID)."""
        parts = urlsplit(link)
        assert parts.scheme == "openid4vp"
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        answer = self.http.get(params["request_uri"])
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/oauth-authz-req+jwt")
        jws = parse_jws(answer.text)
        assert jws.header["typ"] == "oauth-authz-req+jwt"
        prefix, _, did = params["client_id"].partition(":")
        assert prefix == "decentralized_identifier"
        assert jws.header["kid"].split("#")[0] == did
        key = DidResolver(_fetch_over_http(self.live.base)).resolve_key(jws.header["kid"])
        assert check_signature(jws, key) is None
        claims: dict[str, Any] = dict(jws.payload)
        assert claims["client_id"] == params["client_id"]
        assert (claims["response_type"], claims["response_mode"]) == ("vp_token", "direct_post")
        assert claims["aud"] == "https://self-issued.me/v2"
        return claims

    def vp_token(self, request: dict[str, Any], reveal: list[str], **kb: Any) -> str:
        nonce, aud = kb.get("nonce", request["nonce"]), kb.get("aud", request["client_id"])
        presented = present_sd_jwt(self.sd_jwt, reveal=[(name,) for name in reveal],
                                   holder_key=kb.get("key", self.key), aud=aud, nonce=nonce,
                                   now=self.live.platform.clock())  # fmt: skip
        return json.dumps({QUERY_ID: [presented]})

    def post(self, request: dict[str, Any], vp_token: str) -> httpx.Response:
        form = {"vp_token": vp_token, "state": request["state"]}
        return self.http.post(request["response_uri"], data=form)


def _new_request(http: httpx.Client, live: Live, **body: Any) -> dict[str, Any]:
    answer = http.post(f"{live.base}/oid4vp/requests", json=body)
    assert answer.status_code == 201, answer.text
    made: dict[str, Any] = answer.json()
    return made


def _claims_asked(request: dict[str, Any]) -> list[str]:
    (query,) = request["dcql_query"]["credentials"]
    return [claim["path"][0] for claim in query["claims"]]


def test_the_spec_wallet_answers_with_selective_disclosure_and_a_replay_is_refused(
    live: Live,
) -> None:
    with httpx.Client() as http:
        wallet = SpecWallet(http, live)
        made = _new_request(http, live, kind="sd-jwt", claims=["title", "workload"])
        assert made["link"].startswith("openid4vp://?client_id=decentralized_identifier")
        request = wallet.open_link(made["link"])
        assert _claims_asked(request) == ["title", "workload"]
        assert request["dcql_query"]["credentials"][0]["meta"]["vct_values"]
        form_token = wallet.vp_token(request, _claims_asked(request))
        answer = wallet.post(request, form_token)
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
        assert answer.json()["redirect_uri"].endswith(f"/verify/oid4vp/{made['id']}")
        result = http.get(f"{live.base}/oid4vp/requests/{made['id']}").json()["result"]
        assert result["accepted"] is True, result
        (presented,) = result["presentations"]
        assert set(presented["claims"]) == {"title", "workload"}
        assert presented["report"]["authentic"] is True
        replay = wallet.post(request, form_token)
        assert replay.status_code == 409
        assert replay.headers["content-type"] == "application/problem+json"
        assert replay.json()["error"] == "invalid_request"
        assert "already answered" in replay.json()["detail"]
        gone = http.get(made["request_uri"])
        assert gone.status_code == 410


def test_the_spec_wallet_presents_a_data_integrity_credential_in_a_bound_vp(live: Live) -> None:
    """B.1.3.2.5: a VP whose ``authentication`` proof carries challenge = nonce and domain =
    client_id, holding a credential about the holder."""
    with httpx.Client() as http:
        wallet = SpecWallet(http, live)
        credential = wallet.ldp_vc()
        made = _new_request(http, live, kind="di")
        request = wallet.open_link(made["link"])
        (query,) = request["dcql_query"]["credentials"]
        assert query["format"] == "ldp_vc"
        key = wallet.key
        vp = {"@context": ["https://www.w3.org/ns/credentials/v2"],
              "type": ["VerifiablePresentation"], "holder": key.public.did_key,
              "verifiableCredential": [credential]}  # fmt: skip

        def signed(nonce: str) -> str:
            proof = sign_document(vp, key, key.public.did_key_vm, suite="ecdsa-jcs-2019",
                                  proof_purpose="authentication", created=datetime.now(UTC),
                                  challenge=nonce, domain=request["client_id"])  # fmt: skip
            return json.dumps({query["id"]: [proof]})

        answer = wallet.post(request, signed(request["nonce"]))
        assert answer.status_code == 200, answer.text
        result = http.get(f"{live.base}/oid4vp/requests/{made['id']}").json()["result"]
        assert result["accepted"] is True
        assert result["presentations"][0]["report"]["kind"] == "presentation"
        other = _new_request(http, live, kind="di")
        second = wallet.open_link(other["link"])
        stale = wallet.post(second, signed(request["nonce"]))  # the first request's challenge
        assert stale.status_code == 400
        assert "challenge" in stale.json()["detail"]


def _refused(http: httpx.Client, live: Live, wallet: SpecWallet, **kb: Any) -> dict[str, Any]:
    made = _new_request(http, live, kind="sd-jwt", claims=["title"])
    request = wallet.open_link(made["link"])
    answer = wallet.post(request, wallet.vp_token(request, ["title"], **kb))
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = answer.json()
    assert body["error"] == "invalid_request"
    result = http.get(f"{live.base}/oid4vp/requests/{made['id']}").json()["result"]
    assert result["accepted"] is False
    assert result["verdict"] == "not-verified"
    return body


def test_wrong_nonce_or_audience_is_refused(live: Live) -> None:
    with httpx.Client() as http:
        wallet = SpecWallet(http, live)
        assert "nonce" in _refused(http, live, wallet, nonce="another-nonce")["detail"]
        other = "decentralized_identifier:did:web:verifier.example"
        assert "aud" in _refused(http, live, wallet, aud=other)["detail"]


def test_a_key_binding_jwt_by_another_key_is_refused(live: Live) -> None:
    with httpx.Client() as http:
        wallet = SpecWallet(http, live)
        made = _new_request(http, live, kind="sd-jwt", claims=["title"])
        request = wallet.open_link(made["link"])
        presented = json.loads(wallet.vp_token(request, ["title"]))[QUERY_ID][0]
        parts = split_sd_jwt(presented)
        kb = parse_jws(parts.kb_jwt)
        forged = sign_jws(dict(kb.header), {**kb.payload, "iat": int(time.time()) - 5},
                          KeyPair.generate(KeyType.P256))  # fmt: skip
        tampered = presented[: -len(parts.kb_jwt)] + forged
        answer = wallet.post(request, json.dumps({QUERY_ID: [tampered]}))
        assert answer.status_code == 400
        assert answer.json()["error"] == "invalid_request"


def test_bad_input_is_a_problem_naming_it(live: Live) -> None:
    with httpx.Client() as http:
        response_uri = f"{live.base}/oid4vp/response"
        no_state = http.post(response_uri, data={"vp_token": "{}"})
        assert no_state.status_code == 400
        assert no_state.headers["content-type"] == "application/problem+json"
        assert "state" in no_state.json()["detail"]
        refused = no_state.json()  # the API's problem type and code, and OAuth's members
        assert refused["type"].startswith("https://w3id.org/microcred/problems/")
        assert refused["type"].endswith("/" + refused["code"])
        assert refused["status"] == 400
        assert refused["error"]
        assert refused["error_description"] == refused["detail"]
        stranger = http.post(response_uri, data={"vp_token": "{}", "state": "nobody"})
        assert stranger.status_code == 400
        assert "no request" in stranger.json()["detail"]
        made = _new_request(http, live, kind="sd-jwt", claims=["title"])
        state = parse_jws(http.get(made["request_uri"]).text).payload["state"]
        not_json = http.post(response_uri, data={"vp_token": "not json", "state": state})
        assert not_json.status_code == 400
        assert "vp_token" in not_json.json()["detail"]
        unknown = http.get(f"{live.base}/oid4vp/requests/nothing-here/request.jwt")
        assert unknown.status_code == 404
        assert unknown.headers["content-type"] == "application/problem+json"
        kind = http.post(f"{live.base}/oid4vp/requests", json={"kind": "mdoc"})
        assert kind.status_code == 422
        shoes = {"kind": "sd-jwt", "claims": ["shoe_size"]}
        claim = http.post(f"{live.base}/oid4vp/requests", json=shoes)
        assert claim.status_code == 422
        assert "shoe_size" in claim.json()["detail"]
