"""The verification report: named checks, each ``ok``, ``failed`` or ``skipped``, with a reason.

Two verdicts on the document's trustworthiness, and a separate result on its content:

* ``authentic``: the document is well formed, every proof verifies and the keys belong to the
  issuer (or, for a presentation, the holder, bound to the verifier's challenge). Nothing about
  whether it is still in force.
* ``verified``: authentic, *and* in force (status neither revoked nor suspended, validity
  period holds, issuer trusted when a trust list was given), *and* no check was skipped for lack
  of data (a status we could not read, a key whose controller we could not confirm). Checks
  skipped because they do not apply (no ``credentialStatus``, no trust list) do not block it.
* ``completeness`` (:class:`~microcred.core.verification.completeness.Completeness`): whether it
  is a complete EU micro-credential (Annex I). It never changes ``verified``: a genuine Open
  Badge from another platform is verified, and "not a micro-credential".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from microcred.core.verification.completeness import Completeness

Status = Literal["ok", "failed", "skipped"]
AUTHENTICITY = frozenset({"format", "spelling", "proof", "issuer", "holder", "challenge"})


@dataclass(frozen=True)
class Check:
    """One named check; ``blocking`` marks a skip for lack of data (it prevents ``verified``)."""

    name: str
    status: Status
    detail: str
    blocking: bool = False

    @property
    def holds(self) -> bool:
        """True unless failed, or skipped for lack of data."""
        return self.status == "ok" or (self.status == "skipped" and not self.blocking)

    def to_dict(self) -> dict[str, Any]:
        """``blocking``: a skip for lack of data, which prevents ``verified``."""
        return {"name": self.name, "status": self.status, "detail": self.detail,
                "blocking": self.blocking}  # fmt: skip


def ok(name: str, detail: str) -> Check:
    """A passed check."""
    return Check(name, "ok", detail)


def failed(name: str, detail: str) -> Check:
    """A failed check."""
    return Check(name, "failed", detail)


def skipped(name: str, detail: str, *, blocking: bool = False) -> Check:
    """A check that was not run; ``blocking`` when it should have been but data was missing."""
    return Check(name, "skipped", detail, blocking)


@dataclass(frozen=True)
class Report:
    """Every check run on one credential or presentation (and its embedded credentials)."""

    kind: str  # "credential", "presentation", or "unknown" when unreadable
    format: str
    checks: tuple[Check, ...]
    credentials: tuple[Report, ...] = ()
    issuer: str | None = None
    readable: bool = True  # False: the input is not a credential or presentation at all
    document: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)
    completeness: Completeness | None = None  # None for presentations and unreadable input
    seal: Mapping[str, Any] | None = None  # a JAdES seal: its chain, time-stamp, trust anchor

    @property
    def authentic(self) -> bool:
        """Well formed, signed by a key of the issuer (holder), bound to the challenge."""
        own = all(c.holds for c in self.checks if c.name in AUTHENTICITY)
        has_proof = any(c.name == "proof" and c.status == "ok" for c in self.checks)
        return own and has_proof and all(r.authentic for r in self.credentials)

    @property
    def verified(self) -> bool:
        """Authentic, in force, trusted when asked: nothing failed or left unknown.

        Annex I completeness is not part of it (see :attr:`completeness`).
        """
        own = all(c.holds for c in self.checks)
        return self.authentic and own and all(r.verified for r in self.credentials)

    def named(self, name: str) -> list[Check]:
        """The checks called ``name``."""
        return [check for check in self.checks if check.name == name]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape used by the CLI and the API."""
        result: dict[str, Any] = {
            "kind": self.kind,
            "format": self.format,
            "verified": self.verified,
            "authentic": self.authentic,
            "issuer": self.issuer,
            "checks": [check.to_dict() for check in self.checks],
            "completeness": self.completeness.to_dict() if self.completeness else None,
        }
        if self.seal is not None:
            result["seal"] = dict(self.seal)
        if self.credentials:
            result["credentials"] = [report.to_dict() for report in self.credentials]
        return result


def unreadable(reason: str, label: str = "unknown") -> Report:
    """The report for input that is not a credential at all (``label``: what it looked like)."""
    return Report("unknown", label, (failed("format", reason),), readable=False)
