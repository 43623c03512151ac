"""DCQL: the specification's example queries are read as meant; malformed ones are named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.core.errors import OAuthError
from microcred.core.oid4vp.claims_path import parse_claims_path, path_text, select_claims
from microcred.core.oid4vp.dcql import ClaimsQuery, parse_dcql

EXAMPLES = Path(__file__).parents[2] / "data" / "openid4vp"


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in EXAMPLES.glob("*dcql*.json"))
    + sorted(p.name for p in EXAMPLES.glob("query_lang_*.json")),
)
def test_every_example_query_of_the_spec_is_read(name: str) -> None:
    query = parse_dcql(example(name))
    assert query.raw == example(name)
    assert [q.id for q in query.credentials] == [q["id"] for q in example(name)["credentials"]]


def test_the_simple_example() -> None:
    query = parse_dcql(example("query_lang_simple.json"))
    (credential,) = query.credentials
    assert (credential.id, credential.format) == ("my_credential", "dc+sd-jwt")
    assert credential.vct_values == ("https://credentials.example.com/identity_credential",)
    assert credential.require_binding
    assert not credential.multiple
    assert credential.claim_options() == (
        (
            ClaimsQuery(("family_name",)),
            ClaimsQuery(("given_name",)),
            ClaimsQuery(("address", "street_address")),
        ),
    )
    assert [s.options for s in query.required_sets()] == [(("my_credential",),)]


def test_claim_sets_give_the_alternatives_in_order() -> None:
    (credential,) = parse_dcql(example("query_lang_claims_alternatives.json")).credentials
    options = [[path_text(c.path) for c in option] for option in credential.claim_options()]
    assert options == [
        ["family_name", "locality", "region", "date_of_birth"],
        ["family_name", "postal_code", "date_of_birth"],
    ]


def test_credential_sets_required_and_optional() -> None:
    query = parse_dcql(example("query_lang_credentials_alternatives.json"))
    assert query.credential_sets is not None
    first, second = query.credential_sets
    assert first.required
    assert first.options == (("pid",), ("other_pid",), ("pid_reduced_cred_1", "pid_reduced_cred_2"))
    assert not second.required
    assert query.required_sets() == (first,)


def test_values_and_type_values() -> None:
    (credential,) = parse_dcql(example("query_lang_value_matching_simple.json")).credentials
    assert [c.values for c in credential.claims or ()] == [("Doe",), None, None, ("90210", "90211")]
    (ldp,) = parse_dcql(example("request_dcql_ldp_vc.json")).credentials
    assert ldp.type_values == (("IDCredential",),)
    assert ldp.vct_values == ()


def _with(credential: dict[str, Any], **top: Any) -> dict[str, Any]:
    base = {"id": "c", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://v.example"]}}
    return {"credentials": [{**base, **credential}], **top}


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ([], "(the query) must be a JSON object"),
        ({"credentials": []}, "credentials must be a non-empty array"),
        (_with({"id": "has space"}), "credentials[0].id must be a non-empty string"),
        (_with({"format": 3}), "credentials[0].format"),
        (_with({"meta": {}}), "credentials[0].meta.vct_values must be a non-empty array"),
        (
            _with({"format": "ldp_vc", "meta": {"type_values": ["VC"]}}),
            "credentials[0].meta.type_values[0] must be a non-empty array",
        ),
        (_with({"format": "mso_mdoc", "meta": {}}), "meta.doctype_value must be a string"),
        (
            _with(
                {"format": "mso_mdoc", "meta": {"doctype_value": "x"}, "claims": [{"path": ["a"]}]}
            ),
            "claims[0].path of an mdoc claim must be two strings",
        ),
        (_with({"claims": [{"path": []}]}), "claims[0].path must be a non-empty array"),
        (_with({"claims": [{"path": ["a", -1]}]}), "each step is a string, null or a non-negative"),
        (_with({"claims": [{"path": ["a", True]}]}), "not True"),
        (_with({"claims": [{"path": ["a"]}, {"path": ["a"]}]}), "points to the same claim twice"),
        (
            _with({"claims": [{"id": "x", "path": ["a"]}, {"id": "x", "path": ["b"]}]}),
            "uses the same id twice",
        ),
        (_with({"claims": [{"path": ["a"], "values": [1.5]}]}), "strings, integers or booleans"),
        (_with({"claim_sets": [["x"]]}), "claim_sets needs claims"),
        (_with({"claims": [{"path": ["a"]}], "claim_sets": [["x"]]}), "need an id each"),
        (
            _with({"claims": [{"id": "a", "path": ["a"]}], "claim_sets": [["b"]]}),
            "names unknown claim id 'b'",
        ),
        (_with({"multiple": "yes"}), "credentials[0].multiple must be true or false"),
        (_with({"require_cryptographic_holder_binding": 0}), "must be true or false"),
        (_with({"trusted_authorities": [{"type": "aki"}]}), "trusted_authorities[0].values"),
        (_with({}, credential_sets=[{"options": [["nope"]]}]), "unknown credential query 'nope'"),
        (_with({}, credential_sets=[{"options": [["c"]], "required": "no"}]), "required must be"),
        ({"credentials": [_with({})["credentials"][0]] * 2}, "credentials uses the same id twice"),
        ({"credentials": [_with({})["credentials"][0]] * 33}, "more than 32 entries"),
    ],
)
def test_malformed_queries_are_refused_naming_the_member(query: Any, words: str) -> None:
    with pytest.raises(OAuthError) as raised:
        parse_dcql(query)
    assert raised.value.error == "invalid_request"
    assert words in raised.value.message


def test_unknown_members_are_ignored() -> None:
    query = _with({"future": {"x": 1}}, another=True)
    assert parse_dcql(query).credentials[0].id == "c"


# --- claims path pointers (section 7.4, the spec's example) --------------------------------------

ARTHUR = {
    "name": "Arthur Dent",
    "address": {
        "street_address": "42 Market Street",
        "locality": "Milliways",
        "postal_code": "12345",
    },
    "degrees": [
        {"type": "Bachelor of Science", "university": "University of Betelgeuse"},
        {"type": "Master of Science", "university": "University of Betelgeuse"},
    ],
    "nationalities": ["British", "Betelgeusian"],
}


@pytest.mark.parametrize(
    ("path", "selected"),
    [
        (["name"], [(("name",), "Arthur Dent")]),
        (["address"], [(("address",), ARTHUR["address"])]),
        (["address", "street_address"], [(("address", "street_address"), "42 Market Street")]),
        (
            ["degrees", None, "type"],
            [
                (("degrees", 0, "type"), "Bachelor of Science"),
                (("degrees", 1, "type"), "Master of Science"),
            ],
        ),
        (["nationalities", 1], [(("nationalities", 1), "Betelgeusian")]),
    ],
)
def test_the_specs_claims_path_examples(path: list[Any], selected: list[Any]) -> None:
    assert select_claims(ARTHUR, parse_claims_path(path, "path")) == selected


@pytest.mark.parametrize(
    "path",
    [
        ["nobody"],
        ["name", "first"],
        ["address", None],
        ["address", 0],
        ["nationalities", 5],
        ["degrees", "type"],
        ["degrees", None, "grade"],
    ],
)
def test_claims_path_processing_errors_select_nothing(path: list[Any]) -> None:
    assert select_claims(ARTHUR, parse_claims_path(path, "path")) == []


def test_path_text() -> None:
    assert path_text(("degrees", None, "type")) == "degrees[*].type"
    assert path_text(("nationalities", 1)) == "nationalities[1]"
