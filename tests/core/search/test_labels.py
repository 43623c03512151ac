"""Facet values are shown with their labels in the reader's language, never as bare ids."""

import pytest

from microcred.core.search.labels import facet_label


@pytest.mark.parametrize(
    ("facet", "value", "language", "shown"),
    [
        ("country", "FR", "ro", "Franța"),
        ("isced", "0613", "en", "0613 Software and applications development and analysis"),
        ("mode", "920fbb3cbe", "en", "Online"),
        ("provider_type", "higher-education", "de", "Hochschule"),
        ("recognition", "no", "fr", "sans politique de reconnaissance"),
        ("eqf", "6", "de", "EQF 6"),
        ("provider_type", "guild", "en", "guild"),
    ],
)
def test_a_facet_value_reads_as_its_label(
    facet: str, value: str, language: str, shown: str
) -> None:
    assert facet_label(facet, value, language) == shown
