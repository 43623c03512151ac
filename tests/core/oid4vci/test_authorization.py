"""The authorization code flow with PKCE (S256), and the pre-authorized transaction code."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred.core.errors import OAuthError
from microcred.core.oid4vci.authorization import (
    AuthorizationDetail,
    authorization_response,
    check_redirect_uri,
    check_tx_code,
    error_response,
    grant_code,
    narrowed,
    read_authorization_request,
    redeem_code,
    token_response,
)
from microcred.core.oid4vci.metadata import LDP_VC_CONFIGURATION, SD_JWT_CONFIGURATION, Endpoints
from microcred.core.oid4vci.pkce import (
    check_challenge,
    check_verifier,
    code_challenge,
    new_code_verifier,
)
from tests.core.oid4vci.test_offer_and_metadata import _configurations

NOW = datetime(2026, 9, 1, 10, tzinfo=UTC)
ENDPOINTS = Endpoints("https://platform.example")
# RFC 7636 appendix B; the same pair is in OpenID4VCI's own examples (5.1.1, 6.1)
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
WALLET_CB = "https://wallet.example.org/cb"


def test_the_rfc_7636_vector() -> None:
    assert code_challenge(VERIFIER) == CHALLENGE
    check_verifier(VERIFIER, CHALLENGE)
    assert len(new_code_verifier(lambda n: bytes(range(n)))) == 43


@pytest.mark.parametrize(
    ("challenge", "method", "words"),
    [
        (CHALLENGE, "plain", "must be S256"),
        (CHALLENGE, None, "must be S256"),
        ("short", "S256", "SHA-256 digest"),
        (None, "S256", "SHA-256 digest"),
    ],
)
def test_only_s256_challenges(challenge: Any, method: Any, words: str) -> None:
    with pytest.raises(OAuthError, match=words):
        check_challenge(challenge, method)


@given(
    st.text(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~",
        min_size=43,
        max_size=128,
    )
)
def test_only_the_matching_verifier_redeems(verifier: str) -> None:
    check_verifier(verifier, code_challenge(verifier))
    if verifier != VERIFIER:
        with pytest.raises(OAuthError) as refused:
            check_verifier(verifier, CHALLENGE)
        assert refused.value.error == "invalid_grant"


def _detail(configuration: str, claims: Any = None) -> dict[str, Any]:
    detail = {"type": "openid_credential", "credential_configuration_id": configuration}
    return detail if claims is None else {**detail, "claims": claims}


def _params(**changes: Any) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": "wallet-1",
        "redirect_uri": WALLET_CB,
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
        "state": "s-1",
        "authorization_details": json.dumps(
            [{"type": "openid_credential", "credential_configuration_id": SD_JWT_CONFIGURATION}]
        ),
    }
    params.update(changes)
    return {k: v for k, v in params.items() if v is not None}


def test_an_authorization_request_with_authorization_details() -> None:
    request = read_authorization_request(_params(issuer_state="offer-7"), _configurations())
    assert request.configuration_ids == (SD_JWT_CONFIGURATION,)
    assert request.details == (AuthorizationDetail(SD_JWT_CONFIGURATION),)
    assert (request.issuer_state, request.state) == ("offer-7", "s-1")
    by_scope = read_authorization_request(
        _params(authorization_details=None, scope=LDP_VC_CONFIGURATION), _configurations()
    )
    assert (by_scope.configuration_ids, by_scope.details) == ((LDP_VC_CONFIGURATION,), ())


def test_the_specs_authorization_details_are_read() -> None:
    configurations = {
        "UniversityDegreeCredential": {},
        "UniversityDegree_LDP_VC": {},
        "PID_SD_JWT_VC": {},
        "org.iso.18013.5.1.mDL": {},
    }
    from microcred.core.oid4vci.authorization import read_authorization_details

    assert [
        d.configuration_id
        for d in read_authorization_details(
            spec_list("authorization_details_multiple_credentials.json"), configurations
        )
    ] == ["UniversityDegreeCredential", "org.iso.18013.5.1.mDL"]
    (ldp,) = read_authorization_details(
        spec_list("authorization_details_ldp_vc.json"), configurations
    )
    assert ldp.claims == (
        ("credentialSubject", "given_name"),
        ("credentialSubject", "family_name"),
        ("credentialSubject", "degree"),
    )
    assert ldp.to_json() == spec_list("authorization_details_ldp_vc.json")[0]


def spec_list(name: str) -> list[Any]:
    from tests.core.oid4vci.test_offer_and_metadata import DATA

    value: list[Any] = json.loads((DATA / name).read_text())
    return value


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"redirect_uri": None}, "invalid_request", "redirect_uri is required"),
        ({"redirect_uri": "http://wallet.example.org/cb"}, "invalid_request", "is not https"),
        ({"redirect_uri": "javascript:alert(1)"}, "invalid_request", "is not https"),
        ({"redirect_uri": "https://wallet.example.org/cb#x"}, "invalid_request", "fragment"),
        ({"client_id": None}, "invalid_request", "client_id is required"),
        ({"response_type": "token"}, "unsupported_response_type", "only response_type code"),
        ({"code_challenge_method": "plain"}, "invalid_request", "S256"),
        ({"code_challenge": None}, "invalid_request", "SHA-256 digest"),
        ({"authorization_details": "[{"}, "invalid_authorization_details", "not JSON"),
        ({"authorization_details": "[]"}, "invalid_authorization_details", "array of 1 to 10"),
        (
            {"authorization_details": '[{"type": "payment"}]'},
            "invalid_authorization_details",
            "only openid_credential",
        ),
        (
            {"authorization_details": json.dumps([_detail("x")])},
            "invalid_authorization_details",
            "unknown credential_configuration_id 'x'",
        ),
        (
            {"authorization_details": json.dumps([_detail(SD_JWT_CONFIGURATION, [{"path": []}])])},
            "invalid_authorization_details",
            "claims[0].path must be a non-empty array",
        ),
        ({"authorization_details": None, "scope": "email"}, "invalid_scope", "unknown scope"),
        ({"authorization_details": None}, "invalid_request", "ask for a credential"),
    ],
)
def test_bad_authorization_requests(changes: dict[str, Any], error: str, words: str) -> None:
    with pytest.raises(OAuthError) as refused:
        read_authorization_request(_params(**changes), _configurations())
    assert refused.value.error == error
    assert words in refused.value.message


@pytest.mark.parametrize(
    "uri",
    [
        "https://wallet.example.org/cb?x=1",
        "http://127.0.0.1:5000/cb",
        "http://localhost/cb",
        "org.example.wallet:/oauth2redirect",
    ],
)
def test_redirect_uris_of_public_clients(uri: str) -> None:
    assert check_redirect_uri(uri) == uri


def test_the_code_goes_back_with_state_and_issuer() -> None:
    request = read_authorization_request(_params(), _configurations())
    back = urlsplit(authorization_response(request, "code-xyz", ENDPOINTS))
    assert back.netloc == "wallet.example.org"
    assert parse_qs(back.query) == {
        "code": ["code-xyz"],
        "state": ["s-1"],
        "iss": ["https://platform.example"],
    }
    refused = error_response(request, OAuthError("access_denied", "the learner said no"), ENDPOINTS)
    assert parse_qs(urlsplit(refused).query)["error"] == ["access_denied"]


def _token_form(**changes: Any) -> dict[str, str]:
    form = {
        "grant_type": "authorization_code",
        "code": "code-xyz",
        "client_id": "wallet-1",
        "redirect_uri": WALLET_CB,
        "code_verifier": VERIFIER,
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_a_code_is_redeemed_once_by_its_client_with_its_verifier() -> None:
    request = read_authorization_request(_params(), _configurations())
    grant = grant_code(request, subject="learner-42", now=NOW)
    spent = redeem_code(grant, _token_form(), NOW + timedelta(seconds=30))
    assert spent.used_at == NOW + timedelta(seconds=30)
    assert spent.subject == "learner-42"
    with pytest.raises(OAuthError, match="already used"):
        redeem_code(spent, _token_form(), NOW + timedelta(seconds=31))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"client_id": "another-wallet"}, "issued to another client"),
        ({"client_id": None}, "issued to another client"),
        ({"redirect_uri": "https://wallet.example.org/other"}, "redirect_uri differs"),
        ({"code_verifier": None}, "missing or malformed"),
        ({"code_verifier": "a" * 43}, "does not match"),
    ],
)
def test_a_stolen_code_is_useless(changes: dict[str, Any], words: str) -> None:
    grant = grant_code(
        read_authorization_request(_params(), _configurations()), subject="s", now=NOW
    )
    with pytest.raises(OAuthError) as refused:
        redeem_code(grant, _token_form(**changes), NOW)
    assert (refused.value.error, words in refused.value.message) == ("invalid_grant", True)


def test_an_expired_or_unknown_code() -> None:
    grant = grant_code(
        read_authorization_request(_params(), _configurations()), subject="s", now=NOW
    )
    with pytest.raises(OAuthError, match="expired"):
        redeem_code(grant, _token_form(), NOW + timedelta(minutes=6))
    with pytest.raises(OAuthError, match="unknown"):
        redeem_code(None, _token_form(), NOW)


def test_a_token_request_may_narrow_but_not_widen() -> None:
    both = json.dumps(
        [
            {"type": "openid_credential", "credential_configuration_id": c}
            for c in (SD_JWT_CONFIGURATION, LDP_VC_CONFIGURATION)
        ]
    )
    request = read_authorization_request(_params(authorization_details=both), _configurations())
    grant = grant_code(request, subject="s", now=NOW)
    assert narrowed(grant, {}, _configurations()) == (SD_JWT_CONFIGURATION, LDP_VC_CONFIGURATION)
    one = json.dumps(
        [{"type": "openid_credential", "credential_configuration_id": LDP_VC_CONFIGURATION}]
    )
    assert narrowed(grant, {"authorization_details": one}, _configurations()) == (
        LDP_VC_CONFIGURATION,
    )
    small = replace(grant, request=replace(request, configuration_ids=(SD_JWT_CONFIGURATION,)))
    with pytest.raises(OAuthError, match="was not authorized"):
        narrowed(small, {"authorization_details": one}, _configurations())


def test_the_token_response_names_the_credential_identifiers() -> None:
    response = token_response(
        "at-1", lifetime=timedelta(minutes=10), identifiers=[(SD_JWT_CONFIGURATION, ["claim-9"])]
    )
    assert response == {
        "access_token": "at-1",
        "token_type": "Bearer",
        "expires_in": 600,
        "authorization_details": [
            {
                "type": "openid_credential",
                "credential_configuration_id": SD_JWT_CONFIGURATION,
                "credential_identifiers": ["claim-9"],
            }
        ],
    }
    assert "c_nonce" not in token_response(
        "at-2", lifetime=timedelta(minutes=1)
    )  # 1.0: nonce endpoint


def test_transaction_codes() -> None:
    def right(code: str) -> bool:
        return code == "493536"

    check_tx_code("493536", right, failures=0)
    check_tx_code(None, None, failures=0)
    for given_code, matches, failures, error, words in [
        (None, right, 0, "invalid_request", "needs its tx_code"),
        ("1", None, 0, "invalid_request", "takes no tx_code"),
        ("000000", right, 0, "invalid_grant", "wrong transaction code"),
        ("493536", right, 5, "invalid_grant", "too many wrong transaction codes"),
    ]:
        with pytest.raises(OAuthError) as refused:
            check_tx_code(given_code, matches, failures)
        assert (refused.value.error, words in refused.value.message) == (error, True)
