"""Is this a well-formed Verifiable Credential or Presentation (VCDM 2.0, or 1.1)?

The rules are the data model's own "MUST"s, checked on the JSON as received, plus a JSON-LD
expansion with packaged contexts only (catching unmapped types and redefined protected terms).
Each problem is one sentence naming the property.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from microcred.core.errors import MicrocredError
from microcred.core.jsonld import expand, known_contexts

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", re.IGNORECASE
)
_LANG_KEYS = frozenset({"@value", "@language", "@direction"})
_TYPED = ("credentialStatus", "credentialSchema", "evidence", "refreshService", "termsOfUse")


def is_url(value: object) -> bool:
    """An absolute URL (or DID, URN): a scheme, a colon, no whitespace."""
    return isinstance(value, str) and bool(_URL.match(value))


def as_list(value: Any) -> list[Any]:
    """A JSON value as a list (``None`` is empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(document: Mapping[str, Any]) -> list[Any]:
    """The ``type`` values of a node."""
    return as_list(document.get("type"))


def parse_datetime(value: object) -> datetime | None:
    """An XML Schema dateTime(Stamp) as a datetime, or None when it is not one."""
    if not isinstance(value, str) or not _DATETIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None


def version_of(document: Mapping[str, Any]) -> str | None:
    """``2.0`` or ``1.1`` from the first ``@context``; None when neither."""
    first = as_list(document.get("@context"))[:1]
    return {V2: "2.0", V1: "1.1"}.get(first[0]) if first and isinstance(first[0], str) else None


def _context_problems(document: Mapping[str, Any]) -> Iterator[str]:
    contexts = as_list(document.get("@context"))
    if not contexts:
        yield "@context is missing"
        return
    if version_of(document) is None:
        yield f"the first @context must be {V2} (or {V1}), not {str(contexts[0])[:80]!r}"
    for context in contexts:
        if isinstance(context, dict):
            continue
        if not is_url(context):
            yield f"@context entry {str(context)[:80]!r} is neither a URL nor an object"
        elif context not in known_contexts():
            yield f"unknown JSON-LD context {context} (microcred never fetches contexts)"


def _language_value_problems(name: str, value: Any) -> Iterator[str]:
    for item in as_list(value):
        if isinstance(item, str):
            continue
        if not isinstance(item, Mapping) or not isinstance(item.get("@value"), str):
            yield f"{name} must be text or a language value object"
        elif set(item) - _LANG_KEYS:
            extra = ", ".join(sorted(set(item) - _LANG_KEYS))
            yield f"{name} language value has unexpected properties: {extra}"


def _id_problems(name: str, node: Mapping[str, Any]) -> Iterator[str]:
    if "id" in node and not is_url(node["id"]):
        yield f"{name} id {str(node['id'])[:80]!r} is not a single URL"


def _issuer_problems(document: Mapping[str, Any], as_issued: bool) -> Iterator[str]:
    if "issuer" not in document:
        if as_issued:
            yield "issuer is missing"
        return
    issuer = document["issuer"]
    if isinstance(issuer, Mapping):
        if (as_issued or "id" in issuer) and not is_url(issuer.get("id")):
            yield f"issuer id {str(issuer.get('id'))[:80]!r} is not a URL"
        for key in ("name", "description"):
            if key in issuer:
                yield from _language_value_problems(f"issuer {key}", issuer[key])
    elif not is_url(issuer):
        yield f"issuer {str(issuer)[:80]!r} is not a URL"


def _subject_problems(document: Mapping[str, Any]) -> Iterator[str]:
    subjects = as_list(document.get("credentialSubject"))
    if not subjects:
        yield "credentialSubject is missing"
    for subject in subjects:
        if not isinstance(subject, Mapping) or not subject:
            yield "credentialSubject must be an object with at least one claim"
        else:
            yield from _id_problems("credentialSubject", subject)


def _typed_object_problems(document: Mapping[str, Any]) -> Iterator[str]:
    for name in _TYPED:
        for item in as_list(document.get(name)):
            if not isinstance(item, Mapping):
                yield f"{name} must be an object"
                continue
            kinds = types_of(item)
            if not kinds or not all(isinstance(kind, str) for kind in kinds):
                yield f"{name} needs a type"
            yield from _id_problems(name, item)
            if name == "credentialSchema" and "id" not in item:
                yield "credentialSchema needs an id"
    for proof in as_list(document.get("proof")):
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            yield "every proof needs a type"


def _date_problems(
    document: Mapping[str, Any], version: str | None, as_issued: bool
) -> Iterator[str]:
    names = ("validFrom", "validUntil") if version == "2.0" else ("issuanceDate", "expirationDate")
    if version == "1.1" and as_issued and "issuanceDate" not in document:
        yield "issuanceDate is missing (required by VC 1.1)"
    dates = {}
    for name in names:
        if name in document:
            dates[name] = parse_datetime(document[name])
            if dates[name] is None:
                yield f"{name} {str(document[name])[:60]!r} is not an XML Schema date-time"
    start, end = dates.get(names[0]), dates.get(names[1])
    if start and end and start.tzinfo and end.tzinfo and end < start:
        yield f"{names[1]} is before {names[0]}"


def _expansion_problems(document: Mapping[str, Any]) -> Iterator[str]:
    try:
        expanded = expand(document)
    except MicrocredError as exc:
        yield f"not valid JSON-LD: {exc.message}"
        return
    except Exception as exc:  # pyld raises bare KeyError/TypeError on odd contexts
        yield f"not valid JSON-LD: {type(exc).__name__} {exc}"
        return
    for node in expanded:
        for kind in as_list(node.get("@type")) if isinstance(node, Mapping) else []:
            if not is_url(kind) or str(kind).startswith("_:"):
                yield f"type {kind!r} is not defined by the @context (it maps to no URL)"


def credential_problems(
    document: Mapping[str, Any], *, as_issued: bool = True, expand_jsonld: bool = True
) -> list[str]:
    """Why ``document`` is not a well-formed credential (empty when it is).

    ``as_issued=False`` checks an issuer's input, where ``issuer`` may still be missing.
    ``expand_jsonld=False`` skips the JSON-LD expansion, for a caller that already had the
    document canonicalised in safe mode (an RDFC proof that verified).
    """
    found = list(_context_problems(document))
    version = version_of(document)
    kinds = types_of(document)
    if "VerifiableCredential" not in kinds:
        found.append("type must include VerifiableCredential")
    found += list(_id_problems("credential", document))
    found += list(_issuer_problems(document, as_issued))
    found += list(_subject_problems(document))
    found += list(_typed_object_problems(document))
    found += list(_date_problems(document, version, as_issued))
    for key in ("name", "description"):
        if key in document:
            found += list(_language_value_problems(key, document[key]))
    if not found and expand_jsonld:
        found += list(_expansion_problems(document))
    return found


def presentation_problems(document: Mapping[str, Any]) -> list[str]:
    """Why ``document`` is not a well-formed presentation (embedded credentials included)."""
    found = list(_context_problems(document))
    if "VerifiablePresentation" not in types_of(document):
        found.append("type must include VerifiablePresentation")
    found += list(_id_problems("presentation", document))
    holder = document.get("holder")
    if holder is not None:
        holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
        if not is_url(holder_id):
            found.append(f"holder {str(holder_id)[:80]!r} is not a URL")
    for index, item in enumerate(as_list(document.get("verifiableCredential"))):
        found += [f"verifiableCredential {index}: {p}" for p in _embedded_problems(item)]
    if not found:
        found += list(_expansion_problems(document))
    return found


def _embedded_problems(item: Any) -> list[str]:
    if not isinstance(item, Mapping):
        return ["a credential in a presentation must be an object, not a string"]
    if "EnvelopedVerifiableCredential" in types_of(item):
        ok = isinstance(item.get("id"), str) and item["id"].startswith("data:")
        return [] if ok else ["an enveloped credential's id must be a data: URL"]
    if not types_of(item):
        return ["type is missing (VerifiableCredential or EnvelopedVerifiableCredential)"]
    return credential_problems(item)
