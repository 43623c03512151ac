"""W3C Data Integrity proofs: create and verify, proof sets and chains, one result per proof.

Every proof in ``proof`` is verified on its own against the document as received (minus
``proof``, plus the proofs it names in ``previousProof``). Verification never raises for an
invalid proof; it returns a :class:`ProofResult` with a reason a person understands.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from microcred.core.errors import MicrocredError, ProofError
from microcred.core.keys import PublicKey, Signer, multibase_decode, multibase_encode
from microcred.core.proofs.cryptosuite import DATA_INTEGRITY_PROOF, Cryptosuite
from microcred.core.proofs.registry import DEFAULT_SUITE, suite_named

DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
# contexts that already define DataIntegrityProof's terms (no context injection needed)
_DEFINES_PROOF_TERMS = frozenset(
    {
        "https://www.w3.org/ns/credentials/v2",
        DATA_INTEGRITY_CONTEXT,
        "https://w3id.org/security/data-integrity/v1",
    }
)
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)

ResolveKey = Callable[[str], PublicKey]


@dataclass(frozen=True)
class ProofResult:
    """The outcome of checking one proof."""

    suite: str
    ok: bool
    reason: str
    verification_method: str | None = None
    proof_purpose: str | None = None
    created: str | None = None
    proof_id: str | None = None


def proof_list(document: Mapping[str, Any]) -> list[Any]:
    """The document's proofs as a list (a single proof object becomes a list of one)."""
    proof = document.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def _inject_context(document: dict[str, Any]) -> dict[str, Any]:
    """VC Data Integrity context injection: add the data-integrity context if nothing defines
    the proof's terms (e.g. a VC 1.1 or ELM document), so no proof option goes unsigned."""
    context = document.get("@context")
    if context is None:
        return document
    as_list = context if isinstance(context, list) else [context]
    if any(isinstance(c, str) and c in _DEFINES_PROOF_TERMS for c in as_list):
        return document
    return {**document, "@context": [*as_list, DATA_INTEGRITY_CONTEXT]}


def _format_created(created: datetime) -> str:
    if created.tzinfo is None:
        raise ProofError("created must be a timezone-aware datetime")
    return created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars), several times faster than deepcopy.

    A container is copied whole (in C) and only its containers are replaced: no call per
    string or number.
    """
    kind = type(value)
    if kind is dict:
        copied = value.copy()
        for key, item in copied.items():
            if type(item) not in _SCALARS:
                copied[key] = _copy_json(item)
        return copied
    if kind is list:
        copied = value.copy()
        for index, item in enumerate(copied):
            if type(item) not in _SCALARS:
                copied[index] = _copy_json(item)
        return copied
    if kind in _SCALARS:
        return value
    return copy.deepcopy(value)


def _unsecured(document: Mapping[str, Any], all_proofs: list[Any], previous: Any) -> dict[str, Any]:
    """The document without ``proof``, plus the proofs named by ``previousProof``."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if previous is None:
        return unsecured
    wanted = [previous] if isinstance(previous, str) else previous
    if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
        raise ProofError("previousProof must be a proof id or a list of proof ids")
    found = []
    for proof_id in wanted:
        match = [p for p in all_proofs if isinstance(p, Mapping) and p.get("id") == proof_id]
        if not match:
            raise ProofError(f"previousProof {proof_id} is not in the document's proof set")
        found.extend(match)
    unsecured["proof"] = found[0] if len(found) == 1 else found
    return unsecured


def _proof_config(suite: Cryptosuite, options: Mapping[str, Any], unsecured: dict[str, Any]) -> Any:
    """Proof options without ``proofValue``, carrying the document's ``@context``."""
    config = {key: value for key, value in options.items() if key != "proofValue"}
    proof_context = config.get("@context")
    if proof_context is not None:
        doc_context = unsecured.get("@context")
        as_list = proof_context if isinstance(proof_context, list) else [proof_context]
        doc_list = doc_context if isinstance(doc_context, list) else [doc_context]
        if doc_list[: len(as_list)] != as_list:
            raise ProofError("the proof's @context does not match the start of the document's")
        unsecured["@context"] = proof_context
    if "@context" in unsecured:
        config["@context"] = unsecured["@context"]
    elif suite.proof_keeps_context is False:
        raise ProofError("the document has no @context, which this cryptosuite needs")
    return config


