"""The authorization code flow with PKCE, beside the pre-authorized code (sections 5, 6).

The wallet sends the learner to the authorization endpoint with ``response_type=code``, its
``client_id`` and ``redirect_uri``, an S256 ``code_challenge``, and what it wants: an
``authorization_details`` entry of type ``openid_credential`` per credential configuration, or
the configurations' ``scope`` values; ``issuer_state`` comes back from the offer. Once the
learner has signed in and agreed, a short-lived, single-use code is bound to that client,
redirect URI and challenge (:class:`CodeGrant`); the token request must repeat the first two and
prove the third with its ``code_verifier``. The pre-authorized grant's transaction code is
checked here too, with a bound on wrong guesses (13.6.3).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from microcred.core.errors import OAuthError
from microcred.core.oid4vci.metadata import OPENID_CREDENTIAL, Endpoints
from microcred.core.oid4vci.pkce import check_challenge, check_verifier
from microcred.core.oid4vp.claims_path import ClaimsPath, parse_claims_path

CODE_LIFETIME = timedelta(minutes=5)
MAX_TX_CODE_FAILURES = 5
MAX_DETAILS = 10
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_FORBIDDEN_SCHEMES = frozenset({"javascript", "data", "file", "vbscript", "about", "blob"})


def _invalid(description: str) -> OAuthError:
    return OAuthError("invalid_request", description)


def _bad_details(description: str) -> OAuthError:
    return OAuthError("invalid_authorization_details", description)


def check_redirect_uri(value: object) -> str:
    """A public client's redirect URI (RFC 8252): https, http on loopback, or an app's own
    private-use scheme (with a dot, e.g. ``org.example.wallet:/cb``); never a fragment."""
    if not isinstance(value, str) or not value:
        raise _invalid("redirect_uri is required")
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if parts.fragment or "#" in value:
        raise _invalid("redirect_uri must not have a fragment")
    if scheme == "https" and parts.hostname:
        return value
    if scheme == "http" and parts.hostname in _LOOPBACK:
        return value
    if "." in scheme and scheme not in _FORBIDDEN_SCHEMES and scheme not in ("http", "https"):
        return value
    raise _invalid(f"redirect_uri {value[:80]!r} is not https, loopback http or an app scheme")


@dataclass(frozen=True)
class AuthorizationDetail:
    """An ``openid_credential`` authorization detail: one credential configuration."""

    configuration_id: str
    claims: tuple[ClaimsPath, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        """The detail as sent (without ``credential_identifiers``)."""
        value: dict[str, Any] = {"type": OPENID_CREDENTIAL,
                                 "credential_configuration_id": self.configuration_id}  # fmt: skip
        if self.claims is not None:
            value["claims"] = [{"path": list(path)} for path in self.claims]
        return value


def _detail(entry: object, where: str, configurations: Mapping[str, Any]) -> AuthorizationDetail:
    if not isinstance(entry, Mapping) or entry.get("type") != OPENID_CREDENTIAL:
        raise _bad_details(f"{where} is not of type {OPENID_CREDENTIAL}")
    configuration = entry.get("credential_configuration_id")
    if configuration not in configurations:
        raise _bad_details(f"{where}: unknown credential_configuration_id {configuration!r}")
    claims = entry.get("claims")
    if claims is None:
        return AuthorizationDetail(str(configuration))
    if not isinstance(claims, list) or not claims:
        raise _bad_details(f"{where}.claims must be a non-empty array")
    paths = []
    for i, claim in enumerate(claims):
        path = claim.get("path") if isinstance(claim, Mapping) else None
        try:
            paths.append(parse_claims_path(path, f"{where}.claims[{i}].path"))
        except OAuthError as exc:
            raise _bad_details(exc.message) from None
    return AuthorizationDetail(str(configuration), tuple(paths))


def read_authorization_details(
    value: object, configurations: Mapping[str, Any]
) -> tuple[AuthorizationDetail, ...]:
    """``authorization_details`` (RFC 9396, a JSON array, as text in a form or query)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _bad_details("authorization_details is not JSON") from None
    if not isinstance(value, list) or not value or len(value) > MAX_DETAILS:
        raise _bad_details(f"authorization_details must be an array of 1 to {MAX_DETAILS} objects")
    mine = [
        entry
        for entry in value
        if isinstance(entry, Mapping) and entry.get("type") == OPENID_CREDENTIAL
    ]
    if len(mine) != len(value):
        raise _bad_details(f"only {OPENID_CREDENTIAL} details are supported")
    return tuple(
        _detail(e, f"authorization_details[{i}]", configurations) for i, e in enumerate(mine)
    )


