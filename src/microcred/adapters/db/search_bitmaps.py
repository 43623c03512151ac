"""Facet counts and filters of the catalogue search as bitmaps of opportunity ids.

Counting every facet value of every match in SQL grows with the result set (at 100,000
opportunities a broad query aggregates ~600,000 rows: most of a query's time). Here each facet
value, each value of the prefix and list filters' columns and the whole index are a bitmap
(``pyroaring``) held in the process per *index generation*; a query's result set is a bitmap of
the ids its text match returns, ANDed with its filters' bitmaps, and a facet count is the
cardinality of an AND (microseconds per value).

A generation is named by the stamp in ``search_generation``, which every index write replaces
with a new random value in the same transaction (:func:`touch`). A process reads the stamp before
each query and reloads its bitmaps when it differs from the one they were loaded under: so it
sees another process's committed changes, its own transaction's uncommitted ones, and never keeps
a rolled-back generation (its stamp is never seen again). The stamp is read before the bitmaps are
loaded: if the index changes in between, the bitmaps are newer than their stamp and the next
query, reading the new stamp, loads them again.
"""

from __future__ import annotations

import heapq
import threading
import uuid
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyroaring import BitMap
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from microcred.adapters.db.tables import SearchChange, SearchEntry, SearchValue
from microcred.core.search.facets import FACETS
from microcred.core.search.query import Filters

_VALUE_FILTERS = ("country", "qf_ehea", "mode", "language", "provider_type", "qa_type")
_RANGES = {"ects": ("ects_min", "ects_max"), "price": ("price_min", "price_max"),
           "start": ("starts_from", "starts_until")}  # fmt: skip
_KEPT = 2  # generations kept per database (a writing transaction's own and the committed one)
_PATCHED_AT_MOST = 1000  # more changed entries than this: the bitmaps are loaded again
_CHAIN = 64  # generations a process follows back to the one it holds, at most
_CHANGES_KEPT = 1000  # rows of search_changes kept


_STAMP = text("SELECT stamp FROM search_generation WHERE id = 1")
_STAMP_FOR_UPDATE = text("SELECT stamp FROM search_generation WHERE id = 1 FOR UPDATE")


def touch(connection: Connection, changed: Iterable[int] | None = None) -> None:
    """Start a new index generation (in the transaction of the index write) and record what it
    changes: the opportunities ``changed`` (``None``: the whole index). The stamp it replaces
    is read under the row's lock (PostgreSQL: ``FOR UPDATE``, so two writers chain one after
    the other; SQLite: one writer at a time)."""
    sqlite = connection.dialect.name == "sqlite"
    previous = connection.execute(_STAMP if sqlite else _STAMP_FOR_UPDATE).scalar()
    new = {"stamp": uuid.uuid4().hex}
    if previous is None:  # the row was deleted (a test harness truncating every table)
        connection.execute(
            text("INSERT INTO search_generation (id, stamp) VALUES (1, :stamp)"), new
        )
    else:
        connection.execute(text("UPDATE search_generation SET stamp = :stamp WHERE id = 1"), new)
    ids: list[int | None] = []
    if changed is not None:
        ids.extend(sorted(set(changed)))
    if changed is None or len(ids) > _PATCHED_AT_MOST:
        ids = [None]
    connection.execute(
        insert(SearchChange),
        [{"stamp": new["stamp"], "previous": previous or "", "opportunity_id": n} for n in ids],
    )
    connection.execute(  # a process further behind than this loads the bitmaps again
        delete(SearchChange).where(
            SearchChange.id < select(func.max(SearchChange.id)).scalar_subquery() - _CHANGES_KEPT
        )
    )


def stamp(connection: Connection) -> str:
    """The generation stamp this transaction sees ("" while no index write has made one)."""
    found = connection.execute(text("SELECT stamp FROM search_generation WHERE id = 1")).scalar()
    return str(found or "")


