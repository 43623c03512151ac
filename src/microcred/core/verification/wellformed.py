"""Is this a well-formed Verifiable Credential or Presentation (VCDM 2.0, or 1.1)?

The rules are the data model's own "MUST"s, checked on the JSON as received, plus a JSON-LD
expansion with packaged contexts only (catching unmapped types and redefined protected terms),
in which every property the verifier's checks read must say what its JSON says
(:mod:`microcred.core.verification.spelling`: what is checked is what is signed).
Each problem is one sentence naming the property, and knows the JSON path it is about
(:class:`Problem`), so an issuer can refuse a request field by field. The issuer signs only
what passes these rules (:func:`require_well_formed`): one set of rules, used both ways.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from microcred.core.errors import MalformedCredential, MicrocredError
from microcred.core.jsonld import expansion, known_contexts
from microcred.core.verification.spelling import spelling_problems

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", re.IGNORECASE
)
_LANG_KEYS = frozenset({"@value", "@language", "@direction"})
_TYPED = ("credentialStatus", "credentialSchema", "evidence", "refreshService", "termsOfUse")


class Problem(str):
    """One sentence about what is wrong, which also knows where: ``field`` is the JSON path
    (dotted, list items by index, ``""`` for the document itself)."""

    field: str

    def __new__(cls, message: str, field: str = "") -> Problem:
        made = super().__new__(cls, message)
        made.field = field
        return made


class SpellingProblem(Problem):
    """A checked property written so that a check reading the JSON would not see what is
    signed (a full IRI key, an alias, a value object...): refused as the ``spelling`` check."""


class NotExpanded(Problem):
    """The JSON-LD could not be expanded, so neither its types nor its spelling were read."""


def field_of(problem: str) -> str:
    """The JSON path a problem is about (``""`` when it does not say)."""
    return problem.field if isinstance(problem, Problem) else ""


def _shown(value: object) -> str:
    """A value as the JSON a person sent (``null``, ``["a", "b"]``), cut to 80 characters."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text[:80]


def _items(document: Mapping[str, Any], name: str) -> Iterator[tuple[str, Any]]:
    """``(path, item)`` for each value of ``name`` (a list's items by index)."""
    value = document.get(name)
    if isinstance(value, list):
        yield from ((f"{name}.{index}", item) for index, item in enumerate(value))
    elif value is not None:
        yield name, value


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
        yield Problem("@context is missing", "@context")
        return
    if version_of(document) is None:
        yield Problem(
            f"the first @context must be {V2} (or {V1}), not {_shown(contexts[0])}", "@context"
        )
    for path, context in _items(document, "@context"):
        if isinstance(context, dict):
            continue
        if not is_url(context):
            yield Problem(f"@context entry {_shown(context)} is neither a URL nor an object", path)
        elif context not in known_contexts():
            yield Problem(
                f"unknown JSON-LD context {context} (microcred never fetches contexts)", path
            )


def _language_value_problems(name: str, value: Any, path: str) -> Iterator[str]:
    for where, item in _items({path: value}, path):
        if isinstance(item, str):
            continue
        if not isinstance(item, Mapping) or not isinstance(item.get("@value"), str):
            yield Problem(f"{name} must be text or a language value object", where)
        elif set(item) - _LANG_KEYS:
            extra = ", ".join(sorted(set(item) - _LANG_KEYS))
            yield Problem(f"{name} language value has unexpected properties: {extra}", where)


def _id_problems(name: str, node: Mapping[str, Any], path: str = "") -> Iterator[str]:
    if "id" in node and not is_url(node["id"]):
        where = f"{path}.id" if path else "id"
        yield Problem(f"{name} id {_shown(node['id'])} is not a single URL", where)


