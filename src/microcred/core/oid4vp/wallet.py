"""The wallet answers a request: the learner's choice checked, the VP Token built.

After :func:`~microcred.core.oid4vp.matching.plan` has shown the learner what each credential
would disclose, the learner's :class:`Choice` (which credential, with which claim combination,
for which credential query) is checked against the query's rules (6.4: only selected claims,
one presentation unless ``multiple``, every required credential set met with one of its
options, nothing that no chosen option asks for) and :func:`build_vp_token` makes:

* for an SD-JWT VC, the SD-JWT with only the chosen disclosures and a Key Binding JWT over
  ``aud`` = the request's ``client_id``, its ``nonce`` and the ``sd_hash`` (B.3.6);
* for a W3C credential, a VP holding it, with a Data Integrity ``authentication`` proof by the
  holder carrying ``challenge`` = nonce and ``domain`` = client_id (B.1.3.2.5); the credential
  alone when the query does not ask for holder binding.

Keys are handed in (``key_for``), time is an argument.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcred.core.errors import InvalidPresentationChoice
from microcred.core.keys import KeyPair, KeyType
from microcred.core.oid4vp.dcql import SD_JWT, CredentialQuery
from microcred.core.oid4vp.matching import Candidate, Held, Plan
from microcred.core.oid4vp.request import AuthorizationRequest
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.proofs.sd_jwt import present_sd_jwt

VC_V2 = "https://www.w3.org/ns/credentials/v2"
# JCS suites: the VP is signed as JSON, whatever contexts the credential inside it uses
PRESENTATION_SUITES = {KeyType.ED25519: "eddsa-jcs-2022", KeyType.P256: "ecdsa-jcs-2019",
                       KeyType.P384: "ecdsa-jcs-2019"}  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """The learner's answer: per credential query, ``(credential ref, claim option)`` pairs."""

    chosen: Mapping[str, tuple[tuple[str, int], ...]]


def _refuse(why: str) -> InvalidPresentationChoice:
    return InvalidPresentationChoice(why)


def _resolve(plan: Plan, query_id: str, picks: tuple[tuple[str, int], ...]) -> list[Candidate]:
    offered = {(c.held.ref, c.option): c for c in plan.candidates.get(query_id, ())}
    if not picks:
        raise _refuse(f"no credential is chosen for {query_id!r}")
    missing = [pick for pick in picks if pick not in offered]
    if missing:
        raise _refuse(f"credential {missing[0][0]!r} does not answer {query_id!r} that way")
    if len({ref for ref, _ in picks}) != len(picks):
        raise _refuse(f"the same credential is chosen twice for {query_id!r}")
    return [offered[pick] for pick in picks]


def _check_sets(plan: Plan, answered: set[str]) -> None:
    query = plan.query
    for required in query.required_sets():
        if not any(set(option) <= answered for option in required.options):
            raise _refuse("the choice does not answer every required part of the request")
    sets = query.credential_sets or query.required_sets()
    allowed = {
        query_id
        for credential_set in sets
        for option in credential_set.options
        if set(option) <= answered
        for query_id in option
    }
    if answered - allowed:
        extra = sorted(answered - allowed)[0]
        raise _refuse(f"{extra!r} is not part of any option that the choice completes")


def chosen_candidates(plan: Plan, choice: Choice) -> dict[str, list[Candidate]]:
    """The candidates the learner chose, checked against the query's rules."""
    resolved = {}
    for query_id, picks in choice.chosen.items():
        query = _query(plan, query_id)
        candidates = _resolve(plan, query_id, tuple(picks))
        if len(candidates) > 1 and not query.multiple:
            raise _refuse(f"{query_id!r} takes one credential")
        resolved[query_id] = candidates
    _check_sets(plan, set(resolved))
    return resolved


def _query(plan: Plan, query_id: str) -> CredentialQuery:
    try:
        return plan.query.credential(query_id)
    except KeyError:
        raise _refuse(f"the request has no credential query {query_id!r}") from None


def _sd_jwt_presentation(
    candidate: Candidate, request: AuthorizationRequest, key: KeyPair | None, now: datetime
) -> str:
    reveal = [claim.path for claim in candidate.claims]
    raw = candidate.held.raw
    if not isinstance(raw, str):
        raise _refuse("an SD-JWT VC is held as text")
    if key is None:
        return present_sd_jwt(raw, reveal=reveal)
    return present_sd_jwt(raw, reveal=reveal, holder_key=key, aud=request.client_id,
                          nonce=request.nonce, now=now)  # fmt: skip


def _w3c_presentation(
    held: Held, request: AuthorizationRequest, key: KeyPair | None, now: datetime
) -> dict[str, Any]:
    credential = held.raw if isinstance(held.raw, Mapping) else json.loads(held.raw)
    if key is None:
        return dict(credential)
    presentation = {"@context": [VC_V2], "type": ["VerifiablePresentation"],
                    "holder": key.public.did_key, "verifiableCredential": [credential]}  # fmt: skip
    return sign_document(presentation, key, key.public.did_key_vm,
                         suite=PRESENTATION_SUITES[key.public.type],
                         proof_purpose="authentication", created=now,
                         challenge=request.nonce, domain=request.client_id)  # fmt: skip


def build_vp_token(
    request: AuthorizationRequest,
    plan: Plan,
    choice: Choice,
    *,
    key_for: Callable[[Held], KeyPair],
    now: datetime,
) -> dict[str, list[str | dict[str, Any]]]:
    """The ``vp_token`` object answering ``request`` with the learner's ``choice``."""
    token: dict[str, list[str | dict[str, Any]]] = {}
    for query_id, candidates in chosen_candidates(plan, choice).items():
        binding = plan.query.credential(query_id).require_binding
        items: list[str | dict[str, Any]] = []
        for candidate in candidates:
            key = key_for(candidate.held) if binding or candidate.held.format == SD_JWT else None
            if candidate.held.format == SD_JWT:
                key = key if candidate.held.bound else None
                items.append(_sd_jwt_presentation(candidate, request, key, now))
            else:
                items.append(_w3c_presentation(candidate.held, request, key, now))
        token[query_id] = items
    return token


def response_form(
    request: AuthorizationRequest, vp_token: Mapping[str, list[str | dict[str, Any]]]
) -> dict[str, str]:
    """The ``application/x-www-form-urlencoded`` body POSTed to the response URI."""
    return {"vp_token": json.dumps(vp_token, separators=(",", ":")), "state": request.state}


def refusal_form(request: AuthorizationRequest, description: str) -> dict[str, str]:
    """The body telling the verifier the learner declined (``access_denied``)."""
    return {"error": "access_denied", "error_description": description, "state": request.state}
