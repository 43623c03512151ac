"""JSON-LD straight to quads in one walk, for the common shape of credentials.

The two-pass fast path (:mod:`.expand` then :mod:`.quads`) builds the whole expanded form and
walks it again; most of a credential's cost was those two walks and the small dicts in between.
This walker makes the same decisions as :func:`.expand.expand_document` (the same memoised
context lookups, the same helpers) and hands each value straight to the quad emitter of
:mod:`.quads`, so the quads (and their de-duplication) are the two-pass path's.

It takes node objects whose keys are properties, ``@id``, ``@type`` (and ``@context`` at the
top), string / number / boolean values, nested nodes, arrays of those and ``@language`` maps.
Anything else (value objects, ``@list``, other keywords, nested arrays, ``@json``, any refusal)
raises :class:`Indirect`: the caller then runs the two-pass path, which handles more and refuses
with its own reason (so what falls back to pyld, and why, does not change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microcred.core.fastrdf.contexts import Ctx, Term, Unsupported, remember, root_context
from microcred.core.fastrdf.expand import _language_map, _node_context, _type_iris, _value
from microcred.core.fastrdf.quads import (
    _RDF_TYPE,
    XSD_DOUBLE,
    Quad,
    _Emitter,
    _typed,
    plain_literal,
)
from microcred.core.nquads import RDF_LANGSTRING, escape_literal

# typed strings that ``literal`` treats apart (a double is made canonical; a langString
# without a language is refused)
_SPECIAL_DATATYPES = frozenset({XSD_DOUBLE, RDF_LANGSTRING})


class Indirect(Exception):
    """Not the common shape: use the two-pass fast path (which may refuse in turn)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class _Prop:
    """A property key of a node shape, decided once: its predicate and how values go."""

    predicate: str  # the N-Quads term, <iri>
    term: Term
    term_ctx: Ctx
    plain: bool  # a string value is a plain literal (no coercion, language or direction)
    mode: tuple[Any, ...]  # how a scalar expands (Ctx.value_mode)


Shape = tuple[Ctx, str | None]
Entries = tuple[str | None, bool, tuple[tuple[str, _Prop], ...]]


def _shape(ctx: Ctx, prop: str | None, keys: tuple[str, ...]) -> Shape | str:
    """The node's context (before type-scoped contexts) and its @type key, or why not."""
    if prop is not None:
        try:
            ctx = _node_context(ctx, prop, None, dict.fromkeys(keys))
        except Unsupported as exc:
            return exc.reason
    type_key = None
    for key in keys:
        if ctx.vocab(key) == "@type":
            if type_key is not None:
                return "two keys for @type"
            type_key = key
    return ctx, type_key


def _type_names(value: Any) -> tuple[str, ...]:
    if type(value) is str:
        return (value,)
    if type(value) is list and all(type(name) is str for name in value):
        return tuple(value)
    raise Indirect("a @type that is not strings")


def _types(ctx: Ctx, names: tuple[str, ...]) -> tuple[Ctx, tuple[str, ...]] | str:
    """The type-scoped context and the rdf:type objects of a node typed ``names``."""
    typed = ctx.typed(tuple(sorted(names)))
    if names and typed.vocab(names[0]) == "@json":
        return "a @json node type"
    try:
        iris = _type_iris(ctx, list(names))
    except Unsupported as exc:
        return exc.reason
    if any(iri.startswith("_:") for iri in iris):
        return "a blank node type"
    return typed, tuple(f"<{iri}>" for iri in iris)


def _entries(ctx: Ctx, keys: tuple[str, ...], type_key: str | None, top: bool) -> Entries | str:
    """What the keys of a node shape are, in the node's (type-scoped) context, or why not:
    its ``@id`` key, whether its ``@type`` key is the type keyword, and its properties."""
    id_key = None
    has_type = False
    properties: list[tuple[str, _Prop]] = []
    for key in keys:
        if top and key == "@context":
            continue
        plan = ctx.plan(key)
        if plan.refusal is not None:
            return plan.refusal
        if not plan.keyword:
            term, term_ctx = plan.term, plan.term_ctx
            assert term is not None
            assert term_ctx is not None
            assert plan.expanded is not None
            if "@list" in term.containers:
                return "a @list container"
            mode = term_ctx.value_mode(key)
            plain = mode[0] == "plain" and mode[1] is None and mode[2] is None
            properties.append((key, _Prop(f"<{plan.expanded}>", term, term_ctx, plain, mode)))
        elif plan.expanded == "@id":
            if id_key is not None:
                return "two keys for @id"
            id_key = key
        elif plan.expanded == "@type" and key == type_key:
            has_type = True
        else:
            return f"the keyword {plan.expanded}"
    return id_key, has_type, tuple(properties)


def _memo(ctx: Ctx, key: Any, make: Any, *args: Any) -> Any:
    """``make(*args)`` remembered in ``ctx`` under ``key``; a remembered reason is Indirect."""
    found = remember(ctx.direct, key, make(*args))
    if type(found) is str:
        raise Indirect(found)
    return found