def _issuer_problems(document: Mapping[str, Any], as_issued: bool) -> Iterator[str]:
    if "issuer" not in document:
        if as_issued:
            yield Problem("issuer is missing", "issuer")
        return
    issuer = document["issuer"]
    if isinstance(issuer, Mapping):
        if as_issued and "id" not in issuer:
            yield Problem("issuer id is missing", "issuer.id")
        elif "id" in issuer and not is_url(issuer["id"]):
            yield Problem(f"issuer id {_shown(issuer['id'])} is not a URL", "issuer.id")
        for key in ("name", "description"):
            if key in issuer:
                yield from _language_value_problems(f"issuer {key}", issuer[key], f"issuer.{key}")
    elif not is_url(issuer):
        yield Problem(f"issuer {_shown(issuer)} is not a URL", "issuer")


def _subject_problems(document: Mapping[str, Any]) -> Iterator[str]:
    if not as_list(document.get("credentialSubject")):
        yield Problem("credentialSubject is missing", "credentialSubject")
    for path, subject in _items(document, "credentialSubject"):
        if not isinstance(subject, Mapping) or not subject:
            yield Problem("credentialSubject must be an object with at least one claim", path)
        else:
            yield from _id_problems("credentialSubject", subject, path)


def _typed_object_problems(document: Mapping[str, Any]) -> Iterator[str]:
    for name in _TYPED:
        for path, item in _items(document, name):
            if not isinstance(item, Mapping):
                yield Problem(f"{name} must be an object", path)
                continue
            kinds = types_of(item)
            if not kinds or not all(isinstance(kind, str) for kind in kinds):
                yield Problem(f"{name} needs a type", f"{path}.type")
            yield from _id_problems(name, item, path)
            if name == "credentialSchema" and "id" not in item:
                yield Problem("credentialSchema needs an id", f"{path}.id")
    for path, proof in _items(document, "proof"):
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            yield Problem("every proof needs a type", f"{path}.type")


def _date_problems(
    document: Mapping[str, Any], version: str | None, as_issued: bool
) -> Iterator[str]:
    names = ("validFrom", "validUntil") if version == "2.0" else ("issuanceDate", "expirationDate")
    if version == "1.1" and as_issued and "issuanceDate" not in document:
        yield Problem("issuanceDate is missing (required by VC 1.1)", "issuanceDate")
    dates = {}
    for name in names:
        if name in document:
            dates[name] = parse_datetime(document[name])
            if dates[name] is None:
                shown = _shown(document[name])
                yield Problem(f"{name} {shown} is not an XML Schema date-time", name)
    start, end = dates.get(names[0]), dates.get(names[1])
    if start and end and start.tzinfo and end.tzinfo and end < start:
        yield Problem(f"{names[1]} is before {names[0]}", names[1])


