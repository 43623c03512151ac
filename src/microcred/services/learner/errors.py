"""Errors of the learner-side use cases (stable codes, translated once per adapter)."""

from __future__ import annotations

from microcred.core.errors import MicrocredError


class NotFound(MicrocredError):
    """Nothing with that id exists *for this caller* (another's data looks the same as none)."""

    code = "not-found"


class LinkExpired(MicrocredError):
    """A claim, share or login link that expired, was used or was revoked."""

    code = "link-expired"


class LoginFailed(MicrocredError):
    """Wrong e-mail or password (never says which)."""

    code = "login-failed"


class BadInput(MicrocredError):
    """A form or request value that cannot be used; the message names it."""

    code = "bad-input"


class ReplayRejected(MicrocredError):
    """A presentation for a challenge that is unknown, expired or already used."""

    code = "replay-rejected"
