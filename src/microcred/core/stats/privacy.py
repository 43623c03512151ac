"""k-anonymity for published counts: no cell under k = 5, and none recoverable by difference.

The rule implemented (see ``docs/statistics.md``):

1. The published table is the cells *and every margin*: for each subset of the dimensions, the
   sums over the others (key value ``_T``, as SDMX spells a total), down to the grand total.
2. Primary suppression: every entry (cell or margin) with a count from 1 to k - 1 is withheld.
   Zeros are shown (no person is behind them).
3. Secondary suppression, repeated until stable:
   a. every *line* (the entries along one dimension with the others fixed, plus their margin) that
      has exactly one withheld entry gets a second one: the smallest positive shown entry of the
      line (a cell before its margin), so no withheld entry equals a margin minus shown cells;
   b. then an exact check: the withheld entries are unknowns of the linear system "each line sums
      to its margin"; any unknown fixed by the system (its unit vector lies in the row space, by
      exact Gaussian elimination over fractions) gets another entry of one of its lines withheld.
4. Filters are dimensions: the caller computes the counts with each filtered dimension as a
   dimension of the table, suppresses the whole table, then keeps the filtered slice, so a query
   and the same query with one filter more are slices of one protected table.

Limits: the guarantee holds within one table (cells and margins) and its slices; results of
different tables (other dimensions, other periods) are not protected against each other, and
bounds (a withheld cell lies between 0 and a shown margin) are not hidden.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import combinations

K = 5
TOTAL = "_T"

Key = tuple[str, ...]


class Status(StrEnum):
    SHOWN = "shown"
    PRIMARY = "primary"  # under k
    SECONDARY = "secondary"  # withheld so a primary one cannot be recovered


@dataclass(frozen=True)
class Entry:
    """A cell or margin: its key (``_T`` for a totalled dimension), count and status."""

    key: Key
    count: int
    status: Status

    @property
    def shown(self) -> bool:
        return self.status is Status.SHOWN

    @property
    def value(self) -> int | None:
        return self.count if self.shown else None

    @property
    def is_margin(self) -> bool:
        return TOTAL in self.key


@dataclass(frozen=True)
class ProtectedTable:
    """The table as it may be published (counts of withheld entries must not leave the core:
    use :meth:`published` or the exports)."""

    dimensions: tuple[str, ...]
    entries: Mapping[Key, Entry]
    k: int

    def published(self) -> tuple[tuple[Key, int | None, Status], ...]:
        return tuple((e.key, e.value, e.status) for e in self.entries.values())

    def cells(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries.values() if not e.is_margin)

    def margins(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries.values() if e.is_margin)


def with_margins(dimensions: int, counts: Mapping[Key, int]) -> dict[Key, int]:
    """The cells and every margin (sums over each subset of dimensions)."""
    table: dict[Key, int] = {}
    for key, count in counts.items():
        for size in range(dimensions + 1):
            for totalled in combinations(range(dimensions), size):
                margin = tuple(TOTAL if i in totalled else v for i, v in enumerate(key))
                table[margin] = table.get(margin, 0) + count
    return table


def lines(table: Iterable[Key], dimensions: int) -> list[tuple[Key, tuple[Key, ...]]]:
    """Each line: a margin and the entries that sum to it along one dimension."""
    keys = set(table)
    members: dict[tuple[int, Key], list[Key]] = {}
    for key in keys:
        for d in range(dimensions):
            if key[d] != TOTAL:
                total = (*key[:d], TOTAL, *key[d + 1 :])
                members.setdefault((d, total), []).append(key)
    return [(total, tuple(sorted(found))) for (_, total), found in sorted(members.items())]


def _pick(
    candidates: Iterable[Key],
    counts: Mapping[Key, int],
    status: Mapping[Key, Status],
    fixed: Collection[Key] = (),
) -> Key | None:
    """The entry to withhold next: the smallest positive shown one, cells before margins;
    ``fixed`` entries (published by a smaller table) are never picked."""
    shown = [k for k in candidates if status[k] is Status.SHOWN and k not in fixed]
    if not shown:
        return None
    return min(shown, key=lambda k: (TOTAL in k, counts[k] == 0, counts[k], k))


def _line_rule(
    line_list: Sequence[tuple[Key, tuple[Key, ...]]],
    counts: Mapping[Key, int],
    status: dict[Key, Status],
    fixed: Collection[Key] = (),
) -> bool:
    changed = False
    for total, members in line_list:
        entries = (*members, total)
        withheld = sum(status[k] is not Status.SHOWN for k in entries)
        if withheld == 1 and len(entries) > 1:
            chosen = _pick(entries, counts, status, fixed)
            if chosen is not None:
                status[chosen] = Status.SECONDARY
                changed = True
    return changed


def determined(
    line_list: Sequence[tuple[Key, tuple[Key, ...]]], status: Mapping[Key, Status]
) -> list[Key]:
    """Withheld entries whose value the shown entries fix exactly (linear algebra, exact)."""
    unknowns = sorted(k for k, s in status.items() if s is not Status.SHOWN)
    column = {k: i for i, k in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    for total, members in line_list:
        row = [Fraction(0)] * len(unknowns)
        for key, sign in ((total, -1), *((m, 1) for m in members)):
            if key in column:
                row[column[key]] += sign
        if any(row):
            rows.append(row)
    pivots = _reduce(rows, len(unknowns))
    return [unknowns[c] for c, row in pivots if sum(1 for x in row if x) == 1]


def _reduce(rows: list[list[Fraction]], width: int) -> list[tuple[int, list[Fraction]]]:
    """Reduced row echelon form: (pivot column, row) pairs."""
    pivots: list[tuple[int, list[Fraction]]] = []
    for col in range(width):
        found = next((r for r in rows if r[col] != 0), None)
        if found is None:
            continue
        rows.remove(found)
        scale = found[col]
        found = [x / scale for x in found]
        for other in (*rows, *(r for _, r in pivots)):
            factor = other[col]
            if factor:
                for i in range(width):
                    other[i] -= factor * found[i]
        pivots.append((col, found))
    return pivots


def _secondary_for(
    exposed: Sequence[Key],
    line_list: Sequence[tuple[Key, tuple[Key, ...]]],
    table: Mapping[Key, int],
    status: Mapping[Key, Status],
    fixed: Collection[Key],
) -> Key | None:
    """Another entry to withhold so the first exposed one that can be hidden no longer is."""
    for target in exposed:
        for total, members in line_list:
            if target == total or target in members:
                chosen = _pick((*members, total), table, status, fixed)
                if chosen is not None:
                    return chosen
    for total, members in line_list:  # its own lines are closed: widen to any line with one
        entries = (*members, total)
        if any(status[k] is not Status.SHOWN for k in entries):
            chosen = _pick(entries, table, status, fixed)
            if chosen is not None:
                return chosen
    return None


def protect(
    counts: Mapping[Key, int],
    dimensions: Sequence[str],
    k: int = K,
    fixed: Mapping[Key, Status] | None = None,
) -> ProtectedTable:
    """The cells (keyed by one value per dimension) with margins and suppression applied.

    ``fixed``: statuses of margins that smaller tables already published (see
    :func:`microcred.core.stats.nested.protect_nested`); they are kept as given and only the
    other entries are withheld to protect what they would reveal.
    """
    size = len(dimensions)
    for key, count in counts.items():
        if len(key) != size or count < 0 or TOTAL in key:
            raise ValueError(f"bad cell {key!r}: {count}")
    table = with_margins(size, counts)
    given = dict(fixed or {})
    status = {key: Status.PRIMARY if 0 < n < k else Status.SHOWN for key, n in table.items()}
    status.update({key: s for key, s in given.items() if key in status})
    line_list = lines(table, size)
    while True:
        if _line_rule(line_list, table, status, given):
            continue
        exposed = determined(line_list, status)
        if not exposed:
            break
        chosen = _secondary_for(exposed, line_list, table, status, given)
        if chosen is None:  # only what smaller tables publish is left to show
            break
        status[chosen] = Status.SECONDARY
    entries = {key: Entry(key, table[key], status[key]) for key in sorted(table)}
    return ProtectedTable(tuple(dimensions), entries, k)


def slice_table(table: ProtectedTable, keep: Mapping[str, Iterable[str]]) -> ProtectedTable:
    """The entries whose values on the filtered dimensions are among ``keep`` (filters applied
    after protection; see rule 4)."""
    index = {name: i for i, name in enumerate(table.dimensions)}
    allowed = {index[name]: set(values) for name, values in keep.items()}
    entries = {
        key: e
        for key, e in table.entries.items()
        if all(key[i] in values for i, values in allowed.items())
    }
    return ProtectedTable(table.dimensions, entries, table.k)
