"""Errors of the platform's use cases, in the core's hierarchy (stable kebab-case codes)."""

from __future__ import annotations

from microcred.core.errors import MicrocredError


class NotFound(MicrocredError):
    """No such record (or not one the caller may see: we never say which)."""

    code = "not-found"


class Unauthenticated(MicrocredError):
    """No credentials, or credentials we do not accept."""

    code = "unauthenticated"


class Forbidden(MicrocredError):
    """The caller is known but may not do this."""

    code = "forbidden"


class Conflict(MicrocredError):
    """The request clashes with the current state (already published, already revoked...)."""

    code = "conflict"


class InvalidInput(MicrocredError):
    """A request field is missing or wrong; ``field`` names it (dotted path)."""

    code = "invalid-input"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.field = field


class NotConfigured(MicrocredError):
    """The deployment lacks a setting this action needs (e.g. MICROCRED_SECRET_KEY)."""

    code = "not-configured"


class MalformedBody(MicrocredError):
    """A request body that cannot be read: not UTF-8, not JSON, a repeated key, NaN, empty
    where one is needed, or not the JSON shape the route reads (an array for an object)."""

    code = "malformed-body"


class SiteMismatch(MicrocredError):
    """This start derives another public address than the one the database was made with."""

    code = "site-mismatch"
