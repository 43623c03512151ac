"""Nested protection: every smaller table agrees with the margins of the larger ones."""

from itertools import combinations

from hypothesis import Phase, given, settings

from microcred.core.stats import TOTAL, Status, protect
from microcred.core.stats.nested import protect_nested
from tests.core.stats.test_privacy import _derivable, tables


def _sub(cells: dict[tuple[str, ...], int], kept: tuple[int, ...]) -> dict[tuple[str, ...], int]:
    """The smaller table of the dimensions ``kept`` (their positions): the cells' margins."""
    found: dict[tuple[str, ...], int] = {}
    for key, number in cells.items():
        small = tuple(key[i] for i in kept)
        found[small] = found.get(small, 0) + number
    return found


@settings(max_examples=40, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(tables)
def test_no_small_entry_is_shown_or_recoverable_and_smaller_tables_agree(data):
    size, cells = data
    names = [f"d{i}" for i in range(size)]
    table = protect_nested(cells, names)
    assert all(not 1 <= e.value <= 4 for e in table.entries.values() if e.shown)
    recovered = [k for k in _derivable(table) if table.entries[k].status is Status.PRIMARY]
    assert recovered == []
    for width in range(size):
        for kept in combinations(range(size), width):
            alone = protect_nested(_sub(cells, kept), [names[i] for i in kept])
            for key, entry in alone.entries.items():
                wide = tuple(dict(zip(kept, key, strict=True)).get(i, TOTAL) for i in range(size))
                assert table.entries[wide].status is entry.status


def test_a_total_shown_alone_does_not_open_the_larger_table():
    cells = {("RO", "2026-03"): 12, ("RO", "2026-04"): 3, ("FR", "2026-03"): 8}
    by_country = protect_nested(_sub(cells, (0,)), ["country"])
    assert by_country.entries[("RO",)].value == 15  # published by the smaller table
    both = protect_nested(cells, ["country", "period"])
    ro_march = both.entries[("RO", "2026-03")]
    assert ro_march.value is None  # else 15 - 12 would give the 3 of April
    assert both.entries[("RO", TOTAL)].value == 15


def test_without_smaller_tables_protect_is_unchanged():
    cells = {("RO", "f"): 3, ("RO", "m"): 10, ("FR", "f"): 12, ("FR", "m"): 7}
    assert (
        protect(cells, ["c", "g"]).published() == protect(cells, ["c", "g"], fixed={}).published()
    )
