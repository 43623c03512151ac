"""Active contexts compiled once: pyld processes each context, we remember every answer.

A :class:`Ctx` wraps one pyld active context and memoises what expansion asks of it: the IRI
a key or value expands to, a term's coercion, containers, language and direction, and the
contexts reached from it through property-scoped and type-scoped contexts. Context processing
itself is pyld's, so the term tables are exactly the reference's.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from pyld import jsonld

from microcred.core.jsonld import default_loader, known_contexts

_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*|_):[^\s]*$")
_ROOT_LIMIT = 256
_DERIVED_LIMIT = 4096
# each memo of a context is emptied when it reaches this size: documents bring new ids, values
# and type combinations, and a long-running server must not grow without bound
_MEMO_LIMIT = 4096
_K = TypeVar("_K")
_V = TypeVar("_V")


class Unsupported(Exception):
    """The fast path does not handle this input; the reference (pyld) must."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Term:
    """What expansion needs to know about one key in one active context."""

    iri: str | None
    coercion: str | None  # the term's @type: @id, @vocab, a datatype IRI, or None
    containers: frozenset[str]
    language: str | None  # effective default language for string values
    direction: str | None  # effective default direction for string values
    scoped: Any  # the term's property-scoped local context, or None
    reverse: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """A key of a node object in one context: a keyword, a property, or a refusal."""

    expanded: str | None
    keyword: bool
    refusal: str | None  # why the fast path cannot take this key (pyld decides)
    term: Term | None = None
    term_ctx: Ctx | None = None  # the context its value expands in (property-scoped)


_UNSUPPORTED_CONTAINERS = frozenset({"@graph", "@index", "@id", "@type"})


def make_plan(ctx: Ctx, key: str) -> Plan:
    """What pyld's ``_expand_object`` would do with ``key`` before looking at its value."""
    expanded = ctx.vocab(key)
    if expanded is None or not (expanded.startswith("@") or is_absolute(expanded)):
        return Plan(expanded, False, "a property the context does not define")
    if expanded.startswith("@"):
        return Plan(expanded, True, None)
    if expanded.startswith("_:"):
        return Plan(expanded, False, "a blank node property")
    term = ctx.term(key)
    if term.reverse:
        return Plan(expanded, False, "a reverse property")
    if term.containers & _UNSUPPORTED_CONTAINERS:
        return Plan(expanded, False, "an index, id, type or graph container")
    term_ctx = ctx.scoped(term.scoped) if term.scoped is not None else ctx
    return Plan(expanded, False, None, term, term_ctx)


def make_value_mode(ctx: Ctx, key: str) -> tuple[Any, ...]:
    """pyld ``_expand_value`` for ``key`` decided once: (kind, datatype or language, direction)."""
    expanded = ctx.vocab(key)
    if expanded is not None and expanded.startswith("@"):
        return ("keyword",)
    term = ctx.term(key)
    coercion = term.coercion
    if coercion in ("@id", "@vocab", "@json"):
        return (coercion,)
    if coercion is not None and coercion != "@none":
        return ("typed", coercion)
    return ("plain", term.language, term.direction)


def remember(memo: dict[_K, _V], key: _K, value: _V) -> _V:
    """``memo[key] = value``, emptying the memo first when it is full; returns ``value``."""
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def is_absolute(value: str) -> bool:
    """An absolute IRI or blank node identifier (pyld's and safe mode's test)."""
    return _ABSOLUTE.match(value) is not None


class _Pyld:
    """One pyld processor and the expansion options it runs with (loader, no base)."""

    def __init__(self) -> None:
        self.processor = jsonld.JsonLdProcessor()
        options = default_loader().options()
        options.update(isFrame=False, keepFreeFloatingNodes=False, processingMode="json-ld-1.1")
        self.options = options

    def process(self, raw: Any, local: Any, **flags: Any) -> Any:
        try:
            return self.processor._process_context(raw, local, self.options, **flags)
        except Exception as exc:  # pyld reports context errors in many ways: it will again
            raise Unsupported(f"a @context pyld refuses ({type(exc).__name__})") from None

    def expand_iri(self, raw: Any, value: str, *, vocab: bool) -> Any:
        return self.processor._expand_iri(raw, value, vocab=vocab, base=None)


_PYLD: _Pyld | None = None
_WRAPPED: dict[int, Ctx] = {}
_ROOTS: dict[Any, Ctx] = {}


def _pyld() -> _Pyld:
    global _PYLD
    if _PYLD is None:
        _PYLD = _Pyld()
    return _PYLD


def wrap(raw: Any) -> Ctx:
    """The (shared) wrapper of a pyld active context."""
    found = _WRAPPED.get(id(raw))
    if found is not None and found.raw is raw:
        return found
    if len(_WRAPPED) >= _DERIVED_LIMIT:
        _WRAPPED.clear()
        _ROOTS.clear()
    made = Ctx(raw)
    _WRAPPED[id(raw)] = made
    return made


