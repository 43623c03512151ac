"""OpenID4VCI 1.0 authorization code flow with PKCE (S256), over real HTTP: the wallet written
from the specification sends the learner's browser to our authorization endpoint, the learner
signs in and agrees, the wallet redeems the code with its verifier and gets an ``ldp_vc``."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from microcred.core.keys import KeyType
from microcred.services.learner import demo as learner_demo
from tests.web.live import Live, live_platform
from tests.web.oid4vci_wallet import LDP_VC, PRE_AUTH, SD_JWT, Wallet, pkce_pair
from tests.web.test_oid4vci import issue_offer

pytestmark = pytest.mark.slow
CLIENT = "https://wallet.example"
REDIRECT = "https://wallet.example/cb"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with live_platform(tmp_path_factory.mktemp("oid4vci-authorize")) as running:
        yield running


def _authorize_url(wallet: Wallet, offer: dict[str, Any], challenge: str, **extra: str) -> str:
    """5.1: the authorization request, by authorization_details, with the offer's state."""
    details = [{"type": "openid_credential", "credential_configuration_id": LDP_VC}]
    params = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT,
              "code_challenge": challenge, "code_challenge_method": "S256",
              "authorization_details": json.dumps(details), "state": "wallet-state-1",
              "issuer_state": offer["grants"]["authorization_code"]["issuer_state"],
              **extra}  # fmt: skip
    return f"{wallet.oauth['authorization_endpoint']}?{urlencode(params)}"


def _hidden(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in HIDDEN.findall(page)}


def _sign_in_and_decide(browser: httpx.Client, url: str, decision: str) -> httpx.Response:
    """The learner's browser: sign in when asked, then agree or refuse on the consent page."""
    first = browser.get(url)
    assert first.status_code == 303, first.text
    login = first.headers["location"]
    assert login.startswith("/login?next=")
    fields = _hidden(browser.get(login).text)
    signed = browser.post("/login", data={**fields, "email": learner_demo.LEARNER,
                                          "password": learner_demo.LEARNER_PASSWORD})  # fmt: skip
    assert signed.status_code == 303, signed.text
    consent = browser.get(signed.headers["location"])
    assert consent.status_code == 200, consent.text
    assert CLIENT in consent.text
    answer = browser.post(
        "/oid4vci/authorize", data={**_hidden(consent.text), "decision": decision}
    )
    assert answer.status_code == 303, answer.text
    return answer


def _redirected(answer: httpx.Response) -> dict[str, str]:
    location = answer.headers["location"]
    assert location.startswith(f"{REDIRECT}?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def test_authorization_code_flow_with_pkce(live: Live) -> None:
    link = issue_offer(live)
    with httpx.Client(timeout=30) as http, httpx.Client(base_url=live.base, timeout=30) as browser:
        wallet = Wallet(http, KeyType.ED25519)
        offer = wallet.read_offer(link.offer_reference)
        wallet.discover(offer["credential_issuer"])
        assert "authorization_code" in wallet.oauth["grant_types_supported"]
        verifier, challenge = pkce_pair()
        back = _redirected(_sign_in_and_decide(browser, _authorize_url(wallet, offer, challenge),
                                               "allow"))  # fmt: skip
        assert back["state"] == "wallet-state-1"
        assert back["iss"] == live.base
        form = {"grant_type": "authorization_code", "code": back["code"], "client_id": CLIENT,
                "redirect_uri": REDIRECT}  # fmt: skip
        wrong = wallet.token({**form, "code_verifier": pkce_pair()[0]})
        assert wrong.status_code == 400
        assert wrong.json()["error"] == "invalid_grant"
        other = wallet.token({**form, "client_id": "https://evil.example",
                              "code_verifier": verifier})  # fmt: skip
        assert other.json()["error"] == "invalid_grant"
        answer = wallet.token({**form, "code_verifier": verifier})
        assert answer.status_code == 200, answer.text
        access = answer.json()["access_token"]
        assert wallet.token({**form, "code_verifier": verifier}).json()["error"] == "invalid_grant"
        code = offer["grants"][PRE_AUTH]["pre-authorized_code"]
        assert wallet.pre_authorized(code).json()["error"] == "invalid_grant"  # one offer, once
        issued = wallet.request(access, LDP_VC, {"di_vp": [wallet.di_vp_proof(wallet.nonce())]})
        assert issued.status_code == 200, issued.text
        credential = issued.json()["credentials"][0]["credential"]
        assert credential["credentialSubject"]["id"] == wallet.key.public.did_key
        checked = http.post(f"{live.base}/credentials/verify",
                            json={"verifiableCredential": credential})  # fmt: skip
        assert checked.json()["verified"] is True, checked.text


def test_the_learner_may_refuse(live: Live) -> None:
    link = issue_offer(live)
    with httpx.Client(timeout=30) as http, httpx.Client(base_url=live.base, timeout=30) as browser:
        wallet = Wallet(http)
        offer = wallet.read_offer(link.offer_uri)
        wallet.discover(offer["credential_issuer"])
        url = _authorize_url(wallet, offer, pkce_pair()[1])
        back = _redirected(_sign_in_and_decide(browser, url, "deny"))
        assert back["error"] == "access_denied"
        assert back["state"] == "wallet-state-1"
        code = offer["grants"][PRE_AUTH]["pre-authorized_code"]
        assert wallet.pre_authorized(code).status_code == 200  # the offer is still there


def test_bad_authorization_requests(live: Live) -> None:
    link = issue_offer(live)
    with httpx.Client(timeout=30) as http, httpx.Client(base_url=live.base, timeout=30) as browser:
        wallet = Wallet(http)
        offer = wallet.read_offer(link.offer_uri)
        wallet.discover(offer["credential_issuer"])
        challenge = pkce_pair()[1]
        for bad_uri in ("javascript:alert(1)", "http://evil.example/cb", "https://x.example/#f"):
            page = browser.get(_authorize_url(wallet, offer, challenge, redirect_uri=bad_uri))
            assert page.status_code == 400, bad_uri  # never redirected to a bad redirect URI
            assert "text/html" in page.headers["content-type"]
        cases = [({"code_challenge_method": "plain"}, "invalid_request"),
                 ({"code_challenge": "short"}, "invalid_request"),
                 ({"response_type": "token"}, "unsupported_response_type"),
                 ({"issuer_state": "unknown"}, "invalid_request"),
                 ({"authorization_details": "[{]"}, "invalid_authorization_details"),
                 ({"authorization_details": "[]", "scope": "nope"},
                  "invalid_authorization_details")]  # fmt: skip
        for extra, error in cases:
            answer = browser.get(_authorize_url(wallet, offer, challenge, **extra))
            assert answer.status_code == 303, (extra, answer.text)
            assert _redirected(answer)["error"] == error, extra
        scoped = _authorize_url(wallet, offer, challenge, scope=SD_JWT)
        assert browser.get(scoped).status_code == 303
        for form in (
            {"grant_type": "authorization_code"},
            {"grant_type": "authorization_code", "code": "nope", "code_verifier": "x"},
        ):
            refused = wallet.token(form)
            assert refused.status_code == 400
            assert set(refused.json()) == {"error", "error_description"}
