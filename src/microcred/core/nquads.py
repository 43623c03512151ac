"""N-Quads as RDFC-1.0 needs them: exact escaping on output, full unescaping on input.

pyld's own N-Quads code leaves control characters such as U+0008 unescaped and does not decode
``\\uXXXX`` escapes, which changes canonical forms (and therefore signatures) of credentials with
such characters. These functions work on pyld's dataset dictionaries.
"""

from __future__ import annotations

import re
from typing import Any

from microcred.core.errors import NotACredential

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Term = dict[str, Any]
Quad = dict[str, Term]
Dataset = dict[str, list[Quad]]

_ECHAR_OUT = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ECHAR_OUT["\r"] = "\\r"
_NEEDS_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f]')
_ECHAR_IN = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE_IN = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf\"'\\])")

_IRI = r"<([^>\s]*)>"
_BNODE = r"(_:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)"
_LITERAL = r'"((?:[^"\\\r\n]|\\.)*)"(?:\^\^' + _IRI + r"|@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*))?"
_QUAD = re.compile(
    rf"^\s*(?:{_IRI}|{_BNODE})\s*{_IRI}\s*(?:{_IRI}|{_BNODE}|{_LITERAL})\s*"
    rf"(?:{_IRI}|{_BNODE})?\s*\.\s*(?:#.*)?$"
)
_BLANK = re.compile(r"^\s*(?:#.*)?$")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ECHAR_OUT.get(char) or f"\\u{ord(char):04X}"


def escape_literal(value: str) -> str:
    """Escape a literal's lexical form as RDFC-1.0 canonical N-Quads require."""
    return _NEEDS_ESCAPE.sub(_escape_char, value)


def _term(term: Term) -> str:
    if term["type"] == "IRI":
        return f"<{term['value']}>"
    if term["type"] == "blank node":
        return str(term["value"])
    text = '"' + escape_literal(term["value"]) + '"'
    if term.get("datatype") == RDF_LANGSTRING:
        return f"{text}@{term['language']}"
    if term.get("datatype", XSD_STRING) != XSD_STRING:
        return f"{text}^^<{term['datatype']}>"
    return text


def serialize_term(term: Term) -> str:
    """One term (IRI, blank node or literal) as canonical N-Quads write it."""
    return _term(term)


def serialize_quad(quad: Quad) -> str:
    """One canonical N-Quads line (with its newline)."""
    parts = [_term(quad["subject"]), _term(quad["predicate"]), _term(quad["object"])]
    name = quad.get("name")
    if name is not None and name.get("value") not in (None, "@default"):
        parts.append(_term(name))
    return " ".join(parts) + " .\n"


def _unescape(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code[0] in "uU" else _ECHAR_IN[code]

    return _ESCAPE_IN.sub(replace, value)


def _node(iri: str | None, bnode: str | None) -> Term:
    if iri is not None:
        return {"type": "IRI", "value": _unescape(iri)}
    return {"type": "blank node", "value": bnode}


def _object(groups: tuple[str | None, ...]) -> Term:
    iri, bnode, lexical, datatype, language = groups
    if lexical is None:
        return _node(iri, bnode)
    if language is not None:
        return {
            "type": "literal",
            "value": _unescape(lexical),
            "datatype": RDF_LANGSTRING,
            "language": language,
        }
    dt = _unescape(datatype) if datatype is not None else XSD_STRING
    return {"type": "literal", "value": _unescape(lexical), "datatype": dt}


def parse_nquads(text: str) -> Dataset:
    """Parse N-Quads into pyld's dataset form (graph name -> quads), dropping duplicates."""
    dataset: Dataset = {}
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if _BLANK.match(line):
            continue
        match = _QUAD.match(line)
        if match is None:
            raise NotACredential(f"N-Quads line {number} is not a valid quad: {line[:80]!r}")
        g = match.groups()
        quad: Quad = {
            "subject": _node(g[0], g[1]),
            "predicate": {"type": "IRI", "value": _unescape(g[2])},
            "object": _object(g[3:8]),
        }
        graph = "@default"
        if g[8] is not None or g[9] is not None:
            graph = str(_node(g[8], g[9])["value"])
        key = (graph, serialize_quad(quad))
        if key not in seen:
            seen.add(key)
            dataset.setdefault(graph, []).append(quad)
    return dataset
