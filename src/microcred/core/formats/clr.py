"""1EdTech Comprehensive Learner Record 2.0: a learner's bundle of signed credentials.

``build_clr`` makes an unsigned ``ClrCredential`` from signed OB 3.0 credentials (embedded as
given, never re-serialised, so their proofs stay valid) and ``Association``s between
achievements; sign it like any credential. ``read_clr`` takes one apart: its parts (each
readable by the OB 3.0 reader), the achievements it names and the associations between them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcred.core.errors import InvalidCredential, NotACredential
from microcred.core.formats.detect import load_document
from microcred.core.formats.ob3_fields import as_list
from microcred.core.formats.ob3_read import is_ob3
from microcred.core.formats.ob3_write import OB_CONTEXT, VC_V2, timestamp

CLR_TYPE = "ClrCredential"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CONTEXTS = (VC_V2, CLR_CONTEXT, OB_CONTEXT, OB_EXTENSIONS)
CLR_SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
ASSOCIATION_TYPES = (
    "exactMatchOf", "isChildOf", "isParentOf", "isPartOf",
    "isPeerOf", "isRelatedTo", "precedes", "replacedBy",
)  # fmt: skip
MAX_PARTS = 100  # each part is verified in full: bound the work one bundle can ask for


@dataclass(frozen=True)
class Association:
    """``source`` stands in ``association_type`` to ``target`` (achievement ids)."""

    association_type: str
    source_id: str
    target_id: str

    def __post_init__(self) -> None:
        if self.association_type not in ASSOCIATION_TYPES:
            known = ", ".join(ASSOCIATION_TYPES)
            raise InvalidCredential(
                f"association type {self.association_type!r} is not one of {known}"
            )
        for name, value in (("sourceId", self.source_id), ("targetId", self.target_id)):
            if ":" not in value:
                raise InvalidCredential(f"association {name} {value!r} is not a URI")

    def to_json(self) -> dict[str, str]:
        """The CLR 2.0 ``Association`` object."""
        return {"type": "Association", "associationType": self.association_type,
                "sourceId": self.source_id, "targetId": self.target_id}  # fmt: skip


@dataclass(frozen=True)
class ClrBundle:
    """What a CLR holds: its parts as embedded, their achievements, and the associations."""

    id: str | None
    name: str | None
    issuer: str | None
    learner: str | None
    parts: tuple[Any, ...]  # embedded credentials as found (objects, or compact JWS strings)
    achievements: tuple[Mapping[str, Any], ...]
    associations: tuple[Association, ...]

    def achievement_name(self, achievement_id: str) -> str | None:
        """The name of the achievement with this id, when the bundle names it."""
        for node in self.achievements:
            if node.get("id") == achievement_id and isinstance(node.get("name"), str):
                return str(node["name"])
        return None


def is_clr(document: Any) -> bool:
    """Whether ``document`` is typed ``ClrCredential``."""
    return isinstance(document, Mapping) and CLR_TYPE in as_list(document.get("type"))


def part_achievement(part: Any) -> Mapping[str, Any] | None:
    """The achievement an embedded OB 3.0 credential awards (None for other parts)."""
    subject = part.get("credentialSubject") if isinstance(part, Mapping) else None
    subject = next(iter(as_list(subject)), None)
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    return achievement if isinstance(achievement, Mapping) else None


def part_document(part: Any) -> Mapping[str, Any]:
    """A bundled credential as a JSON object (a VC-JWT's payload, read, not verified)."""
    if isinstance(part, Mapping):
        return part
    if isinstance(part, str):
        return load_document(part.encode("utf-8"))
    raise NotACredential("a bundled credential is neither an object nor a token")


def _node_id(node: Any) -> str | None:
    value = node.get("id") if isinstance(node, Mapping) else node
    return value if isinstance(value, str) else None


def _achievements(
    parts: Sequence[Any], declared: Sequence[Mapping[str, Any]]
) -> list[Mapping[str, Any]]:
    """Declared achievements, then those of the parts not declared yet (first wins per id)."""
    found: dict[str, Mapping[str, Any]] = {}
    for node in [*declared, *(part_achievement(p) for p in parts)]:
        key = _node_id(node)
        if node is not None and key is not None and key not in found:
            found[key] = node
    return list(found.values())


def embeddable(document: Any) -> Mapping[str, Any] | None:
    """``document`` (an object or its JSON text) when a CLR can embed it as a part: a signed
    OB 3.0 credential, the rule :func:`build_clr` holds parts to; else None."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None
    if isinstance(document, dict) and is_ob3(document) and as_list(document.get("proof")):
        return document
    return None


def _check_part(number: int, part: Any) -> None:
    """A part is a signed OB 3.0 achievement credential (its proof travels with it)."""
    if not is_ob3(part):
        raise InvalidCredential(f"credential {number} is not an Open Badges 3.0 credential")
    if not as_list(part.get("proof")):
        raise InvalidCredential(f"credential {number} is not signed: a CLR bundles signed ones")


def build_clr(
    parts: Sequence[Mapping[str, Any]],
    associations: Sequence[Association],
    issuer: Mapping[str, Any] | str,
    learner: str,
    *,
    clr_id: str,
    name: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    description: str | None = None,
    achievements: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The unsigned ``ClrCredential`` bundling ``parts`` for ``learner`` (a DID or URI).

    ``achievements`` lists achievements beyond the parts' own (the parts already carry theirs);
    every association must name an achievement of the bundle. Parts are copied as they are:
    their proofs cover them unchanged.
    """
    if not parts:
        raise InvalidCredential("a CLR bundles at least one credential")
    if len(parts) > MAX_PARTS:
        raise InvalidCredential(f"{len(parts)} credentials: a CLR here holds at most {MAX_PARTS}")
    if valid_from.tzinfo is None:
        raise InvalidCredential("validFrom needs a time zone")
    for number, part in enumerate(parts, 1):
        _check_part(number, part)
    declared = list(achievements or [])
    known = {_node_id(node) for node in _achievements(parts, declared)}
    for link in associations:
        for end in (link.source_id, link.target_id):
            if end not in known:
                raise InvalidCredential(f"association names {end}, not an achievement of the CLR")
    subject: dict[str, Any] = {
        "id": learner,
        "type": "ClrSubject",
        "verifiableCredential": [copy.deepcopy(dict(part)) for part in parts],
    }
    if declared:
        subject["achievement"] = [copy.deepcopy(dict(node)) for node in declared]
    if associations:
        subject["association"] = [link.to_json() for link in associations]
    document: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": clr_id,
        "type": ["VerifiableCredential", CLR_TYPE],
        "issuer": dict(issuer) if isinstance(issuer, Mapping) else issuer,
        "validFrom": timestamp(valid_from),
        "name": name,
        "credentialSubject": subject,
        "credentialSchema": [dict(CLR_SCHEMA)],
    }
    if valid_until is not None:
        document["validUntil"] = timestamp(valid_until)
    if description:
        document["description"] = description
    return document


