"""CLR 2.0 bundles: the CLR's own checks, then each embedded credential as its own report.

The CLR's proof covers the bundle as a whole; each part carries its own proof, by its own
issuer, and is verified on its own (status, validity, with its Annex I completeness apart) and
reported beneath; the bundle has no completeness of its own. The ``associations`` check shows
how the bundle relates the parts' achievements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.formats.clr import MAX_PARTS, ClrBundle, read_clr
from microcred.core.verification.context import Context
from microcred.core.verification.report import Check, Report, failed, ok, skipped, unreadable

SHOWN_ASSOCIATIONS = 20


def bundle_report(report: Report, document: Mapping[str, Any], context: Context) -> Report:
    """``report`` (the CLR's own checks) with its parts verified and its associations shown."""
    try:
        bundle = read_clr(document)
    except MicrocredError as exc:
        return _with(report, failed("associations", f"the bundle cannot be read: {exc.message}"))
    if len(bundle.parts) > MAX_PARTS:
        why = f"{len(bundle.parts)} credentials: more than the {MAX_PARTS} we verify in a CLR"
        return _with(report, failed("parts", why))
    parts = tuple(_part_report(item, context) for item in bundle.parts)
    checks = [*report.checks, _parts_check(bundle, parts), _associations_check(bundle)]
    return replace(report, checks=tuple(checks), credentials=parts, completeness=None)


def _with(report: Report, check: Check) -> Report:
    """A bundle is not one micro-credential: Annex I completeness is each part's own."""
    return replace(report, checks=(*report.checks, check), completeness=None)


def _part_report(item: Any, context: Context) -> Report:
    if not isinstance(item, Mapping | str):
        return unreadable("a bundled credential is neither an object nor a token")
    return context.verify_part(item)


def _parts_check(bundle: ClrBundle, parts: tuple[Report, ...]) -> Check:
    verified = sum(1 for part in parts if part.verified)
    strangers = [p.document for p in parts if p.document and _subject_id(p.document)
                 not in (None, bundle.learner)]  # fmt: skip
    detail = f"{len(parts)} bundled credential(s), {verified} verified (see each below)"
    if strangers:
        detail += f"; {len(strangers)} name a subject other than {bundle.learner}"
    return ok("parts", detail)


def _subject_id(document: Mapping[str, Any]) -> str | None:
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    value = subject.get("id") if isinstance(subject, Mapping) else None
    return value if isinstance(value, str) else None


def _associations_check(bundle: ClrBundle) -> Check:
    if not bundle.associations:
        return skipped("associations", "the CLR relates none of its achievements")
    shown = [_describe(bundle, link.source_id) + f" {link.association_type} "
             + _describe(bundle, link.target_id)
             for link in bundle.associations[:SHOWN_ASSOCIATIONS]]  # fmt: skip
    more = len(bundle.associations) - len(shown)
    tail = f"; and {more} more" if more > 0 else ""
    return ok("associations", "; ".join(shown) + tail)


def _describe(bundle: ClrBundle, achievement_id: str) -> str:
    name = bundle.achievement_name(achievement_id)
    return f"'{name}'" if name else f"{achievement_id} (not in this CLR)"