def _root_key(value: Any) -> Any:
    """Packaged context URLs are their own key; inline contexts are keyed by their JSON."""
    urls = value if isinstance(value, list) else [value]
    if urls and all(isinstance(url, str) for url in urls):
        known = known_contexts()
        if not all(url in known for url in urls):
            raise Unsupported("a context URL that is not packaged")
        return tuple(urls)
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        raise Unsupported("a @context that is not JSON") from None


def root_context(value: Any) -> Ctx:
    """The active context of a document's top-level ``@context`` (processed once by pyld)."""
    key = _root_key(value)
    found = _ROOTS.get(key)
    if found is not None:
        return found
    pyld = _pyld()
    initial = pyld.processor._get_initial_context(pyld.options)
    made = wrap(pyld.process(initial, copy.deepcopy(value)))
    if len(_ROOTS) >= _ROOT_LIMIT:
        _ROOTS.clear()
    _ROOTS[key] = made
    return made


class Ctx:
    """One pyld active context with memoised lookups and derived contexts."""

    __slots__ = (
        "_derived",
        "_ids",
        "_plans",
        "_terms",
        "_values",
        "_vocab",
        "direct",
        "has_previous",
        "previous",
        "raw",
    )

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._vocab: dict[str, str | None] = {}
        self._ids: dict[str, str] = {}
        self._terms: dict[str, Term] = {}
        self._derived: dict[Any, tuple[Any, Ctx]] = {}
        self._plans: dict[str, Plan] = {}
        self._values: dict[str, tuple[Any, ...]] = {}
        # the one-walk path's memo of node shapes (see .direct), emptied like the others
        self.direct: dict[Any, Any] = {}
        previous = raw.get("previousContext")
        self.has_previous = bool(previous)
        self.previous: Ctx | None = None

    def reverted(self) -> Ctx:
        """The context before any type-scoped context (itself when there is none)."""
        if "previousContext" not in self.raw:
            return self
        if self.previous is None:
            self.previous = wrap(self.raw["previousContext"])
        return self.previous

    def vocab(self, key: str) -> str | None:
        """A key or type expanded against the vocabulary (pyld ``_expand_iri(vocab=True)``)."""
        try:
            return self._vocab[key]
        except KeyError:
            result = _pyld().expand_iri(self.raw, key, vocab=True)
            remember(self._vocab, key, result)
            return result  # type: ignore[no-any-return]

    def node_id(self, value: str) -> str:
        """An ``@id`` value expanded (no base: a relative reference is refused)."""
        try:
            return self._ids[value]
        except KeyError:
            result = _pyld().expand_iri(self.raw, value, vocab=False)
            if not isinstance(result, str) or not is_absolute(result):
                raise Unsupported("a relative or keyword-like @id") from None
            remember(self._ids, value, result)
            return result

    def term(self, key: str) -> Term:
        """The term definition facts for ``key`` (defaults when it is not a term)."""
        try:
            return self._terms[key]
        except KeyError:
            made = self._make_term(key)
            remember(self._terms, key, made)
            return made

    def plan(self, key: str) -> Plan:
        """How a key of a node object expands here (memoised :func:`make_plan`)."""
        try:
            return self._plans[key]
        except KeyError:
            return remember(self._plans, key, make_plan(self, key))

    def value_mode(self, key: str) -> tuple[Any, ...]:
        """How a scalar under ``key`` expands (memoised :func:`make_value_mode`)."""
        try:
            return self._values[key]
        except KeyError:
            return remember(self._values, key, make_value_mode(self, key))

    def _make_term(self, key: str) -> Term:
        raw = self.raw
        mapping = raw["mappings"].get(key) if key in raw["mappings"] else None
        language = raw.get("@language")
        direction = raw.get("@direction")
        if mapping is None:
            return Term(self.vocab(key), None, frozenset(), language, direction, None, False)
        container = mapping.get("@container")
        containers = frozenset(container if isinstance(container, list) else [container])
        if "@language" in mapping:
            language = mapping["@language"]
        if "@direction" in mapping:
            direction = mapping["@direction"]
        return Term(
            self.vocab(key),
            mapping.get("@type"),
            containers - {None},
            language,
            direction,
            mapping.get("@context"),
            bool(mapping.get("reverse")),
        )

    def scoped(self, local: Any) -> Ctx:
        """This context with a property-scoped context applied (override protected)."""
        key = ("p", id(local))
        found = self._derived.get(key)
        if found is not None and found[0] is local:
            return found[1]
        made = wrap(_pyld().process(self.raw, local, propagate=True, override_protected=True))
        remember(self._derived, key, (local, made))
        return made

    def typed(self, types: tuple[str, ...]) -> Ctx:
        """This context with the type-scoped contexts of ``types`` (sorted) applied."""
        key = ("t", types)
        found = self._derived.get(key)
        if found is not None:
            return found[1]
        raw = self.raw
        for type_ in types:
            mapping = self.raw["mappings"].get(type_)
            local = mapping.get("@context") if mapping else None
            if local is not None and local is not False:
                raw = _pyld().process(raw, local, propagate=False)
        made = wrap(raw)
        remember(self._derived, key, (None, made))
        return made
