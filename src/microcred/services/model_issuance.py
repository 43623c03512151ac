"""Issue a credential made from an Annex I model (a larger credential, a recognition decision)
through the platform's issuance path: the provider's active key, a status list entry, the
same securing as every other credential, audited. Flushes; the entry point commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from microcred.adapters.db.tables import Credential, Provider
from microcred.core.model import Learner, MicroCredential
from microcred.core.proofs.registry import DEFAULT_SUITE
from microcred.services import audit, signing_keys, statuses
from microcred.services.context import Context
from microcred.services.documents import Draft, key_types_for, secure, unsigned, with_status
from microcred.services.issuance import issued_at

# Writes the unsigned document of a model: (model, credential id, issuer DID) -> OB 3.0 JSON.
Writer = Callable[[MicroCredential, str, str], dict[str, Any]]


def issue_model(
    ctx: Context, provider: Provider, mc: MicroCredential, *, purpose: str, subject: str,
    write: Writer | None = None,
) -> Credential:  # fmt: skip
    """Sign ``mc`` as ``provider`` (OB 3.0, the default suite) and store it; ``purpose`` names
    the audit action, ``subject`` the record it issues for (kept as its idempotency key);
    ``write`` replaces the standard OB 3.0 writer (e.g. a recognition decision's shape)."""
    key = signing_keys.active_key(ctx, provider.id, key_types_for(DEFAULT_SUITE))
    ((number, index),) = statuses.allocate(ctx, provider.id, 1)
    learner = mc.learner or Learner()
    person = learner.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    description = mc.model_dump(mode="json", exclude_none=True, exclude={"learner", "issued"})
    draft = Draft(
        credential_id=ctx.new_id(), description=description, learner=person,
        grade=None, issued=issued_at(ctx, None), issuer_did=ctx.site.provider_did(provider.slug),
        status_urls=statuses.status_urls(ctx, provider.slug, number), status_index=index,
        signed_at=ctx.now(),
    )  # fmt: skip
    if write is None:
        document = unsigned(draft)
    else:
        model = mc.model_copy(update={"issued": draft.issued})
        document = with_status(write(model, f"urn:uuid:{draft.credential_id}",
                                     draft.issuer_did), draft)  # fmt: skip
    method = signing_keys.verification_method(ctx, provider.slug, key)
    text = secure(document, signing_keys.key_pair(ctx, key), method, DEFAULT_SUITE, ctx.now())
    row = Credential(
        id=draft.credential_id, provider_id=provider.id, opportunity_version_id=None,
        signing_key_id=key.id, idempotency_key=subject, learner_name=learner.full_name,
        learner_email=learner.email, learner_id=learner.id, format="ob3", suite=DEFAULT_SUITE,
        document=text, issued_at=draft.issued, status_list=number, status_index=index,
        state="active",
    )  # fmt: skip
    ctx.session.add(row)
    audit.record(ctx, purpose, "credential", row.id, provider_id=provider.id)
    ctx.session.flush()
    return row
