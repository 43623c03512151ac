"""Build and secure credential documents: plain functions, safe to run in worker processes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from microcred.core.formats.elm_write import to_elm
from microcred.core.formats.ob3 import to_ob3
from microcred.core.jsonld import shared_expansions
from microcred.core.keys import KeyPair, KeyType
from microcred.core.model import MicroCredential
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.jades import JADES, TimeStamper, seal_jades
from microcred.core.proofs.jose import sign_vc_jwt
from microcred.core.proofs.registry import signing_suites, suite_named
from microcred.core.proofs.seal_keys import SealKey
from microcred.core.status import credential_status_entry
from microcred.core.verification.wellformed import require_well_formed
from microcred.services.errors import InvalidInput

JWT = "vc+jwt"
FORMATS = ("ob3", "elm")
STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"


def key_types_for(suite: str) -> frozenset[KeyType]:
    """Which key types can secure with ``suite`` (``vc+jwt`` takes any)."""
    if suite in (JWT, JADES):  # a seal signs with its certificate; the key signs status lists
        return frozenset(KeyType)
    found = suite_named(suite)
    if found is None or not found.can_sign:
        names = ", ".join([*signing_suites(), JWT, JADES])
        raise InvalidInput(f"unknown suite {suite!r}; one of {names}", field="suite")
    return found.key_types


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}", field="format")
    return fmt


@dataclass(frozen=True)
class Draft:
    """Everything one credential needs, in plain data (picklable for worker processes)."""

    credential_id: str
    description: dict[str, Any]  # the published Annex I elements
    learner: dict[str, Any]
    grade: str | None
    issued: datetime
    issuer_did: str
    status_urls: tuple[str, str]  # revocation list URL, suspension list URL
    status_index: int
    signed_at: datetime
    fmt: str = "ob3"


def unsigned(draft: Draft, described: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The unsigned document of a draft, with its revocation and suspension entries.

    ``described``: the draft's description already validated (:func:`described`), for drafts
    that share it; the document is the same.
    """
    learner = dict(draft.learner)
    if draft.fmt == "elm" and not learner.get("id"):  # the EDC subject needs a URI
        learner["id"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, draft.credential_id)}"
    base = draft.description if described is None else described
    data = {**base, "learner": learner, "issued": draft.issued.isoformat()}
    if draft.grade:
        data["grade"] = {"value": draft.grade}
    mc = MicroCredential.model_validate(data)
    writer = to_elm if draft.fmt == "elm" else to_ob3
    document = writer(mc, credential_id=f"urn:uuid:{draft.credential_id}",
                      issuer_id=draft.issuer_did)  # fmt: skip
    return with_status(document, draft)


def with_status(document: dict[str, Any], draft: Draft) -> dict[str, Any]:
    """``document`` with the draft's revocation and suspension entries."""
    revocation, suspension = draft.status_urls
    document["credentialStatus"] = [
        credential_status_entry(revocation, draft.status_index, "revocation"),
        credential_status_entry(suspension, draft.status_index, "suspension"),
    ]
    if draft.fmt == "elm" and STATUS_CONTEXT not in document["@context"]:
        document["@context"] = [*document["@context"], STATUS_CONTEXT]
    return document


def secure(
    document: dict[str, Any], pair: KeyPair, method: str, suite: str, created: datetime
) -> str:
    """The secured credential as stored and served: JSON text, or a compact JWT.

    Only what the verifier would call well-formed is signed (``MalformedCredential`` names
    every problem), expanded once (:func:`microcred.core.jsonld.shared_expansions`): nothing
    changes ``document`` in between, so the rules' expansion is found again by the identity
    of its values, as the verifier finds its own (no JSON text written to recognise it).
    """
    with shared_expansions(by_identity=True):
        require_well_formed(document)
        if suite == JWT:
            return sign_vc_jwt(document, pair, method)
        signed = sign_document(document, pair, method, suite, created=created,
                               copy_values=False)  # only written out: no copy  # fmt: skip
    return json.dumps(signed, ensure_ascii=False, separators=(",", ":"))


def issue_document(draft: Draft, pair: KeyPair, method: str, suite: str) -> str:
    """Build and secure one credential."""
    return secure(unsigned(draft), pair, method, suite, draft.signed_at)


def described(description: Mapping[str, Any]) -> Mapping[str, Any]:
    """A published description's elements as the model's validated values (frozen models and
    tuples, which validating again accepts as they are), or the description itself if it does
    not validate alone (the whole credential's validation then says why)."""
    try:
        model = MicroCredential.model_validate(description)
    except ValidationError:
        return description
    return {name: getattr(model, name) for name in description}


def issue_documents(drafts: Sequence[Draft], pair: KeyPair, method: str, suite: str) -> list[str]:
    """Build and secure a chunk of credentials, each exactly as :func:`issue_document` would
    (same rules, same text): the description the drafts share (one object for a batch's
    chunk) is validated once, not once per credential."""
    shared: dict[int, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}
    texts = []
    for draft in drafts:
        found = shared.get(id(draft.description))
        if found is None or found[0] is not draft.description:
            found = (draft.description, described(draft.description))
            shared[id(draft.description)] = found  # the pair holds it: its id stays its own
        document = unsigned(draft, found[1])
        texts.append(secure(document, pair, method, suite, draft.signed_at))
    return texts


def seal_edc(draft: Draft, seal: SealKey, timestamp: TimeStamper | None = None) -> str:
    """A sealed EDC: the ELM credential of ``draft`` as the JAdES payload, sealed by ``seal``
    (B-T when ``timestamp`` asks a time-stamp authority, else B-B)."""
    if draft.fmt != "elm":
        raise InvalidInput("a JAdES seal secures ELM (EDC) credentials: use format elm",
                           field="format")  # fmt: skip
    document = unsigned(draft)
    with shared_expansions():
        require_well_formed(document)
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    sealed = seal_jades(payload, seal, draft.signed_at, timestamp)
    return json.dumps(sealed, ensure_ascii=False, separators=(",", ":"))
