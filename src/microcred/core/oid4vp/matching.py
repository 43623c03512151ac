"""Which held credentials answer a DCQL query, and what each would disclose (section 6.4).

A wallet turns each credential it holds into a :class:`Held` (its claims with every disclosure
applied, the selectively disclosable paths, its types); :func:`candidates` lists, for one
credential query, every (credential, claim combination) that satisfies it, in the verifier's
order of preference; :func:`plan` does it for a whole query and says which credential sets can
be met. The verifier uses :func:`claims_satisfied` on what it received.

Value matching follows 6.3: type and value must both match (``true`` is not ``1``); a claim
whose value does not match is treated as absent. ``trusted_authorities`` is not evaluated here
(the verifier judges issuers itself, 6.1.1 note).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.jsonld import expand
from microcred.core.oid4vp.claims_path import ConcretePath, select_claims
from microcred.core.oid4vp.dcql import (
    SD_JWT,
    W3C_FORMATS,
    ClaimsQuery,
    ClaimValue,
    CredentialQuery,
    DcqlQuery,
)
from microcred.core.proofs.jws import parse_jws
from microcred.core.proofs.sd_jwt_disclosures import process_disclosures, split_sd_jwt

ExpandTypes = Callable[[Mapping[str, Any]], frozenset[str]]


@dataclass(frozen=True)
class Held:
    """A credential in a wallet as the matcher sees it (``raw`` is what gets presented)."""

    ref: str
    format: str
    claims: Mapping[str, Any]
    types: frozenset[str]
    bound: bool
    raw: str | Mapping[str, Any]
    disclosable: frozenset[ConcretePath] = frozenset()


def held_sd_jwt(ref: str, sd_jwt: str) -> Held:
    """An SD-JWT VC as issued (``jwt~d1~d2~``): every disclosure applied. ProofError if bad."""
    parts = split_sd_jwt(sd_jwt)
    payload = parse_jws(parts.jwt, "issuer-signed JWT").payload
    claims, revealed = process_disclosures(payload, parts.disclosures)
    vct = claims.get("vct")
    types = frozenset({vct}) if isinstance(vct, str) else frozenset()
    bound = isinstance(payload.get("cnf"), Mapping)
    paths = frozenset(tuple(p) for p in revealed.values())
    return Held(ref, SD_JWT, claims, types, bound, sd_jwt, paths)


def expanded_types(document: Mapping[str, Any]) -> frozenset[str]:
    """A W3C credential's types as written and as IRIs (its @context applied, offline)."""
    types = document.get("type")
    written = types if isinstance(types, list) else [types]
    names = frozenset(t for t in written if isinstance(t, str))
    try:
        nodes = expand({"@context": document.get("@context"), "@type": sorted(names)})
    except MicrocredError:
        return names  # an unknown context: the types stay as written (6.1 "relative IRI")
    iris = {t for node in nodes if isinstance(node, Mapping) for t in node.get("@type", [])}
    return names | frozenset(t for t in iris if isinstance(t, str))


def held_ldp_vc(
    ref: str,
    document: Mapping[str, Any],
    holder: str | None = None,
    expand_types: ExpandTypes = expanded_types,
) -> Held:
    """A W3C credential with Data Integrity proofs; bound when its subject is ``holder``, the
    DID whose key the wallet holds (so that it can sign a presentation as that subject)."""
    subject = document.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, Mapping) else None
    bound = holder is not None and subject_id == holder
    return Held(ref, "ldp_vc", document, expand_types(document), bound, document)


# --- claims ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimChoice:
    """One claim that would be sent: its concrete path and value."""

    path: ConcretePath
    value: Any
    query: ClaimsQuery


def _same(value: Any, wanted: ClaimValue) -> bool:
    return type(value) is type(wanted) and value == wanted


def _claim(root: Mapping[str, Any], query: ClaimsQuery) -> list[ClaimChoice]:
    found = select_claims(root, query.path)
    if query.values is not None:
        found = [(p, v) for p, v in found if any(_same(v, w) for w in query.values)]
    return [ClaimChoice(path, value, query) for path, value in found]


def claims_satisfied(
    root: Mapping[str, Any], option: Sequence[ClaimsQuery]
) -> tuple[ClaimChoice, ...] | None:
    """The claims of one claim combination found in ``root``; None when one is missing."""
    chosen: list[ClaimChoice] = []
    for query in option:
        found = _claim(root, query)
        if not found:
            return None
        chosen += found
    return tuple(chosen)


def path_order(path: ConcretePath) -> tuple[tuple[int, int, str], ...]:
    """A sort key for concrete paths: containers before their parts, indexes as numbers."""
    return tuple((0, s, "") if isinstance(s, int) else (1, 0, s) for s in path)


def _related(a: ConcretePath, b: ConcretePath) -> bool:
    n = min(len(a), len(b))
    return a[:n] == b[:n]


# --- candidates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A held credential answering a credential query with claim combination ``option``.

    ``disclosures`` are the selectively disclosable claims the presentation would reveal (the
    requested ones, their containers and what lies inside them); for a credential without
    selective disclosure the whole credential goes, and ``whole`` is true.
    """

    query_id: str
    held: Held
    option: int
    claims: tuple[ClaimChoice, ...]
    disclosures: tuple[ConcretePath, ...]

    @property
    def whole(self) -> bool:
        """True when the credential cannot be shown in part (no selective disclosure)."""
        return self.held.format != SD_JWT


def meta_matches(query: CredentialQuery, held: Held) -> bool:
    """Format, type (``vct_values`` / ``type_values``) and holder binding fit the query."""
    if held.format != query.format or (query.require_binding and not held.bound):
        return False
    if query.format == SD_JWT:
        return bool(held.types & set(query.vct_values))
    if query.format in W3C_FORMATS:
        return any(set(option) <= held.types for option in query.type_values)
    return False


def candidates(query: CredentialQuery, held: Iterable[Held]) -> tuple[Candidate, ...]:
    """Every (credential, claim combination) that satisfies ``query``, preferred first."""
    found = []
    for item in held:
        if not meta_matches(query, item):
            continue
        for index, option in enumerate(query.claim_options()):
            claims = claims_satisfied(item.claims, option)
            if claims is None:
                continue
            wanted = [c.path for c in claims]
            revealed = sorted(
                (p for p in item.disclosable if any(_related(p, w) for w in wanted)),
                key=path_order,
            )
            found.append(Candidate(query.id, item, index, claims, tuple(revealed)))
    return tuple(sorted(found, key=lambda c: c.option))


@dataclass(frozen=True)
class Plan:
    """What a wallet can answer: candidates per credential query, and which set options."""

    query: DcqlQuery
    candidates: Mapping[str, tuple[Candidate, ...]]

    def option_possible(self, option: Sequence[str]) -> bool:
        """Every credential query of ``option`` has at least one candidate."""
        return all(self.candidates.get(query_id) for query_id in option)

    @property
    def possible(self) -> bool:
        """Every required credential set has an option the wallet can answer."""
        return all(
            any(self.option_possible(option) for option in required.options)
            for required in self.query.required_sets()
        )


def plan(query: DcqlQuery, held: Sequence[Held]) -> Plan:
    """Candidates for every credential query of ``query`` among ``held``."""
    return Plan(query, {q.id: candidates(q, held) for q in query.credentials})
