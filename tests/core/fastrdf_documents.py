"""Generated JSON-LD documents for the fast path's differential test against pyld.

Two kinds. Credentials: OB 3.0 and ELM documents written from a pool of complete
micro-credentials generated once per shard (:func:`credential_pool`: generating and validating a
whole micro-credential model is most of a document's cost, so it is not done per example),
then perturbed per example (:func:`pooled_documents`): strings into value objects with
``@language`` and ``@direction``, multilingual language maps (other scripts, ``@none``, arrays),
nested arrays, repeats, numbers and booleans, key order, and re-spellings that keep the RDF
(``@id``/``@type`` for their aliases, a value in an array of one, an array of one unwrapped).
Free documents over every packaged context (:func:`free_documents`), built from the terms each
context defines, with now and then an undefined term or a relative reference that safe mode
must refuse.
"""

from __future__ import annotations

import random
import re
from functools import cache
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from microcred.core.fastrdf.contexts import Unsupported, root_context
from microcred.core.formats.elm_write import to_elm
from microcred.core.formats.ob3_write import to_ob3
from microcred.core.jsonld import context_index
from tests.strategies import complete_credentials

LANGUAGES = ("en", "fr", "de", "ro", "ar", "he", "EN-gb", "zh-Hant")
SCRIPTS = ("Zertifikat", "شهادة", "תעודה", "证书", "сертификат", 'a\tb\n"c"\\', "\u0008\u007f", "")
_TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=12
) | st.sampled_from(SCRIPTS)
IRIS = st.sampled_from(
    ["https://example.org/a", "urn:uuid:7f0c", "did:example:123", "https://example.org/b#x"]
)
BLANKS = st.sampled_from(["_:b0", "_:b1", "_:x"])
ISSUER = "did:example:issuer"


@cache
def _terms(context: str) -> tuple[str, ...]:
    try:
        mappings = root_context([context]).raw["mappings"]
    except Unsupported:  # a context that needs another one before it (pyld refuses it alone)
        return ()
    return tuple(sorted(key for key, value in mappings.items() if value and ":" not in key))


def _json_scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        _TEXTS,
        st.integers(-(10**22), 10**22),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        st.booleans(),
        st.sampled_from([1, 1.0, True, 0, 5.0, 1e21, 2.5e-7]),
    )


def _value_objects() -> st.SearchStrategy[dict[str, Any]]:
    tagged = st.fixed_dictionaries(
        {"@value": _TEXTS},
        optional={
            "@language": st.sampled_from(LANGUAGES),
            "@direction": st.sampled_from(["ltr", "rtl"]),
        },
    )
    typed = st.fixed_dictionaries(
        {
            "@value": _TEXTS | st.integers(-5, 5) | st.floats(-1e3, 1e3),
            "@type": st.sampled_from(
                [
                    "http://www.w3.org/2001/XMLSchema#dateTime",
                    "http://www.w3.org/2001/XMLSchema#double",
                    "http://www.w3.org/2001/XMLSchema#integer",
                    "xsd:string",
                    "relative-type",
                ]
            ),
        }
    )
    return tagged | typed


@cache  # building strategies is dear; the same terms and depth give the same strategy
def _values(terms: tuple[str, ...], depth: int) -> st.SearchStrategy[Any]:
    leaf = st.one_of(_json_scalars(), _value_objects(), IRIS, BLANKS)
    if depth <= 0:
        return leaf
    node = _nodes(terms, depth - 1)
    language_map = st.dictionaries(
        st.sampled_from((*LANGUAGES, "@none")), _TEXTS | st.lists(_TEXTS, max_size=2), max_size=3
    )
    inner = st.one_of(leaf, node, language_map)
    nested = st.lists(inner | st.lists(inner, max_size=3), max_size=4)
    return st.one_of(
        leaf, node, nested, st.fixed_dictionaries({"@list": st.lists(inner, max_size=3)})
    )


def _build_node(pairs: list[tuple[str, Any]], node_id: Any, type_: Any) -> dict[str, Any]:
    node = dict(pairs)
    if node_id is not None:
        node["id"] = node_id
    if type_ is not None:
        node["type"] = type_
    return node


@cache
def _nodes(terms: tuple[str, ...], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from(terms or ("name",)) | st.sampled_from(
        ["id", "type", "@id", "@type", "undefinedTerm"]
    )
    types = st.sampled_from([t for t in terms if t[:1].isupper()] or ["Thing"])
    return st.builds(
        _build_node,
        st.lists(st.tuples(keys, st.deferred(lambda: _values(terms, depth))), max_size=5),
        st.none() | IRIS | BLANKS | st.just("relative/id"),
        st.none() | types | st.lists(types, max_size=2),
    )


@cache
def _context_choices() -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(sorted(context_index())), min_size=1, max_size=3, unique=True)


