"""A filter value its dimension can never take is refused by name, not answered with an empty
table (a reader who typed ``eqf=9`` or ``gender=female`` would otherwise read "no credentials")."""

from __future__ import annotations

import pytest

from microcred.core.errors import InvalidStatisticsQuery
from microcred.core.stats import parse_stats_query


@pytest.mark.parametrize(
    ("params", "named", "allowed"),
    [
        ({"gender": "Q"}, "gender", "F, M, other, undeclared"),
        ({"gender": "female"}, "gender", "F, M"),
        ({"age_band": "18-24"}, "age_band", "15-24"),
        ({"eqf": "99"}, "eqf", "1, 2, 3"),
        ({"eqf": "6,9"}, "eqf", "8, unknown"),
        ({"provider_type": "school"}, "provider_type", "higher-education, vet"),
        ({"country": "ro"}, "country", "two-letter country code"),
        ({"country": "ROU"}, "country", "two-letter country code"),
        ({"nuts": "RO-32"}, "nuts", "NUTS code"),
        ({"isced": "6a"}, "isced", "ISCED-F"),
        ({"period": "2026-03"}, "period", "a year such as 2026"),
        ({"period": "2026-13", "granularity": "month"}, "period", "a month"),
        ({"period": "2026-Q5", "granularity": "quarter"}, "period", "a quarter"),
    ],
)
def test_a_value_outside_its_list_is_refused_naming_the_parameter_and_what_it_takes(
    params: dict[str, str], named: str, allowed: str
) -> None:
    with pytest.raises(InvalidStatisticsQuery) as refused:
        parse_stats_query({"measure": "issued", "dimensions": "country", **params})
    assert refused.value.field == named
    assert str(refused.value).startswith(f"{named}: ")
    assert allowed in str(refused.value)


@pytest.mark.parametrize(
    "params",
    [
        {"gender": "F,undeclared"},
        {"age_band": "65-plus"},
        {"eqf": "4,unknown"},
        {"provider_type": "vet"},
        {"country": "EL,unknown"},
        {"nuts": "RO32"},
        {"isced": "0613"},
        {"mode": "online", "qa_type": "accreditation"},
        {"period": "2026-Q1", "granularity": "quarter"},
    ],
)
def test_values_the_tables_carry_are_kept_as_filters(params: dict[str, str]) -> None:
    query = parse_stats_query({"measure": "issued", "dimensions": "country", **params})
    assert {d.value for d in query.filters} == set(params) - {"granularity"}
