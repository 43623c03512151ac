"""Verify anything a learner or verifier brings, with this platform's resolvers; a plain verdict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from microcred.core.did import DidResolver
from microcred.core.verify import Check, Report, verify
from microcred.services.learner.context import LearnerContext

Verdict = Literal["verified", "partially", "not-verified"]
DECISIVE = frozenset({"format", "proof", "issuer", "holder", "challenge", "status", "validity"})


def check(
    ctx: LearnerContext,
    document: Mapping[str, Any] | str | bytes,
    *,
    challenge: str | None = None,
    domain: str | None = None,
) -> Report:
    """The core verifier's report, resolving DIDs and status lists through the platform."""
    return verify(
        document,
        resolver=DidResolver(ctx.fetch_json),
        fetch_document=ctx.fetch_json,
        now=ctx.clock(),
        expected_challenge=challenge,
        expected_domain=domain,
    )


def all_checks(report: Report) -> list[Check]:
    """The report's checks and those of the credentials it carries."""
    found = list(report.checks)
    for inner in report.credentials:
        found.extend(all_checks(inner))
    return found


def verdict(report: Report, extra: tuple[Check, ...] = ()) -> Verdict:
    """Verified; not verified (a signature, status or validity check failed); or partially
    (signed, but incomplete, or something could not be confirmed, such as a sealed EDC's
    issuer)."""
    checks = [*all_checks(report), *extra]
    if not report.readable or any(c.status == "failed" and c.name in DECISIVE for c in checks):
        return "not-verified"
    if not any(c.name == "proof" and c.status == "ok" for c in report.checks):
        return "not-verified"
    if report.verified and all(c.holds for c in extra):
        return "verified"
    return "partially"


def status_word(report: Report) -> str:
    """``revoked``, ``suspended``, ``expired`` or ``ok`` from the status and validity checks."""
    for item in all_checks(report):
        detail = item.detail.lower()
        if item.name == "status" and item.status == "failed":
            return "suspended" if "suspend" in detail else "revoked"
        if item.name == "validity" and item.status == "failed":
            return "expired"
    return "ok"
