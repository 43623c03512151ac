"""Errors of the use cases (platform and learner side), in the core's hierarchy: stable
kebab-case codes, each with its HTTP status and CLI exit code."""

from __future__ import annotations

from microcred.core.errors import MicrocredError


class NotFound(MicrocredError):
    """No such record (or not one the caller may see: we never say which)."""

    code = "not-found"
    http_status = 404


class Unauthenticated(MicrocredError):
    """No credentials, or credentials we do not accept."""

    code = "unauthenticated"
    http_status = 401


class Forbidden(MicrocredError):
    """The caller is known but may not do this."""

    code = "forbidden"
    http_status = 403


class Conflict(MicrocredError):
    """The request clashes with the current state (already published, already revoked...)."""

    code = "conflict"
    http_status = 409


class InvalidInput(MicrocredError):
    """A request field is missing or wrong; ``field`` names it (dotted path)."""

    code = "invalid-input"
    http_status = 422

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class NotConfigured(MicrocredError):
    """The deployment lacks a setting this action needs (e.g. MICROCRED_SECRET_KEY)."""

    code = "not-configured"
    http_status = 503


class MalformedBody(MicrocredError):
    """A request body that cannot be read: not UTF-8, not JSON, a repeated key, NaN, empty
    where one is needed, or not the JSON shape the route reads (an array for an object)."""

    code = "malformed-body"
    http_status = 400


class SiteMismatch(NotConfigured):
    """This start derives another public address than the one the database was made with."""

    code = "site-mismatch"


class LinkExpired(MicrocredError):
    """A claim, share or login link that expired, was used or was revoked."""

    code = "link-expired"
    http_status = 410


class LoginFailed(MicrocredError):
    """Wrong e-mail or password (never says which)."""

    code = "login-failed"
    http_status = 401


class SignInRequired(Unauthenticated):
    """A page for signed-in users (``role``: learner or provider) asked by a visitor who is not;
    the pages answer with the sign-in page, then ``next_url``."""

    code = "sign-in-required"

    def __init__(self, role: str, next_url: str) -> None:
        super().__init__(f"sign in as a {role}")
        self.role, self.next_url = role, next_url


class ReplayRejected(MicrocredError):
    """A presentation for a challenge that is unknown, expired or already used."""

    code = "replay-rejected"
    http_status = 409
