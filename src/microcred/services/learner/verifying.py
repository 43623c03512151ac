"""Verify anything a learner or verifier brings, with the platform's one resolver of documents;
a plain verdict, and Annex I completeness apart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from microcred.core.verify import Check, Report
from microcred.services.context import Context
from microcred.services.verification import PlatformTokens, platform_documents, verify_with

Verdict = Literal["verified", "partially", "not-verified"]
DECISIVE = frozenset({"format", "proof", "issuer", "holder", "challenge", "status", "validity"})


def check(
    ctx: Context,
    document: Mapping[str, Any] | str | bytes,
    *,
    challenge: str | None = None,
    domain: str | None = None,
) -> Report:
    """The core verifier's report, DIDs and status lists resolved by the platform's one resolver
    (:class:`~microcred.services.verification.PlatformDocuments`, as for the API)."""
    return verify_with(platform_documents(ctx), document, now=ctx.clock(), challenge=challenge,
                       domain=domain, tokens=PlatformTokens(ctx),
                       seal_trust=ctx.seal_trust, checked=ctx.checked)  # fmt: skip


def all_checks(report: Report) -> list[Check]:
    """The report's checks and those of the credentials it carries."""
    found = list(report.checks)
    for inner in report.credentials:
        found.extend(all_checks(inner))
    return found


def verdict(report: Report, extra: tuple[Check, ...] = ()) -> Verdict:
    """Verified; not verified (a signature, status or validity check failed); or partially
    (signed, but something could not be confirmed, such as a sealed EDC's issuer). Annex I
    completeness plays no part: see :func:`completeness`."""
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


def summary(report: Report, extra: tuple[Check, ...] = ()) -> dict[str, Any]:
    """The report's JSON shape as the pages show it: with ``extra`` checks counted in."""
    data = report.to_dict()
    if extra:
        data["checks"] = [*data["checks"], *(check.to_dict() for check in extra)]
        data["verified"] = data["verified"] and all(check.holds for check in extra)
    return data


def completeness(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Annex I completeness (JSON shape) of a credential, or of each one a presentation carries."""
    found = [data["completeness"]] if data.get("completeness") else []
    for inner in data.get("credentials") or []:
        found.extend(completeness(inner))
    return found
