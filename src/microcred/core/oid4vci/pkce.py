"""PKCE (RFC 7636) with the S256 method only: the code is usable by whoever started the flow.

The wallet keeps a random ``code_verifier`` and sends ``code_challenge`` =
BASE64URL(SHA-256(code_verifier)) with the authorization request; the token request must carry
the verifier. ``plain`` is refused: it protects nothing against an observer of the request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable

from microcred.core.errors import OAuthError
from microcred.core.proofs.jws import b64url_encode

S256 = "S256"
_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")  # RFC 7636 section 4.1
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")  # a base64url SHA-256 digest


def code_challenge(verifier: str) -> str:
    """The S256 challenge of ``verifier``."""
    return b64url_encode(hashlib.sha256(verifier.encode("ascii")).digest())


def new_code_verifier(random_bytes: Callable[[int], bytes]) -> str:
    """A fresh verifier: 32 random bytes, base64url (43 characters), as RFC 7636 recommends."""
    return b64url_encode(random_bytes(32))


def check_challenge(challenge: object, method: object) -> str:
    """An authorization request's ``code_challenge`` and method; ``invalid_request`` if not S256."""
    if method != S256:
        raise OAuthError("invalid_request", "code_challenge_method must be S256 (PKCE)")
    if not isinstance(challenge, str) or not _CHALLENGE.fullmatch(challenge):
        raise OAuthError("invalid_request", "code_challenge must be a base64url SHA-256 digest")
    return challenge


def check_verifier(verifier: object, challenge: str) -> None:
    """The token request's ``code_verifier`` matches ``challenge``; ``invalid_grant`` if not."""
    if not isinstance(verifier, str) or not _VERIFIER.fullmatch(verifier):
        raise OAuthError("invalid_grant", "code_verifier is missing or malformed (RFC 7636 4.1)")
    if not hmac.compare_digest(code_challenge(verifier), challenge):
        raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
