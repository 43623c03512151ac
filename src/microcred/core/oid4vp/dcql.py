"""The Digital Credentials Query Language (OpenID4VP 1.0 section 6): read and check a query.

:func:`parse_dcql` turns the ``dcql_query`` JSON object into frozen values or refuses it with
``invalid_request`` naming the member at fault (``credentials[1].claims[0].path``...). Unknown
members are ignored, as the spec asks. Format-specific ``meta`` is checked for the formats this
platform reads: ``dc+sd-jwt`` (``vct_values``), the W3C formats ``ldp_vc``, ``jwt_vc_json``
(``type_values``) and ``mso_mdoc`` (``doctype_value``, two-step paths). Sizes are bounded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from microcred.core.errors import OAuthError
from microcred.core.oid4vp.claims_path import ClaimsPath, parse_claims_path

SD_JWT = "dc+sd-jwt"
LDP_VC = "ldp_vc"
W3C_FORMATS = frozenset({LDP_VC, "jwt_vc_json", "jwt_vc_json-ld"})
MDOC = "mso_mdoc"
MAX_CREDENTIALS = 32
MAX_CLAIMS = 128
MAX_OPTIONS = 32
_ID = re.compile(r"[A-Za-z0-9_-]+")
ClaimValue = str | int | bool


def _refuse(where: str, why: str) -> OAuthError:
    return OAuthError("invalid_request", f"dcql_query.{where} {why}")


def _array(value: object, where: str, limit: int) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise _refuse(where, "must be a non-empty array")
    if len(value) > limit:
        raise _refuse(where, f"has more than {limit} entries")
    return value


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _refuse(where, "must be a JSON object")
    return value


def _identifier(value: object, where: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise _refuse(where, "must be a non-empty string of letters, digits, '_' or '-'")
    return value


def _flag(node: Mapping[str, Any], name: str, default: bool, where: str) -> bool:
    value = node.get(name, default)
    if not isinstance(value, bool):
        raise _refuse(f"{where}.{name}", "must be true or false")
    return value


def _strings(value: object, where: str) -> tuple[str, ...]:
    items = _array(value, where, MAX_OPTIONS)
    if not all(isinstance(item, str) and item for item in items):
        raise _refuse(where, "must hold non-empty strings")
    return tuple(items)


@dataclass(frozen=True)
class ClaimsQuery:
    """One requested claim: where it is, and optionally the values the verifier expects."""

    path: ClaimsPath
    id: str | None = None
    values: tuple[ClaimValue, ...] | None = None


@dataclass(frozen=True)
class CredentialQuery:
    """One requested credential (section 6.1)."""

    id: str
    format: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    claims: tuple[ClaimsQuery, ...] | None = None
    claim_sets: tuple[tuple[str, ...], ...] | None = None
    multiple: bool = False
    require_binding: bool = True
    trusted_authorities: tuple[Mapping[str, Any], ...] = ()

    @property
    def vct_values(self) -> tuple[str, ...]:
        """``meta.vct_values`` of an SD-JWT VC query (empty for other formats)."""
        return tuple(self.meta.get("vct_values", ())) if self.format == SD_JWT else ()

    @property
    def type_values(self) -> tuple[tuple[str, ...], ...]:
        """``meta.type_values`` of a W3C VC query: alternatives, each a set of types."""
        if self.format not in W3C_FORMATS:
            return ()
        return tuple(tuple(option) for option in self.meta.get("type_values", ()))

    def claim_options(self) -> tuple[tuple[ClaimsQuery, ...], ...]:
        """The claim combinations that satisfy this query, most preferred first (6.4.1)."""
        if self.claims is None:
            return ((),)
        if self.claim_sets is None:
            return (self.claims,)
        by_id = {claim.id: claim for claim in self.claims}
        return tuple(tuple(by_id[name] for name in option) for option in self.claim_sets)


@dataclass(frozen=True)
class CredentialSetQuery:
    """Alternatives of credential query ids that satisfy one purpose (section 6.2)."""

    options: tuple[tuple[str, ...], ...]
    required: bool = True


@dataclass(frozen=True)
class DcqlQuery:
    """A checked DCQL query; ``raw`` is the JSON object as received (what is sent on)."""

    credentials: tuple[CredentialQuery, ...]
    credential_sets: tuple[CredentialSetQuery, ...] | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def credential(self, query_id: str) -> CredentialQuery:
        """The credential query with ``query_id``; KeyError when there is none."""
        for query in self.credentials:
            if query.id == query_id:
                return query
        raise KeyError(query_id)

    def required_sets(self) -> tuple[CredentialSetQuery, ...]:
        """What must be answered: each required set, or every credential query alone."""
        if self.credential_sets is None:
            return tuple(CredentialSetQuery(((q.id,),)) for q in self.credentials)
        return tuple(s for s in self.credential_sets if s.required)


def _claims_query(node: object, where: str, mdoc: bool) -> ClaimsQuery:
    claim = _object(node, where)
    path = parse_claims_path(claim.get("path"), f"dcql_query.{where}.path")
    if mdoc and (len(path) != 2 or not all(isinstance(step, str) for step in path)):
        raise _refuse(f"{where}.path", "of an mdoc claim must be two strings")
    claim_id = _identifier(claim["id"], f"{where}.id") if "id" in claim else None
    values = None
    if "values" in claim:
        items = _array(claim["values"], f"{where}.values", MAX_OPTIONS)
        if not all(isinstance(v, str | int) for v in items):
            raise _refuse(f"{where}.values", "must hold strings, integers or booleans")
        values = tuple(items)
    return ClaimsQuery(path, claim_id, values)


def _claims(node: Mapping[str, Any], where: str, mdoc: bool) -> tuple[ClaimsQuery, ...] | None:
    if "claims" not in node:
        return None
    items = _array(node["claims"], f"{where}.claims", MAX_CLAIMS)
    claims = tuple(_claims_query(c, f"{where}.claims[{i}]", mdoc) for i, c in enumerate(items))
    ids = [claim.id for claim in claims if claim.id is not None]
    if len(set(ids)) != len(ids):
        raise _refuse(f"{where}.claims", "uses the same id twice")
    paths = [claim.path for claim in claims]
    if len(set(paths)) != len(paths):
        raise _refuse(f"{where}.claims", "points to the same claim twice")
    return claims


def _claim_sets(
    node: Mapping[str, Any], claims: Sequence[ClaimsQuery] | None, where: str
) -> tuple[tuple[str, ...], ...] | None:
    if "claim_sets" not in node:
        return None
    if claims is None:
        raise _refuse(f"{where}.claim_sets", "needs claims")
    known = {claim.id for claim in claims}
    if None in known:
        raise _refuse(f"{where}.claims", "need an id each when claim_sets is present")
    options = _array(node["claim_sets"], f"{where}.claim_sets", MAX_OPTIONS)
    sets = tuple(_strings(o, f"{where}.claim_sets[{i}]") for i, o in enumerate(options))
    for i, option in enumerate(sets):
        unknown = [name for name in option if name not in known]
        if unknown:
            raise _refuse(f"{where}.claim_sets[{i}]", f"names unknown claim id {unknown[0]!r}")
    return sets


def _meta(node: Mapping[str, Any], credential_format: str, where: str) -> Mapping[str, Any]:
    meta = _object(node.get("meta"), f"{where}.meta")
    if credential_format == SD_JWT:
        _strings(meta.get("vct_values"), f"{where}.meta.vct_values")
    elif credential_format in W3C_FORMATS:
        options = _array(meta.get("type_values"), f"{where}.meta.type_values", MAX_OPTIONS)
        for i, option in enumerate(options):
            _strings(option, f"{where}.meta.type_values[{i}]")
    elif credential_format == MDOC and not isinstance(meta.get("doctype_value"), str):
        raise _refuse(f"{where}.meta.doctype_value", "must be a string")
    return meta


def _authorities(node: Mapping[str, Any], where: str) -> tuple[Mapping[str, Any], ...]:
    if "trusted_authorities" not in node:
        return ()
    items = _array(node["trusted_authorities"], f"{where}.trusted_authorities", MAX_OPTIONS)
    for i, item in enumerate(items):
        entry = _object(item, f"{where}.trusted_authorities[{i}]")
        if not isinstance(entry.get("type"), str):
            raise _refuse(f"{where}.trusted_authorities[{i}].type", "must be a string")
        _strings(entry.get("values"), f"{where}.trusted_authorities[{i}].values")
    return tuple(items)


def _credential_query(node: object, where: str) -> CredentialQuery:
    query = _object(node, where)
    query_id = _identifier(query.get("id"), f"{where}.id")
    credential_format = query.get("format")
    if not isinstance(credential_format, str) or not credential_format:
        raise _refuse(f"{where}.format", "must be a credential format identifier")
    claims = _claims(query, where, credential_format == MDOC)
    return CredentialQuery(
        id=query_id,
        format=credential_format,
        meta=_meta(query, credential_format, where),
        claims=claims,
        claim_sets=_claim_sets(query, claims, where),
        multiple=_flag(query, "multiple", False, where),
        require_binding=_flag(query, "require_cryptographic_holder_binding", True, where),
        trusted_authorities=_authorities(query, where),
    )


def _credential_sets(
    node: Mapping[str, Any], known: set[str]
) -> tuple[CredentialSetQuery, ...] | None:
    if "credential_sets" not in node:
        return None
    items = _array(node["credential_sets"], "credential_sets", MAX_OPTIONS)
    sets = []
    for i, item in enumerate(items):
        where = f"credential_sets[{i}]"
        entry = _object(item, where)
        options = _array(entry.get("options"), f"{where}.options", MAX_OPTIONS)
        ids = tuple(_strings(o, f"{where}.options[{j}]") for j, o in enumerate(options))
        unknown = [name for option in ids for name in option if name not in known]
        if unknown:
            raise _refuse(f"{where}.options", f"names unknown credential query {unknown[0]!r}")
        sets.append(CredentialSetQuery(ids, _flag(entry, "required", True, where)))
    return tuple(sets)


def parse_dcql(value: object) -> DcqlQuery:
    """A checked :class:`DcqlQuery`; ``invalid_request`` naming what is wrong otherwise."""
    node = _object(value, "(the query)")
    items = _array(node.get("credentials"), "credentials", MAX_CREDENTIALS)
    queries = tuple(_credential_query(q, f"credentials[{i}]") for i, q in enumerate(items))
    ids = [query.id for query in queries]
    if len(set(ids)) != len(ids):
        raise _refuse("credentials", "uses the same id twice")
    return DcqlQuery(queries, _credential_sets(node, set(ids)), dict(node))