@st.composite
def free_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A document over one to three packaged contexts, with their terms and any JSON-LD value."""
    chosen = draw(_context_choices())
    terms = tuple(sorted({term for url in chosen for term in _terms(url)}))
    document = draw(_nodes(terms, 2))
    document["@context"] = chosen if len(chosen) > 1 or draw(st.booleans()) else chosen[0]
    return document


def credential_pool(number: int, size: int) -> tuple[dict[str, Any], ...]:
    """OB 3.0 and ELM documents of ``size`` complete micro-credentials (hypothesis seed
    ``number``): the base documents a shard perturbs. Call it outside any ``@given`` test."""
    credentials: list[Any] = []

    @seed(number)
    @settings(
        max_examples=size,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(complete_credentials())
    def collect(credential: Any) -> None:
        credentials.append(credential)

    collect()
    return tuple(
        writer(credential, issuer_id=ISSUER)
        for credential in credentials
        for writer in (to_ob3, to_elm)
    )


# what a pooled document's perturbation may do (hypothesis draws which, and how often)
KINDS = (
    "direction",
    "tagged",
    "language-map",
    "nested",
    "repeat",
    "scalar",
    "key-order",
    "respell",
)
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$")
_KEEP = frozenset({"@context", "id", "@id", "type", "@type"})


def _language_map(node: dict[str, Any]) -> bool:
    """Does ``node`` look like a language map (tags to strings) as the writers make them?"""
    return bool(node) and all(
        isinstance(value, str) and key not in _KEEP and _LANGUAGE_TAG.match(key)
        for key, value in node.items()
    )


class _Perturber:
    """One example's perturbation: which kinds, how often, and the random positions."""

    def __init__(self, kinds: frozenset[str], rate: float, salt: int) -> None:
        self.kinds = kinds
        self.rate = rate
        self.random = random.Random(salt)

    def hit(self, kind: str) -> bool:
        return kind in self.kinds and self.random.random() < self.rate

    def text(self) -> str:
        return self.random.choice(SCRIPTS)

    def language(self) -> str:
        return self.random.choice(LANGUAGES)

    def value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self.node(value)
        if isinstance(value, list):
            return self.array(value)
        if isinstance(value, str) and not value.startswith(("http", "urn:", "did:", "_:")):
            return self.string(value)
        return value

    def node(self, node: dict[str, Any]) -> dict[str, Any]:
        if _language_map(node):
            return self.language_map(node) if self.hit("language-map") else node
        pairs = []
        for key, item in node.items():
            if key == "id" and self.hit("respell"):
                key = "@id"
            elif key == "type" and self.hit("respell"):
                key = "@type"
            if key not in _KEEP and not key.startswith("@"):
                item = self.value(item)
                if self.hit("respell") and not isinstance(item, list):
                    # an array of one is the same value (a language map in one is a node)
                    item = item if isinstance(item, dict) and _language_map(item) else [item]
            pairs.append((key, item))
        if self.hit("key-order"):
            self.random.shuffle(pairs)
        return dict(pairs)

    def language_map(self, node: dict[str, Any]) -> dict[str, Any]:
        entries: dict[str, Any] = dict(node)
        for _ in range(self.random.randint(1, 3)):
            choice = self.random.randint(0, 3)
            if choice == 0:
                entries[self.language()] = self.text()
            elif choice == 1:
                entries["@none"] = self.text()
            elif choice == 2 and entries:
                key = self.random.choice(sorted(entries))
                entries[key] = [entries[key], self.text()]
            else:  # a tag spelt in another case is the same language
                key = self.random.choice(sorted(entries))
                if key != "@none":
                    entries[key.upper() if key.islower() else key.lower()] = entries.pop(key)
        return entries

    def array(self, items: list[Any]) -> list[Any]:
        result = [self.value(item) for item in items]
        if result and self.hit("nested"):
            return [result[:1], result[1:]]
        if result and self.hit("repeat"):
            # a repeated node without @id is two equal blank nodes: the fast path steps aside
            # for those, so scalars are repeated by preference and nodes now and then
            scalars = [item for item in result if not isinstance(item, dict | list)]
            if scalars or self.random.random() < 0.2:
                return [*result, self.random.choice(scalars or result)]
        if len(result) == 1 and self.hit("respell"):
            return result[0]  # type: ignore[no-any-return]
        return result

    def string(self, value: str) -> Any:
        if self.hit("direction"):
            if self.random.random() < 0.5:
                return {"@value": value, "@direction": "rtl"}
            return {
                "@value": value,
                "@language": self.language(),
                "@direction": self.random.choice(["ltr", "rtl"]),
            }
        if self.hit("tagged"):
            return {"@value": self.text(), "@language": self.language()}
        if self.hit("repeat"):
            return [value, self.text()]
        if self.hit("nested"):
            return [[value]]
        if self.hit("scalar"):
            return self.random.choice([0, 1, -7, 2.5, 1e21, 5.0, True, False])
        return value


def pooled_documents(pool: tuple[dict[str, Any], ...]) -> st.SearchStrategy[dict[str, Any]]:
    """A pool document, as written or perturbed (hypothesis draws the kinds, rate and seed)."""
    perturbation = st.tuples(
        st.frozensets(st.sampled_from(KINDS)),
        st.sampled_from([0.02, 0.1, 0.3, 0.7]),
        st.integers(0, 2**32 - 1),
    )

    def perturb(document: dict[str, Any], how: tuple[frozenset[str], float, int] | None) -> Any:
        return document if how is None else _Perturber(*how).node(document)

    return st.builds(perturb, st.sampled_from(pool), st.none() | perturbation)


def documents(pool: tuple[dict[str, Any], ...]) -> st.SearchStrategy[dict[str, Any]]:
    """Every kind of generated document the differential test compares: two credentials from
    the pool for one free document (the fast path answers credentials more often)."""
    pooled = pooled_documents(pool)
    return st.one_of(pooled, pooled, free_documents())
