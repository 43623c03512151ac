"""A whole presentation, pure: the verifier asks, the wallet answers, the verifier decides.

Nonce, audience, state and single use are what stop a presentation from being replayed: each
is tried here, including with generated values, and the spec's own signed SD-JWT+KB example
is checked against a request with its nonce and audience.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.core.errors import InvalidPresentationChoice, OAuthError
from microcred.core.formats.sdjwt_vc import VCT
from microcred.core.keys import KeyPair, PublicKey
from microcred.core.oid4vp.dcql import parse_dcql
from microcred.core.oid4vp.matching import Held, held_ldp_vc, held_sd_jwt, plan
from microcred.core.oid4vp.request import AuthorizationRequest
from microcred.core.oid4vp.response import Transaction, check_vp_token, receive_response
from microcred.core.oid4vp.wallet import Choice, build_vp_token, refusal_form, response_form
from microcred.core.proofs.jws import parse_jws
from microcred.core.proofs.sd_jwt import KeyBindingPolicy, verify_sd_jwt
from microcred.core.proofs.sd_jwt_disclosures import split_sd_jwt
from microcred.core.verification.report import Report, failed, ok
from tests.core.oid4vp.parties import (
    CLIENT_ID,
    HOLDER,
    HOLDER_P256,
    NOW,
    ldp_credential,
    micro_query,
    ob3_query,
    request_for,
    sd_jwt_credential,
    verifier_verify,
)
from tests.core.oid4vp.test_dcql import EXAMPLES, example

WALLET = [
    held_sd_jwt("sd", sd_jwt_credential()),
    held_ldp_vc("ldp", ldp_credential(), HOLDER.public.did_key),
]


def _keys(held: Held) -> KeyPair:
    return HOLDER


def _answer(request: AuthorizationRequest, choice: Choice, **kw: Any) -> dict[str, str]:
    token = build_vp_token(
        request, plan(request.dcql_query, WALLET), choice, key_for=_keys, now=kw.pop("now", NOW)
    )
    return response_form(request, token)


def _receive(request: AuthorizationRequest, form: dict[str, str], **kw: Any) -> Any:
    transaction = kw.pop("transaction", Transaction(request, NOW + timedelta(minutes=10)))
    return receive_response(transaction, form, verify=verifier_verify(), now=NOW, **kw)


def test_an_sd_jwt_vc_answer_discloses_only_the_chosen_claims_and_verifies() -> None:
    request = request_for(micro_query(["title"], ["workload"]))
    form = _answer(request, Choice({"micro": (("sd", 0),)}))
    spent, outcome = _receive(request, form)
    assert spent.answered_at == NOW
    assert outcome.accepted, outcome
    assert outcome.verified
    (presented,) = outcome.presented
    assert set(presented.claims) >= {"title", "workload", "iss", "vct"}
    assert not {"learner", "grade", "learning_outcomes"} & set(presented.claims)
    kb = parse_jws(split_sd_jwt(json.loads(form["vp_token"])["micro"][0]).kb_jwt).payload
    assert (kb["aud"], kb["nonce"]) == (CLIENT_ID, request.nonce)


def test_a_data_integrity_answer_is_a_vp_bound_to_the_request() -> None:
    request = request_for(ob3_query(["credentialSubject", "achievement", "name"]))
    form = _answer(request, Choice({"badge": (("ldp", 0),)}))
    vp = json.loads(form["vp_token"])["badge"][0]
    assert vp["holder"] == HOLDER.public.did_key
    assert (vp["proof"]["challenge"], vp["proof"]["domain"]) == (request.nonce, CLIENT_ID)
    assert vp["proof"]["proofPurpose"] == "authentication"
    _, outcome = _receive(request, form)
    assert outcome.accepted, outcome
    assert outcome.verified


def test_a_replayed_response_is_refused() -> None:
    request = request_for(micro_query(["title"]))
    form = _answer(request, Choice({"micro": (("sd", 0),)}))
    spent, first = _receive(request, form)
    assert first.accepted
    with pytest.raises(OAuthError, match="already answered: replay refused"):
        _receive(request, form, transaction=spent)


def test_an_expired_request_or_a_foreign_state_is_refused() -> None:
    request = request_for(micro_query(["title"]))
    form = _answer(request, Choice({"micro": (("sd", 0),)}))
    late = Transaction(request, NOW - timedelta(seconds=1))
    with pytest.raises(OAuthError, match="expired"):
        _receive(request, form, transaction=late)
    with pytest.raises(OAuthError, match="state does not belong"):
        _receive(request, {**form, "state": "another-state"})
    with pytest.raises(OAuthError, match="no state"):
        _receive(request, {"vp_token": form["vp_token"]})


def test_an_answer_to_another_request_is_not_accepted() -> None:
    """The same wallet answers request A; the verifier's request B sees A's presentation."""
    query = micro_query(["title"])
    first, second = request_for(query, 100), request_for(query, 200)
    form = _answer(first, Choice({"micro": (("sd", 0),)}))
    _, outcome = _receive(second, {**form, "state": second.state})
    assert not outcome.accepted
    assert "nonce" in json.dumps([c.detail for c in outcome.presented[0].report.checks])


_urlsafe = st.text(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", min_size=1, max_size=40
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nonce=_urlsafe, audience=_urlsafe, fmt=st.sampled_from(["sd", "ldp"]))
def test_a_presentation_made_for_another_nonce_or_audience_is_refused(
    nonce: str, audience: str, fmt: str
) -> None:
    query = micro_query(["title"]) if fmt == "sd" else ob3_query()
    request = request_for(query)
    query_id = query.credentials[0].id
    wallet_side = replace(
        request,
        nonce=nonce if nonce != request.nonce else nonce + "x",
        client_id=f"redirect_uri:https://{audience}.example/cb",
    )
    for made_for in (
        wallet_side,
        replace(request, nonce=wallet_side.nonce),
        replace(request, client_id=wallet_side.client_id),
    ):
        form = _answer(made_for, Choice({query_id: ((fmt, 0),)}))
        _, outcome = _receive(request, {**form, "state": request.state})
        assert not outcome.accepted


@settings(max_examples=25, deadline=None)
@given(state=_urlsafe)
def test_any_other_state_is_refused_and_leaves_the_request_pending(state: str) -> None:
    request = request_for(micro_query(["title"]))
    form = _answer(request, Choice({"micro": (("sd", 0),)}))
    pending = Transaction(request, NOW + timedelta(minutes=10))
    if state != request.state:
        with pytest.raises(OAuthError):
            _receive(request, {**form, "state": state}, transaction=pending)
    spent, outcome = _receive(request, form, transaction=pending)
    assert outcome.accepted
    assert spent.answered_at is not None


def test_a_tampered_or_widened_answer_is_not_accepted() -> None:
    request = request_for(micro_query(["title"], ["workload"]))
    form = _answer(request, Choice({"micro": (("sd", 0),)}))
    token = json.loads(form["vp_token"])
    presentation = token["micro"][0]
    jwt, *disclosures, kb = presentation.split("~")
    dropped = "~".join([jwt, disclosures[0], kb])  # one disclosure removed: sd_hash breaks
    _, outcome = _receive(request, {**form, "vp_token": json.dumps({"micro": [dropped]})})
    assert not outcome.accepted
    _, twice = _receive(request, {**form, "vp_token": json.dumps({"micro": [presentation] * 2})})
    assert "one was asked" in " ".join(twice.problems)
    _, stranger = _receive(request, {**form, "vp_token": json.dumps({"other": [presentation]})})
    assert not stranger.accepted
    assert "was not asked for" in " ".join(stranger.problems)


def test_a_presentation_missing_a_requested_claim_is_not_accepted() -> None:
    asked = request_for(micro_query(["title"], ["grade"]))
    answered_for = replace(asked, dcql_query=micro_query(["title"]))
    form = _answer(answered_for, Choice({"micro": (("sd", 0),)}))
    _, outcome = _receive(asked, form)
    assert outcome.presented[0].problems == ("the requested claims are not all disclosed",)
    assert not outcome.accepted


def test_a_vc_of_someone_else_in_my_presentation_is_not_bound() -> None:
    someone = ldp_credential(subject="did:example:someone-else")
    request = request_for(ob3_query())
    wallet = [held_ldp_vc("x", someone, "did:example:someone-else")]
    choice = Choice({"badge": (("x", 0),)})
    token = build_vp_token(
        request, plan(request.dcql_query, wallet), choice, key_for=_keys, now=NOW
    )
    _, outcome = _receive(request, response_form(request, token))
    assert "is not the holder" in outcome.presented[0].problems[0]
    assert not outcome.accepted


def test_a_declined_request_is_spent_and_says_so() -> None:
    request = request_for(micro_query(["title"]))
    spent, outcome = _receive(request, refusal_form(request, "the learner declined"))
    assert spent.answered_at == NOW
    assert outcome.wallet_error == "access_denied: the learner declined"
    assert not outcome.accepted


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"vp_token": "{"}, "not JSON"),
        ({"vp_token": "[]"}, "non-empty JSON object"),
        ({"vp_token": '{"micro": []}'}, "non-empty array"),
        ({"vp_token": '{"micro": [3]}'}, "strings or objects"),
    ],
)
def test_a_malformed_vp_token_spends_the_request_and_is_not_accepted(
    form: dict[str, str], words: str
) -> None:
    request = request_for(micro_query(["title"]))
    spent, outcome = _receive(request, {**form, "state": request.state})
    assert spent.answered_at is not None
    assert words in outcome.problems[0]
    assert not outcome.accepted


# --- the learner's choice --------------------------------------------------------------------


def test_the_learner_must_answer_the_request_as_it_allows() -> None:
    query = parse_dcql(
        {
            "credentials": [
                {
                    "id": "micro",
                    "format": "dc+sd-jwt",
                    "meta": {"vct_values": [VCT]},
                    "claims": [{"path": ["title"]}],
                },
                {
                    "id": "badge",
                    "format": "ldp_vc",
                    "meta": {"type_values": [["OpenBadgeCredential"]]},
                },
            ],
            "credential_sets": [{"options": [["micro"], ["badge"]]}],
        }
    )
    request = request_for(query)
    offered = plan(query, WALLET)
    assert offered.possible
    for choice, words in [
        (Choice({}), "every required part"),
        (Choice({"micro": (("sd", 0),), "badge": (("ldp", 0),)}), None),
        (Choice({"micro": (("ldp", 0),)}), "does not answer 'micro'"),
        (Choice({"micro": (("sd", 0), ("sd", 0))}), "chosen twice"),
        (Choice({"nope": (("sd", 0),)}), "no credential query 'nope'"),
        (Choice({"micro": ()}), "no credential is chosen"),
    ]:
        if words is None:
            build_vp_token(request, offered, choice, key_for=_keys, now=NOW)  # both options met
            continue
        with pytest.raises(InvalidPresentationChoice, match=words):
            build_vp_token(request, offered, choice, key_for=_keys, now=NOW)


def test_a_p256_holder_key_signs_its_presentations_too() -> None:
    did = HOLDER_P256.public.did_key
    wallet = [
        held_sd_jwt("p", sd_jwt_credential(HOLDER_P256)),
        held_ldp_vc("q", ldp_credential(did), did),
    ]
    for query, pick in ((micro_query(["title"]), "p"), (ob3_query(), "q")):
        request = request_for(query)
        query_id = query.credentials[0].id
        token = build_vp_token(
            request,
            plan(query, wallet),
            Choice({query_id: ((pick, 0),)}),
            key_for=lambda held: HOLDER_P256,
            now=NOW,
        )
        _, outcome = _receive(request, response_form(request, token))
        assert outcome.accepted, outcome


# --- the spec's own signed example (section B.3.6.1, SD-JWT VCLD) ---------------------------------

SPEC_NOW = datetime.fromtimestamp(1744743394 + 60, UTC)
SPEC_ISSUER_KEY = {  # sd_jwt_vcld_settings.yml, issuer_keys[0] without "d"
    "kty": "EC",
    "crv": "P-256",
    "x": "b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ",
    "y": "Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8",
}


def _spec_verify(item: Any, nonce: str | None, aud: str | None) -> Report:
    """The real SD-JWT verifier with the spec's issuer key (its iss is an https URL whose
    metadata we cannot fetch), as a report."""
    policy = KeyBindingPolicy(aud=aud or "", nonce=nonce or "") if nonce is not None else None
    key = PublicKey.from_jwk(SPEC_ISSUER_KEY)
    result = verify_sd_jwt(item, resolve_key=lambda kid: key, now=SPEC_NOW, key_binding=policy)
    proof = ok("proof", "valid") if result.ok else failed("proof", result.reason)
    return Report("credential", "SD-JWT VC", (proof,), document=result.claims)


def test_the_specs_signed_sd_jwt_kb_example_answers_its_request() -> None:
    text = (EXAMPLES / "sd_jwt_vcld_01_sd_jwt_presentation.txt").read_text()
    presentation = re.sub(r"\s+", "", text)
    query = parse_dcql(
        {
            "credentials": [
                {
                    "id": "vcld",
                    "format": "dc+sd-jwt",
                    "meta": {"vct_values": ["https://credentials.example.com/example_credential"]},
                    "claims": [{"path": ["ld", "credentialSubject", "givenName"]}],
                }
            ]
        }
    )
    request = AuthorizationRequest(
        "https://verifier.example.org", "https://verifier.example.org/r", "1234567890", "s", query
    )
    outcome = check_vp_token(request, {"vcld": [presentation]}, _spec_verify)
    assert outcome.accepted, outcome
    claims = outcome.presented[0].claims
    expected = example("sd_jwt_vcld_01_verified_contents.json")
    assert claims["ld"] == expected["ld"]
    assert claims["vct"] == expected["vct"]
    for other in (
        replace(request, nonce="1234567891"),
        replace(request, client_id="https://other-verifier.example.org"),
    ):
        assert not check_vp_token(other, {"vcld": [presentation]}, _spec_verify).accepted
    wider = replace(
        request,
        dcql_query=parse_dcql(
            {
                "credentials": [
                    {
                        **query.raw["credentials"][0],
                        "claims": [{"path": ["ld", "credentialSubject", "familyName"]}],
                    }
                ]
            }
        ),
    )
    assert not check_vp_token(wider, {"vcld": [presentation]}, _spec_verify).accepted
