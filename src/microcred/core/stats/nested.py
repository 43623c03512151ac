"""Tables that agree with each other: a table's margins are published as its smaller tables are.

The answer over dimensions ``D`` is built bottom up: first the table of no dimension (the grand
total), then each table over a subset ``S`` of ``D``, smallest first, each protected with the
statuses its own margins received in the smaller tables (``protect(..., fixed=...)``). The table
over ``S`` is therefore the same whether asked alone or as the margins of a larger table, so two
queries over different dimension sets publish every shared entry alike, and neither shows what
the other withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations, product
from math import prod

from microcred.core.stats.privacy import TOTAL, K, Key, ProtectedTable, Status, protect


def _project(key: Key, kept: Sequence[int]) -> Key:
    return tuple(key[i] for i in kept)


def _widen(key: Key, kept: Sequence[int], size: int) -> Key:
    """A key of a smaller table as a key of the full one (``_T`` on the dropped dimensions)."""
    values = dict(zip(kept, key, strict=True))
    return tuple(values.get(i, TOTAL) for i in range(size))


def complete(counts: Mapping[Key, int], size: int) -> dict[Key, int]:
    """The cells of every combination of the values seen, zero where nothing was counted: a
    zero must be withholdable too, or its absence tells (a line with one cell equals its
    margin)."""
    seen = [sorted({key[i] for key in counts}) for i in range(size)]
    return {key: counts.get(key, 0) for key in product(*seen)} if counts else {}


def cell_count(counts: Mapping[Key, int], size: int) -> int:
    """How many cells :func:`complete` would make."""
    return prod(len({key[i] for key in counts}) for i in range(size)) if counts else 0


def protect_nested(
    counts: Mapping[Key, int], dimensions: Sequence[str], k: int = K
) -> ProtectedTable:
    """Like :func:`protect` over the :func:`complete` cells, with every margin protected as
    its own smaller table would be."""
    size = len(dimensions)
    counts = complete(counts, size)
    decided: dict[Key, Status] = {}
    result = protect({(): sum(counts.values())} if counts else {}, [], k)
    decided.update({_widen(key, (), size): e.status for key, e in result.entries.items()})
    for width in range(1, size + 1):
        for kept in combinations(range(size), width):
            sub: dict[Key, int] = {}
            for key, number in counts.items():
                small = _project(key, kept)
                sub[small] = sub.get(small, 0) + number
            fixed = {
                small: decided[wide]
                for wide in decided
                if all(wide[i] == TOTAL for i in range(size) if i not in kept)
                and TOTAL in (small := _project(wide, kept))
            }
            result = protect(sub, [dimensions[i] for i in kept], k, fixed)
            for key, entry in result.entries.items():
                decided.setdefault(_widen(key, kept, size), entry.status)
    return result
