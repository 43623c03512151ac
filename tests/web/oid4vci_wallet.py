"""A minimal OpenID4VCI 1.0 wallet written from the specification, for tests over real HTTP.

It reads a credential offer (by value or by reference), the issuer's and the authorization
server's metadata, gets an access token (pre-authorized code, or the authorization code with
PKCE S256), fresh nonces from the nonce endpoint, and asks for credentials with ``proofs``
(``jwt`` or ``di_vp``), one per key. It uses nothing of the platform but key and JWS helpers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.jws import sign_jws

PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
SD_JWT = "MicroCredential_dc+sd-jwt"
LDP_VC = "MicroCredential_ldp_vc"


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge), RFC 7636 4.1-4.2."""
    verifier = secrets.token_urlsafe(32)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Wallet:
    """One wallet with its keys; every call is one HTTP request as the spec describes it."""

    def __init__(self, http: httpx.Client, key_type: KeyType = KeyType.P256) -> None:
        self.http = http
        self.key = KeyPair.generate(key_type)
        self.meta: dict[str, Any] = {}
        self.oauth: dict[str, Any] = {}

    def read_offer(self, uri: str) -> dict[str, Any]:
        """4.1: ``credential_offer`` by value, or fetched from ``credential_offer_uri``."""
        parts = urlsplit(uri)
        assert parts.scheme == "openid-credential-offer"
        params = parse_qs(parts.query)
        if "credential_offer_uri" in params:
            answer = self.http.get(params["credential_offer_uri"][0])
            assert answer.status_code == 200, answer.text
            offer: dict[str, Any] = answer.json()
        else:
            offer = json.loads(params["credential_offer"][0])
        return offer

    def discover(self, issuer: str) -> None:
        """12.2 and RFC 8414: the issuer's metadata, then its authorization server's."""
        self.meta = self.http.get(f"{issuer}/.well-known/openid-credential-issuer").json()
        server = self.meta.get("authorization_servers", [issuer])[0]
        self.oauth = self.http.get(f"{server}/.well-known/oauth-authorization-server").json()

    def token(self, form: dict[str, str]) -> httpx.Response:
        return self.http.post(self.oauth["token_endpoint"], data=form)

    def pre_authorized(self, code: str, tx_code: str | None = None) -> httpx.Response:
        form = {"grant_type": PRE_AUTH, "pre-authorized_code": code}
        if tx_code is not None:
            form["tx_code"] = tx_code
        return self.token(form)

    def nonce(self) -> str:
        answer = self.http.post(self.meta["nonce_endpoint"])
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
        nonce: str = answer.json()["c_nonce"]
        return nonce

    def jwt_proof(
        self, nonce: str, *, key: KeyPair | None = None, aud: str | None = None,
        iat: float | None = None,
    ) -> str:  # fmt: skip
        """F.1: ``openid4vci-proof+jwt`` with the public key in ``jwk``."""
        key = key or self.key
        header = {"typ": "openid4vci-proof+jwt", "jwk": key.public.to_jwk()}
        payload = {"aud": aud or self.meta["credential_issuer"],
                   "iat": int(iat or time.time()), "nonce": nonce}  # fmt: skip
        return sign_jws(header, payload, key)

    def di_vp_proof(self, nonce: str, key: KeyPair | None = None) -> dict[str, Any]:
        """F.2: a VP signed by the holder's did:key, challenge the nonce, domain the issuer."""
        key = key or self.key
        vp = {"@context": ["https://www.w3.org/ns/credentials/v2"],
              "type": ["VerifiablePresentation"], "holder": key.public.did_key}  # fmt: skip
        suite = "eddsa-jcs-2022" if key.public.type is KeyType.ED25519 else "ecdsa-jcs-2019"
        return sign_document(vp, key, key.public.did_key_vm, suite=suite,
                             proof_purpose="authentication", created=datetime.now(UTC),
                             challenge=nonce, domain=self.meta["credential_issuer"])  # fmt: skip

    def credential(self, access: str, body: dict[str, Any]) -> httpx.Response:
        """8.2: the credential request, the access token as a Bearer token."""
        return self.http.post(self.meta["credential_endpoint"], json=body,
                              headers={"Authorization": f"Bearer {access}"})  # fmt: skip

    def request(self, access: str, config: str, proofs: dict[str, list[Any]]) -> httpx.Response:
        return self.credential(access, {"credential_configuration_id": config, "proofs": proofs})
