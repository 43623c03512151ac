"""Offline JSON-LD processing: pyld with a loader that serves only packaged contexts."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from microcred.core.errors import (
    InputTooLarge,
    InvalidCredential,
    MicrocredError,
    NotACredential,
    UnknownContext,
)

CONTEXTS_PACKAGE = "microcred.core.contexts"
INDEX_FILE = "index.json"
_CACHE_LIMIT = 512
_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*|_):[^\s]*$")

DocumentLoader = Callable[[str, Mapping[str, Any] | None], dict[str, Any]]


@lru_cache(maxsize=1)
def context_index() -> dict[str, str]:
    """The packaged ``index.json``: context URL -> file name in ``core/contexts``."""
    text = resources.files(CONTEXTS_PACKAGE).joinpath(INDEX_FILE).read_text("utf-8")
    index = json.loads(text)
    if not isinstance(index, dict):
        raise TypeError("contexts index.json must map URLs to file names")
    return {str(url): str(name) for url, name in index.items()}


@lru_cache(maxsize=64)
def load_context_file(name: str) -> dict[str, Any]:
    """Parse one packaged context file by name (cached; callers must not mutate it)."""
    text = resources.files(CONTEXTS_PACKAGE).joinpath(name).read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


def known_contexts() -> frozenset[str]:
    """URLs of every packaged context."""
    return frozenset(context_index())


def unknown_context(document: Mapping[str, Any]) -> str | None:
    """The first context URL of ``document`` that is not packaged (inline contexts are fine)."""
    contexts = document.get("@context", [])
    known = context_index()
    for context in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(context, str) and context not in known:
            return context
    return None


class _BoundedCache(dict[str, Any]):
    """The resolved-context cache pyld writes into; cleared when it grows past a limit."""

    def __setitem__(self, key: str, value: Any) -> None:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        super().__setitem__(key, value)


class OfflineLoader:
    """A pyld document loader serving packaged contexts; anything else is ``UnknownContext``."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        self._files = {**context_index(), **(overrides or {})}
        self._cache = _BoundedCache()

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        name = self._files.get(url)
        if name is None:
            raise UnknownContext(f"JSON-LD context {url} is not packaged with microcred")
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": load_context_file(name),
            "tag": "static",
        }

    def options(self, **extra: Any) -> dict[str, Any]:
        """pyld options using this loader and its own resolved-context cache."""
        resolver = ContextResolver(self._cache, self)
        # base None: relative IRIs stay relative (and safe mode refuses them) as in jsonld.js;
        # pyld would otherwise resolve them against http://example.org/base/
        return {"documentLoader": self, "contextResolver": resolver, "base": None, **extra}


@lru_cache(maxsize=1)
def default_loader() -> OfflineLoader:
    """The shared loader over ``index.json`` (preloaded once per process)."""
    return OfflineLoader()


def _our_error(exc: BaseException) -> MicrocredError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MicrocredError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _run(operation: Callable[[], Any]) -> Any:
    try:
        return operation()
    except MicrocredError:
        raise
    except (jsonld.JsonLdError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # pyld raises plain Python errors for some malformed input (e.g. an empty @context IRI)
        ours = _our_error(exc)
        if ours is not None:
            raise type(ours)(ours.message) from exc
        raise NotACredential(f"not valid JSON-LD: {exc.args[0] if exc.args else exc}") from exc
    except RecursionError as exc:
        raise InputTooLarge("JSON-LD document or context nesting is too deep") from exc


def _refuse_dropped(expanded_property: str | None) -> None:
    raise InvalidCredential(
        f"the property {expanded_property!r} is not defined by the document's @context, "
        "so it would not be signed or verified (JSON-LD safe mode)"
    )


def _check_references(expanded: Any) -> None:
    """Safe mode: refuse relative ``@id``/``@type`` references, which RDF would drop."""
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key in ("@id", "@type"):
                value = item.get(key)
                for ref in value if isinstance(value, list) else [value]:
                    if isinstance(ref, str) and not _ABSOLUTE.match(ref):
                        raise InvalidCredential(
                            f"relative {key} reference {ref!r}: it would not be signed "
                            "or verified (JSON-LD safe mode)"
                        )
            stack.extend(v for k, v in item.items() if k not in ("@id", "@value"))


def expand(document: Mapping[str, Any], loader: OfflineLoader | None = None) -> list[Any]:
    """JSON-LD expansion with packaged contexts only."""
    opts = (loader or default_loader()).options()
    return cast(list[Any], _run(lambda: jsonld.expand(dict(document), opts)))


@dataclass(frozen=True)
class Expansion:
    """A document's JSON-LD expanded form, and the properties its contexts leave undefined
    (which expansion drops: JSON-LD safe mode refuses them). ``nodes`` is shared between
    callers: read it, never change it."""

    nodes: list[Any]
    dropped: tuple[str | None, ...]
    fast_refusal: str | None = None  # why the fast path stepped aside (None: it expanded this)


@dataclass
class _Sharing:
    """The expansions kept in one :func:`shared_expansions` block, and how JSON is recognised."""

    kept: dict[Any, Expansion]
    by_identity: bool
    held: list[Mapping[str, Any]]  # documents keyed by identity stay alive: their ids stay theirs

    def key(self, document: Mapping[str, Any]) -> Any:
        """The key of ``document``'s JSON (None: it cannot be kept)."""
        if self.by_identity:
            try:
                key = tuple(sorted((name, id(value)) for name, value in document.items()))
            except TypeError:  # a key that is not text: no JSON object
                return None
            self.held.append(document)
            return key
        return _digest(document)


_shared: ContextVar[_Sharing | None] = ContextVar("expansions", default=None)


@contextmanager
def shared_expansions(*, by_identity: bool = False) -> Iterator[None]:
    """Within this block, the same JSON is expanded once: verifying an RDFC proof expands the
    document (:func:`fast_expansion`, :func:`to_dataset`), and so do the well-formedness rules
    that read its expanded form; the second one gets the first's result. The verifier wraps
    each verification in it, the issuer each signing. Outside, nothing is kept (nor hashed).

    A document is recognised by a digest of its JSON text, or (``by_identity``, for a caller
    that changes nothing while inside, as the verifier) by its top-level names and the
    identity of their values: the proof's unsecured copy and the well-formedness rules' hold
    the same values, and no JSON text is written to find that out.
    """
    if _shared.get() is not None:  # already inside one: share with it
        yield
        return
    token = _shared.set(_Sharing({}, by_identity, []))
    try:
        yield
    finally:
        _shared.reset(token)


def _digest(document: Mapping[str, Any]) -> bytes | None:
    """A digest of the JSON text (key order does not matter to JSON-LD); None if not JSON."""
    try:
        text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)  # fmt: skip
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def expansion(
    document: Mapping[str, Any], loader: OfflineLoader | None = None, *, try_fast: bool = True
) -> Expansion:
    """The document's expanded form with packaged contexts only, noting dropped properties.

    :mod:`microcred.core.fastrdf` expands it when it can (its output equals pyld's), pyld
    otherwise. Inside :func:`shared_expansions` (and with the shared loader) the result is kept
    for the next call on the same JSON: the RDFC canonicalisation of a credential and the
    well-formedness rules that read its expanded form then share one expansion. ``try_fast``
    false goes straight to pyld (for a caller whose fastrdf attempt already stepped aside).
    """
    sharing = _shared.get() if loader is None else None
    key = sharing.key(document) if sharing is not None else None
    found = sharing.kept.get(key) if sharing is not None and key is not None else None
    if found is not None:
        return found
    found = _fast_expansion(document) if loader is None and try_fast else None
    if found is None or found.fast_refusal is not None:
        refusal = found.fast_refusal if found is not None else "not tried"
        dropped: list[str | None] = []
        processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
        opts = (loader or default_loader()).options()
        nodes = cast(list[Any], _run(lambda: processor.expand(dict(document), opts)))
        found = Expansion(nodes, tuple(dropped), refusal)
    if sharing is not None and key is not None:
        sharing.kept[key] = found
    return found