def _association(node: Any) -> Association:
    if not isinstance(node, Mapping):
        raise InvalidCredential("an association is not an object")
    try:
        return Association(
            str(node.get("associationType")), str(node.get("sourceId")), str(node.get("targetId"))
        )
    except InvalidCredential as exc:
        raise InvalidCredential(f"association: {exc.message}") from None


def read_clr(document: Mapping[str, Any]) -> ClrBundle:
    """Take a CLR apart; :class:`NotACredential` for anything else, ``InvalidCredential``
    when its subject, parts or associations are malformed."""
    if not is_clr(document):
        raise NotACredential("not a CLR 2.0 credential (no ClrCredential type)")
    subject = next(iter(as_list(document.get("credentialSubject"))), None)
    if not isinstance(subject, Mapping):
        raise InvalidCredential("the CLR has no credentialSubject object")
    parts = tuple(as_list(subject.get("verifiableCredential")))
    if not parts:
        raise InvalidCredential("the CLR bundles no credential (verifiableCredential is empty)")
    declared = [n for n in as_list(subject.get("achievement")) if isinstance(n, Mapping)]
    return ClrBundle(
        id=_node_id(document),
        name=document.get("name") if isinstance(document.get("name"), str) else None,
        issuer=_node_id(document.get("issuer")),
        learner=_node_id(subject),
        parts=parts,
        achievements=tuple(_achievements(parts, declared)),
        associations=tuple(_association(n) for n in as_list(subject.get("association"))),
    )
