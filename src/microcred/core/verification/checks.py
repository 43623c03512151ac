"""The checks after the proof: status, validity period, trusted issuer (Annex I completeness is a
result apart: :mod:`microcred.core.verification.completeness`)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.proofs.data_integrity import proof_list, verify_proofs
from microcred.core.status import check_status, entry_list_url, is_list_entry, status_entries
from microcred.core.verification.controllers import FetchDocument, KeyLookup, controller_of
from microcred.core.verification.document_cache import CheckMemo
from microcred.core.verification.report import Check, failed, ok, skipped
from microcred.core.verification.wellformed import (
    NotExpanded,
    SpellingProblem,
    as_list,
    credential_problems,
    field_of,
    parse_datetime,
    reading_problems,
    types_of,
    version_of,
)

EXTENSION_CONTEXT = "https://w3id.org/microcred/ob3-extension/v1"
OB3_TYPES = frozenset({"AchievementCredential", "OpenBadgeCredential", "EndorsementCredential"})
ELM_TYPES = frozenset({"EuropeanDigitalCredential", "VerifiableAttestation"})


def issuer_id(document: Mapping[str, Any]) -> str | None:
    """The issuer's id (string issuer or ``issuer.id``)."""
    issuer = document.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def form_checks(document: Mapping[str, Any], well_formed: str) -> list[Check]:
    """``format`` (the data model's rules) and ``spelling`` (what the checks read is what is
    signed: :mod:`microcred.core.verification.spelling`), from one well-formedness reading."""
    problems = credential_problems(document)
    spelled = [p for p in problems if isinstance(p, SpellingProblem)]
    others = [p for p in problems if not isinstance(p, SpellingProblem)]
    shape = failed("format", "; ".join(others[:5])) if others else ok("format", well_formed)
    if spelled:  # first: a re-spelled key is why the format looks wrong, and the verdict says so
        return [failed("spelling", "; ".join(spelled[:5])), shape]
    if any(isinstance(p, NotExpanded) or field_of(p).startswith("@context") for p in others):
        return [shape, skipped("spelling", "not read: the JSON-LD cannot be expanded")]
    return [shape, ok("spelling", SPELLING_OK)]


SPELLING_OK = "issuer, validity and status are written plainly: what is checked is what is signed"


def format_label(document: Mapping[str, Any]) -> str:
    """A human name for the document's format."""
    kinds = {t for t in types_of(document) if isinstance(t, str)}  # an object there: no label
    contexts = [c for c in as_list(document.get("@context")) if isinstance(c, str)]
    if "ClrCredential" in kinds:
        return "CLR 2.0"
    if kinds & OB3_TYPES:
        return "Open Badges 3.0"
    if kinds & ELM_TYPES or any("data.europa.eu/snb" in c for c in contexts):
        return "ELM/EDC"
    return f"VC {version_of(document) or '?'}"


def _moment(value: str) -> datetime | None:
    moment = parse_datetime(value)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # VCDM: a date-time without offset is UTC
    return moment


def validity_check(document: Mapping[str, Any], now: datetime) -> Check:
    """validFrom/validUntil (VC 2.0) or issuanceDate/expirationDate (VC 1.1) against ``now``."""
    start_name, end_name = ("validFrom", "validUntil")
    if version_of(document) == "1.1":
        start_name, end_name = ("issuanceDate", "expirationDate")
    start, end = document.get(start_name), document.get(end_name)
    at = now.isoformat().replace("+00:00", "Z")
    if isinstance(start, str) and (moment := _moment(start)) and now < moment:
        return failed("validity", f"not valid yet: {start_name} is {start} (checked at {at})")
    if isinstance(end, str) and (moment := _moment(end)) and now > moment:
        return failed("validity", f"expired: {end_name} was {end} (checked at {at})")
    if start is None and end is None:
        return ok("validity", "no validity period stated")
    period = f"from {start or 'any time'} until {end or 'no end'}"
    return ok("validity", f"valid at {at} ({period})")