def _by_scope(scope: str, configurations: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    found = []
    for value in scope.split():
        matching = [cid for cid, c in configurations.items() if c.get("scope") == value]
        if not matching:
            raise OAuthError("invalid_scope", f"unknown scope {value[:60]!r}")
        found += [cid for cid in matching if cid not in found]
    return tuple(found)


@dataclass(frozen=True)
class AuthorizationRequest:
    """A checked authorization request (section 5.1) from a public client using PKCE."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    configuration_ids: tuple[str, ...]
    details: tuple[AuthorizationDetail, ...] = ()
    state: str | None = None
    issuer_state: str | None = None


def read_authorization_request(
    params: Mapping[str, str], configurations: Mapping[str, Mapping[str, Any]]
) -> AuthorizationRequest:
    """Check an authorization request. Until the ``redirect_uri`` is known to be good an error
    must not be redirected (RFC 6749 4.1.2.1): it is checked first, before anything else."""
    redirect_uri = check_redirect_uri(params.get("redirect_uri"))
    client_id = params.get("client_id")
    if not client_id:
        raise _invalid("client_id is required")
    if params.get("response_type") != "code":
        raise OAuthError("unsupported_response_type", "only response_type code is supported")
    challenge = check_challenge(params.get("code_challenge"), params.get("code_challenge_method"))
    details: tuple[AuthorizationDetail, ...] = ()
    ids: tuple[str, ...] = ()
    if "authorization_details" in params:
        details = read_authorization_details(params["authorization_details"], configurations)
        ids = tuple(dict.fromkeys(d.configuration_id for d in details))
    if params.get("scope"):
        ids += tuple(i for i in _by_scope(params["scope"], configurations) if i not in ids)
    if not ids:
        raise _invalid("ask for a credential: authorization_details or a scope")
    return AuthorizationRequest(client_id, redirect_uri, challenge, ids, details,
                                params.get("state"), params.get("issuer_state"))  # fmt: skip


def redirect_with(redirect_uri: str, params: Mapping[str, str | None]) -> str:
    """``redirect_uri`` with ``params`` added to its query (RFC 6749 4.1.2)."""
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{redirect_uri}{'&' if urlsplit(redirect_uri).query else '?'}{extra}"


def authorization_response(request: AuthorizationRequest, code: str, endpoints: Endpoints) -> str:
    """Where the learner's browser goes after consent: the code, state and ``iss`` (RFC 9207)."""
    return redirect_with(request.redirect_uri, {"code": code, "state": request.state,
                                                "iss": endpoints.issuer})  # fmt: skip


def error_response(request: AuthorizationRequest, error: OAuthError, endpoints: Endpoints) -> str:
    """The redirect for a refusal once the redirect URI is known to be good."""
    params = {"error": error.error, "error_description": error.message,
              "state": request.state, "iss": endpoints.issuer}  # fmt: skip
    return redirect_with(request.redirect_uri, params)


# --- the code and the token request -----------------------------------------------------------


@dataclass(frozen=True)
class CodeGrant:
    """What the issuer keeps for one authorization code; ``subject`` is who agreed (opaque)."""

    request: AuthorizationRequest
    subject: str
    expires_at: datetime
    used_at: datetime | None = None


def grant_code(
    request: AuthorizationRequest,
    *,
    subject: str,
    now: datetime,
    lifetime: timedelta = CODE_LIFETIME,
) -> CodeGrant:
    """The record of a code issued now for ``request``, agreed to by ``subject``."""
    return CodeGrant(request, subject, now + lifetime)


def redeem_code(grant: CodeGrant | None, form: Mapping[str, str], now: datetime) -> CodeGrant:
    """The grant spent by a token request (``grant_type=authorization_code``); ``invalid_grant``
    when the code is unknown, used, expired, or asked for by another client, another redirect
    URI, or without the PKCE verifier. A used code must also end the tokens it gave (4.1.2)."""
    if grant is None:
        raise OAuthError("invalid_grant", "unknown authorization code")
    if grant.used_at is not None:
        raise OAuthError("invalid_grant", "this authorization code was already used")
    if now > grant.expires_at:
        raise OAuthError("invalid_grant", "this authorization code has expired")
    if form.get("client_id") != grant.request.client_id:
        raise OAuthError("invalid_grant", "the code was issued to another client")
    if form.get("redirect_uri") != grant.request.redirect_uri:
        raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request")
    check_verifier(form.get("code_verifier"), grant.request.code_challenge)
    return replace(grant, used_at=now)


def narrowed(
    grant: CodeGrant, form: Mapping[str, str], configurations: Mapping[str, Any]
) -> tuple[str, ...]:
    """The configurations the token covers: those authorized, or the subset the token request
    names in its own ``authorization_details`` (6.1.1)."""
    if "authorization_details" not in form:
        return grant.request.configuration_ids
    asked = read_authorization_details(form["authorization_details"], configurations)
    ids = tuple(dict.fromkeys(d.configuration_id for d in asked))
    beyond = [i for i in ids if i not in grant.request.configuration_ids]
    if beyond:
        raise _bad_details(f"{beyond[0]!r} was not authorized")
    return ids


def check_tx_code(given: object, matches: Callable[[str], bool] | None, failures: int) -> None:
    """The pre-authorized grant's transaction code (6.1, 13.6.3): present exactly when the
    offer asked for one, right, and not after :data:`MAX_TX_CODE_FAILURES` wrong tries."""
    if matches is None:
        if given is not None:
            raise _invalid("this offer takes no tx_code")
        return
    if not isinstance(given, str) or not given:
        raise _invalid("this offer needs its tx_code")
    if failures >= MAX_TX_CODE_FAILURES:
        raise OAuthError("invalid_grant", "too many wrong transaction codes: the offer is void")
    if not matches(given):
        raise OAuthError("invalid_grant", "wrong transaction code")


def token_response(
    access_token: str,
    *,
    lifetime: timedelta,
    identifiers: Sequence[tuple[str, Sequence[str]]] = (),
) -> dict[str, Any]:
    """The token response (6.2): with ``authorization_details`` giving the
    ``credential_identifiers`` per configuration when the wallet used authorization details."""
    response: dict[str, Any] = {"access_token": access_token, "token_type": "Bearer",
                                "expires_in": int(lifetime.total_seconds())}  # fmt: skip
    if identifiers:
        response["authorization_details"] = [
            {"type": OPENID_CREDENTIAL, "credential_configuration_id": configuration,
             "credential_identifiers": list(ids)}
            for configuration, ids in identifiers
        ]  # fmt: skip
    return response
