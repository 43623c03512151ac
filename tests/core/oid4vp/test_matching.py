"""Which held credentials answer a query, and exactly what each answer would disclose."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.core.oid4vp.dcql import parse_dcql
from microcred.core.oid4vp.matching import Held, candidates, held_ldp_vc, held_sd_jwt, plan
from microcred.core.proofs.sd_jwt import issue_sd_jwt
from tests.core.oid4vp.parties import (
    HOLDER,
    ISSUER,
    counter,
    ldp_credential,
    micro_query,
    ob3_query,
    sd_jwt_credential,
)
from tests.core.oid4vp.test_dcql import example

IDENTITY = "https://credentials.example.com/identity_credential"


def identity(ref: str = "id", vct: str = IDENTITY, bound: bool = True, **claims: Any) -> Held:
    """An SD-JWT VC like the spec's example, every claim (and address part) disclosable."""
    base: dict[str, Any] = {
        "iss": ISSUER.public.did_key,
        "vct": vct,
        "given_name": "John",
        "family_name": "Doe",
        "birthdate": "1940-01-01",
        "address": {"street_address": "123 Main St", "locality": "Anytown"},
    }
    base.update(claims)
    hidden = [(name,) for name in base if name not in ("iss", "vct")]
    hidden += [("address", part) for part in base.get("address", {})]
    token = issue_sd_jwt(
        base,
        issuer_key=ISSUER,
        disclosable=hidden,
        random_bytes=counter(),
        holder_key=HOLDER.public if bound else None,
    )
    return held_sd_jwt(ref, token)


def test_the_simple_query_discloses_only_what_it_names() -> None:
    query = parse_dcql(example("query_lang_simple.json")).credentials[0]
    (found,) = candidates(query, [identity()])
    assert [c.path for c in found.claims] == [
        ("family_name",),
        ("given_name",),
        ("address", "street_address"),
    ]
    assert found.disclosures == (
        ("address",),
        ("address", "street_address"),
        ("family_name",),
        ("given_name",),
    )
    assert not found.whole


def test_a_credential_of_another_type_or_without_the_claims_does_not_answer() -> None:
    query = parse_dcql(example("query_lang_simple.json")).credentials[0]
    assert candidates(query, [identity(vct="https://other.example/vct")]) == ()
    no_address = identity(address={"locality": "Anytown"})
    assert candidates(query, [no_address]) == ()


def test_holder_binding_is_required_unless_the_query_waives_it() -> None:
    query = parse_dcql(example("query_lang_simple.json")).credentials[0]
    unbound = identity(bound=False)
    assert candidates(query, [unbound]) == ()
    raw = example("query_lang_simple.json")
    raw["credentials"][0]["require_cryptographic_holder_binding"] = False
    assert len(candidates(parse_dcql(raw).credentials[0], [unbound])) == 1


@pytest.mark.parametrize(
    ("claims", "answers"),
    [
        ({"postal_code": "90210"}, True),
        ({"postal_code": "90211"}, True),
        ({"postal_code": "10001"}, False),
        ({"postal_code": 90210}, False),  # a number is not the string "90210"
        ({"postal_code": "90210", "family_name": "Smith"}, False),
        ({}, False),
    ],
)
def test_value_matching_wants_type_and_value(claims: dict[str, Any], answers: bool) -> None:
    query = parse_dcql(example("query_lang_value_matching_simple.json")).credentials[0]
    assert bool(candidates(query, [identity(**claims)])) is answers


def test_claim_sets_are_tried_in_the_verifiers_order() -> None:
    query = parse_dcql(example("query_lang_claims_alternatives.json")).credentials[0]
    both = identity(
        "both",
        postal_code="90210",
        locality="Anytown",
        region="Somewhere",
        date_of_birth="1940-01-01",
    )
    only_postal = identity("postal", postal_code="90210", date_of_birth="1940-01-01")
    found = candidates(query, [only_postal, both])
    assert [(c.held.ref, c.option) for c in found] == [("both", 0), ("postal", 1), ("both", 1)]
    assert {c.path for c in found[0].claims} == {
        ("family_name",),
        ("locality",),
        ("region",),
        ("date_of_birth",),
    }


def test_credential_sets_say_what_can_be_answered() -> None:
    query = parse_dcql(example("query_lang_credentials_alternatives.json"))
    reduced = identity("r1", vct="https://credentials.example.com/reduced_identity_credential")
    residence = identity(
        "r2",
        vct="https://cred.example/residence_credential",
        postal_code="1",
        locality="x",
        region="y",
    )
    assert plan(query, [reduced, residence]).possible
    assert not plan(query, [reduced]).possible
    assert plan(query, [identity("pid")]).possible
    rewards = identity("n", vct="https://company.example/company_rewards", rewards_number="7")
    assert not plan(query, [rewards]).possible  # the optional set alone is not enough


def test_no_claims_asked_discloses_nothing_selectively() -> None:
    (found,) = candidates(micro_query().credentials[0], [held_sd_jwt("m", sd_jwt_credential())])
    assert found.claims == ()
    assert found.disclosures == ()


def test_annex1_elements_are_disclosed_one_by_one() -> None:
    held = held_sd_jwt("m", sd_jwt_credential())
    assert ("learner",) in held.disclosable
    query = micro_query(["title"], ["workload", "ects"]).credentials[0]
    (found,) = candidates(query, [held])
    assert found.disclosures == (("title",), ("workload",))  # ects lies in the workload element


def test_ldp_vc_matches_by_expanded_type_and_is_shown_whole() -> None:
    held = held_ldp_vc("b", ldp_credential(), HOLDER.public.did_key)
    query = ob3_query(["credentialSubject", "achievement", "name"]).credentials[0]
    (found,) = candidates(query, [held])
    assert found.whole
    assert found.claims[0].path == ("credentialSubject", "achievement", "name")
    about_another = held_ldp_vc("x", ldp_credential(subject=None), HOLDER.public.did_key)
    assert candidates(query, [about_another]) == ()  # its subject is did:example:learner-...
    compact = parse_dcql(
        {
            "credentials": [
                {"id": "b", "format": "ldp_vc", "meta": {"type_values": [["OpenBadgeCredential"]]}}
            ]
        }
    )
    assert len(candidates(compact.credentials[0], [held])) == 1
    other = parse_dcql(
        {
            "credentials": [
                {"id": "b", "format": "ldp_vc", "meta": {"type_values": [["ClrCredential"]]}}
            ]
        }
    )
    assert candidates(other.credentials[0], [held]) == ()


def test_the_specs_ldp_vc_example() -> None:
    raw = example("request_dcql_ldp_vc.json")
    held = held_ldp_vc("spec", example("credentials_ldp_vc.json"))
    assert "IDCredential" in held.types
    assert candidates(parse_dcql(raw).credentials[0], [held]) == ()  # no subject id: not bound
    raw["credentials"][0]["require_cryptographic_holder_binding"] = False
    (found,) = candidates(parse_dcql(raw).credentials[0], [held])
    assert len(found.claims) == 7
