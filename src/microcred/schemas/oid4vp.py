"""What the OpenID4VP routes answer: the verifier's requests and results, the wallet's answer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from microcred.schemas.base import Form, Moment


class PresentationRequestIn(BaseModel):
    """What the verifier asks for."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["sd-jwt", "di"] = Field(
        description="sd-jwt: a micro-credential SD-JWT VC with the chosen claims disclosed; "
        "di: an Open Badges 3.0 credential with Data Integrity, whole, in a signed VP"
    )
    claims: list[str] = Field(default_factory=list, max_length=17,
                              description="Annex I elements to disclose (sd-jwt only)")  # fmt: skip


class PresentationRequestOut(Form):
    """A pending OpenID4VP request and, once the wallet answered, the verifier's judgement."""

    id: str
    client_id: str = Field(description="decentralized_identifier:<the platform's did:web>")
    request_uri: str = Field(description="GET: the signed request object")
    link: str = Field(description="openid4vp://?client_id=...&request_uri=... (QR, same device)")
    dcql_query: dict[str, Any]
    expires_at: Moment
    answered_at: Moment | None
    result: dict[str, Any] | None = Field(
        description="accepted, verified, verdict, problems, presentations (report, claims)"
    )


class DirectPostOut(Form):
    """The response URI's answer (OpenID4VP 1.0 §8.2): where the same-device wallet goes."""

    redirect_uri: str


class WalletAnswerIn(BaseModel):
    """The platform wallet answers a request: the link, the credential, what to disclose."""

    model_config = ConfigDict(extra="forbid")
    link: str = Field(max_length=4000, description="the openid4vp:// link (QR content)")
    credential_id: str | None = Field(None, max_length=64,
                                      description="the wallet credential to present "
                                      "(default: the first that answers)")  # fmt: skip
    claims: list[str] | None = Field(None, max_length=17,
                                     description="claims to disclose, among those asked "
                                     "(default: every claim asked)")  # fmt: skip


class WalletAnswerOut(Form):
    """What the verifier said to the wallet's answer."""

    status: int
    redirect_uri: str | None
    error: str | None
    error_description: str | None


class RequestObject(RootModel[str]):
    """A signed request object (compact JWS, ``typ`` ``oauth-authz-req+jwt``, RFC 9101)."""
