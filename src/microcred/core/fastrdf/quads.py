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
_NODE_KEYWORDS = frozenset({"@id", "@type"})


def canonical_double(value: float) -> str:
    """The canonical lexical form of an ``xsd:double`` (pyld's exact formula)."""
    return _DOUBLE_EXPONENT.sub(r"\1E\2\3", f"{value:1.15E}")


def _typed(lexical: str, datatype: str) -> str:
    text = '"' + escape_literal(lexical) + '"'
    return text if datatype == XSD_STRING else f"{text}^^<{datatype}>"


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


def _value_key(item: dict[str, Any]) -> tuple[Any, ...]:
    """Equal keys for values pyld's ``compare_values`` calls equal (1 == 1.0, True != 1)."""
    value = item["@value"]
    return ("v", item.get("@type"), item.get("@language"), value, isinstance(value, bool))


class _NodeMap:
    """pyld's node map for the default graph, items kept as small tagged tuples."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, list[Any]]] = {}
        self.seen: dict[tuple[str, str], set[Any]] = {}
        self.labels: dict[str, str] = {}
        self.counter = count()

    def blank(self, label: str | None = None) -> str:
        if label is None:
            return f"_:b{next(self.counter)}"
        found = self.labels.get(label)
        if found is None:
            found = self.labels[label] = f"_:b{next(self.counter)}"
        return found

    def add(self, subject: str, prop: str, item: Any, key: Any) -> None:
        values = self.nodes[subject].setdefault(prop, [])
        if key is not None:
            seen = self.seen.setdefault((subject, prop), set())
            if key in seen:
                return
            seen.add(key)
        values.append(item)

    def node(
        self, element: dict[str, Any], subject: str | None, prop: str | None, out: Any
    ) -> None:
        """Flatten one node object; reference it from ``subject``/``prop`` or list ``out``."""
        node_id = element.get("@id")
        if node_id is None or node_id.startswith("_:"):
            node_id = self.blank(node_id)
        if node_id not in self.nodes:
            self.nodes[node_id] = {}
        if out is not None:
            out.append(("r", node_id))
        elif subject is not None and prop is not None:
            self.add(subject, prop, ("r", node_id), ("r", node_id))
        for key, objects in element.items():
            if key in _NODE_KEYWORDS:
                if key == "@type":
                    for type_ in objects:
                        iri = self.blank(type_) if type_.startswith("_:") else type_
                        self.add(node_id, "@type", iri, iri)
                continue
            if key.startswith("@"):
                raise Unsupported(f"the keyword {key} on a node")
            self.nodes[node_id].setdefault(key, [])
            for item in objects:
                self.item(item, node_id, key, None)

    def item(self, item: Any, subject: str, prop: str, out: list[Any] | None) -> None:
        if "@value" in item:
            if out is not None:
                out.append(("v", item))
            else:
                self.add(subject, prop, ("v", item), _value_key(item))
        elif "@list" in item:
            chain: list[Any] = []
            for member in item["@list"]:
                self.item(member, subject, prop, chain)
            if out is not None:
                out.append(("l", chain))
            else:
                self.add(subject, prop, ("l", chain), None)
        else:
            self.node(item, subject, prop, out)


def _iri_or_blank(value: str) -> str:
    return value if value.startswith("_:") else f"<{value}>"


class _Emitter:
    def __init__(self, node_map: _NodeMap) -> None:
        self.map = node_map
        self.quads: list[Quad] = []

    def term(self, item: tuple[str, Any]) -> str:
        kind, value = item
        if kind == "v":
            return literal(value)
        if kind == "r":
            return _iri_or_blank(value)
        return self.chain(value)

    def chain(self, members: list[Any]) -> str:
        if not members:
            return _RDF_NIL
        head = subject = self.map.blank()
        last = len(members) - 1
        for index, member in enumerate(members):
            self.quads.append((subject, _RDF_FIRST, self.term(member), ""))
            following = _RDF_NIL if index == last else self.map.blank()
            self.quads.append((subject, _RDF_REST, following, ""))
            subject = following
        return head

    def emit(self) -> list[Quad]:
        for node_id, properties in self.map.nodes.items():
            subject = _iri_or_blank(node_id)
            for prop, items in properties.items():
                if prop == "@type":
                    for type_ in items:
                        self.quads.append((subject, _RDF_TYPE, _iri_or_blank(type_), ""))
                    continue
                predicate = f"<{prop}>"
                for item in items:
                    self.quads.append((subject, predicate, self.term(item), ""))
        return self.quads


def to_quads(expanded: list[Any]) -> list[Quad]:
    """The RDF dataset (default graph) of an expanded document, terms serialised."""
    node_map = _NodeMap()
    for element in expanded:
        node_map.node(element, None, None, None)
    return _Emitter(node_map).emit()


def dataset_quads(dataset: Dataset) -> list[Quad]:
    """A dataset in pyld's dictionary form (e.g. parsed N-Quads) as serialised-term quads."""
    quads = []
    for graph, items in dataset.items():
        name = "" if graph == "@default" else (graph if graph.startswith("_:") else f"<{graph}>")
        for quad in items:
            s, p, o = (serialize_term(quad[key]) for key in ("subject", "predicate", "object"))
            quads.append((s, p, o, name))
    return quads
