"""The CLR 2.0 record of an accepted pathway evaluation: the larger credential and the parts it
consumed, linked ``isPartOf``, signed by the receiving organisation like its credentials.

Each part is embedded as submitted, so its own issuer's proof still holds; parts submitted as
tokens (VC-JOSE, SD-JWT VC) or in ELM cannot be embedded in a CLR and are left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from microcred.adapters.db.tables import PathwayEvaluation, Provider
from microcred.core.errors import MicrocredError
from microcred.core.formats.clr import build_clr, embeddable
from microcred.core.i18n import pick
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.registry import DEFAULT_SUITE
from microcred.core.stacking.larger import bundle_associations
from microcred.core.verification.wellformed import require_well_formed
from microcred.services import issuance, pathways, signing_keys
from microcred.services.context import Context
from microcred.services.documents import key_types_for
from microcred.services.errors import Conflict, InvalidInput


def _parts(row: PathwayEvaluation) -> list[Mapping[str, Any]]:
    consumed = set(row.result.get("consumed", ()))
    found = [embeddable(item["document"]) for item in row.submitted if item["key"] in consumed]
    return [part for part in found if part is not None]


def _learner_uri(row: PathwayEvaluation, larger: Mapping[str, Any]) -> str:
    subject = larger.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, Mapping) else None
    if isinstance(subject_id, str):
        return subject_id
    email = row.learner.get("email")
    if isinstance(email, str) and email:
        return f"mailto:{email}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'evaluation:{row.id}')}"


def record_of(ctx: Context, evaluation_id: str) -> dict[str, Any]:
    """The signed CLR 2.0 of an accepted evaluation (409 before a larger credential exists)."""
    row = pathways.get_evaluation(ctx, evaluation_id)
    if row.credential_id is None:
        raise Conflict(f"evaluation {row.id} has no larger credential: it is not accepted")
    larger = embeddable(issuance.get(ctx, row.credential_id).document)
    if larger is None:
        raise InvalidInput("format: the larger credential is not a signed Open Badges 3.0 one")
    provider = ctx.session.get(Provider, row.provider_id)
    assert provider is not None  # the evaluation's foreign key
    parts = _parts(row)
    provider_name = pick(provider.legal_name, "en") or provider.slug
    issuer = {"id": ctx.site.provider_did(provider.slug), "type": ["Profile"],
              "name": provider_name}  # fmt: skip
    now = ctx.now()
    try:
        record = build_clr(
            [larger, *parts], bundle_associations(larger, parts), issuer,
            _learner_uri(row, larger), clr_id=f"urn:uuid:{ctx.new_id()}",
            name=f"{provider_name}: {_name(larger)}", valid_from=now,
        )  # fmt: skip
        require_well_formed(record)  # the verifier's own rules: never sign what it would refuse
    except MicrocredError as exc:
        raise InvalidInput(f"clr: {exc.message}") from exc
    key = signing_keys.active_key(ctx, provider.id, key_types_for(DEFAULT_SUITE))
    method = signing_keys.verification_method(ctx, provider.slug, key)
    return sign_document(record, signing_keys.key_pair(ctx, key), method, DEFAULT_SUITE,
                         created=now)  # fmt: skip


def _name(larger: Mapping[str, Any]) -> str:
    name = larger.get("name")
    return name if isinstance(name, str) else "learner record"
