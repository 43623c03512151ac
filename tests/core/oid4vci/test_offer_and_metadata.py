"""Offers, links and metadata: the specification's examples read back, ours read the same way."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from microcred.core.errors import OAuthError
from microcred.core.formats.ob3_write import CONTEXTS
from microcred.core.formats.sdjwt_vc import ANNEX1_CLAIMS, VCT
from microcred.core.oid4vci.metadata import (
    LDP_VC_CONFIGURATION,
    SD_JWT_CONFIGURATION,
    Endpoints,
    authorization_server_metadata,
    issuer_metadata,
    ldp_vc_configuration,
    sd_jwt_configuration,
)
from microcred.core.oid4vci.offer import (
    CredentialOffer,
    TxCode,
    offer_link,
    offer_link_by_reference,
    parse_offer,
    read_offer_link,
)

DATA = Path(__file__).parents[2] / "data" / "openid4vci"
ISSUER = "https://credential-issuer.example.com"


def spec(name: str) -> Any:
    text = (DATA / name).read_text()
    return json.loads(text[text.index("{") :] if name.endswith(".txt") else text)


def spec_link(name: str) -> str:
    return re.sub(r"\s+", "", (DATA / name).read_text())


@pytest.mark.parametrize(
    "name",
    [
        "credential_offer_authz_code.txt",
        "credential_offer_by_reference.json",
        "credential_offer_multiple_credentials.json",
        "credential_offer_pre-authz_code.json",
    ],
)
def test_the_specs_offers_read_and_write_back(name: str) -> None:
    offer = parse_offer(spec(name))
    assert offer.issuer == ISSUER
    again = offer.to_json()
    assert again["credential_configuration_ids"] == spec(name)["credential_configuration_ids"]
    assert set(again["grants"]) == set(spec(name)["grants"])
    assert parse_offer(again) == offer


def test_the_specs_pre_authorized_offer_with_a_transaction_code() -> None:
    offer = parse_offer(spec("credential_offer_multiple_credentials.json"))
    assert offer.pre_authorized_code == "oaKazRN8I0IbtZ0C7JuMn5"
    assert offer.tx_code == TxCode(
        4,
        "numeric",
        spec("credential_offer_multiple_credentials.json")["grants"][
            "urn:ietf:params:oauth:grant-type:pre-authorized_code"
        ]["tx_code"]["description"],
    )
    authz = parse_offer(spec("credential_offer_authz_code.txt"))
    assert authz.authorization_code
    assert authz.issuer_state == "eyJhbGciOiJSU0Et...FYUaBy"
    assert authz.pre_authorized_code is None


def test_the_specs_offer_links() -> None:
    offer, uri = read_offer_link(spec_link("credential_offer_link_by_value.txt"))
    assert uri is None
    assert offer is not None
    assert offer.configuration_ids == ("org.iso.18013.5.1.mDL",)
    assert offer.tx_code == TxCode(
        None, "text", "Please enter the serial number of your physical drivers license"
    )
    offer, uri = read_offer_link(spec_link("credential_offer_link_by_reference.txt"))
    assert (offer, uri) == (
        None,
        "https://server.example.com/credential-offer/GkurKxf5T0Y-mnPFCHqWOMiZi4VS138cQO_V7PZHAdM",
    )


def test_our_offers_as_links_and_qr_content() -> None:
    offer = CredentialOffer(
        ISSUER,
        (SD_JWT_CONFIGURATION, LDP_VC_CONFIGURATION),
        "code-1",
        TxCode(6, description="sent by e-mail"),
        True,
        "state-1",
    )
    link = offer_link(offer)
    assert link.startswith("openid-credential-offer://?credential_offer=")
    assert read_offer_link(link) == (offer, None)
    qr = offer_link_by_reference(f"{ISSUER}/oid4vci/offers/abc")
    assert qr == (
        "openid-credential-offer://?credential_offer_uri="
        "https%3A%2F%2Fcredential-issuer.example.com%2Foid4vci%2Foffers%2Fabc"
    )
    grants = offer.to_json()["grants"]
    assert grants["authorization_code"] == {"issuer_state": "state-1"}
    assert grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["tx_code"] == {
        "input_mode": "numeric",
        "length": 6,
        "description": "sent by e-mail",
    }


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("openid-credential-offer://?", "either credential_offer or credential_offer_uri"),
        (
            "openid-credential-offer://?credential_offer=%7B&credential_offer_uri=https://x",
            "either",
        ),
        ("openid-credential-offer://?credential_offer_uri=http://x.example/o", "https URL"),
        ("openid-credential-offer://?credential_offer=%7B", "not JSON"),
        ({"credential_issuer": ISSUER}, "credential_configuration_ids"),
        ({"credential_issuer": "ftp://x", "credential_configuration_ids": ["a"]}, "issuer's URL"),
        ({"credential_issuer": ISSUER, "credential_configuration_ids": ["a", "a"]}, "unique"),
        (
            {
                "credential_issuer": ISSUER,
                "credential_configuration_ids": ["a"],
                "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {}},
            },
            "needs a pre-authorized_code",
        ),
        (
            {
                "credential_issuer": ISSUER,
                "credential_configuration_ids": ["a"],
                "grants": {
                    "urn:ietf:params:oauth:grant-type:pre-authorized_code": {
                        "pre-authorized_code": "c",
                        "tx_code": {"input_mode": "emoji"},
                    }
                },
            },
            "numeric or text",
        ),
    ],
)
def test_offers_that_cannot_be_used_are_named(value: Any, words: str) -> None:
    read = read_offer_link if isinstance(value, str) else parse_offer
    with pytest.raises(OAuthError, match=words):
        read(value)


def _configurations() -> dict[str, Any]:
    return {
        SD_JWT_CONFIGURATION: sd_jwt_configuration(VCT, ANNEX1_CLAIMS),
        LDP_VC_CONFIGURATION: ldp_vc_configuration(
            CONTEXTS, ["VerifiableCredential", "OpenBadgeCredential"]
        ),
    }


def test_our_configurations_have_the_shape_of_the_specs_examples() -> None:
    ours = _configurations()
    sd = spec("credential_metadata_sd_jwt_vc.json")["credential_configurations_supported"]
    ldp = spec("credential_metadata_ldp_vc.json")["credential_configurations_supported"]
    for mine, theirs in (
        (ours[SD_JWT_CONFIGURATION], next(iter(sd.values()))),
        (ours[LDP_VC_CONFIGURATION], next(iter(ldp.values()))),
    ):
        assert set(theirs) - {"credential_metadata"} <= set(mine) | {"proof_types_supported"}
        assert mine["format"] == theirs["format"]
    assert ours[LDP_VC_CONFIGURATION]["credential_definition"]["@context"][0] == (
        "https://www.w3.org/ns/credentials/v2"
    )
    assert set(ours[LDP_VC_CONFIGURATION]["proof_types_supported"]) == {"jwt", "di_vp"}
    claims = ours[SD_JWT_CONFIGURATION]["credential_metadata"]["claims"]
    assert {"path": ["title"]} in claims


def test_issuer_and_authorization_server_metadata() -> None:
    endpoints = Endpoints("https://platform.example")
    issuer = issuer_metadata(endpoints, _configurations())
    assert issuer["credential_issuer"] == "https://platform.example"
    assert issuer["credential_endpoint"] == "https://platform.example/oid4vci/credential"
    assert issuer["nonce_endpoint"] == "https://platform.example/oid4vci/nonce"
    assert issuer["batch_credential_issuance"] == {"batch_size": 10}
    assert "authorization_servers" not in issuer  # the issuer is its own
    server = authorization_server_metadata(endpoints, _configurations())
    assert server["code_challenge_methods_supported"] == ["S256"]
    assert server["authorization_endpoint"] == "https://platform.example/oid4vci/authorize"
    assert set(server["grant_types_supported"]) == {
        "authorization_code",
        "urn:ietf:params:oauth:grant-type:pre-authorized_code",
    }
    assert server["scopes_supported"] == sorted([SD_JWT_CONFIGURATION, LDP_VC_CONFIGURATION])
    with pytest.raises(ValueError, match="2 or greater"):
        issuer_metadata(endpoints, _configurations(), batch_size=1)
