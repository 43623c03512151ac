"""Presentations: Data Integrity VPs bound to a challenge and domain, and ``vp+jwt``.

The presentation's proof must be made by the holder for ``authentication`` and carry the
verifier's challenge (and domain when one is expected); each embedded credential is verified
on its own and reported beneath.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from microcred.core.proofs.data_integrity import proof_list, verify_proofs
from microcred.core.proofs.jose import JoseResult
from microcred.core.verification.context import Context
from microcred.core.verification.report import Check, Report, failed, ok, skipped, unreadable
from microcred.core.verification.shared import (
    MAX_PROOFS,
    key_owner_check,
    token_owner_check,
    token_proof_check,
)
from microcred.core.verification.wellformed import as_list, presentation_problems, types_of

MAX_CREDENTIALS = 50  # each is verified in full: bound the work one presentation can ask for


def _holder(document: Mapping[str, Any]) -> str | None:
    holder = document.get("holder")
    value = holder.get("id") if isinstance(holder, Mapping) else holder
    return value if isinstance(value, str) else None


def _challenge_check(found: list[Any], domains: list[Any], context: Context) -> Check:
    if context.expected_challenge is None:
        why = "no challenge was expected: a replayed presentation cannot be told apart"
        return skipped("challenge", why, blocking=True)
    if context.expected_challenge not in found:
        got = f"challenge {found[0]!r}" if found and found[0] is not None else "no challenge"
        return failed("challenge", f"the presentation carries {got}, not the one we asked for")
    if context.expected_domain is not None and context.expected_domain not in domains:
        return failed("challenge", f"the presentation is for domain {domains!r}, not ours")
    return ok("challenge", f"bound to our challenge {context.expected_challenge!r}")


def verify_presentation(document: Mapping[str, Any], context: Context) -> Report:
    """A JSON VP with Data Integrity proofs and embedded credentials."""
    problems = presentation_problems(document)
    shape = failed("format", "; ".join(problems[:5])) if problems else ok("format", "a VP")
    lookup = context.lookup("authentication")
    raw = [p for p in proof_list(document) if isinstance(p, Mapping)]
    if len(raw) > MAX_PROOFS:
        proofs = [failed("proof", f"{len(raw)} proofs: more than the {MAX_PROOFS} we check")]
    else:
        results = verify_proofs(
            document,
            lookup,
            context.expected_challenge,
            context.expected_domain,
            expected_purpose="authentication",
        )
        proofs = [
            Check("proof", "ok" if r.ok else "failed", f"{r.suite}: {r.reason}") for r in results
        ] or [failed("proof", "the presentation has no proof")]
    domains = [d for p in raw for d in as_list(p.get("domain"))]
    checks = [shape, *proofs, _challenge_check([p.get("challenge") for p in raw], domains, context)]
    holder = _holder(document)
    methods = [str(p.get("verificationMethod")) for p in raw]
    if holder is None:
        checks.append(skipped("holder", "the presentation names no holder"))
    else:
        checks.append(key_owner_check("holder", holder, methods, lookup, proofs))
    items = as_list(document.get("verifiableCredential"))
    if len(items) > MAX_CREDENTIALS:
        checks[0] = failed("format", f"{len(items)} credentials: more than {MAX_CREDENTIALS}")
        items = []
    embedded = tuple(_embedded(item, context) for item in items)
    return Report("presentation", "VP", tuple(checks), embedded, holder, document=document)


def _inner(context: Context) -> Context:
    return replace(context, expected_challenge=None, expected_domain=None)


def _embedded(item: Any, context: Context) -> Report:
    if isinstance(item, str):
        return _inner(context).verify_part(item)
    if not isinstance(item, Mapping):
        return unreadable("an embedded credential is neither an object nor a token")
    if "EnvelopedVerifiableCredential" in types_of(item):
        token = _data_url_token(item.get("id"))
        return _inner(context).verify_part(token) if token else unreadable("bad data: URL")
    return _inner(context).verify_part(item)


def _data_url_token(value: object) -> str | None:
    if not isinstance(value, str) or not value.startswith("data:") or "," not in value:
        return None
    head, data = value[5:].split(",", 1)
    if head.endswith(";base64"):
        try:
            return base64.b64decode(data, validate=True).decode("ascii")
        except (binascii.Error, ValueError):
            return None
    return data.strip()


def verify_vp_jwt(result: JoseResult, context: Context) -> Report:
    """A ``vp+jwt`` (or VC 1.1 VP JWT): holder signature, nonce/aud, enveloped credentials."""
    label = "VC 1.1 VP JWT" if result.vc11 else "vp+jwt"
    problems = presentation_problems(result.document) if not result.vc11 else []
    shape = failed("format", "; ".join(problems[:5])) if problems else ok("format", f"a {label}")
    holder = _holder(result.document) or _str(result.payload.get("iss"))
    audience = as_list(result.payload.get("aud"))
    nonce = [result.payload.get("nonce")]
    checks = [
        shape,
        token_proof_check(result, label),
        _challenge_check(nonce, audience, context),
        token_owner_check("holder", holder, result, context.lookup("authentication")),
    ]
    inner = _inner(context)
    embedded = tuple(inner.verify_part(item.data) for item in result.enveloped[:MAX_CREDENTIALS])
    if len(result.enveloped) > MAX_CREDENTIALS:
        checks[0] = failed("format", f"more than {MAX_CREDENTIALS} credentials")
    return Report("presentation", label, tuple(checks), embedded, holder, document=result.document)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
