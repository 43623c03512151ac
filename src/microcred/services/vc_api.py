"""W3C VC-API use cases: issue a credential the caller wrote, and update a credential's status."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from microcred.adapters.db.tables import Credential, Provider
from microcred.core.errors import MalformedCredential
from microcred.core.proofs.registry import DEFAULT_SUITE
from microcred.core.status import credential_status_entry
from microcred.core.verification.wellformed import (
    Problem,
    is_url,
    require_well_formed,
    version_of,
)
from microcred.services import audit, signing_keys, statuses
from microcred.services.context import Context
from microcred.services.documents import JWT, key_types_for, secure
from microcred.services.errors import Forbidden, InvalidInput, NotFound

V2 = "https://www.w3.org/ns/credentials/v2"


def _provider_of(ctx: Context, slug: str | None) -> Provider:
    if ctx.actor.provider_id is not None:
        provider = ctx.session.get(Provider, ctx.actor.provider_id)
    elif slug:
        provider = ctx.session.scalar(select(Provider).where(Provider.slug == slug))
    else:
        raise InvalidInput("say which provider issues: options.provider", field="options.provider")
    if provider is None:
        raise NotFound("no such provider")
    ctx.actor.require("issue", provider.id)
    return provider


PROOF_REFUSED = (
    "the credential already has a proof: send it unsigned. A second proof would make a proof "
    "set, and a verifier accepts a proof set only when every proof is by a key of the issuer, "
    "which a proof made elsewhere is not"
)
STATUS_REFUSED = (
    "the platform assigns status entries (revocation and suspension, on this provider's own "
    "status lists): remove credentialStatus"
)


def _refusals(credential: Mapping[str, Any]) -> list[Problem]:
    """What this endpoint will not sign although the data model allows it, and why."""
    found = []
    if version_of(credential) == "1.1":
        found.append(Problem(f"this endpoint issues VC 2.0: the first @context must be {V2}",
                             "@context"))  # fmt: skip
    if "proof" in credential:
        found.append(Problem(PROOF_REFUSED, "proof"))
    if "credentialStatus" in credential:
        found.append(Problem(STATUS_REFUSED, "credentialStatus"))
    return found


def _issuer(credential: Mapping[str, Any], did: str) -> Any:
    """The caller's issuer with the provider's DID filled in where the caller left it out.

    A URL other than ``did`` is forbidden; anything else that is not ``did`` (``null``, an
    ``id`` of ``null``, text) is left for the well-formedness rules to name.
    """
    if "issuer" not in credential:
        return did
    issuer = credential["issuer"]
    if isinstance(issuer, Mapping) and "id" not in issuer:
        return {**issuer, "id": did}
    given = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if is_url(given) and given != did:
        raise Forbidden(f"this key issues as {did}, not as {given}")
    return issuer


def _prepare(
    ctx: Context, credential: Mapping[str, Any], provider: Provider, row_id: str
) -> dict[str, Any]:
    """The document to sign (status entries still to come); refused unless well-formed."""
    document = copy.deepcopy(dict(credential))
    document["issuer"] = _issuer(credential, ctx.site.provider_did(provider.slug))
    document.setdefault("id", f"urn:uuid:{row_id}")
    require_well_formed(document, also=_refusals(credential))
    return document


def issue_provided(ctx: Context, credential: Mapping[str, Any],
                   options: Mapping[str, Any]) -> Credential:  # fmt: skip
    """Sign a caller-written VC 2.0 credential as the caller's provider, with status entries.

    Refused (``MalformedCredential``, every problem at its path under ``credential``) when a
    verifier would call the result malformed, or when it carries a proof or status entries.
    """
    try:
        return _issue_provided(ctx, credential, options)
    except MalformedCredential as exc:
        raise exc.under("credential") from None


def _issue_provided(ctx: Context, credential: Mapping[str, Any],
                    options: Mapping[str, Any]) -> Credential:  # fmt: skip
    provider = _provider_of(ctx, options.get("provider"))
    suite = str(options.get("cryptosuite") or DEFAULT_SUITE)
    key_types = key_types_for(suite)
    row_id = ctx.new_id()
    document = _prepare(ctx, credential, provider, row_id)
    key = signing_keys.active_key(ctx, provider.id, key_types)
    ((number, index),) = statuses.allocate(ctx, provider.id, 1)
    urls = statuses.status_urls(ctx, provider.slug, number)
    document["credentialStatus"] = [
        credential_status_entry(urls[0], index, "revocation"),
        credential_status_entry(urls[1], index, "suspension"),
    ]
    method = signing_keys.verification_method(ctx, provider.slug, key)
    text = secure(document, signing_keys.key_pair(ctx, key), method, suite, ctx.now())
    idem = "vcapi:" + hashlib.sha256(str(document["id"]).encode()).hexdigest()[:40]
    row = Credential(id=row_id, provider_id=provider.id, opportunity_version_id=None,
                     batch_id=None, signing_key_id=key.id, idempotency_key=idem,
                     learner_name=None, learner_email=None, learner_id=_subject_id(document),
                     format="vc", suite=suite, document=text, issued_at=ctx.now(),
                     status_list=number, status_index=index, state="active")  # fmt: skip
    ctx.session.add(row)
    audit.record(ctx, "credential.issue", "credential", row.id, provider_id=provider.id,
                 detail={"via": "vc-api"})  # fmt: skip
    ctx.session.flush()
    return row


def _subject_id(document: Mapping[str, Any]) -> str | None:
    subject = document.get("credentialSubject")
    value = subject.get("id") if isinstance(subject, Mapping) else None
    return value[:500] if isinstance(value, str) else None


def find_by_document_id(ctx: Context, credential_id: str) -> Credential:
    """A stored credential by its own id, its document's ``id`` (urn:uuid:...) or its URL."""
    plain = credential_id.removeprefix("urn:uuid:").rsplit("/", 1)[-1]
    row = ctx.session.get(Credential, plain)
    if row is None:
        raise NotFound(f"no credential {credential_id}")
    ctx.actor.require("issue", row.provider_id)
    return row


PURPOSE_OF_STATUS = {"revoked": "revocation", "suspended": "suspension",
                     "active": "suspension", "valid": "suspension"}  # fmt: skip


def _action(purpose: object, status: object) -> str:
    """What a change asks for: {statusPurpose, status: bool} or just {status: "revoked"...}."""
    if purpose is None and isinstance(status, str):
        purpose = PURPOSE_OF_STATUS.get(status)
    on = status in (True, 1, "1", "revoked", "suspended", "true")
    off = status in (False, 0, "0", "active", "false", "valid")
    if purpose == "revocation" and on:
        return "revoke"
    if purpose == "suspension" and on:
        return "suspend"
    if purpose == "suspension" and off:
        return "reinstate"
    raise InvalidInput("status must set revocation, or set or clear suspension",
                       field="credentialStatus")  # fmt: skip


def update_status(ctx: Context, credential_id: str, changes: Sequence[Mapping[str, Any]],
                  reason: str | None) -> Credential:  # fmt: skip
    """Apply VC-API ``credentialStatus`` changes ({statusPurpose, status}) in order."""
    row = find_by_document_id(ctx, credential_id)
    if not changes:
        raise InvalidInput("credentialStatus lists no change", field="credentialStatus")
    for change in changes:
        action = _action(change.get("statusPurpose"), change.get("status"))
        row = statuses.change(ctx, row.id, action, reason)
    return row


def signed_credential(row: Credential) -> Any:
    """The document as issued (JSON object, or a JWT string)."""
    return json.loads(row.document) if row.suite != JWT else row.document
