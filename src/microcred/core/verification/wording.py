"""The two results of a verification in one sentence each, in the reader's language.

Both functions read the JSON shape (:meth:`Report.to_dict`, :meth:`Completeness.to_dict`), so
the CLI, the pages and stored presentation results word them the same way. Details of checks
stay as the verifier wrote them (English); the frame and the element names are translated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from microcred.core.i18n import translate


def verdict_line(report: Mapping[str, Any], lang: str) -> str:
    """``Verified: genuine, issued by X, valid now, not revoked`` or why it is not verified."""
    if report.get("verified"):
        if report.get("kind") == "presentation":
            return translate("verdict.line.verified_presentation", lang,
                             holder=report.get("issuer") or "?")  # fmt: skip
        return translate("verdict.line.verified", lang, issuer=report.get("issuer") or "?",
                         status=_status_part(report, lang))  # fmt: skip
    found = next(_failures(report, lang, ""), None)
    if found is None:  # not verified, yet nothing failed: no valid proof was found
        found = ("verdict.line.not_verified", {"reason": translate("check.proof", lang)})
    key, values = found
    return translate(key, lang, **values)


def _status_part(report: Mapping[str, Any], lang: str) -> str:
    statuses = [c.get("status") for c in report.get("checks", []) if c.get("name") == "status"]
    key = "verdict.part.not_revoked" if "ok" in statuses else "verdict.part.no_status"
    return translate(key, lang)


def _failures(
    report: Mapping[str, Any], lang: str, where: str
) -> Iterator[tuple[str, dict[str, str]]]:
    """``(message key, values)`` of each failed check, then of each check left unconfirmed."""
    checks = [c for c in report.get("checks", []) if isinstance(c, Mapping)]
    for check in checks:
        if check.get("status") == "failed":
            reason = f"{where}{_name(check, lang)}: {check.get('detail')}"
            yield "verdict.line.not_verified", {"reason": reason}
    for number, inner in enumerate(report.get("credentials") or [], start=1):
        prefix = translate("verdict.part.in_credential", lang, number=number) + " — "
        yield from _failures(inner, lang, where + prefix)
    for check in checks:
        if check.get("status") == "skipped" and check.get("blocking"):
            values = {"check": where + _name(check, lang), "detail": str(check.get("detail"))}
            yield "verdict.line.unconfirmed", values


def _name(check: Mapping[str, Any], lang: str) -> str:
    name = str(check.get("name"))
    try:
        return translate(f"check.{name}", lang)
    except KeyError:
        return name


def completeness_line(
    completeness: Mapping[str, Any], lang: str, *, with_problems: bool = True
) -> str:
    """``Complete EU micro-credential (Annex I)``, what is missing (and wrong, unless
    ``with_problems`` is false), or why it does not apply."""
    state = str(completeness.get("state"))
    if state == "unreadable":
        return translate("completeness.line.unreadable", lang,
                         reason=completeness.get("reason") or "?")  # fmt: skip
    if state != "incomplete":
        return translate(f"completeness.{state}", lang)
    parts = []
    missing = [element_name(key, lang) for key in completeness.get("missing", [])]
    if missing:
        parts.append(translate("completeness.missing", lang, elements=", ".join(missing)))
    for problem in completeness.get("problems", []) if with_problems else []:
        parts.append(f"{element_name(problem['element'], lang)}: {problem['message']}")
    if not parts:  # only problems, and the caller lists them itself
        return translate("completeness.incomplete", lang)
    return translate("completeness.line.incomplete", lang, what="; ".join(parts))


def element_name(key: str, lang: str) -> str:
    """The title of an Annex I element (its key when the catalogue has none)."""
    try:
        return translate(key, lang)
    except KeyError:
        return key