def status_checks(
    document: Mapping[str, Any],
    lookup: KeyLookup,
    fetch: FetchDocument,
    now: datetime,
    checked: CheckMemo | None = None,
) -> Iterator[Check]:
    """One ``status`` check per ``credentialStatus`` entry (``checked``: each list's proof
    check is kept with its JSON, so a list seen again is not verified again)."""
    entries = status_entries(document)
    if not entries and document.get("credentialStatus") is not None:
        yield failed("status", "credentialStatus is not an object")
    if not entries:
        yield skipped("status", "the credential has no credentialStatus: it cannot be revoked")
    for entry in entries:
        yield _status_check(entry, lookup, fetch, now, checked)


def _status_check(
    entry: Mapping[str, Any],
    lookup: KeyLookup,
    fetch: FetchDocument,
    now: datetime,
    checked: CheckMemo | None,
) -> Check:
    if not is_list_entry(entry):
        kind = entry.get("type")
        return skipped("status", f"status method {kind!r} is not supported: unknown", blocking=True)
    try:
        url = entry_list_url(entry)
        status_list = fetch(url)
    except MicrocredError as exc:
        return failed("status", f"status list unreachable, status unknown: {exc.message}")
    except (LookupError, OSError, ValueError, TypeError) as exc:  # from the injected fetcher
        return failed("status", f"status list unreachable, status unknown: {exc}")
    if checked is not None and isinstance(status_list, Mapping):
        reason = checked("status-list-proof", status_list,
                         lambda: _list_proof_problem(status_list, lookup))  # fmt: skip
    else:
        reason = _list_proof_problem(status_list, lookup)
    if reason:
        return failed("status", f"status list {url} cannot be trusted: {reason}")
    try:
        result = check_status(entry, status_list, now=now)
    except MicrocredError as exc:
        return failed("status", f"status list {url}: {exc.message}")
    if result.status == "ok":
        return ok("status", result.detail)
    return failed("status", result.detail)


def _list_proof_problem(status_list: Mapping[str, Any], lookup: KeyLookup) -> str | None:
    if not isinstance(status_list, Mapping):
        return "it is not a JSON object"
    if len(proof_list(status_list)) > 10:
        return "it has more than 10 proofs"
    results = verify_proofs(status_list, lookup, expected_purpose="assertionMethod")
    if not results:
        return "it has no proof"
    bad = [r for r in results if not r.ok]
    if bad:
        return f"its {bad[0].suite} proof failed: {bad[0].reason}"
    misread = reading_problems(status_list)
    if misread:
        return "; ".join(misread[:3])
    owner = issuer_id(status_list)
    strangers = [
        r.verification_method
        for r in results
        if controller_of(r.verification_method or "") != owner
    ]
    return f"it is signed by {strangers[0]}, not by its issuer {owner}" if strangers else None


def claims_micro_credential(document: Mapping[str, Any]) -> bool:
    """ELM/EDC, our OB 3.0 extension, or an OB 3.0 achievement typed MicroCredential."""
    if format_label(document) == "ELM/EDC" or EXTENSION_CONTEXT in as_list(
        document.get("@context")
    ):
        return True
    for subject in as_list(document.get("credentialSubject")):
        achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
        if (
            isinstance(achievement, Mapping)
            and achievement.get("achievementType") == "MicroCredential"
        ):
            return True
    return False


def trust_check(issuer: str | None, trust_list: Collection[str] | None) -> Check | None:
    """``trusted-issuer``: only when a trust list is given."""
    if trust_list is None:
        return None
    if issuer is None:
        return failed("trusted-issuer", "the credential names no issuer")
    if issuer in trust_list:
        return ok("trusted-issuer", f"{issuer} is on the trust list")
    return failed("trusted-issuer", f"{issuer} is not on the trust list")
