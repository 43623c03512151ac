"""Expanded JSON-LD to RDF quads, as pyld's node map and ``to_rdf`` make them.

Quads are tuples of N-Quads terms already serialised (``<iri>``, ``_:label``, ``"literal"...``)
plus the graph name ("" for the default graph), which is what RDFC-1.0 hashes and sorts.
Nodes with the same ``@id`` merge; a value or reference repeated on one property is kept once
(pyld's ``add_value`` comparison, ``@direction`` ignored as pyld ignores it); lists become
``rdf:first`` / ``rdf:rest`` chains; ``@direction`` becomes an ``i18n`` datatype.
"""

from __future__ import annotations

import re
from itertools import count
from typing import Any

from microcred.core.fastrdf.contexts import Unsupported
from microcred.core.nquads import (
    RDF_LANGSTRING,
    XSD_STRING,
    Dataset,
    escape_literal,
    serialize_term,
)

Quad = tuple[str, str, str, str]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_BOOLEAN = XSD + "boolean"
XSD_DOUBLE = XSD + "double"
XSD_INTEGER = XSD + "integer"
_RDF_TYPE = f"<{RDF}type>"
_RDF_FIRST = f"<{RDF}first>"
_RDF_REST = f"<{RDF}rest>"
_RDF_NIL = f"<{RDF}nil>"
_DOUBLE_EXPONENT = re.compile(r"(\d)0*E\+?(-)?0*(\d)")


def canonical_double(value: float) -> str:
    """The canonical lexical form of an ``xsd:double`` (pyld's exact formula)."""
    return _DOUBLE_EXPONENT.sub(r"\1E\2\3", f"{value:1.15E}")


def _typed(lexical: str, datatype: str) -> str:
    text = '"' + escape_literal(lexical) + '"'
    return text if datatype == XSD_STRING else f"{text}^^<{datatype}>"


_PLAIN: dict[str, str] = {}
_PLAIN_LIMIT = 100_000


def plain_literal(value: str) -> str:
    """A plain (``xsd:string``) literal, remembered: credentials repeat their strings."""
    found = _PLAIN.get(value)
    if found is None:
        if len(_PLAIN) >= _PLAIN_LIMIT:
            _PLAIN.clear()
        found = _PLAIN[value] = '"' + escape_literal(value) + '"'
    return found


def literal(item: dict[str, Any]) -> str:
    """One expanded value object as an N-Quads literal (pyld ``_object_to_rdf``)."""
    value = item["@value"]
    datatype = item.get("@type")
    if datatype == RDF_LANGSTRING and "@language" not in item:
        raise Unsupported("an rdf:langString value without a language")
    if isinstance(value, bool):
        return _typed("true" if value else "false", datatype or XSD_BOOLEAN)
    if isinstance(value, float) and not value.is_integer():
        return _typed(canonical_double(value), datatype or XSD_DOUBLE)
    if datatype == XSD_DOUBLE:
        try:
            return _typed(canonical_double(float(value)), XSD_DOUBLE)
        except (TypeError, ValueError):
            return _typed(value, XSD_DOUBLE)
    if isinstance(value, int | float):
        if abs(value) >= 1e21:
            return _typed(canonical_double(value), datatype or XSD_DOUBLE)
        return _typed(str(int(value)), datatype or XSD_INTEGER)
    if "@direction" in item:
        language = item.get("@language", "")
        return _typed(value, f"https://www.w3.org/ns/i18n#{language}_{item['@direction']}")
    if "@language" in item:
        return '"' + escape_literal(value) + '"@' + str(item["@language"])
    return _typed(value, datatype or XSD_STRING)


class _Emitter:
    """Walks expanded JSON-LD once, emitting the quads pyld's node map would give.

    pyld merges nodes with the same ``@id`` and keeps a value once per subject and property
    when its ``compare_values`` calls two values equal (``1 == 1.0``, ``True != 1``, and
    ``@direction`` ignored). Here the same keys drop repeats; a repeat whose literal would
    differ (only ``@direction`` can do that) depends on pyld's visiting order, so it is left
    to pyld.
    """

    def __init__(self) -> None:
        self.quads: list[Quad] = []
        self.kept: dict[tuple[Any, ...], str] = {}
        self.labels: dict[str, str] = {}
        self.counter = count()

    def blank(self, label: str | None = None) -> str:
        if label is None:
            return f"_:b{next(self.counter)}"
        found = self.labels.get(label)
        if found is None:
            found = self.labels[label] = f"_:b{next(self.counter)}"
        return found

    def once(self, key: tuple[Any, ...], quad: Quad) -> None:
        kept = self.kept.get(key)
        if kept is None:
            self.kept[key] = quad[2]
            self.quads.append(quad)
        elif kept != quad[2]:
            raise Unsupported("equal values with different literals (pyld keeps the first seen)")

    def node(self, element: dict[str, Any]) -> str:
        node_id = element.get("@id")
        if node_id is None:
            subject = self.blank()
        elif node_id.startswith("_:"):
            subject = self.blank(node_id)
        else:
            subject = f"<{node_id}>"
        for key, objects in element.items():
            if key == "@id":
                continue
            if key == "@type":
                for type_ in objects:
                    iri = self.blank(type_) if type_.startswith("_:") else f"<{type_}>"
                    self.once(("@type", subject, iri), (subject, _RDF_TYPE, iri, ""))
                continue
            if key[0] == "@":
                raise Unsupported(f"the keyword {key} on a node")
            predicate = f"<{key}>"
            for item in objects:
                self.item(subject, predicate, item)
        return subject

    def item(self, subject: str, predicate: str, item: dict[str, Any]) -> None:
        if "@value" in item:
            value = item["@value"]
            if len(item) == 1 and type(value) is str:
                text = plain_literal(value)
                key: tuple[Any, ...] = (subject, predicate, None, None, value, False)
            else:
                text = literal(item)
                datatype, language = item.get("@type"), item.get("@language")
                key = (subject, predicate, datatype, language, value, type(value) is bool)
            self.once(key, (subject, predicate, text, ""))
        elif "@list" in item:
            self.quads.append((subject, predicate, self.chain(item["@list"]), ""))
        else:
            target = self.node(item)
            self.once((subject, predicate, target), (subject, predicate, target, ""))

    def member(self, item: dict[str, Any]) -> str:
        if "@value" in item:
            return literal(item)
        if "@list" in item:
            return self.chain(item["@list"])
        return self.node(item)

    def chain(self, members: list[Any]) -> str:
        if not members:
            return _RDF_NIL
        head = subject = self.blank()
        last = len(members) - 1
        for index, member in enumerate(members):
            self.quads.append((subject, _RDF_FIRST, self.member(member), ""))
            following = _RDF_NIL if index == last else self.blank()
            self.quads.append((subject, _RDF_REST, following, ""))
            subject = following
        return head


def to_quads(expanded: list[Any]) -> list[Quad]:
    """The RDF dataset (default graph) of an expanded document, terms serialised."""
    emitter = _Emitter()
    for element in expanded:
        emitter.node(element)
    return emitter.quads


def dataset_quads(dataset: Dataset) -> list[Quad]:
    """A dataset in pyld's dictionary form (e.g. parsed N-Quads) as serialised-term quads."""
    quads = []
    for graph, items in dataset.items():
        name = "" if graph == "@default" else (graph if graph.startswith("_:") else f"<{graph}>")
        for quad in items:
            s, p, o = (serialize_term(quad[key]) for key in ("subject", "predicate", "object"))
            quads.append((s, p, o, name))
    return quads
