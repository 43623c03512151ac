"""What the learner side answers over HTTP: claim links and OpenID4VCI (pre-authorized code)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from microcred.schemas.base import Form, JsonObject


class ClaimLinkOut(Form):
    """A claim link, shown once (only its hash is kept), and the same offer for wallets."""

    url: str = Field(description="the learner's link to claim the credential (works once)")
    credential_offer_uri: str = Field(
        description="openid-credential-offer:// with the offer by value (a same-device link)"
    )
    credential_offer_reference: str = Field(
        description="openid-credential-offer:// with credential_offer_uri (for a QR code, e-mail)"
    )
    tx_code: str | None = Field(None, description="absent unless a transaction code was asked")


class CredentialIssuerMetadata(JsonObject):
    """``/.well-known/openid-credential-issuer`` (OpenID4VCI 1.0 §12.2)."""

    credential_issuer: str
    credential_endpoint: str
    nonce_endpoint: str
    credential_configurations_supported: dict[str, Any]
    batch_credential_issuance: dict[str, int] | None = None


class CredentialOfferOut(JsonObject):
    """A Credential Offer (OpenID4VCI 1.0 §4.1.1), fetched by reference from a QR code."""

    credential_issuer: str
    credential_configuration_ids: list[str]
    grants: dict[str, Any]


class AuthorizationServerMetadata(JsonObject):
    """``/.well-known/oauth-authorization-server`` (RFC 8414): both grants, PKCE S256 only."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    grant_types_supported: list[str]
    code_challenge_methods_supported: list[str]


class TokenOut(Form):
    """An access token for the credential endpoint (nonces come from the nonce endpoint)."""

    access_token: str
    token_type: str
    expires_in: int
    authorization_details: list[dict[str, Any]] | None = None


class NonceOut(Form):
    c_nonce: str


class IssuedInstance(Form):
    credential: str | dict[str, Any] = Field(
        description="an SD-JWT VC (text) or an ldp_vc credential (object), bound to one key"
    )


class CredentialResponse(Form):
    """OpenID4VCI 1.0 ``credentials``: one per proven key."""

    credentials: list[IssuedInstance]


class OAuthErrorOut(Form):
    """An OAuth 2.0 error (RFC 6749 §5.2): the OpenID4VCI endpoints answer these, not problems."""

    error: str
    error_description: str
