"""JSON -> :class:`~.rules.RuleSet`, with errors that name the node or field at fault.

Refused: an unknown node type or field, an unknown concept (EQF, QF-EHEA, ISCED-F, country, QA
type, assessment type, supervision, ESCO skill), a reference to rules that are not given, a
cycle of references, and an aggregate that can never be met given the caps (see
:mod:`.feasibility`). A ``{"type": "rules", "ref": ...}`` node includes another published rule
set's tree (from ``library``), under this rule set's options.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from microcred.core.esco import EscoData, packaged_esco
from microcred.core.stacking.feasibility import check_feasible
from microcred.core.stacking.parse_filter import (
    UNKNOWN_CONCEPT,
    check_fields,
    fail,
    integer,
    number,
    parse_filter,
    share,
    skill_list,
    text_list,
)
from microcred.core.stacking.rules import (
    COMPARISONS,
    Aggregate,
    AllOf,
    AnyOf,
    CredentialComponent,
    Filter,
    KOfN,
    ManualCheck,
    Node,
    Not,
    Options,
    RuleSet,
    SkillSetComponent,
    walk,
)

NODE_TYPES = ("all_of", "any_of", "k_of_n", "not", "component", "aggregate", "rules")
COMPONENT_KINDS = ("opportunity", "credential_type", "skills", "manual", "where")
MAX_NODES = 500
MAX_DEPTH = 32
FUNCTIONS = ("sum", "count", "min", "max")
MEASURES = ("ects", "hours")


class _Reader:
    def __init__(self, library: Mapping[str, Any], esco: EscoData) -> None:
        self.library = library
        self.esco = esco
        self.including: list[str] = []

    def node(self, data: Any, path: str, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise fail(path, f"rules nest deeper than {MAX_DEPTH} levels")
        if not isinstance(data, Mapping):
            raise fail(path, "expected a node object with a 'type'")
        kind = data.get("type")
        if kind not in NODE_TYPES:
            raise fail(f"{path}.type", f"unknown node type {kind!r}; expected one of "
                       f"{', '.join(NODE_TYPES)}", "unknown-node-type")  # fmt: skip
        label = data.get("label")
        if label is not None and not (isinstance(label, str) and label):
            raise fail(f"{path}.label", "expected a short text")
        read = getattr(self, f"_{kind}")
        node: Node = read(data, path, depth, label)
        return node

    def _children(self, data: Mapping[str, Any], path: str, depth: int) -> tuple[Node, ...]:
        items = data.get("children")
        if not isinstance(items, list) or not items:
            raise fail(f"{path}.children", "expected a non-empty list of nodes")
        return tuple(
            self.node(item, f"{path}.children[{i}]", depth + 1) for i, item in enumerate(items)
        )

    def _all_of(self, data: Mapping[str, Any], path: str, depth: int, label: str | None) -> Node:
        check_fields(data, ("type", "label", "children"), path)
        return AllOf(self._children(data, path, depth), label)

    def _any_of(self, data: Mapping[str, Any], path: str, depth: int, label: str | None) -> Node:
        check_fields(data, ("type", "label", "children"), path)
        return AnyOf(self._children(data, path, depth), label)

    def _k_of_n(self, data: Mapping[str, Any], path: str, depth: int, label: str | None) -> Node:
        check_fields(data, ("type", "label", "k", "children"), path)
        items = self._children(data, path, depth)
        k = integer(data.get("k"), f"{path}.k", 1, len(items))
        return KOfN(k, items, label)

    def _not(self, data: Mapping[str, Any], path: str, depth: int, label: str | None) -> Node:
        check_fields(data, ("type", "label", "child"), path)
        return Not(self.node(data.get("child"), f"{path}.child", depth + 1), label)

    def _component(self, data: Mapping[str, Any], path: str, depth: int, label: str | None) -> Node:
        check_fields(data, ("type", "label", "coverage", *COMPONENT_KINDS), path)
        where = parse_filter(data.get("where", {}), f"{path}.where", self.esco)
        named = [key for key in COMPONENT_KINDS[:4] if key in data]
        if len(named) > 1:
            raise fail(path, f"a component is one thing; it names {' and '.join(named)}")
        kind = named[0] if named else "where"
        if kind == "manual":
            return ManualCheck(_lang_map(data["manual"], f"{path}.manual"), label)
        if kind == "skills":
            skills = skill_list(data, "skills", path, self.esco)
            if not skills:
                raise fail(f"{path}.skills", "a skill set names at least one ESCO skill")
            coverage = share(data.get("coverage", 1), f"{path}.coverage")
            return SkillSetComponent(skills, coverage, where, label)
        if "coverage" in data:
            raise fail(f"{path}.coverage", "only a skill-set component has a coverage")
        return CredentialComponent(_named(data, kind, where, path), label)

    def _aggregate(self, data: Mapping[str, Any], path: str, depth: int, label: str | None) -> Node:
        known = ("type", "label", "function", "measure", "where", "comparison", "value")
        check_fields(data, known, path)
        function, measure = data.get("function"), data.get("measure", "ects")
        if function not in FUNCTIONS:
            raise fail(f"{path}.function", f"expected one of {', '.join(FUNCTIONS)}")
        if measure not in MEASURES:
            raise fail(f"{path}.measure", f"expected one of {', '.join(MEASURES)}")
        comparison = data.get("comparison")
        if comparison not in COMPARISONS:
            raise fail(f"{path}.comparison", f"expected one of {', '.join(COMPARISONS)}")
        value = number(data.get("value"), f"{path}.value", low=Decimal("-1e9"))
        where = parse_filter(data.get("where", {}), f"{path}.where", self.esco)
        return Aggregate(function, comparison, value, measure, where, label)

    def _rules(self, data: Mapping[str, Any], path: str, depth: int, label: str | None) -> Node:
        check_fields(data, ("type", "label", "ref"), path)
        ref = data.get("ref")
        if not isinstance(ref, str) or ref not in self.library:
            raise fail(f"{path}.ref", f"no published rules {ref!r} to include", "unknown-rules")
        if ref in self.including:
            chain = " -> ".join([*self.including[self.including.index(ref) :], ref])
            raise fail(f"{path}.ref", f"rules include themselves: {chain}", "rules-cycle")
        included = self.library[ref]
        if not isinstance(included, Mapping) or "root" not in included:
            raise fail(f"{path}.ref", f"the published rules {ref!r} have no root node")
        self.including.append(ref)
        try:
            root = self.node(included["root"], f"{path}<{ref}>", depth + 1)
        finally:
            self.including.pop()
        return AllOf((root,), label or ref)


def _named(data: Mapping[str, Any], kind: str, where: Filter, path: str) -> Filter:
    if kind == "where":
        return where
    value = data[kind]
    if not isinstance(value, str) or not value:
        raise fail(f"{path}.{kind}", "expected an identifier")
    field = "opportunities" if kind == "opportunity" else "credential_types"
    return Filter(**{**where.__dict__, field: (value,)})


def _lang_map(value: Any, path: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not value:
        raise fail(path, 'expected a text by language, such as {"en": "..."}')
    for lang, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise fail(f"{path}.{lang}", "expected a non-empty text")
    return dict(value)


def _options(data: Any) -> Options:
    path = "options"
    if not isinstance(data, Mapping):
        raise fail(path, "expected an object")
    known = ("no_double_counting", "external_credit_cap", "ects_cap_per_credential",
             "home_providers")  # fmt: skip
    check_fields(data, known, path)
    flag = data.get("no_double_counting", True)
    if not isinstance(flag, bool):
        raise fail(f"{path}.no_double_counting", "expected true or false")
    caps = {key: number(data[key], f"{path}.{key}") for key in known[1:3] if key in data}
    return Options(flag, caps.get("external_credit_cap"), caps.get("ects_cap_per_credential"),
                   text_list(data, "home_providers", path))  # fmt: skip


def parse_rules(
    data: Any, *, library: Mapping[str, Any] | None = None, esco: EscoData | None = None
) -> RuleSet:
    """The rule set ``data`` describes (see ``docs/pathways.md``), or
    :class:`~microcred.core.errors.InvalidStackingRules` naming the first problem.

    ``library`` maps the ids of other published rule sets to their JSON, for ``rules`` nodes;
    ``esco`` is the ESCO data skills are checked against (the packaged subset by default).
    """
    if not isinstance(data, Mapping):
        raise fail("$", "expected a JSON object with id, version, title and root")
    check_fields(data, ("id", "version", "title", "options", "root"), "$")
    for key in ("id", "version"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise fail(key, "expected a non-empty string")
    title = _lang_map(data.get("title"), "title")
    reader = _Reader(library or {}, esco or packaged_esco())
    reader.including.append(data["id"])
    root = reader.node(data.get("root"), "root", 0)
    nodes = walk(root)
    if len(nodes) > MAX_NODES:
        raise fail("root", f"{len(nodes)} nodes; rules here have at most {MAX_NODES}")
    rules = RuleSet(data["id"], data["version"], title, root, _options(data.get("options", {})))
    check_feasible(rules)
    return rules


MAX_RULES_BYTES = 256 * 1024


def load_rules(
    text: str | bytes, *, library: Mapping[str, Any] | None = None, esco: EscoData | None = None
) -> RuleSet:
    """:func:`parse_rules` on JSON text (at most 256 KiB), refusing text that is not JSON."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_RULES_BYTES:
        raise fail("$", f"{size} bytes; rules here are at most {MAX_RULES_BYTES}")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise fail("$", f"not JSON: {str(error).splitlines()[0]}") from None
    return parse_rules(data, library=library, esco=esco)


__all__ = ["NODE_TYPES", "UNKNOWN_CONCEPT", "load_rules", "parse_rules"]
