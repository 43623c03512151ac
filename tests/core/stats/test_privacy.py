import csv
import io
import json
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.errors import InvalidStatisticsQuery
from microcred.core.stats import (
    TOTAL,
    Status,
    age_band,
    bar_chart,
    line_chart,
    lines,
    parse_stats_query,
    period_of,
    protect,
    slice_table,
    to_csv,
    to_json,
    to_sdmx_csv,
)
from microcred.core.stats.privacy import _reduce

SVG = "{http://www.w3.org/2000/svg}"


def _derivable(table):
    """Withheld entries fixed by the shown ones: solve 'each line sums to its margin' exactly,
    independently of the implementation's own check (row space via a fresh elimination)."""
    withheld = sorted(k for k, e in table.entries.items() if not e.shown)
    found = []
    for target in withheld:
        rows = []
        for total, members in lines(table.entries, len(table.dimensions)):
            row = [Fraction(0)] * len(withheld)
            for key, sign in ((total, -1), *((m, 1) for m in members)):
                if key in withheld:
                    row[withheld.index(key)] += sign
            if any(row):
                rows.append(row)
        rank = len(_reduce([r[:] for r in rows], len(withheld)))
        unit = [Fraction(int(k == target)) for k in withheld]
        if len(_reduce([*[r[:] for r in rows], unit], len(withheld))) == rank:
            found.append(target)
    return found


tables = st.integers(1, 3).flatmap(
    lambda n: st.dictionaries(
        st.tuples(*[st.sampled_from("abc") for _ in range(n)]),
        st.integers(0, 12),
        min_size=1,
        max_size=12,
    ).map(lambda cells: (n, cells))
)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_no_published_entry_is_small_and_none_withheld_can_be_recovered(data):
    size, cells = data
    table = protect(cells, [f"d{i}" for i in range(size)])
    assert all(not 1 <= e.value <= 4 for e in table.entries.values() if e.shown)
    assert _derivable(table) == []
    lines_of = lines(table.entries, size)
    for total, members in lines_of:
        assert sum(not table.entries[k].shown for k in (*members, total)) != 1


def test_margins_and_secondary_suppression_on_a_two_by_two_table():
    table = protect(
        {("RO", "f"): 3, ("RO", "m"): 10, ("FR", "f"): 12, ("FR", "m"): 7}, ["country", "gender"]
    )
    status = {k: e.status for k, e in table.entries.items()}
    assert status[("RO", "f")] is Status.PRIMARY
    assert status[("RO", "m")] is Status.SECONDARY
    assert table.entries[(TOTAL, TOTAL)].value == 32
    assert _derivable(table) == []


def test_a_filter_is_a_slice_of_the_protected_table():
    cells = {("RO", "f"): 3, ("RO", "m"): 10, ("FR", "f"): 12, ("FR", "m"): 7}
    whole = protect(cells, ["country", "gender"])
    ro = slice_table(whole, {"country": ["RO"]})
    assert set(ro.entries) == {("RO", "f"), ("RO", "m"), ("RO", TOTAL)}
    assert ro.entries[("RO", "m")].value is None  # withheld as in the whole table


def test_exports_carry_no_withheld_value_and_flag_it():
    table = protect({("2026-Q1",): 3, ("2026-Q2",): 9, ("2026-Q3",): 11}, ["period"])
    rows = list(csv.DictReader(io.StringIO(to_sdmx_csv(table, "issued"))))
    q1 = next(r for r in rows if r["TIME_PERIOD"] == "2026-Q1")
    assert q1["OBS_VALUE"] == ""
    assert q1["OBS_STATUS"] == "C"
    assert q1["CONF_STATUS"] == "C"
    assert any(r["CONF_STATUS"] == "D" for r in rows)
    assert "3" not in {r["OBS_VALUE"] for r in rows}
    body = json.loads(to_json(table, "issued"))
    assert {r["value"] for r in body["rows"]} == {None, 11, 23}
    assert to_csv(table, "issued").splitlines()[0] == "period,measure,value,status"


def test_bar_chart_bars_match_the_data_and_withheld_ones_are_labelled():
    svg = ET.fromstring(
        bar_chart(
            "Issued by country",
            "Credentials issued in 2026",
            [("FR", 40), ("RO", 20), ("DE", None)],
        )
    )
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Issued by country"
    bars = svg.findall(f"{SVG}rect")
    assert [int(b.get("data-value")) for b in bars] == [40, 20]
    assert float(bars[0].get("height")) == pytest.approx(2 * float(bars[1].get("height")))
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"FR", "RO", "DE", "40", "20", "C"} <= set(labels)


def test_line_chart_breaks_at_withheld_points():
    svg = ET.fromstring(
        line_chart(
            "Per month",
            "Issued per month",
            [("01", 5), ("02", 8), ("03", None), ("04", 6), ("05", 9)],
        )
    )
    points = svg.findall(f"{SVG}circle")
    assert [int(p.get("data-value")) for p in points] == [5, 8, 6, 9]
    assert len(svg.findall(f"{SVG}polyline")) == 2


def test_query_validation_and_periods():
    query = parse_stats_query(
        {
            "measure": "issued",
            "dimensions": "country,period",
            "granularity": "quarter",
            "country": "RO",
        }
    )
    assert query.filters
    assert period_of(__import__("datetime").date(2026, 5, 3), query.granularity) == "2026-Q2"
    assert age_band(19) == "15-24"
    assert age_band(14) == "undeclared"  # no band is offered to children
    assert age_band(35) == "35-44"
    assert age_band(70) == "65-plus"
    assert age_band(None) == "undeclared"
    for params, field in [
        ({"measure": "sold", "dimensions": "country"}, "measure"),
        ({"measure": "issued", "dimensions": "a,b"}, "dimensions"),
        ({"measure": "published", "dimensions": "gender"}, "dimensions"),
        ({"measure": "issued", "dimensions": "eqf", "from": "2026-02-30"}, "from"),
    ]:
        with pytest.raises(InvalidStatisticsQuery) as caught:
            parse_stats_query(params)
        assert caught.value.field == field
