"""Age band and gender as learners declared them: the SDMX codes, and k = 5 over random
populations of declared learners (no cell under 5 shown, nor solvable from every table
published over country, age band and gender together)."""

from __future__ import annotations

import csv
import io
from itertools import combinations

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from microcred.core.stats import (
    AGE_BANDS,
    GENDERS,
    TOTAL,
    UNDECLARED,
    Status,
    protect_nested,
    to_sdmx_csv,
)
from tests.core.stats.test_nested import _sub
from tests.core.stats.test_privacy import _derivable

NAMES = ["country", "age_band", "gender"]
learners = st.lists(  # (country, age band, gender, credentials held): one declared learner each
    st.tuples(
        st.sampled_from(["RO", "FR"]),
        st.sampled_from([*AGE_BANDS[:2], UNDECLARED]),
        st.sampled_from([*GENDERS[:2], UNDECLARED]),
        st.integers(1, 7),
    ),
    min_size=1,
    max_size=8,
)


def _counts(population: list[tuple[str, str, str, int]]) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for country, band, gender, held in population:
        counts[(country, band, gender)] = counts.get((country, band, gender), 0) + held
    return counts


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(learners)
def test_no_declared_population_shows_or_reveals_a_cell_under_five(population) -> None:
    counts = _counts(population)
    table = protect_nested(counts, NAMES)
    assert all(not 1 <= e.value <= 4 for e in table.entries.values() if e.shown)
    # every shown entry of every table over fewer dimensions is one of this table's margins,
    # with the same status: the whole published system is this table's shown entries
    for width in (1, 2):
        for kept in combinations(range(3), width):
            alone = protect_nested(_sub(counts, kept), [NAMES[i] for i in kept])
            for key, entry in alone.entries.items():
                wide = tuple(dict(zip(kept, key, strict=True)).get(i, TOTAL) for i in range(3))
                assert table.entries[wide].status is entry.status
    small = [k for k in _derivable(table) if table.entries[k].status is Status.PRIMARY]
    assert small == []  # no withheld count from 1 to 4 solves out of the others


def test_sdmx_export_speaks_eurostat_age_and_sex_codes() -> None:
    counts = {("25-34", "F"): 6, ("65-plus", "M"): 7, (UNDECLARED, "other"): 9}
    text = to_sdmx_csv(protect_nested(counts, ["age_band", "gender"]), "issued")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"AGE", "SEX"} <= set(rows[0])
    assert {r["AGE"] for r in rows} == {"Y25-34", "Y_GE65", "_U", "_T"}
    assert {r["SEX"] for r in rows} == {"F", "M", "_O", "_T"}
