"""RDFC-1.0 when every blank node's first-degree hash is unique (most credentials).

Then the canonical labels follow from sorting those hashes, and the Hash N-Degree Quads
algorithm is never needed. When two blank nodes share a first-degree hash this raises
:class:`Unsupported` and the caller runs the full algorithm (pyld's, with our work limit).
"""

from __future__ import annotations

import hashlib

from microcred.core.fastrdf.contexts import Unsupported
from microcred.core.fastrdf.quads import Quad


def _line(s: str, p: str, o: str, g: str) -> str:
    return f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n"


def _first_degree(node: str, quads: list[Quad], hash_name: str) -> str:
    lines = []
    for s, p, o, g in quads:
        s = ("_:a" if s == node else "_:z") if s[0] == "_" else s
        o = ("_:a" if o == node else "_:z") if o[0] == "_" else o
        if g and g[0] == "_":
            g = "_:a" if g == node else "_:z"
        lines.append(_line(s, p, o, g))
    lines.sort()
    digest = hashlib.new(hash_name)
    for line in lines:
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


def canonical_labels(quads: list[Quad], hash_name: str) -> dict[str, str]:
    """Blank node label -> canonical label (``_:c14nN``), or ``Unsupported`` on a shared hash."""
    mentions: dict[str, list[Quad]] = {}
    for quad in quads:
        s, _, o, g = quad
        if s[0] == "_":
            mentions.setdefault(s, []).append(quad)
        if o[0] == "_":
            mentions.setdefault(o, []).append(quad)
        if g and g[0] == "_":
            mentions.setdefault(g, []).append(quad)
    hashes = {node: _first_degree(node, found, hash_name) for node, found in mentions.items()}
    if len(set(hashes.values())) != len(hashes):
        raise Unsupported("blank nodes that share a first-degree hash (full RDFC-1.0 needed)")
    ordered = sorted(hashes, key=hashes.__getitem__)
    return {node: f"_:c14n{index}" for index, node in enumerate(ordered)}


def canonical_nquads(quads: list[Quad], hash_name: str) -> tuple[str, dict[str, str]]:
    """Canonical N-Quads of ``quads`` and the label map (fast path only)."""
    labels = canonical_labels(quads, hash_name)
    lines = []
    for s, p, o, g in quads:
        if s[0] == "_":
            s = labels[s]
        if o[0] == "_":
            o = labels[o]
        if g and g[0] == "_":
            g = labels[g]
        lines.append(_line(s, p, o, g))
    lines.sort()
    return "".join(lines), labels
