"""RFC 8785 JSON Canonicalization Scheme: the RFC's own examples plus round-trip properties."""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microcred.core.errors import InputTooLarge, NotACredential
from microcred.core.jcs import canonicalize, serialize_number

# RFC 8785 Appendix B: IEEE-754 bit patterns and their ES6 serialisations
APPENDIX_B = {
    "0000000000000000": "0",
    "8000000000000000": "0",
    "0000000000000001": "5e-324",
    "8000000000000001": "-5e-324",
    "7fefffffffffffff": "1.7976931348623157e+308",
    "ffefffffffffffff": "-1.7976931348623157e+308",
    "4340000000000000": "9007199254740992",
    "c340000000000000": "-9007199254740992",
    "4430000000000000": "295147905179352830000",
    "44b52d02c7e14af5": "9.999999999999997e+22",
    "44b52d02c7e14af6": "1e+23",
    "44b52d02c7e14af7": "1.0000000000000001e+23",
    "444b1ae4d6e2ef4e": "999999999999999700000",
    "444b1ae4d6e2ef4f": "999999999999999900000",
    "444b1ae4d6e2ef50": "1e+21",
    "3eb0c6f7a0b5ed8c": "9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d": "0.000001",
    "41b3de4355555553": "333333333.3333332",
    "41b3de4355555554": "333333333.33333325",
    "41b3de4355555555": "333333333.3333333",
    "41b3de4355555556": "333333333.3333334",
    "41b3de4355555557": "333333333.33333343",
    "becbf647612f3696": "-0.0000033333333333333333",
    "43143ff3c1cb0959": "1424953923781206.2",
}


@pytest.mark.parametrize(("bits", "expected"), APPENDIX_B.items())
def test_rfc8785_number_serialisation(bits: str, expected: str) -> None:
    (value,) = struct.unpack(">d", bytes.fromhex(bits))
    assert serialize_number(value) == expected


def test_rfc8785_section_3_2_4_example() -> None:
    text = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonicalize(json.loads(text)).decode("utf-8") == expected


def test_rfc8785_property_sorting_by_utf16_code_units() -> None:
    value = {"\u20ac": "Euro", "\r": "CR", "\ufb33": "Hebrew", "1": "One", "\U0001f600": "Smiley"}
    value |= {"\u0080": "Control", "\u00f6": "Latin"}
    keys = list(json.loads(canonicalize(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


@pytest.mark.parametrize("bad", [math.nan, math.inf, 10**400, {1: "x"}, b"bytes"])
def test_values_json_cannot_represent_are_refused(bad: Any) -> None:
    with pytest.raises(NotACredential):
        canonicalize([bad])


def test_deep_nesting_is_refused() -> None:
    value: Any = "leaf"
    for _ in range(100):
        value = [value]
    with pytest.raises(InputTooLarge):
        canonicalize(value)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(JSON)
def test_canonical_form_parses_back_and_is_stable(value: Any) -> None:
    text = canonicalize(value)
    parsed = json.loads(text)
    assert canonicalize(parsed) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_round_trip_exactly(value: float) -> None:
    assert float(serialize_number(value)) == value or value == 0


def test_big_integers_serialise_like_javascript_numbers() -> None:
    assert serialize_number(2**60 + 1) == "1152921504606847000"
    assert canonicalize([65317294906887370]) == b"[65317294906887370]"
