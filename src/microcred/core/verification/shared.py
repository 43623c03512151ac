"""What the format checkers share: the issuer/holder key check, the checks after the proof,
and the proof and key checks of a JOSE-secured document.

The format checkers (:mod:`.tokens`, :mod:`.presentations`, :mod:`.jades`) and the engine build
on this module; it imports none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.core.proofs.jose import JoseResult
from microcred.core.verification.checks import (
    format_label,
    status_checks,
    trust_check,
    validity_check,
)
from microcred.core.verification.clr import bundle_report
from microcred.core.verification.completeness import completeness_of
from microcred.core.verification.context import Context
from microcred.core.verification.controllers import KeyLookup, controller_of
from microcred.core.verification.report import Check, Report, failed, ok, skipped

MAX_PROOFS = 10  # a proof set or chain longer than this is refused, not verified one by one


def credential_report(
    document: Mapping[str, Any],
    checks: list[Check],
    context: Context,
    lookup: KeyLookup,
    issuer: str | None,
) -> Report:
    """Add status, validity and trust checks to the authenticity checks, and Annex I apart.

    A CLR 2.0 gets each bundled credential verified beneath it.
    """
    checks += status_checks(document, lookup, context.fetch_document, context.now, context.checked)
    checks.append(validity_check(document, context.now))
    trusted = trust_check(issuer, context.trust_list)
    if trusted is not None:
        checks.append(trusted)
    label = format_label(document)
    report = Report("credential", label, tuple(checks), issuer=issuer, document=document,
                    completeness=completeness_of(document))  # fmt: skip
    return bundle_report(report, document, context) if label == "CLR 2.0" else report


def key_owner_check(
    name: str, owner: str, methods: list[str], lookup: KeyLookup, proofs: list[Check]
) -> Check:
    """Every verification method belongs to ``owner`` and was resolved through it."""
    if not methods:
        return failed(name, f"no verification method to tie to {owner}")
    strangers = [m for m in methods if controller_of(m) != owner]
    if strangers and not owner.startswith(("did:", "https://")):
        detail = f"{owner} names no keys, so key {strangers[0]} cannot be tied to it"
        return skipped(name, detail, blocking=True)
    if strangers:
        return failed(name, f"key {strangers[0]} is not controlled by the {name} {owner}")
    if not any(check.status == "ok" for check in proofs):
        return failed(name, f"no valid proof by a key of {owner}")
    unconfirmed = [m for m in methods if m in lookup.unconfirmed]
    if unconfirmed:
        why = lookup.unconfirmed[unconfirmed[0]]
        detail = f"key taken from {unconfirmed[0]}; that {owner} controls it is unconfirmed ({why})"
        return skipped(name, detail, blocking=True)
    return ok(name, f"signed with a key listed by {owner} ({methods[0]})")


def token_proof_check(result: JoseResult, label: str) -> Check:
    """The ``proof`` check of a JOSE-secured document."""
    alg = str(result.header.get("alg", "?"))
    if result.ok:
        return ok("proof", f"{label} ({alg}): signature valid")
    return failed("proof", f"{label} ({alg}): {result.reason or 'invalid'}")


def token_owner_check(name: str, owner: str | None, result: JoseResult, lookup: KeyLookup) -> Check:
    """The key that signed the token belongs to ``owner``."""
    if owner is None:
        return failed(name, f"the token names no {name}")
    if result.key_in_header:
        detail = "the key is carried in the token's own header: nothing ties it to " + owner
        return skipped(name, detail, blocking=True)
    proof = [token_proof_check(result, "JWT")]
    return key_owner_check(name, owner, [result.key_id] if result.key_id else [], lookup, proof)
