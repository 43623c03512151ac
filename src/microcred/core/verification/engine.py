"""``verify()``: any credential or presentation in, a :class:`Report` of named checks out.

Data Integrity documents (JSON), EDC credentials sealed with JAdES, VC-JOSE tokens (``vc+jwt``,
``vc+ld+jwt``, VC 1.1 JWTs), SD-JWT VCs and presentations (Data Integrity with challenge and
domain, or ``vp+jwt``) are read. It never raises for bad input: garbage gives a failed
``format`` check.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from microcred.core.did import DidDocumentResolver
from microcred.core.errors import MicrocredError
from microcred.core.formats.detect import json_kind
from microcred.core.formats.reading import MAX_BYTES, check_depth, parse_json, parse_text
from microcred.core.jsonld import shared_expansions
from microcred.core.proofs.data_integrity import proof_list, verify_proofs
from microcred.core.proofs.jose import verify_vc_jwt
from microcred.core.verification.baked import unbake
from microcred.core.verification.checks import form_checks, format_label, issuer_id
from microcred.core.verification.context import Context, Part
from microcred.core.verification.controllers import FetchDocument, FetchToken, KeyLookup
from microcred.core.verification.document_cache import CheckMemo
from microcred.core.verification.jades import is_jades, verify_jades
from microcred.core.verification.presentations import verify_presentation, verify_vp_jwt
from microcred.core.verification.report import Check, Report, failed, ok, unreadable
from microcred.core.verification.seal_chain import SealTrust
from microcred.core.verification.shared import MAX_PROOFS, credential_report, key_owner_check
from microcred.core.verification.tokens import vc_jwt_report, verify_sd_jwt_vc
from microcred.core.verification.wellformed import as_list, types_of


def verify(
    document: Mapping[str, Any] | str | bytes,
    *,
    resolver: DidDocumentResolver,
    fetch_document: FetchDocument,
    now: datetime,
    trust_list: Collection[str] | None = None,
    expected_challenge: str | None = None,
    expected_domain: str | None = None,
    fetch_status_token: FetchToken | None = None,
    seal_trust: SealTrust | None = None,
    checked: CheckMemo | None = None,
) -> Report:
    """Verify a credential or presentation (object, JSON text, JWT, SD-JWT, baked PNG/SVG).

    ``resolver`` turns DIDs into DID documents; ``fetch_document`` gets status lists and
    controller documents by URL; ``fetch_status_token`` gets the Token Status Lists of SD-JWT
    VCs (compact JWTs; without it their status is unknown); ``now`` is the moment validity is
    judged at (timezone-aware); ``seal_trust`` holds the trust anchors (an EU Trusted List) that
    the certificate chains of JAdES-sealed EDCs are checked against; ``checked`` keeps the
    outcome of each status list's proof check across calls (a batch, a server), by the list's
    JSON. See :class:`Report` for what ``authentic`` and ``verified`` mean.
    """
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime")
    context = Context(resolver, fetch_document, now, trust_list, expected_challenge,
                      expected_domain, fetch_status_token, seal_trust=seal_trust,
                      checked=checked,
                      dispatch=_dispatch)  # fmt: skip
    baked = unbake(document[:MAX_BYTES]) if isinstance(document, bytes) else None
    # proofs and well-formedness read one expansion per document (nothing here changes it)
    with shared_expansions(by_identity=True):
        if baked is not None:
            report = _verify_parsed(baked[1], context)
            return replace(report, format=f"{report.format} (baked {baked[0]})")
        return _verify_parsed(document, context)


def _verify_parsed(document: Mapping[str, Any] | str | bytes, context: Context) -> Report:
    try:
        parsed = _parse(document)
    except MicrocredError as exc:
        return unreadable(exc.message)
    return _dispatch(parsed, context)


def _dispatch(part: Part, context: Context) -> Report:
    """A token or a JSON document to its checker (embedded parts come back here too)."""
    if isinstance(part, str):
        return verify_token(part, context)
    return verify_object(part, context)


def verify_token(token: str, context: Context) -> Report:
    """A compact JWS (read once, then a credential or a presentation) or an SD-JWT."""
    if "~" in token:
        return verify_sd_jwt_vc(token, context)
    lookup = context.lookup()
    result = verify_vc_jwt(token, lookup)
    if not result.header:
        return unreadable(result.reason, "JWT")
    if result.kind == "presentation":
        return verify_vp_jwt(result, context)
    return vc_jwt_report(result, lookup, context)


def _parse(document: Mapping[str, Any] | str | bytes) -> Mapping[str, Any] | str:
    if isinstance(document, Mapping):
        check_depth(document)
        return document
    if not isinstance(document, str | bytes):
        raise MicrocredError(f"cannot read {json_kind(document)} as a credential")
    text = parse_text(document.encode("utf-8") if isinstance(document, str) else document)
    stripped = text.strip()
    if stripped.startswith("{"):
        value = parse_json(stripped)
        if not isinstance(value, Mapping):
            raise MicrocredError("a credential is a JSON object")
        return value
    if stripped.startswith("ey") and "." in stripped and " " not in stripped:
        return stripped
    raise MicrocredError("neither a JSON credential nor a JWT / SD-JWT")


def verify_object(document: Mapping[str, Any], context: Context) -> Report:
    """A JSON credential or presentation secured with Data Integrity proofs."""
    kinds = types_of(document)
    if is_jades(document):
        return verify_jades(document, context)
    if "VerifiablePresentation" in kinds:
        return verify_presentation(document, context)
    if "VerifiableCredential" not in kinds:
        return unreadable("not a verifiable credential or presentation (no such type)")
    lookup = context.lookup()
    proofs = _proof_checks(document, lookup)
    issuer = issuer_id(document)
    shape = form_checks(document, f"a well-formed {format_label(document)} credential")
    checks = [*shape, *proofs, _issuer_check(document, lookup, proofs)]
    return credential_report(document, checks, context, lookup, issuer)


def _proof_checks(document: Mapping[str, Any], lookup: KeyLookup) -> list[Check]:
    count = len(as_list(document.get("proof")))
    if count > MAX_PROOFS:
        return [failed("proof", f"{count} proofs: more than the {MAX_PROOFS} we check")]
    try:
        results = verify_proofs(document, lookup, expected_purpose="assertionMethod")
    except MicrocredError as exc:  # defensive: verify_proofs should not raise
        return [failed("proof", exc.message)]
    if not results:
        return [failed("proof", "the credential has no proof: anyone could have written it")]
    return [
        ok("proof", f"{r.suite}: {r.reason}") if r.ok else failed("proof", f"{r.suite}: {r.reason}")
        for r in results
    ]


def _issuer_check(document: Mapping[str, Any], lookup: KeyLookup, proofs: list[Check]) -> Check:
    issuer = issuer_id(document)
    if issuer is None:
        return failed("issuer", "the credential names no issuer")
    methods = [p.get("verificationMethod") for p in proof_list(document) if isinstance(p, Mapping)]
    return key_owner_check(
        "issuer", issuer, [m for m in methods if isinstance(m, str)], lookup, proofs
    )
