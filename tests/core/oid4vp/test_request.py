"""The authorization request: made by the verifier, signed by reference, checked by a wallet."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from microcred.core.did import DidResolver
from microcred.core.errors import OAuthError
from microcred.core.keys import KeyPair
from microcred.core.oid4vp.request import (
    REQUEST_TYP,
    AuthorizationRequest,
    check_request,
    open_request_object,
    read_invocation,
    request_link,
    request_link_by_value,
    sign_request_object,
)
from microcred.core.proofs.jws import b64url_encode, dump_json, parse_jws, sign_jws
from tests.core.oid4vp.parties import (
    CLIENT_ID,
    NOW,
    RESPONSE_URI,
    VERIFIER,
    counter,
    micro_query,
    request_for,
)

REQUEST_URI = "https://verifier.example/oid4vp/requests/abc"


def _offline(url: str) -> dict[str, Any]:
    raise LookupError(url)


RESOLVE = DidResolver(_offline).key_resolver("authentication")


def _open(token: str, **kw: Any) -> AuthorizationRequest:
    options = {"client_id": CLIENT_ID, "resolve_key": RESOLVE, "now": NOW, **kw}
    return open_request_object(token, **options)


def test_a_signed_request_by_reference_round_trips() -> None:
    request = request_for(micro_query(["title"]))
    assert len(request.nonce) >= 22  # 128 bits
    assert request.nonce != request.state
    link = request_link(CLIENT_ID, REQUEST_URI)
    invocation = read_invocation(link)
    assert link.startswith("openid4vp://?")
    assert (invocation.client_id, invocation.request_uri) == (CLIENT_ID, REQUEST_URI)
    token = sign_request_object(request, key=VERIFIER, kid=VERIFIER.public.did_key_vm, now=NOW)
    parsed = parse_jws(token)
    assert parsed.header["typ"] == REQUEST_TYP == "oauth-authz-req+jwt"
    assert parsed.payload["aud"] == "https://self-issued.me/v2"
    assert parsed.payload["response_mode"] == "direct_post"
    assert _open(token) == request


def test_a_request_by_value_with_a_redirect_uri_client() -> None:
    request = AuthorizationRequest(
        f"redirect_uri:{RESPONSE_URI}", RESPONSE_URI, "n-0S6_WzA2Mj", "st-1", micro_query(["title"])
    )
    link = request_link_by_value(request)
    params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert json.loads(params["dcql_query"]) == dict(request.dcql_query.raw)
    assert check_request(read_invocation(link).params, signed=False) == request


def _signed(payload: dict[str, Any], key: KeyPair = VERIFIER, **header: Any) -> str:
    head = {"typ": REQUEST_TYP, "kid": VERIFIER.public.did_key_vm, **header}
    return sign_jws(head, payload, key)


def _claims(**changes: Any) -> dict[str, Any]:
    claims = {**request_for(micro_query(["title"])).claims(), "aud": "https://self-issued.me/v2"}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


OTHER = KeyPair.from_seed(b"\x99" * 32)


def _unsigned(payload: dict[str, Any]) -> str:
    header = {"alg": "none", "typ": REQUEST_TYP, "kid": VERIFIER.public.did_key_vm}
    return f"{b64url_encode(dump_json(header))}.{b64url_encode(dump_json(payload))}."


@pytest.mark.parametrize(
    ("token", "words"),
    [
        (_signed(_claims(), typ="JWT"), "typ must be oauth-authz-req+jwt"),
        (_signed(_claims(), key=OTHER), "signature does not verify"),
        (_signed(_claims(), kid=OTHER.public.did_key_vm), "kid must be a key of did:key:"),
        (
            _signed(_claims(client_id=f"decentralized_identifier:{OTHER.public.did_key}")),
            "client_id is not the one of the link",
        ),
        (_signed(_claims(aud="https://another-wallet.example")), "addressed to another wallet"),
        (_signed(_claims(exp=int((NOW - timedelta(hours=1)).timestamp()))), "expired"),
        (_signed(_claims(response_mode="direct_post.jwt")), "only response_mode direct_post"),
        (_signed(_claims(redirect_uri=RESPONSE_URI)), "redirect_uri must not be present"),
        (_signed(_claims(response_uri="http://verifier.example/r")), "not an https URL"),
        (_signed(_claims(nonce=None)), "nonce is required"),
        (_signed(_claims(nonce="has space")), "nonce is required, in URL-safe characters"),
        (_signed(_claims(state=None)), "state is required"),
        (_signed(_claims(transaction_data=["e30"])), "transaction_data is not supported"),
        (_signed(_claims(dcql_query=None, scope="openid")), "a dcql_query is required"),
        (_signed(_claims(dcql_query={"credentials": []})), "dcql_query.credentials must be"),
        (_unsigned(_claims()), "alg 'none'"),
    ],
)
def test_a_wallet_refuses_bad_request_objects(token: str, words: str) -> None:
    with pytest.raises(OAuthError) as refused:
        _open(token)
    assert words in refused.value.message


def test_unsupported_response_type_has_its_own_error() -> None:
    with pytest.raises(OAuthError) as refused:
        _open(_signed(_claims(response_type="code")))
    assert refused.value.error == "unsupported_response_type"


def test_the_wallet_nonce_must_come_back() -> None:
    token = _signed(_claims(wallet_nonce="w-123"))
    assert _open(token, wallet_nonce="w-123").wallet_nonce == "w-123"
    with pytest.raises(OAuthError, match="wallet_nonce"):
        _open(token, wallet_nonce="w-456")


@pytest.mark.parametrize(
    ("client_id", "signed", "words"),
    [
        ("verifier-1", False, "no pre-registered verifiers"),
        ("x509_san_dns:verifier.example", True, "prefix 'x509_san_dns' is not supported"),
        ("origin:https://verifier.example", False, "prefix 'origin' is not supported"),
        (f"redirect_uri:{RESPONSE_URI}", True, "unsigned and equals the response_uri"),
        ("redirect_uri:https://elsewhere.example/cb", False, "equals the response_uri"),
        (CLIENT_ID, False, "must sign its request"),
    ],
)
def test_client_identifier_prefixes(client_id: str, signed: bool, words: str) -> None:
    with pytest.raises(OAuthError, match=words):
        check_request(_claims(client_id=client_id), signed=signed)


def test_plain_http_response_uris_only_on_loopback_when_allowed() -> None:
    local = _claims(response_uri="http://127.0.0.1:8000/oid4vp/response")
    with pytest.raises(OAuthError, match="https"):
        check_request(local, signed=True)
    assert check_request(local, signed=True, allow_http=True).response_uri.startswith("http://")
    remote = _claims(response_uri="http://verifier.example/r")
    with pytest.raises(OAuthError, match="https"):
        check_request(remote, signed=True, allow_http=True)


@pytest.mark.parametrize(
    ("link", "error", "words"),
    [
        ("openid4vp://?request_uri=https://v.example/r", "invalid_request", "no client_id"),
        (
            f"openid4vp://?client_id={CLIENT_ID}&request_uri_method=post",
            "invalid_request",
            "only allowed with request_uri",
        ),
        (
            f"openid4vp://?client_id={CLIENT_ID}&request_uri=https://v.example/r&request_uri_method=PUT",
            "invalid_request_uri_method",
            "get or post",
        ),
        (f"openid4vp://?client_id={CLIENT_ID}&client_id=other", "invalid_request", "repeated"),
    ],
)
def test_wallet_links_that_cannot_be_followed(link: str, error: str, words: str) -> None:
    with pytest.raises(OAuthError) as refused:
        read_invocation(link)
    assert (refused.value.error, words in refused.value.message) == (error, True)


def test_fresh_requests_never_share_a_nonce() -> None:
    random_bytes = counter(7)
    query = micro_query(["title"])
    nonces = {request_for(query, seed).nonce for seed in range(20)}
    assert len(nonces) == 20
    from microcred.core.oid4vp.request import new_request

    with pytest.raises(ValueError, match="fresh"):
        new_request(
            client_id=CLIENT_ID,
            response_uri=RESPONSE_URI,
            dcql_query=query,
            random_bytes=lambda n: b"\x00" * n,
        )
    assert random_bytes(2) != random_bytes(2)
