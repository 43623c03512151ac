"""RDF Dataset Canonicalization (RDFC-1.0) behind a narrow interface, with input guards."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal, Protocol, cast

from pyld.canon import URDNA2015

from microcred.core import fastrdf
from microcred.core.errors import InputTooLarge
from microcred.core.jsonld import OfflineLoader, to_dataset
from microcred.core.nquads import Dataset, parse_nquads, serialize_quad

HashName = Literal["sha256", "sha384"]
MAX_DEPTH = 64
MAX_BYTES = 5_000_000
# Hash N-Degree Quads calls allowed per blank node before we call the graph a "poison" graph.
DEFAULT_WORK_PER_NODE = 64
# canonical forms of documents this small are cached by JSON text (proof options)
SMALL_DOCUMENT = 2048
_SMALL_CACHE_LIMIT = 4096
_SMALL_CACHE: dict[tuple[str, str], str] = {}
_FAST_PATH = {"enabled": True}


def use_fast_path(enabled: bool) -> None:
    """Turn the fast path on or off for the whole process (benchmarks; a kill switch)."""
    _FAST_PATH["enabled"] = enabled


class Canonicalizer(Protocol):
    """Turns a JSON-LD document into canonical N-Quads and hashes bytes."""

    hash_name: HashName

    def canonize(self, document: Mapping[str, Any]) -> str:
        """RDFC-1.0 canonical N-Quads of ``document``."""
        ...

    def hash(self, data: bytes) -> bytes:
        """Digest of ``data`` with this canonicalizer's hash."""
        ...


def check_bounds(value: Any, max_depth: int = MAX_DEPTH, max_bytes: int = MAX_BYTES) -> int:
    """Refuse JSON values nested deeper than ``max_depth`` or bigger than ``max_bytes``.

    Returns the (approximate, JSON-like) size counted.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    size = 0
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        is_list = kind is list or (kind is not dict and isinstance(item, list))
        if is_list or kind is dict or isinstance(item, Mapping):
            if depth > max_depth:
                raise InputTooLarge(f"document is nested deeper than {max_depth} levels")
            size += 2 + len(item)
            if not is_list:
                size += sum(map(len, map(str, item))) + 3 * len(item)
            size += _children(item if is_list else item.values(), depth + 1, stack)
        else:
            size += len(item) + 2 if isinstance(item, str) else 8
        if size > max_bytes:
            raise InputTooLarge(f"document is larger than {max_bytes} bytes")
    return size


def _children(children: Any, depth: int, stack: list[tuple[Any, int]]) -> int:
    """Size of the scalar children; containers go on the stack."""
    size = 0
    for child in children:
        kind = type(child)
        if kind is str:
            size += len(child) + 2
        elif kind is dict or kind is list:
            stack.append((child, depth))
        elif kind is int or kind is float or kind is bool or child is None:
            size += 8
        elif isinstance(child, Mapping | list):
            stack.append((child, depth))
        else:
            size += len(child) + 2 if isinstance(child, str) else 8
    return size


class _Rdfc10(URDNA2015):  # type: ignore[misc]
    """pyld's URDNA2015 (= RDFC-1.0) with a selectable hash, a work limit and exact escaping."""

    def __init__(self, hash_name: HashName, max_calls: int) -> None:
        super().__init__()
        self._hash_name = hash_name
        self._calls_left = max_calls

    def create_hash(self) -> Any:
        return hashlib.new(self._hash_name)

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._calls_left -= 1
        if self._calls_left < 0:
            raise InputTooLarge(
                "RDF canonicalisation needs too much work (a 'poison' graph of blank nodes)"
            )
        return super().hash_n_degree_quads(id_, issuer)

    def hash_first_degree_quads(self, id_: str) -> str:
        info = self.blank_node_info[id_]
        if "hash" not in info:
            lines = []
            for quad in info["quads"]:
                copy = {
                    key: self.modify_first_degree_component(id_, component, key)
                    for key, component in quad.items()
                }
                lines.append(serialize_quad(copy))
            info["hash"] = self.hash_nquads(sorted(lines))
        return cast(str, info["hash"])

    def canonical_nquads(self, dataset: Dataset) -> str:
        """Run RDFC-1.0; serialise the relabelled quads with exact escaping."""
        self.main(dataset, {"format": "application/n-quads"})
        return "".join(sorted(serialize_quad(quad) for quad in self.quads))


def _blank_node_count(dataset: Dataset) -> int:
    nodes = set()
    for graph, quads in dataset.items():
        if graph.startswith("_:"):
            nodes.add(graph)
        for quad in quads:
            for key in ("subject", "object"):
                if quad[key]["type"] == "blank node":
                    nodes.add(quad[key]["value"])
    return len(nodes)


