"""What the checks read is what the signature covers: checked properties in their plain spelling.

A Data Integrity proof over RDFC-1.0 signs a document's JSON-LD meaning, not its JSON text,
while the verifier's checks read JSON keys (``issuer``, ``validUntil``, ``credentialStatus``,
a status list's ``encodedList``...). The same meaning can be written other ways: a full IRI
as key, a compact IRI (``cred:validUntil``), a term an inline ``@context`` defines, a value
object, ``@nest``, or the same node described twice. The signature would still hold and the
check would not see the property, so a revoked or expired credential would verify.

:func:`spelling_problems` compares every checked property in the JSON with the same property
in the JSON-LD expanded form and names each disagreement: what the checks read is then provably
what the expanded form (and so the signed RDF) says. The rule is the same for every suite and
format, and for issuing (see :mod:`microcred.core.verification.wellformed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CRED = "https://www.w3.org/2018/credentials#"
STATUS = "https://www.w3.org/ns/credentials/status#"
STATUS_2021 = "https://w3id.org/vc/status-list#"
_NOT_NODES = frozenset({"@value", "@list", "@set"})


@dataclass(frozen=True)
class Term:
    """A property the checks read: the IRIs it stands for, and the shape of its node values
    (``None``: literal values, compared as they are).

    ``grants``: what the JSON says is taken as the signer's word (the issuer: whose keys, whom
    to trust), so the plain key must mean this IRI. For the others a plain key that means
    something else can only make a check stricter (an extra date, an extra status entry), and
    is left alone: third-party documents do that (a DCC fixture maps ``issuanceDate`` to an
    IRI of its own in a VC 2.0 credential, whose checks read ``validFrom``).
    """

    iris: tuple[str, ...]
    node: Mapping[str, Term] | None = field(default=None)
    grants: bool = False


def _status(name: str) -> Term:
    return Term((STATUS + name, STATUS_2021 + name))


# A status entry, and a status list credential's subject: what core.status reads.
_STATUS_FIELDS = ("statusPurpose", "statusListIndex", "statusListCredential", "statusSize",
                  "encodedList")  # fmt: skip
STATUS_NODE: Mapping[str, Term] = {name: _status(name) for name in _STATUS_FIELDS}
CREDENTIAL: Mapping[str, Term] = {
    "issuer": Term((CRED + "issuer",), {}, grants=True),
    "validFrom": Term((CRED + "validFrom",)),
    "validUntil": Term((CRED + "validUntil",)),
    "issuanceDate": Term((CRED + "issuanceDate",)),
    "expirationDate": Term((CRED + "expirationDate",)),
    "credentialStatus": Term((CRED + "credentialStatus",), STATUS_NODE),
    "credentialSubject": Term((CRED + "credentialSubject",), STATUS_NODE),
}
CHECKED_IRIS = frozenset(
    iri for shape in (CREDENTIAL, STATUS_NODE) for term in shape.values() for iri in term.iris
)


def spelling_problems(document: Mapping[str, Any], expanded: list[Any]) -> list[tuple[str, str]]:
    """``(path, sentence)`` for each checked property whose JSON differs from its meaning.

    ``expanded`` is the JSON-LD expanded form of ``document`` without its ``proof``.
    """
    if len(expanded) != 1 or not _is_node(expanded[0]):
        return [("", "the credential must be a single JSON-LD node (no top-level @graph)")]
    reading = _Reading(_inline_terms(document))
    reading.node(document, expanded[0], CREDENTIAL, "")
    reading.merged(expanded[0])
    return reading.problems


def _is_node(value: Any) -> bool:
    return isinstance(value, Mapping) and not (_NOT_NODES & value.keys())


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _inline_terms(value: Any) -> frozenset[str]:
    """Every term an inline (object) ``@context`` in the document defines."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is int or kind is float or kind is bool or item is None:
            continue  # most of a document: no container (checked first, by exact type)
        if kind is list or (kind is not dict and isinstance(item, list)):
            stack.extend(item)
        elif kind is dict or isinstance(item, Mapping):
            if "@context" in item:
                for context in _as_list(item["@context"]):
                    if isinstance(context, Mapping):
                        found.update(key for key in context if not key.startswith("@"))
                stack.extend(v for k, v in item.items() if k != "@context")
            else:
                stack.extend(item.values())
    return frozenset(found)


def _join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


