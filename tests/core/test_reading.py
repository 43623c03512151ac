"""Reading bytes as JSON: one parser for every entry point, refusing what readers disagree on."""

from __future__ import annotations

import pytest

from microcred.core.errors import InputTooLarge, NotACredential
from microcred.core.formats.reading import check_depth, parse_json


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            '{"validUntil": "2030-01-01T00:00:00Z", "validUntil": "2020-01-01T00:00:00Z"}',
            "validUntil",
        ),
        ('{"issuer": {"id": "did:example:a", "id": "did:example:b"}}', "'id'"),
        ('[{"type": 1, "type": 2}]', "'type'"),
    ],
)
def test_a_key_written_twice_is_malformed_and_named(text: str, named: str) -> None:
    with pytest.raises(NotACredential, match="appears twice") as caught:
        parse_json(text)
    assert named in caught.value.message


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}'])
def test_nan_and_infinity_are_not_json(text: str) -> None:
    with pytest.raises(NotACredential, match="not JSON"):
        parse_json(text)


def test_the_same_key_in_two_objects_is_fine() -> None:
    assert parse_json('{"a": {"id": 1}, "b": {"id": 2}}') == {"a": {"id": 1}, "b": {"id": 2}}


@pytest.mark.parametrize(
    ("value", "limit", "refused"),
    [
        ({"a": 1}, 1, True),  # the value in the object is at level 2
        ({"a": 1}, 2, False),
        ({}, 1, False),  # nothing inside: level 1 only
        ([[[]]], 3, False),
        ([[[1]]], 3, True),
        ({"a": [{"b": "x"}]}, 3, True),
        ({"a": [{"b": "x"}]}, 4, False),
        ("text", 1, False),
    ],
)
def test_depth_counts_levels_of_what_is_held(value: object, limit: int, refused: bool) -> None:
    if refused:
        with pytest.raises(InputTooLarge, match=f"nested more than {limit} levels"):
            check_depth(value, limit)
    else:
        check_depth(value, limit)
