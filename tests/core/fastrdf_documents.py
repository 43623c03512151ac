"""Generated JSON-LD documents for the fast path's differential test against pyld.

OB 3.0 and ELM credentials from generated micro-credentials, then perturbed (values as
language-tagged objects with ``@direction``, nested arrays, repeats, numbers and booleans), and
free documents over every packaged context, built from the terms each context defines, with
now and then an undefined term or a relative reference that safe mode must refuse.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from microcred.core.fastrdf.contexts import Unsupported, root_context
from microcred.core.formats.elm_write import to_elm
from microcred.core.formats.ob3_write import to_ob3
from microcred.core.jsonld import context_index
from tests.strategies import complete_credentials

LANGUAGES = ("en", "fr", "de", "ro", "ar", "he", "EN-gb", "zh-Hant")
_TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=12
) | st.sampled_from(["Zertifikat", "شهادة", "תעודה", "证书", 'a\tb\n"c"\\', "\u0008\u007f"])
IRIS = st.sampled_from(
    ["https://example.org/a", "urn:uuid:7f0c", "did:example:123", "https://example.org/b#x"]
)
BLANKS = st.sampled_from(["_:b0", "_:b1", "_:x"])


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


def _nodes(terms: tuple[str, ...], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from(terms or ("name",)) | st.sampled_from(
        ["id", "type", "@id", "@type", "undefinedTerm"]
    )
    types = st.sampled_from([t for t in terms if t[:1].isupper()] or ["Thing"])

    def build(pairs: list[tuple[str, Any]], node_id: Any, type_: Any) -> dict[str, Any]:
        node = dict(pairs)
        if node_id is not None:
            node["id"] = node_id
        if type_ is not None:
            node["type"] = type_
        return node

    return st.builds(
        build,
        st.lists(st.tuples(keys, st.deferred(lambda: _values(terms, depth))), max_size=5),
        st.none() | IRIS | BLANKS | st.just("relative/id"),
        st.none() | types | st.lists(types, max_size=2),
    )


@st.composite
def free_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A document over one to three packaged contexts, with their terms and any JSON-LD value."""
    urls = sorted(context_index())
    chosen = draw(st.lists(st.sampled_from(urls), min_size=1, max_size=3, unique=True))
    terms = tuple(sorted({term for url in chosen for term in _terms(url)}))
    document = draw(_nodes(terms, 2))
    document["@context"] = chosen if len(chosen) > 1 or draw(st.booleans()) else chosen[0]
    return document


def _perturb(value: Any, draw: st.DrawFn, depth: int = 0) -> Any:
    """Change some string values into value objects, arrays into nested arrays, add repeats."""
    if isinstance(value, dict):
        return {
            key: item if key in ("@context", "id", "type") else _perturb(item, draw, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list):
        items = [_perturb(item, draw, depth + 1) for item in value]
        choice = draw(st.integers(0, 5))
        if choice == 0 and items:
            return [items[:1], items[1:]]
        if choice == 1 and items:
            return [*items, items[0]]
        return items
    if isinstance(value, str) and not value.startswith(("http", "urn:", "did:")):
        choice = draw(st.integers(0, 7))
        if choice == 0:
            return {
                "@value": value,
                "@language": draw(st.sampled_from(LANGUAGES)),
                "@direction": draw(st.sampled_from(["ltr", "rtl"])),
            }
        if choice == 1:
            return {"@value": value, "@direction": "rtl"}
        if choice == 2:
            return [value, draw(_TEXTS)]
    return value


@st.composite
def credential_documents(draw: st.DrawFn) -> dict[str, Any]:
    """An OB 3.0 or ELM credential from a generated micro-credential, maybe perturbed."""
    mc = draw(complete_credentials())
    writer = draw(st.sampled_from([to_ob3, to_elm]))
    document = writer(mc, issuer_id="did:example:issuer")
    return _perturb(document, draw) if draw(st.booleans()) else document


def documents() -> st.SearchStrategy[dict[str, Any]]:
    """Every kind of generated document the differential test compares."""
    return credential_documents() | free_documents()