def _node_shape(ctx: Ctx, prop: str | None, element: Any) -> tuple[Ctx, tuple[str, ...], Entries]:
    """The node's context for ``@id`` and values, its rdf:type objects and its entries."""
    keys = tuple(element)
    memo_key: Any = ("n", prop, keys)
    found: Any = ctx.direct.get(memo_key) or _memo(ctx, memo_key, _shape, ctx, prop, keys)
    if type(found) is str:
        raise Indirect(found)
    ctx, type_key = found
    type_terms: tuple[str, ...] = ()
    if type_key is not None:
        names = _type_names(element[type_key])
        memo_key = ("t", names)
        found = ctx.direct.get(memo_key) or _memo(ctx, memo_key, _types, ctx, names)
        if type(found) is str:
            raise Indirect(found)
        ctx, type_terms = found
    memo_key = ("p", keys, prop is None)
    found = ctx.direct.get(memo_key) or _memo(
        ctx, memo_key, _entries, ctx, keys, type_key, prop is None
    )
    if type(found) is str:
        raise Indirect(found)
    return ctx, type_terms, found


class _Direct(_Emitter):
    def top(self, document: Mapping[str, Any]) -> None:
        if "@context" not in document:
            raise Indirect("no @context")
        self.node_object(root_context(document["@context"]), None, document)

    def node_object(self, ctx: Ctx, prop: str | None, element: Any) -> str:
        """Emit a node object's quads (``prop`` None: the top); return its subject term."""
        ctx, type_terms, (id_key, has_type, properties) = _node_shape(ctx, prop, element)
        if id_key is None:
            subject = self.blank()
        else:
            value = element[id_key]
            if type(value) is not str:
                raise Indirect("a non-string @id")
            iri = ctx.node_id(value)
            subject = self.blank(iri) if iri.startswith("_:") else f"<{iri}>"
        kept, quads = self.kept, self.quads
        if has_type:
            for term in type_terms:
                # the two-pass emitter's key for a type (not a property's)
                seen_type = ("@type", subject, term)
                if seen_type not in kept:
                    kept[seen_type] = term
                    quads.append((subject, _RDF_TYPE, term, ""))
        for key, info in properties:
            value = element[key]
            if info.plain and type(value) is str:
                predicate = info.predicate
                seen = (subject, predicate, None, None, value, False)
                if seen not in kept:
                    text = kept[seen] = plain_literal(value)
                    quads.append((subject, predicate, text, ""))
            elif value is not None:
                self.property_value(info, key, value, subject)
        return subject

    def property_value(self, info: _Prop, key: str, value: Any, subject: str) -> None:
        term = info.term
        kind = type(value)
        if kind is str:
            self.scalar(info, key, value, subject)
        elif kind is dict and "@language" in term.containers:
            self.language_map(info, value, subject)
        elif term.coercion == "@json":
            raise Indirect("a @json literal")
        elif kind is list:
            for member in value:
                if member is not None:
                    self.element_value(info, key, member, subject)
        else:
            self.element_value(info, key, value, subject)

    def element_value(self, info: _Prop, key: str, value: Any, subject: str) -> None:
        kind = type(value)
        if kind is dict:
            target = self.node_object(info.term_ctx, key, value)
            self.link(subject, info.predicate, target)
        elif kind is list:
            raise Indirect("a nested array")
        elif kind is str:
            self.scalar(info, key, value, subject)
        else:
            self.item(subject, info.predicate, _value(info.term_ctx, key, value))

    def link(self, subject: str, predicate: str, target: str) -> None:
        seen = (subject, predicate, target)
        if seen not in self.kept:
            self.kept[seen] = target
            self.quads.append((subject, predicate, target, ""))

    def scalar(self, info: _Prop, key: str, value: str, subject: str) -> None:
        """A string value: what ``_value`` and ``item`` make of it, without the dict."""
        mode, predicate = info.mode, info.predicate
        if mode[0] == "@id":
            iri = info.term_ctx.node_id(value)
            self.link(subject, predicate, self.blank(iri) if iri[:2] == "_:" else f"<{iri}>")
        elif mode[0] == "typed" and mode[1] not in _SPECIAL_DATATYPES:
            seen = (subject, predicate, mode[1], None, value, False)
            if seen not in self.kept:
                text = self.kept[seen] = _typed(value, mode[1])
                self.quads.append((subject, predicate, text, ""))
        elif info.plain:
            seen = (subject, predicate, None, None, value, False)
            if seen not in self.kept:
                text = self.kept[seen] = plain_literal(value)
                self.quads.append((subject, predicate, text, ""))
        else:
            self.item(subject, predicate, _value(info.term_ctx, key, value))

    def language_map(self, info: _Prop, value: dict[str, Any], subject: str) -> None:
        """An ``@language`` map (as ``_language_map`` then ``item``), without direction."""
        if info.term.direction:
            for item in _language_map(info.term_ctx, value, info.term.direction):
                self.item(subject, info.predicate, item)
            return
        vocab, predicate, kept = info.term_ctx.vocab, info.predicate, self.kept
        for language, items in value.items():
            tag = None if vocab(language) == "@none" else language.lower()
            for item in items if type(items) is list else [items]:
                if item is None:
                    continue
                if type(item) is not str:
                    raise Indirect("a language map value that is not a string")
                seen = (subject, predicate, None, tag, item, False)
                if seen not in kept:
                    if tag is None:
                        text = plain_literal(item)
                    else:
                        text = '"' + escape_literal(item) + '"@' + tag
                    kept[seen] = text
                    self.quads.append((subject, predicate, text, ""))


def direct_quads(document: Mapping[str, Any]) -> list[Quad]:
    """The quads of ``document`` in one walk, or :class:`Indirect` (use the two-pass path).

    May also raise :class:`.contexts.Unsupported` from a shared helper; the caller treats it
    as :class:`Indirect` so that the two-pass path gives the reason.
    """
    emitter = _Direct()
    emitter.top(document)
    return emitter.quads
