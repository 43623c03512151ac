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


def _first_degree_lines(quads: list[Quad]) -> dict[str, list[str]]:
    """For each blank node, its quads as Hash First Degree Quads writes them (unsorted)."""
    lines: dict[str, list[str]] = {}
    for s, p, o, g in quads:
        subject_blank, object_blank = s[0] == "_", o[0] == "_"
        if g:
            if subject_blank or object_blank or g[0] == "_":
                _named_graph_lines(lines, s, p, o, g)
        elif subject_blank and object_blank:
            if s == o:
                lines.setdefault(s, []).extend([f"_:a {p} _:a .\n"] * 2)
            else:
                lines.setdefault(s, []).append(f"_:a {p} _:z .\n")
                lines.setdefault(o, []).append(f"_:z {p} _:a .\n")
        elif subject_blank:
            lines.setdefault(s, []).append(f"_:a {p} {o} .\n")
        elif object_blank:
            lines.setdefault(o, []).append(f"{s} {p} _:a .\n")
    return lines


def _named_graph_lines(lines: dict[str, list[str]], s: str, p: str, o: str, g: str) -> None:
    mentioned = [term for term in (s, o, g) if term[0] == "_"]
    for node in mentioned:

        def hide(term: str, node: str = node) -> str:
            return ("_:a" if term == node else "_:z") if term[0] == "_" else term

        lines.setdefault(node, []).append(_line(hide(s), p, hide(o), hide(g)))


def canonical_labels(quads: list[Quad], hash_name: str) -> dict[str, str]:
    """Blank node label -> canonical label (``_:c14nN``), or ``Unsupported`` on a shared hash."""
    new_hash = getattr(hashlib, hash_name)
    hashes = {}
    for node, lines in _first_degree_lines(quads).items():
        lines.sort()
        hashes[node] = new_hash("".join(lines).encode("utf-8")).hexdigest()
    if len(set(hashes.values())) != len(hashes):
        raise Unsupported("blank nodes that share a first-degree hash (full RDFC-1.0 needed)")
    ordered = sorted(hashes, key=hashes.__getitem__)
    return {node: f"_:c14n{index}" for index, node in enumerate(ordered)}


def canonical_nquads(quads: list[Quad], hash_name: str) -> tuple[str, dict[str, str]]:
    """Canonical N-Quads of ``quads`` and the label map (fast path only)."""
    labels = canonical_labels(quads, hash_name)
    label = labels.get
    lines = [
        f"{label(s, s)} {p} {label(o, o)} {label(g, g)} .\n"
        if g
        else f"{label(s, s)} {p} {label(o, o)} .\n"
        for s, p, o, g in quads
    ]
    lines.sort()
    return "".join(lines), labels
