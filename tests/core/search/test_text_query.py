import pytest

from microcred.core.errors import InvalidSearchQuery
from microcred.core.search import fold, index_text, parse_search_query, terms
from microcred.core.search.query import Sort


def test_stems_inflections_together_in_each_language():
    assert terms("programare", "ro") == terms("programarea", "ro")
    assert terms("analyses", "fr") == terms("analyse", "fr")
    assert terms("Datenbanken", "de") == terms("Datenbank", "de")
    assert terms("programming", "en") == terms("programs", "en")


def test_accents_cedillas_and_case_do_not_matter():
    assert fold("Științe ştiinţe") == "stiinte stiinte"
    assert terms("DONNÉES", "fr") == terms("données", "fr")
    assert index_text("Științe", "ro") == index_text("ştiinţe", "ro")


def test_stop_words_are_dropped_per_language():
    assert terms("analyse de données", "fr") == terms("analyse données", "fr")
    assert "the" not in index_text("the data", "en").split()


def test_query_parses_filters_and_round_trips():
    query = parse_search_query(
        {
            "q": "data, literacy",
            "lang": "ro",
            "country": "ro,FR",
            "eqf": ["5", "6"],
            "ects_min": "2",
            "sort": "price",
            "order": "asc",
            "page": "2",
        }
    )
    assert query.text == "data, literacy"
    assert query.filters.country == ("RO", "FR")
    assert query.filters.eqf == (5, 6)
    assert query.sort is Sort.PRICE
    assert not query.descending
    assert parse_search_query(query.to_params()) == query


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"eqf": "9"}, "eqf", "1 to 8"),
        ({"page": "0"}, "page", "from 1"),
        ({"page": "400", "per_page": "100"}, "page", "narrow the search"),
        ({"ects_min": "5", "ects_max": "2"}, "ects_min", "greater than"),
        ({"starts_from": "2026-13-01"}, "starts_from", "YYYY-MM-DD"),
        ({"lang": "it"}, "lang", "en, fr, ro, de"),
        ({"colour": "red"}, "colour", "unknown parameter"),
        ({"country": "R O"}, "country", "not a code"),
        ({"price_max": "NaN"}, "price_max", "number"),
    ],
)
def test_bad_input_names_the_parameter(params, field, words):
    with pytest.raises(InvalidSearchQuery) as caught:
        parse_search_query(params)
    assert caught.value.field == field
    assert words in caught.value.message
    assert caught.value.code == "invalid-search-query"
