"""Credential Issuer and Authorization Server metadata (OpenID4VCI 1.0 sections 12.2, 12.3).

The platform offers a micro-credential in two credential configurations: an SD-JWT VC
(``dc+sd-jwt``, every Annex I element disclosable on its own) and the Open Badges 3.0
credential with a Data Integrity proof (``ldp_vc``), bound to the holder's ``did:key``.
Both accept ``jwt`` key proofs; ``ldp_vc`` also ``di_vp`` (a VP signed by the holder).
Several keys in one request give several credentials (``batch_credential_issuance``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from microcred.core.proofs.registry import preferred_signing_suites

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
AUTHORIZATION_CODE_GRANT = "authorization_code"
OPENID_CREDENTIAL = "openid_credential"
SD_JWT = "dc+sd-jwt"
LDP_VC = "ldp_vc"
JWT_ALGS = ("EdDSA", "Ed25519", "ES256", "ES384")  # Ed25519: the RFC 9864 name for EdDSA
DI_SUITES = preferred_signing_suites()
SD_JWT_CONFIGURATION = "MicroCredential_dc+sd-jwt"
LDP_VC_CONFIGURATION = "MicroCredential_ldp_vc"
DEFAULT_BATCH_SIZE = 10
DISPLAY = (
    {"name": "European micro-credential", "locale": "en"},
    {"name": "Micro-certification européenne", "locale": "fr"},
    {"name": "Micro-credențial european", "locale": "ro"},
    {"name": "Europäischer Micro-Credential", "locale": "de"},
)


@dataclass(frozen=True)
class Endpoints:
    """Where the issuer's endpoints are; ``issuer`` is the Credential Issuer Identifier."""

    issuer: str

    def url(self, name: str) -> str:
        """``authorize``, ``token``, ``nonce``, ``credential`` or ``offers`` under the issuer."""
        return f"{self.issuer.rstrip('/')}/oid4vci/{name}"


def _display() -> list[dict[str, str]]:
    return [dict(entry) for entry in DISPLAY]


def sd_jwt_configuration(vct: str, claims: Sequence[str]) -> dict[str, Any]:
    """An SD-JWT VC configuration (appendix A.3) whose top-level ``claims`` are described."""
    return {
        "format": SD_JWT, "vct": vct, "scope": SD_JWT_CONFIGURATION,
        "cryptographic_binding_methods_supported": ["jwk", "did:key"],
        "credential_signing_alg_values_supported": list(JWT_ALGS),
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": list(JWT_ALGS)}},
        "credential_metadata": {"display": _display(),
                                "claims": [{"path": [name]} for name in claims]},
    }  # fmt: skip


def ldp_vc_configuration(contexts: Sequence[str], types: Sequence[str]) -> dict[str, Any]:
    """An ``ldp_vc`` configuration (appendix A.1.2): OB 3.0 with Data Integrity, did:key."""
    return {
        "format": LDP_VC, "scope": LDP_VC_CONFIGURATION,
        "credential_definition": {"@context": list(contexts), "type": list(types)},
        "cryptographic_binding_methods_supported": ["did:key"],
        "credential_signing_alg_values_supported": list(DI_SUITES),
        "proof_types_supported": {
            "jwt": {"proof_signing_alg_values_supported": list(JWT_ALGS)},
            "di_vp": {"proof_signing_alg_values_supported": list(DI_SUITES)},
        },
        "credential_metadata": {"display": _display()},
    }  # fmt: skip


def issuer_metadata(
    endpoints: Endpoints,
    configurations: Mapping[str, Mapping[str, Any]],
    *,
    batch_size: int | None = DEFAULT_BATCH_SIZE,
    name: str = "microcred",
) -> dict[str, Any]:
    """``/.well-known/openid-credential-issuer``. No ``authorization_servers``: the issuer is
    its own authorization server (12.2.4), so authorization details need no ``locations``."""
    metadata: dict[str, Any] = {
        "credential_issuer": endpoints.issuer,
        "credential_endpoint": endpoints.url("credential"),
        "nonce_endpoint": endpoints.url("nonce"),
        "display": [{"name": name, "locale": "en"}],
        "credential_configurations_supported": {k: dict(v) for k, v in configurations.items()},
    }
    if batch_size is not None:
        if batch_size < 2:
            raise ValueError("batch_size must be 2 or greater (section 12.2.4)")
        metadata["batch_credential_issuance"] = {"batch_size": batch_size}
    return metadata


def authorization_server_metadata(
    endpoints: Endpoints, configurations: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """``/.well-known/oauth-authorization-server`` (RFC 8414) for both grants, PKCE S256 only."""
    scopes = sorted(
        {c["scope"] for c in configurations.values() if isinstance(c.get("scope"), str)}
    )
    return {
        "issuer": endpoints.issuer,
        "authorization_endpoint": endpoints.url("authorize"),
        "token_endpoint": endpoints.url("token"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": [AUTHORIZATION_CODE_GRANT, PRE_AUTHORIZED_GRANT],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "authorization_details_types_supported": [OPENID_CREDENTIAL],
        "scopes_supported": scopes,
        "pre-authorized_grant_anonymous_access_supported": True,
        "authorization_response_iss_parameter_supported": True,
    }
