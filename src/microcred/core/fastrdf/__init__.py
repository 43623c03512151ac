"""A fast, exact JSON-LD -> RDFC-1.0 path for documents built on the contexts we ship.

pyld is the reference: this path gives byte-identical canonical N-Quads or steps aside
(:class:`Unsupported`), and :mod:`microcred.core.canon` then runs pyld. ``stats()`` counts
how often each happened, by reason, so benchmarks can print the fallbacks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from microcred.core.fastrdf.contexts import Unsupported
from microcred.core.fastrdf.direct import Indirect, direct_quads
from microcred.core.fastrdf.expand import expand_document
from microcred.core.fastrdf.quads import Quad, dataset_quads, to_quads
from microcred.core.fastrdf.rdfc import canonical_nquads
from microcred.core.jsonld import fast_expansion, sharing_expansions

__all__ = [
    "Quad",
    "Unsupported",
    "canonical_nquads",
    "canonize",
    "dataset_quads",
    "expand_document",
    "record",
    "stats",
    "to_quads",
]

_COUNTS: Counter[str] = Counter()


def record(outcome: str) -> None:
    """Count one outcome (``fast`` or ``fallback: <reason>``)."""
    _COUNTS[outcome] += 1


def stats(reset: bool = False) -> dict[str, int]:
    """Outcomes so far in this process: ``fast`` and one ``fallback: <reason>`` per reason."""
    result = dict(_COUNTS)
    if reset:
        _COUNTS.clear()
    return result


def canonize(document: Mapping[str, Any], hash_name: str) -> str:
    """RDFC-1.0 canonical N-Quads of ``document`` (safe mode); ``Unsupported`` otherwise.

    Inside :func:`microcred.core.jsonld.shared_expansions` the expansion is shared with the
    well-formedness rules, which read the same document's expanded form.
    """
    if sharing_expansions():
        found = fast_expansion(document)
        if found.fast_refusal is not None:
            raise Unsupported(found.fast_refusal)
        expanded = found.nodes
    else:
        try:
            quads = direct_quads(document)
        except (Indirect, Unsupported) as exc:
            # the two-pass path handles more, and refuses (for pyld) with its own reason
            record(f"two passes: {exc.reason}")
        else:
            return canonical_nquads(quads, hash_name)[0]
        expanded = expand_document(document)
    canonical, _ = canonical_nquads(to_quads(expanded), hash_name)
    return canonical