def sharing_expansions() -> bool:
    """True inside :func:`shared_expansions`."""
    return _shared.get() is not None


def fast_expansion(document: Mapping[str, Any]) -> Expansion:
    """The expansion kept for this JSON (see :func:`shared_expansions`), else fastrdf's (kept
    when it succeeds): never pyld. ``fast_refusal`` says why the fast path does not apply."""
    sharing = _shared.get()
    if sharing is None:
        return _fast_expansion(document)
    key = sharing.key(document)
    found = sharing.kept.get(key) if key is not None else None
    if found is None:
        found = _fast_expansion(document)
        if key is not None and found.fast_refusal is None:
            sharing.kept[key] = found
    return found


def _fast_expansion(document: Mapping[str, Any]) -> Expansion:
    """fastrdf's expansion, or why it steps aside (``fast_refusal``, ``nodes`` empty)."""
    from microcred.core import fastrdf  # imported here: fastrdf reads contexts through us

    try:
        return Expansion(fastrdf.expand_document(document), ())
    except fastrdf.Unsupported as exc:
        return Expansion([], (), exc.reason)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        return Expansion([], (), f"fast path error {type(exc).__name__}")


def compact(
    document: Mapping[str, Any], context: Any, loader: OfflineLoader | None = None
) -> dict[str, Any]:
    """JSON-LD compaction with packaged contexts only."""
    opts = (loader or default_loader()).options()
    return cast(dict[str, Any], _run(lambda: jsonld.compact(dict(document), context, opts)))


def to_nquads(document: Mapping[str, Any], loader: OfflineLoader | None = None) -> str:
    """The document's RDF dataset as (non-canonical) N-Quads."""
    opts = (loader or default_loader()).options(format="application/n-quads")
    return cast(str, _run(lambda: jsonld.to_rdf(dict(document), opts)))


def to_dataset(
    document: Mapping[str, Any], loader: OfflineLoader | None = None, *, safe: bool = True
) -> Any:
    """The document's RDF dataset in pyld's internal form (input to canonicalisation).

    ``safe`` (JSON-LD safe mode) refuses what RDF would silently drop: properties the
    contexts do not define and relative ``@id``/``@type`` references. A value's ``@direction``
    is kept as an ``i18n`` datatype (``rdfDirection: i18n-datatype``, as Digital Bazaar's rdfc
    cryptosuites do), so base direction is signed rather than dropped.
    """
    opts = (loader or default_loader()).options(
        produceGeneralizedRdf=False, rdfDirection="i18n-datatype"
    )

    if not safe:
        return _run(lambda: jsonld.to_rdf(dict(document), opts))
    expanded = expansion(document, loader, try_fast=False)  # fastrdf already stepped aside
    if expanded.dropped:
        _refuse_dropped(expanded.dropped[0])
    _check_references(expanded.nodes)
    return _run(lambda: jsonld.JsonLdProcessor().to_rdf(expanded.nodes, opts))