def _small_key(document: Mapping[str, Any], rdfc_hash: HashName) -> tuple[str, str] | None:
    try:
        return (rdfc_hash, json.dumps(document, separators=(",", ":")))
    except (TypeError, ValueError):
        return None


def _fast_canonize(document: Mapping[str, Any], rdfc_hash: HashName, size: int) -> str | None:
    """The fast path's canonical form, or None (counted, with the reason) to use pyld.

    Small documents (proof options above all: the same for a whole batch) are remembered by
    their JSON text.
    """
    key = _small_key(document, rdfc_hash) if size <= SMALL_DOCUMENT else None
    found = _SMALL_CACHE.get(key) if key is not None else None
    if found is not None:
        fastrdf.record("fast (cached)")
        return found
    try:
        result = fastrdf.canonize(document, rdfc_hash)
    except fastrdf.Unsupported as exc:
        fastrdf.record(f"fallback: {exc.reason}")
        return None
    except Exception as exc:  # never a crash from the fast path: pyld answers
        # (and the counter shows it, so a gap in the fast path is seen, not hidden)
        fastrdf.record(f"fallback: fast path error {type(exc).__name__}")
        return None
    fastrdf.record("fast")
    if key is not None:
        if len(_SMALL_CACHE) >= _SMALL_CACHE_LIMIT:
            _SMALL_CACHE.clear()
        _SMALL_CACHE[key] = result
    return result


class PyldCanonicalizer:
    """RDFC-1.0 with pyld as the reference and packaged contexts only.

    ``hash_name`` is the proof hash (SHA-384 for P-384 ECDSA); ``rdfc_hash`` is the hash RDFC-1.0
    uses to label blank nodes (SHA-256 unless a suite says otherwise). ``safe`` (default) refuses
    JSON-LD that would silently drop data, so nothing unsigned can hide in a signed document.
    ``fast`` (default) first tries :mod:`microcred.core.fastrdf`, byte-identical to pyld and
    stepping aside to pyld for anything it does not know; ``fast=False`` runs pyld only.
    """

    def __init__(
        self,
        hash_name: HashName = "sha256",
        *,
        rdfc_hash: HashName = "sha256",
        loader: OfflineLoader | None = None,
        work_per_node: int = DEFAULT_WORK_PER_NODE,
        safe: bool = True,
        fast: bool = True,
    ) -> None:
        self.hash_name: HashName = hash_name
        self.rdfc_hash: HashName = rdfc_hash
        self._loader = loader
        self._work_per_node = work_per_node
        self._safe = safe
        # the fast path knows the packaged contexts and safe mode only
        self._fast = fast and safe and loader is None

    def hash(self, data: bytes) -> bytes:
        """Digest of ``data`` with ``hash_name``."""
        return hashlib.new(self.hash_name, data).digest()

    def canonize(self, document: Mapping[str, Any]) -> str:
        """Canonical N-Quads of a JSON-LD document (contexts served offline)."""
        size = check_bounds(document)
        if self._fast and _FAST_PATH["enabled"]:
            canonical = _fast_canonize(document, self.rdfc_hash, size)
            if canonical is not None:
                return canonical
        dataset = to_dataset(document, self._loader, safe=self._safe)
        return self._canonize_dataset(dataset)[0]

    def canonize_nquads(self, nquads: str) -> tuple[str, dict[str, str]]:
        """Canonical form of an N-Quads dataset, with the issued blank node identifier map."""
        if len(nquads) > MAX_BYTES:
            raise InputTooLarge(f"dataset is larger than {MAX_BYTES} bytes")
        dataset = parse_nquads(nquads)
        if self._fast and _FAST_PATH["enabled"]:
            try:
                canonical, labels = fastrdf.canonical_nquads(
                    fastrdf.dataset_quads(dataset), self.rdfc_hash
                )
            except fastrdf.Unsupported:
                pass
            else:
                return canonical, {old[2:]: new[2:] for old, new in labels.items()}
        return self._canonize_dataset(dataset)

    def _canonize_dataset(self, dataset: Dataset) -> tuple[str, dict[str, str]]:
        budget = max(1, _blank_node_count(dataset)) * self._work_per_node
        algorithm = _Rdfc10(self.rdfc_hash, budget)
        result = algorithm.canonical_nquads(dataset)
        issued = {old[2:]: new[2:] for old, new in algorithm.canonical_issuer.existing.items()}
        return result, issued