def sign_document(
    document: Mapping[str, Any],
    key_pair: Signer,
    verification_method: str,
    suite: str = DEFAULT_SUITE,
    proof_purpose: str = "assertionMethod",
    created: datetime | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    *,
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    copy_values: bool = True,
) -> dict[str, Any]:
    """Return a copy of ``document`` with a new proof added (existing proofs make a proof set).

    An unsigned document whose contexts do not define the proof's terms gets the
    data-integrity context appended (VC Data Integrity "context injection").
    ``copy_values=False`` returns a new top-level object holding the document's own values
    (for a caller that only serialises the result).
    """
    chosen = suite_named(suite)
    if chosen is None or not chosen.can_sign:
        raise ProofError(f"cannot sign with cryptosuite {suite!r}")
    key_type = key_pair.public.type
    if key_type not in chosen.key_types:
        raise ProofError(f"{suite} cannot use a {key_type.value} key")
    options: dict[str, Any] = {"type": chosen.proof_type}
    if chosen.cryptosuite is not None:
        options["cryptosuite"] = chosen.cryptosuite
    optional = {
        "id": proof_id,
        "created": _format_created(created) if created is not None else None,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
        "challenge": challenge,
        "domain": domain,
        "previousProof": previous_proof,
    }
    options.update({key: value for key, value in optional.items() if value is not None})
    existing = proof_list(document)
    source: dict[str, Any] = dict(document)
    if not existing and chosen.proof_type == DATA_INTEGRITY_PROOF:
        source = _inject_context(source)
    # what is signed holds the caller's own values (a new top-level dict; nothing below it is
    # changed), so an expansion kept by their identity (shared_expansions) is found again
    unsecured = _unsecured(source, existing, previous_proof)
    config = _proof_config(chosen, options, unsecured)
    signature = key_pair.sign(chosen.hash_data(unsecured, config, key_type))
    proof = {**(config if chosen.proof_keeps_context else options)}
    proof["proofValue"] = multibase_encode(signature)
    secured: dict[str, Any] = _copy_json(source) if copy_values else dict(source)
    secured["proof"] = [*existing, proof] if existing else proof
    return secured


def verify_proofs(
    document: Mapping[str, Any],
    resolve_key: ResolveKey,
    expected_challenge: str | None = None,
    expected_domain: str | None = None,
    *,
    expected_purpose: str | None = None,
) -> list[ProofResult]:
    """Check every proof of ``document``; one result each, in order (empty if there is none)."""
    proofs = proof_list(document)
    expected = (expected_challenge, expected_domain, expected_purpose)
    return [_verify_one(document, proof, proofs, resolve_key, expected) for proof in proofs]


def _describe(proof: Mapping[str, Any]) -> dict[str, Any]:
    def text(key: str) -> str | None:
        value = proof.get(key)
        return value if isinstance(value, str) else None

    return {
        "verification_method": text("verificationMethod"),
        "proof_purpose": text("proofPurpose"),
        "created": text("created"),
        "proof_id": text("id"),
    }


def _verify_one(
    document: Mapping[str, Any],
    proof: Any,
    all_proofs: list[Any],
    resolve_key: ResolveKey,
    expected: tuple[str | None, str | None, str | None],
) -> ProofResult:
    if not isinstance(proof, Mapping):
        return ProofResult("unknown", False, "the proof is not a JSON object")
    name = str(proof.get("cryptosuite") or proof.get("type") or "unknown")
    try:
        suite = _suite_for(proof)
        name = suite.name
        _check_options(proof, expected)
        key = _resolve(resolve_key, proof["verificationMethod"], suite)
        signature = _signature(proof)
        # a new top-level dict; nothing below it is changed, so no deep copy is needed
        unsecured = _unsecured(document, all_proofs, proof.get("previousProof"))
        config = _proof_config(suite, proof, unsecured)
        hash_data = suite.hash_data(unsecured, config, key.type)
    except MicrocredError as exc:
        return ProofResult(name, False, exc.message, **_describe(proof))
    if not key.verify(signature, hash_data):
        reason = "the signature does not match the document: it was changed after signing"
        return ProofResult(name, False, reason, **_describe(proof))
    return ProofResult(name, True, "signature valid", **_describe(proof))


def _suite_for(proof: Mapping[str, Any]) -> Cryptosuite:
    proof_type = proof.get("type")
    if proof_type == DATA_INTEGRITY_PROOF:
        name = proof.get("cryptosuite")
        suite = suite_named(name)
        if suite is None or suite.proof_type != DATA_INTEGRITY_PROOF:
            raise ProofError(f"unsupported cryptosuite {name!r}")
        return suite
    suite = suite_named(proof_type)
    if suite is None or suite.proof_type != proof_type:
        raise ProofError(f"unsupported proof type {proof_type!r}")
    return suite


def _check_options(
    proof: Mapping[str, Any], expected: tuple[str | None, str | None, str | None]
) -> None:
    challenge, domain, purpose = expected
    for key in ("verificationMethod", "proofPurpose"):
        if not isinstance(proof.get(key), str) or not proof[key]:
            raise ProofError(f"the proof has no {key}")
    if purpose is not None and proof["proofPurpose"] != purpose:
        raise ProofError(f"the proof's purpose is {proof['proofPurpose']}, expected {purpose}")
    created = proof.get("created")
    if created is not None and (not isinstance(created, str) or not _DATETIME.match(created)):
        raise ProofError(f"the proof's created value {created!r} is not a date and time")
    if challenge is not None and proof.get("challenge") != challenge:
        raise ProofError("the proof's challenge does not match the one we asked for (replay?)")
    if domain is not None:
        got = proof.get("domain")
        domains = got if isinstance(got, list) else [got]
        if domain not in domains:
            raise ProofError(f"the proof is for domain {got!r}, not {domain!r}")


def _resolve(resolve_key: ResolveKey, method: str, suite: Cryptosuite) -> PublicKey:
    key = resolve_key(method)
    if key.type not in suite.key_types:
        raise ProofError(f"{suite.name} cannot be verified with a {key.type.value} key")
    return key


def _signature(proof: Mapping[str, Any]) -> bytes:
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise ProofError("the proof has no proofValue")
    try:
        return multibase_decode(value)
    except MicrocredError as exc:
        raise ProofError(f"the proofValue is not base58btc multibase: {exc.message}") from exc