class _Reading:
    """One comparison of a document's JSON with its expanded form, collecting problems."""

    def __init__(self, inline_terms: frozenset[str]) -> None:
        self.inline_terms = inline_terms
        self.problems: list[tuple[str, str]] = []
        self.checked: list[Mapping[str, Any]] = []  # the expanded nodes compared

    def say(self, path: str, sentence: str) -> None:
        self.problems.append((path, f"{path or 'the credential'}: {sentence}"))

    def node(self, json: Mapping[str, Any], node: Mapping[str, Any], shape: Mapping[str, Term],
             path: str) -> None:  # fmt: skip
        """Compare ``id``, ``type`` and every checked property of one node."""
        self._identity(json, node, path)
        for key, term in shape.items():
            values = [v for iri in term.iris for v in _as_list(node.get(iri))]
            self._property(json, key, term, values, path)

    def _identity(self, json: Mapping[str, Any], node: Mapping[str, Any], path: str) -> None:
        self.checked.append(node)
        if json.get("id") != node.get("@id"):
            shown = node.get("@id", "no id")
            self.say(_join(path, "id"), f'its id means {shown!r}, not what "id" says')
        json_types, node_types = _as_list(json.get("type")), _as_list(node.get("@type"))
        if len(json_types) != len(node_types):
            self.say(_join(path, "type"), f"\"type\" lists {len(json_types)} types but the "
                     f"signed data has {len(node_types)} (type written another way?)")  # fmt: skip

    def _property(
        self, json: Mapping[str, Any], key: str, term: Term, values: list[Any], path: str
    ) -> None:
        where, iri = _join(path, key), term.iris[0]
        written = _as_list(json.get(key))
        if not written and values:
            how = self._suspects(json)
            self.say(where, f'the signed data states {iri}, but not as "{key}"{how}, so a check '
                     f'reading "{key}" would not see it')  # fmt: skip
        elif written and not values and term.grants:
            why = "redefined or undefined by the @context"
            self.say(where, f'"{key}" does not mean {iri} here ({why}): it is not what is signed')
        elif values and len(written) != len(values):
            how = self._suspects(json)
            count = f"{len(written)} value(s) but the signed data has {len(values)}"
            self.say(where, f'"{key}" has {count}{how}')
        elif values:
            many = isinstance(json.get(key), list)
            for index, (mine, meant) in enumerate(zip(written, values, strict=True)):
                self._value(mine, meant, term, _join(where, index) if many else where)

    def _value(self, mine: Any, meant: Any, term: Term, where: str) -> None:
        if term.node is not None and isinstance(mine, Mapping) and _is_node(meant):
            self.node(mine, meant, term.node, where)
            return
        if term.node is not None and isinstance(mine, str) and meant == {"@id": mine}:
            return
        plain = isinstance(mine, str | int | float | bool)
        said = meant.get("@value", meant.get("@id")) if isinstance(meant, Mapping) else None
        if not plain or type(said) is not type(mine) or said != mine:
            self.say(where, f"written as {_shown(mine)}, which is not plainly the signed value "
                     f"{_shown(meant)}")  # fmt: skip

    def _suspects(self, json: Mapping[str, Any]) -> str:
        suspects = [
            name
            for name in json
            if name != "@context"
            and (":" in name or name.startswith("@") or name in self.inline_terms)
        ]
        if suspects:
            return " (it is written as " + ", ".join(f'"{s}"' for s in suspects[:3]) + ")"
        return " (through a term defined by a @context, or @nest)"

    def merged(self, top: Mapping[str, Any]) -> None:
        """A checked node described a second time with a checked property, or a checked
        property stated in reverse, adds to the signed data out of the checks' sight."""
        ids = {node["@id"] for node in self.checked if isinstance(node.get("@id"), str)}
        seen = {id(node) for node in self.checked}
        stack: list[Any] = [top]
        pop, push, extend = stack.pop, stack.append, stack.extend
        # it walks every node and value of the expansion (every verify request): plain lists
        # and dicts are told apart by their type first, the other cases as before
        while stack:
            item = pop()
            kind = type(item)
            if kind is list:
                extend(item)
                continue
            if kind is not dict:
                if isinstance(item, list):
                    extend(item)
                    continue
                if not isinstance(item, Mapping):
                    continue
            if "@value" in item:
                continue
            if len(item) > 1 and not CHECKED_IRIS.isdisjoint(item):
                stated = sorted(CHECKED_IRIS.intersection(item))
                if item.get("@id") in ids and id(item) not in seen:
                    self.say("", f"the node {item['@id']!r} is described a second time, with "
                             f"{stated[0]}, out of the checks' sight")  # fmt: skip
            if "@reverse" in item:
                self._reverse(item["@reverse"])
            # only lists and objects can hold nodes (an @id or a type is text)
            for value in item.values():
                if type(value) is not str:
                    push(value)

    def _reverse(self, reverse: Any) -> None:
        if isinstance(reverse, Mapping) and CHECKED_IRIS & reverse.keys():
            iri = sorted(CHECKED_IRIS & reverse.keys())[0]
            self.say("", f"{iri} is stated in reverse (@reverse), out of the checks' sight")


def _shown(value: Any) -> str:
    import json

    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
