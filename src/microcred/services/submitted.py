"""Credentials submitted to a receiving organisation or an authority: each is verified first
with the platform's verifier (the report is kept with the case), then read into the Annex I
model the stacking and recognition engines work on."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from microcred.adapters.db.tables import Credential, OpportunityVersion
from microcred.core.errors import MicrocredError
from microcred.core.formats.detect import load_document, read_document
from microcred.core.stacking import HeldCredential
from microcred.core.stacking.held import CredentialStatus
from microcred.core.verify import Report
from microcred.services.context import Context
from microcred.services.errors import InvalidInput
from microcred.services.verification import verify_document

MAX_SUBMITTED = 50
Document = Mapping[str, Any] | str


@dataclass(frozen=True)
class Submitted:
    """The credentials of one request: as held by the engines, as submitted, and the
    verifier's report on each (by key)."""

    held: tuple[HeldCredential, ...]
    documents: list[dict[str, Any]]
    reports: dict[str, dict[str, Any]]


def _status(report: Report) -> CredentialStatus:
    details = " ".join(c.detail for c in report.named("status") if c.status == "failed")
    if "revoked" in details:
        return "revoked"
    return "suspended" if "suspended" in details else "active"


def _readable(document: Document, field: str) -> Mapping[str, Any]:
    try:
        if isinstance(document, str):
            return load_document(document.encode("utf-8"))
        return document
    except MicrocredError as exc:
        raise InvalidInput(f"{field}: {exc.message}", field=field) from None


def _held(
    ctx: Context, document: Document, field: str, taken: set[str]
) -> tuple[HeldCredential, Report]:
    readable = _readable(document, field)
    try:
        mc = read_document(readable).credential
    except MicrocredError as exc:
        raise InvalidInput(f"{field}: not a credential we can read: {exc.message}",
                           field=field) from None  # fmt: skip
    key = mc.id if mc.id and mc.id not in taken else f"credential-{len(taken) + 1}"
    taken.add(key)
    report = verify_document(ctx, document)
    held = HeldCredential(
        key,
        mc,
        status=_status(report),
        verified=report.verified,
        opportunity=opportunity_of(ctx, mc.id, readable, mc.specification_id),
    )
    return held, report


def opportunity_of(
    ctx: Context, credential_id: str | None, readable: Mapping[str, Any], named: str | None
) -> str | None:
    """The learning opportunity a credential was issued for: the catalogue address of the
    opportunity when this platform issued exactly this document, else what it names itself."""
    row_id = (credential_id or "").removeprefix("urn:uuid:")
    row = ctx.session.get(Credential, row_id) if len(row_id) == 36 else None
    if row is None or row.opportunity_version_id is None or _parsed(row.document) != readable:
        return named
    version = ctx.session.get(OpportunityVersion, row.opportunity_version_id)
    return ctx.site.opportunity_url(version.opportunity_id) if version else named


def _parsed(text: str) -> Any:
    try:
        return load_document(text.encode("utf-8"))
    except MicrocredError:
        return None


def verified_credentials(ctx: Context, documents: Sequence[Document]) -> Submitted:
    """Verify and read every document; InvalidInput naming the first that is not a credential."""
    if not documents:
        raise InvalidInput("submit at least one credential", field="credentials")
    if len(documents) > MAX_SUBMITTED:
        raise InvalidInput(f"at most {MAX_SUBMITTED} credentials at once", field="credentials")
    taken: set[str] = set()
    held: list[HeldCredential] = []
    kept: list[dict[str, Any]] = []
    reports: dict[str, dict[str, Any]] = {}
    for number, document in enumerate(documents):
        field = f"credentials[{number}]"
        one, report = _held(ctx, document, field, taken)
        held.append(one)
        kept.append({"key": one.key, "document": _as_json(document)})
        reports[one.key] = report.to_dict()
    return Submitted(tuple(held), kept, reports)


def kept_credentials(
    documents: Sequence[Mapping[str, Any]], reports: Mapping[str, Mapping[str, Any]]
) -> list[HeldCredential]:
    """The credentials kept with an evaluation or a case (``[{"key", "document"}]``), read
    again from their documents, with the verifier's verdict at submission."""
    held = []
    for item in documents:
        document = item["document"]
        readable = load_document(document.encode()) if isinstance(document, str) else document
        verified = bool(reports[item["key"]]["verified"])
        held.append(HeldCredential(item["key"], read_document(readable).credential,
                                   verified=verified))  # fmt: skip
    return held


def _as_json(document: Document) -> Any:
    return document if isinstance(document, str) else json.loads(json.dumps(document))
