"""The credential request and response (OpenID4VCI 1.0 sections 8.2, 8.3), and ``ldp_vc``.

A request names what it wants by ``credential_identifier`` (when the token response gave
identifiers) or by ``credential_configuration_id`` (otherwise), never both; the access token
must cover it. Encrypted responses are not offered, so a request asking for one is refused.
The response lists one credential per proven key (a batch); an ``ldp_vc`` credential is the
Open Badges 3.0 credential re-issued about the holder's ``did:key`` (:func:`bind_to_holder`),
to be signed with the issuer's Data Integrity proof.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from microcred.core.errors import OAuthError


@dataclass(frozen=True)
class Grant:
    """What an access token covers: configurations, and identifiers when it named them."""

    configuration_ids: tuple[str, ...]
    identifiers: Mapping[str, str] = field(default_factory=dict)  # identifier -> configuration


def _refuse(error: str, description: str) -> OAuthError:
    return OAuthError(error, description)


def requested_configuration(
    body: Mapping[str, Any], grant: Grant, configurations: Mapping[str, Any]
) -> tuple[str, str | None]:
    """``(configuration id, credential identifier or None)`` of a credential request."""
    if "credential_response_encryption" in body:
        why = "this issuer does not encrypt credential responses"
        raise _refuse("invalid_encryption_parameters", why)
    identifier = body.get("credential_identifier")
    configuration = body.get("credential_configuration_id")
    if identifier is not None and configuration is not None:
        why = "credential_identifier and credential_configuration_id exclude each other"
        raise _refuse("invalid_credential_request", why)
    if grant.identifiers:
        if identifier is None:
            why = "the token gave credential_identifiers: ask by credential_identifier"
            raise _refuse("invalid_credential_request", why)
        if not isinstance(identifier, str) or identifier not in grant.identifiers:
            raise _refuse("unknown_credential_identifier", f"unknown identifier {identifier!r}")
        return grant.identifiers[identifier], identifier
    if identifier is not None:
        why = "no credential_identifiers were given: ask by credential_configuration_id"
        raise _refuse("invalid_credential_request", why)
    if not isinstance(configuration, str) or configuration not in configurations:
        why = f"unknown credential_configuration_id {configuration!r}"
        raise _refuse("unknown_credential_configuration", why)
    if configuration not in grant.configuration_ids:
        why = f"the access token does not cover {configuration!r}"
        raise OAuthError("insufficient_scope", why, http_status=403)
    return configuration, None


def credential_response(
    credentials: Sequence[str | Mapping[str, Any]], notification_id: str | None = None
) -> dict[str, Any]:
    """``{"credentials": [{"credential": ...}, ...]}``: strings (SD-JWT VC) or objects
    (``ldp_vc``) as issued, never re-encoded (8.3)."""
    if not credentials:
        raise ValueError("a credential response holds at least one credential")
    response: dict[str, Any] = {"credentials": [{"credential": c} for c in credentials]}
    if notification_id is not None:
        response["notification_id"] = notification_id
    return response


def bind_to_holder(
    credential: Mapping[str, Any], holder: str, credential_id: str
) -> dict[str, Any]:
    """An unsigned copy of a W3C credential about ``holder`` (its DID), with a fresh ``id``
    (each credential of a batch is its own) and without the old proof, ready to be signed."""
    document = copy.deepcopy(dict(credential))
    document.pop("proof", None)
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict):
        raise _refuse("credential_request_denied", "only a credential with one subject is bound")
    subject["id"] = holder
    document["id"] = credential_id
    return document