@dataclass(frozen=True)
class _Sorted:
    """A range filter's column: non-null values ascending, with their ids."""

    keys: list[Any]
    ids: list[int]
    members: BitMap  # the ids, to find one

    def between(self, low: object, high: object) -> BitMap:
        start = 0 if low is None else bisect_left(self.keys, low)
        end = len(self.keys) if high is None else bisect_right(self.keys, high)
        return BitMap(self.ids[start:end])


@dataclass(frozen=True)
class Generation:
    """One index generation's bitmaps."""

    stamp: str
    everything: BitMap
    values: dict[str, dict[str, BitMap]]  # facet -> value -> ids counted under it
    columns: dict[str, dict[Any, BitMap]]  # nuts, isced, eqf, recognition -> column value -> ids
    ranges: dict[str, _Sorted]  # ects, price, start

    def filters(self, f: Filters) -> dict[str, BitMap]:
        """Per active filter (named by its facet), the ids that pass it."""
        found: dict[str, BitMap] = {}
        for name in _VALUE_FILTERS:
            wanted: tuple[str, ...] = getattr(f, name)
            if wanted:
                found[name] = _union(self.values[name].get(v) for v in wanted)
        for name in ("nuts", "isced"):
            prefixes: tuple[str, ...] = getattr(f, name)
            if prefixes:
                found[name] = _union(ids for code, ids in self.columns[name].items()
                                     if code is not None and code.startswith(prefixes))  # fmt: skip
        if f.eqf:
            found["eqf"] = _union(self.columns["eqf"].get(level) for level in f.eqf)
        if f.recognition is not None:
            found["recognition"] = BitMap(self.columns["recognition"].get(f.recognition, ()))
        for name, (low_field, high_field) in _RANGES.items():
            low, high = getattr(f, low_field), getattr(f, high_field)
            if low is not None or high is not None:
                found[name] = self.ranges[name].between(low, high)
        return found

    def counts(self, base: BitMap, facet: str) -> list[tuple[str, int]]:
        """The facet's values with how many of ``base`` count under each (none at 0)."""
        found = []
        for value, ids in self.values[facet].items():
            number = base.intersection_cardinality(ids)
            if number:
                found.append((value, number))
        return found


def sorted_page(
    generation: Generation, ids: BitMap, column: str, descending: bool, offset: int, size: int
) -> list[int]:
    """The page of ``ids`` sorted by a range column (``ects``, ``price``, ``start``) as the SQL
    ``ORDER BY column IS NULL, column [DESC], doc_key`` sorts them: values ascending (or
    descending), ties by ``doc_key`` (the id as text), entries without a value last. Walks
    the column's sorted values one distinct value at a time until the page is full."""
    need = offset + size
    found: list[int] = []
    column_ = generation.ranges[column]
    keys, ordered = column_.keys, column_.ids
    start, end = 0, len(keys)
    while len(found) < need and start < end:
        if descending:
            low, high = bisect_left(keys, keys[end - 1], start, end), end
            end = low
        else:
            low, high = start, bisect_right(keys, keys[start], start, end)
            start = high
        tied = BitMap(ordered[low:high]) & ids
        found.extend(heapq.nsmallest(need - len(found), tied, key=str))
    if len(found) < need:
        found.extend(heapq.nsmallest(need - len(found), ids - column_.members, key=str))
    return found[offset:need]


def _union(bitmaps: Iterable[BitMap | None]) -> BitMap:
    present = [b for b in bitmaps if b is not None]
    return BitMap.union(*present) if present else BitMap()


@dataclass(frozen=True)
class Result:
    """A query's result set and its facet counts."""

    ids: BitMap
    facets: dict[str, list[tuple[str, int]]]


def evaluate(generation: Generation, matched: BitMap | None, filters: Filters) -> Result:
    """The result set of a text match (``None``: no text) under ``filters``, and the
    disjunctive facet counts (each facet's over the results without its own filter)."""
    base = generation.everything if matched is None else matched & generation.everything
    passing = generation.filters(filters)
    ids = _intersection(base, passing.values())
    facets = {}
    for facet in FACETS:
        if facet in passing:
            others = _intersection(base, (b for n, b in passing.items() if n != facet))
            facets[facet] = generation.counts(others, facet)
        else:
            facets[facet] = generation.counts(ids, facet)
    return Result(ids, facets)


