"""A credential as the stacking engine sees it: the Annex I model plus what the platform knows
about it beyond the document (its status, the verifier's verdict, its provider's type, the
learning opportunity it was issued for)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from microcred.core.model import MicroCredential

CredentialStatus = Literal["active", "revoked", "suspended"]


@dataclass(frozen=True)
class HeldCredential:
    """One credential offered for stacking or recognition.

    ``key`` names it in traces (its id, or the platform's record id) and must be unique in one
    evaluation. ``verified`` is the verifier report's verdict (signature, issuer, status);
    ``status`` is the status list's answer at evaluation time.
    """

    key: str
    credential: MicroCredential
    status: CredentialStatus = "active"
    verified: bool = True
    provider_type: str | None = None
    opportunity: str | None = None
    credential_type: str | None = None

    def in_force_problem(self, now: datetime) -> str | None:
        """Why this credential cannot count at ``now`` (revoked, suspended, expired,
        not verified, not yet valid), or None."""
        if self.status != "active":
            return f"{self.status} at the time of evaluation"
        if not self.verified:
            return "not verified (signature, issuer or status check failed)"
        naive = naive_dates(self.credential)
        if naive:
            return f"{' and '.join(naive)} without a time zone"
        valid_until = self.credential.valid_until
        if valid_until is not None and valid_until <= now:
            return f"expired on {valid_until.date().isoformat()}"
        issued = self.credential.issued
        if issued is not None and issued > now:
            return f"issued in the future ({issued.date().isoformat()})"
        return None

    @property
    def provider_ids(self) -> tuple[str, ...]:
        """Ids of the credential's awarding bodies."""
        return tuple(body.id for body in self.credential.awarding_bodies if body.id)


def naive_dates(mc: MicroCredential) -> list[str]:
    """The credential's dates that have no time zone (they cannot be compared with now)."""
    dates = (("date of issue", mc.issued), ("expiry date", mc.valid_until))
    return [name for name, value in dates if value is not None and value.tzinfo is None]
