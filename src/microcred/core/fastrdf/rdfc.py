"""RDFC-1.0 when every blank node's first-degree hash is unique (most credentials).

Then the canonical labels follow from sorting those hashes, and the Hash N-Degree Quads
algorithm is never needed. When two blank nodes share a first-degree hash this raises
:class:`Unsupported` and the caller runs the full algorithm (pyld's, with our work limit).

For the default graph (every credential), one pass over the quads writes each quad's line
once with its blank nodes left open: the part after a blank subject (`` <p> <o> .\\n``) or
before a blank object (``<s> <p> ``) serves both the first-degree line (``_:a`` put in) and
the canonical line (the canonical label put in). Named graphs take the general loop.
A blank node's first-degree digest is remembered by the text it hashes: a batch repeats most
of them (the issuer's address, the achievement's alignments...).
"""

from __future__ import annotations

import hashlib

from microcred.core.fastrdf.contexts import Unsupported
from microcred.core.fastrdf.quads import Quad

_SHARED = "blank nodes that share a first-degree hash (full RDFC-1.0 needed)"
# first-degree digests by their quads' text, per hash: the nodes a batch repeats (issuer,
# address, achievement, alignments...) are hashed once (hashlib costs ~1 us a call)
_DIGESTS: dict[str, dict[str, bytes]] = {}
_DIGESTS_LIMIT = 4096


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


def _labels(lines: dict[str, list[str]], hash_name: str) -> dict[str, str]:
    """Canonical labels from the first-degree lines of each blank node (unique hashes only)."""
    new_hash = getattr(hashlib, hash_name)
    known = _DIGESTS.setdefault(hash_name, {})
    hashes: dict[bytes, str] = {}
    for node, node_lines in lines.items():
        node_lines.sort()
        text = "".join(node_lines)
        digest = known.get(text)
        if digest is None:
            if len(known) >= _DIGESTS_LIMIT:
                known.clear()
            # raw digests sort as their hexadecimal forms do
            digest = known[text] = new_hash(text.encode()).digest()
        hashes[digest] = node
    if len(hashes) != len(lines):
        raise Unsupported(_SHARED)
    return {hashes[digest]: f"_:c14n{index}" for index, digest in enumerate(sorted(hashes))}


def canonical_labels(quads: list[Quad], hash_name: str) -> dict[str, str]:
    """Blank node label -> canonical label (``_:c14nN``), or ``Unsupported`` on a shared hash."""
    return _labels(_first_degree_lines(quads), hash_name)


def canonical_nquads(quads: list[Quad], hash_name: str) -> tuple[str, dict[str, str]]:
    """Canonical N-Quads of ``quads`` and the label map (fast path only)."""
    lines: dict[str, list[str]] = {}
    ground: list[str] = []  # lines without blank nodes: final as they are
    after: list[tuple[str, str]] = []  # (blank subject, " <p> <o> .\n")
    before: list[tuple[str, str]] = []  # ("<s> <p> ", blank object)
    between: list[tuple[str, str, str]] = []  # (blank subject, " <p> ", blank object)
    for s, p, o, g in quads:
        if g:
            return _with_graphs(quads, hash_name)
        if s[0] == "_":
            if o[0] == "_":
                between.append((s, f" {p} ", o))
                if s == o:
                    lines.setdefault(s, []).extend([f"_:a {p} _:a .\n"] * 2)
                else:
                    lines.setdefault(s, []).append(f"_:a {p} _:z .\n")
                    lines.setdefault(o, []).append(f"_:z {p} _:a .\n")
                continue
            tail = f" {p} {o} .\n"
            after.append((s, tail))
            found = lines.get(s)
            if found is None:
                lines[s] = ["_:a" + tail]
            else:
                found.append("_:a" + tail)
        elif o[0] == "_":
            head = f"{s} {p} "
            before.append((head, o))
            found = lines.get(o)
            if found is None:
                lines[o] = [head + "_:a .\n"]
            else:
                found.append(head + "_:a .\n")
        else:
            ground.append(f"{s} {p} {o} .\n")
    labels = _labels(lines, hash_name)
    ground.extend([labels[s] + tail for s, tail in after])
    ground.extend([head + labels[o] + " .\n" for head, o in before])
    ground.extend([labels[s] + p + labels[o] + " .\n" for s, p, o in between])
    ground.sort()
    return "".join(ground), labels


def _with_graphs(quads: list[Quad], hash_name: str) -> tuple[str, dict[str, str]]:
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