def _intersection(base: BitMap, others: Iterable[BitMap]) -> BitMap:
    result = base
    for other in sorted(others, key=len):
        result = result & other
    return result


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generations: dict[str, Generation] = {}


_caches: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def current(connection: Connection) -> Generation:
    """The bitmaps of the index generation this connection's transaction sees: those held, a
    copy of held ones patched with the entries changed since (:func:`patched`), or loaded."""
    with _caches_lock:
        cache = _caches.setdefault(connection.engine, _Cache())
    seen = stamp(connection)
    with cache.lock:
        found = cache.generations.get(seen)
        if found is None:
            found = _follow(connection, cache.generations, seen) or load(connection, seen)
            cache.generations[seen] = found
            while len(cache.generations) > _KEPT:
                del cache.generations[next(iter(cache.generations))]
        return found


def _follow(connection: Connection, held: Mapping[str, Generation], seen: str) -> Generation | None:
    """The generation ``seen`` as a patch of a held one: back along ``search_changes`` from
    ``seen`` to a held stamp, gathering the opportunities changed on the way; ``None`` when
    the chain breaks (pruned, a rebuild of the whole index, too many changes)."""
    changed: set[int] = set()
    at = seen
    for _ in range(_CHAIN):
        rows = connection.execute(
            select(SearchChange.previous, SearchChange.opportunity_id)
            .where(SearchChange.stamp == at)
        ).all()  # fmt: skip
        if not rows or any(n is None for _, n in rows):
            return None
        changed.update(n for _, n in rows if n is not None)
        if len(changed) > _PATCHED_AT_MOST:
            return None
        at = rows[0][0]
        base = held.get(at)
        if base is not None:
            return patched(connection, base, seen, changed)
    return None


def _ids(joined: str | None) -> list[int]:
    return [int(n) for n in joined.split(",")] if joined else []


_VALUES_SQLITE = text(
    "SELECT facet, value, group_concat(opportunity_id) FROM search_values GROUP BY facet, value"
)
_VALUES_POSTGRESQL = text(
    "SELECT facet, value, string_agg(CAST(opportunity_id AS text), ',') FROM search_values"
    " GROUP BY facet, value"
)


def load(connection: Connection, seen: str) -> Generation:
    """Read the index into bitmaps (``seen``: the stamp read before)."""
    values: dict[str, dict[str, BitMap]] = {facet: {} for facet in FACETS}
    grouped = _VALUES_SQLITE if connection.dialect.name == "sqlite" else _VALUES_POSTGRESQL
    rows = connection.execute(grouped)
    for facet, value, joined in rows:
        values.setdefault(facet, {})[value] = BitMap(_ids(joined))
    e = SearchEntry
    listed: dict[str, dict[Any, list[int]]] = {
        n: {} for n in ("nuts", "isced", "eqf", "recognition")
    }
    ranged: dict[str, list[tuple[Any, int]]] = {n: [] for n in _RANGES}
    everything = []
    for row in connection.execute(
        select(e.opportunity_id, e.nuts, e.isced, e.eqf, e.recognition, e.ects, e.price_eur,
               e.start_date)
    ):  # fmt: skip
        n = row.opportunity_id
        everything.append(n)
        for name in listed:
            listed[name].setdefault(getattr(row, name), []).append(n)
        for name, value in (
            ("ects", row.ects),
            ("price", row.price_eur),
            ("start", row.start_date),
        ):
            if value is not None:
                ranged[name].append((value, n))
    return Generation(
        stamp=seen,
        everything=BitMap(everything),
        values=values,
        columns={name: {k: BitMap(v) for k, v in found.items()} for name, found in listed.items()},
        ranges={name: _sorted(pairs) for name, pairs in ranged.items()},
    )


