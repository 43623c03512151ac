"""Credential Offers (OpenID4VCI 1.0 section 4.1): by value, or by reference for QR codes.

An offer names the issuer, the credential configurations offered and the grants the wallet may
use: the pre-authorized code (with a transaction code sent apart, e.g. by e-mail or SMS) and/or
the authorization code flow (with ``issuer_state`` tying the wallet's authorization request to
this offer). A QR code carries ``openid-credential-offer://?credential_offer_uri=...``: short,
and the offer itself is fetched over HTTPS; a same-device link can carry it by value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from microcred.core.errors import OAuthError
from microcred.core.oid4vci.metadata import AUTHORIZATION_CODE_GRANT, PRE_AUTHORIZED_GRANT

OFFER_SCHEME = "openid-credential-offer://"
MAX_DESCRIPTION = 300  # tx_code description (4.1.1)


@dataclass(frozen=True)
class TxCode:
    """How the wallet asks the learner for the transaction code (not the code itself)."""

    length: int | None = None
    input_mode: str = "numeric"
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``tx_code`` object of the offer."""
        value: dict[str, Any] = {"input_mode": self.input_mode}
        if self.length is not None:
            value["length"] = self.length
        if self.description:
            value["description"] = self.description[:MAX_DESCRIPTION]
        return value


@dataclass(frozen=True)
class CredentialOffer:
    """An offer of ``configuration_ids`` by ``issuer``, with one or both grants."""

    issuer: str
    configuration_ids: tuple[str, ...]
    pre_authorized_code: str | None = None
    tx_code: TxCode | None = None
    authorization_code: bool = False
    issuer_state: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The Credential Offer object (4.1.1)."""
        grants: dict[str, Any] = {}
        if self.pre_authorized_code is not None:
            grant: dict[str, Any] = {"pre-authorized_code": self.pre_authorized_code}
            if self.tx_code is not None:
                grant["tx_code"] = self.tx_code.to_json()
            grants[PRE_AUTHORIZED_GRANT] = grant
        if self.authorization_code:
            state = {"issuer_state": self.issuer_state} if self.issuer_state else {}
            grants[AUTHORIZATION_CODE_GRANT] = state
        offer: dict[str, Any] = {
            "credential_issuer": self.issuer,
            "credential_configuration_ids": list(self.configuration_ids),
        }
        if grants:
            offer["grants"] = grants
        return offer


def offer_link(offer: CredentialOffer) -> str:
    """The offer by value, for a same-device link (4.1.2)."""
    text = json.dumps(offer.to_json(), separators=(",", ":"))
    return f"{OFFER_SCHEME}?{urlencode({'credential_offer': text})}"


def offer_link_by_reference(offer_uri: str) -> str:
    """The offer by reference, what a QR code carries (4.1.3)."""
    return f"{OFFER_SCHEME}?{urlencode({'credential_offer_uri': offer_uri})}"


def _invalid(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


def read_offer_link(link: str) -> tuple[CredentialOffer | None, str | None]:
    """``(offer, None)`` for an offer by value, ``(None, offer_uri)`` by reference."""
    params = dict(parse_qsl(urlsplit(link.strip()).query))
    by_value, by_reference = params.get("credential_offer"), params.get("credential_offer_uri")
    if (by_value is None) == (by_reference is None):
        raise _invalid("an offer link has either credential_offer or credential_offer_uri")
    if by_reference is not None:
        if urlsplit(by_reference).scheme != "https":
            raise _invalid("credential_offer_uri must be an https URL")
        return None, by_reference
    try:
        return parse_offer(json.loads(by_value or "")), None
    except ValueError:
        raise _invalid("credential_offer is not JSON") from None


def _tx_code(value: object) -> TxCode:
    if not isinstance(value, Mapping):
        raise _invalid("tx_code must be a JSON object")
    length, mode = value.get("length"), value.get("input_mode", "numeric")
    if length is not None and (isinstance(length, bool) or not isinstance(length, int)):
        raise _invalid("tx_code.length must be an integer")
    if mode not in ("numeric", "text"):
        raise _invalid("tx_code.input_mode is numeric or text")
    description = value.get("description")
    return TxCode(length, mode, description if isinstance(description, str) else None)


def _grants(value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(g, Mapping) for g in value.values()):
        raise _invalid("grants must be an object of grant objects")
    return dict(value)


def parse_offer(value: object) -> CredentialOffer:
    """A Credential Offer object as a wallet reads it; unknown members are ignored."""
    if not isinstance(value, Mapping):
        raise _invalid("a credential offer is a JSON object")
    issuer, ids = value.get("credential_issuer"), value.get("credential_configuration_ids")
    if not isinstance(issuer, str) or urlsplit(issuer).scheme not in ("https", "http"):
        raise _invalid("credential_issuer must be the issuer's URL")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise _invalid("credential_configuration_ids must be a non-empty array of strings")
    if len(set(ids)) != len(ids):
        raise _invalid("credential_configuration_ids must be unique")
    grants = _grants(value.get("grants"))
    pre = grants.get(PRE_AUTHORIZED_GRANT, {})
    code = pre.get("pre-authorized_code")
    if PRE_AUTHORIZED_GRANT in grants and not isinstance(code, str):
        raise _invalid("the pre-authorized grant needs a pre-authorized_code")
    auth = grants.get(AUTHORIZATION_CODE_GRANT)
    state = auth.get("issuer_state") if auth else None
    return CredentialOffer(issuer, tuple(ids), code if isinstance(code, str) else None,
                           _tx_code(pre["tx_code"]) if "tx_code" in pre else None,
                           auth is not None, state if isinstance(state, str) else None)  # fmt: skip