def _expansion_problems(document: Mapping[str, Any], *, types: bool) -> Iterator[str]:
    """The expanded form's problems: the spelling of checked properties, and (with ``types``)
    types the contexts do not define. ``proof`` is left out: it is not part of what its own
    signature covers, and the canonicaliser's expansion of the rest is then reused."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    try:
        expanded = expansion(unsecured).nodes
    except MicrocredError as exc:
        prefix = "" if exc.message.startswith("not valid JSON-LD") else "not valid JSON-LD: "
        yield NotExpanded(prefix + exc.message, "@context")
        return
    except Exception as exc:  # pyld raises bare KeyError/TypeError on odd contexts
        detail = getattr(exc, "message", None) or str(exc) or "its @context cannot be processed"
        yield NotExpanded(f"not valid JSON-LD: {detail}", "@context")
        return
    for node in expanded if types else []:
        for kind in as_list(node.get("@type")) if isinstance(node, Mapping) else []:
            if not is_url(kind) or str(kind).startswith("_:"):
                why = f"type {kind!r} is not defined by the @context (it maps to no URL)"
                yield Problem(why, "type")
    for where, message in spelling_problems(unsecured, expanded):
        yield SpellingProblem(message, where)


def credential_problems(document: Mapping[str, Any], *, as_issued: bool = True) -> list[str]:
    """Why ``document`` is not a well-formed credential (empty when it is).

    ``as_issued=False`` checks an issuer's input, where ``issuer`` may still be missing. The
    JSON-LD expansion this needs is shared with an RDFC canonicalisation of the same document
    (:func:`microcred.core.jsonld.expansion`), so verifying or signing does not expand twice.
    """
    found = list(_context_problems(document))
    version = version_of(document)
    kinds = types_of(document)
    if "VerifiableCredential" not in kinds:
        found.append(Problem("type must include VerifiableCredential", "type"))
    found += list(_id_problems("credential", document))
    found += list(_issuer_problems(document, as_issued))
    found += list(_subject_problems(document))
    found += list(_typed_object_problems(document))
    found += list(_date_problems(document, version, as_issued))
    for key in ("name", "description"):
        if key in document:
            found += list(_language_value_problems(key, document[key], key))
    if any(field_of(problem).startswith("@context") for problem in found):
        return found  # unknown or broken contexts: there is no expanded form to read
    expanded = list(_expansion_problems(document, types=not found))
    if found:  # the reading is still told: a re-spelled key explains a missing one
        expanded = [p for p in expanded if isinstance(p, SpellingProblem)]
    spelled = [p for p in expanded if isinstance(p, SpellingProblem)]
    return spelled + found + [p for p in expanded if not isinstance(p, SpellingProblem)]


def reading_problems(document: Mapping[str, Any]) -> list[str]:
    """The spelling rule alone (and whether the JSON-LD expands at all), for a document the
    checks read without judging it as a credential: a fetched status list credential."""
    return list(_expansion_problems(document, types=False))


def presentation_problems(document: Mapping[str, Any]) -> list[str]:
    """Why ``document`` is not a well-formed presentation (embedded credentials included)."""
    found = list(_context_problems(document))
    if "VerifiablePresentation" not in types_of(document):
        found.append(Problem("type must include VerifiablePresentation", "type"))
    found += list(_id_problems("presentation", document))
    holder = document.get("holder")
    if holder is not None:
        holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
        if not is_url(holder_id):
            found.append(Problem(f"holder {_shown(holder_id)} is not a URL", "holder"))
    for index, item in enumerate(as_list(document.get("verifiableCredential"))):
        found += [
            Problem(f"verifiableCredential {index}: {p}", _joined(index, field_of(p)))
            for p in _embedded_problems(item)
        ]
    if not found:
        found += [p for p in _expansion_problems(document, types=True)
                  if not isinstance(p, SpellingProblem)]  # fmt: skip
    return found


def _joined(index: int, field: str) -> str:
    return f"verifiableCredential.{index}" + (f".{field}" if field else "")


def _embedded_problems(item: Any) -> list[str]:
    if not isinstance(item, Mapping):
        return ["a credential in a presentation must be an object, not a string"]
    if "EnvelopedVerifiableCredential" in types_of(item):
        ok = isinstance(item.get("id"), str) and item["id"].startswith("data:")
        return [] if ok else ["an enveloped credential's id must be a data: URL"]
    if not types_of(item):
        return ["type is missing (VerifiableCredential or EnvelopedVerifiableCredential)"]
    return credential_problems(item)


def require_well_formed(
    document: Mapping[str, Any], *, as_issued: bool = True, also: Iterable[str] = ()
) -> None:
    """Refuse to sign what a verifier would refuse: raise :class:`MalformedCredential` naming
    every problem :func:`credential_problems` finds (and the caller's own ``also``)."""
    found = [*also, *credential_problems(document, as_issued=as_issued)]
    if found:
        raise MalformedCredential(
            "the credential is not well-formed: "
            + "; ".join(found[:5])
            + (f" (and {len(found) - 5} more)" if len(found) > 5 else ""),
            problems=[(field_of(problem), str(problem)) for problem in found],
        )