def patched(
    connection: Connection, base: Generation, seen: str, changed: Iterable[int]
) -> Generation:
    """``base`` with the entries of the opportunities ``changed`` as this transaction sees them
    now (absent: out of every bitmap). ``base`` is not modified (another thread may be using
    it): the bitmaps and sorted columns that change are copies, the others are shared."""
    ids = sorted(set(changed))
    e = SearchEntry
    entries = {row.opportunity_id: row for row in connection.execute(
        select(e.opportunity_id, e.nuts, e.isced, e.eqf, e.recognition, e.ects, e.price_eur,
               e.start_date).where(e.opportunity_id.in_(ids)))}  # fmt: skip
    added: dict[str, dict[str, list[int]]] = {}
    for n, facet, value in connection.execute(
        select(SearchValue.opportunity_id, SearchValue.facet, SearchValue.value)
        .where(SearchValue.opportunity_id.in_(ids))
    ):  # fmt: skip
        added.setdefault(facet, {}).setdefault(value, []).append(n)
    gone = BitMap(ids)
    values = {facet: _patch_map(found, gone, added.get(facet, {}))
              for facet, found in base.values.items()}  # fmt: skip
    for facet in added.keys() - values.keys():
        values[facet] = _patch_map({}, gone, added[facet])
    columns = {}
    for name, found in base.columns.items():
        new: dict[Any, list[int]] = {}
        for n, row in entries.items():
            new.setdefault(getattr(row, name), []).append(n)
        columns[name] = _patch_map(found, gone, new)
    ranges = {}
    for name, column in (("ects", "ects"), ("price", "price_eur"), ("start", "start_date")):
        pairs = [(getattr(row, column), n) for n, row in entries.items()
                 if getattr(row, column) is not None]  # fmt: skip
        ranges[name] = _patch_sorted(base.ranges[name], gone, pairs)
    everything = (base.everything - gone) | BitMap(entries)
    return Generation(seen, everything, values, columns, ranges)


def _patch_map(
    found: Mapping[Any, BitMap], gone: BitMap, added: Mapping[Any, list[int]]
) -> dict[Any, BitMap]:
    """A copy of ``found`` without the ids ``gone`` and with ``added``'s; a bitmap left empty
    is dropped (as a load would not have it)."""
    result = dict(found)
    for key, ids in found.items():
        if ids.intersect(gone) or key in added:
            patched_ids = ids - gone
            if patched_ids:
                result[key] = patched_ids
            else:
                del result[key]
    for key, new in added.items():
        result[key] = result.get(key, BitMap()) | BitMap(new)
    return result


def _patch_sorted(found: _Sorted, gone: BitMap, pairs: Sequence[tuple[Any, int]]) -> _Sorted:
    """A copy of a range column without the ids ``gone`` and with ``pairs`` in their place."""
    keys, ids = list(found.keys), list(found.ids)
    for n in gone:
        if n in found.members:
            i = ids.index(n)
            del keys[i]
            del ids[i]
    for key, n in sorted(pairs):
        i = bisect_left(keys, key)
        end = bisect_right(keys, key, lo=i)
        i = bisect_left(ids, n, lo=i, hi=end)  # equal keys are in id order
        keys.insert(i, key)
        ids.insert(i, n)
    return _Sorted(keys, ids, BitMap(ids))


def _sorted(pairs: Sequence[tuple[Any, int]]) -> _Sorted:
    ordered = sorted(pairs)
    ids = [n for _, n in ordered]
    return _Sorted([k for k, _ in ordered], ids, BitMap(ids))


def facet_counts(result: Result) -> Mapping[str, tuple[tuple[str, int], ...]]:
    """The counts in the order the search shows them: most first, then by value."""
    return {f: tuple(sorted(found, key=lambda i: (-i[1], i[0])))
            for f, found in result.facets.items()}  # fmt: skip
