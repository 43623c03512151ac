"""Any JSON given as rules is either read or refused with InvalidStackingRules; nothing else
escapes (an adapter turns that error into a 4xx or exit 2)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.errors import InvalidStackingRules
from microcred.core.stacking import parse_rules
from microcred.core.stacking.parse import NODE_TYPES
from microcred.core.stacking.parse_filter import FILTER_FIELDS
from tests.core.stacking.builders import rules

KEYS = st.sampled_from([*FILTER_FIELDS, "type", "children", "child", "k", "where", "opportunity",
                        "skills", "manual", "coverage", "function", "measure", "comparison",
                        "value", "ref", "label", "at_least", "scale", "scheme"])  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from([*NODE_TYPES, "sum", ">=", "ects", "NaN", "Infinity", "06", "1e999"]),
)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS | st.text(max_size=5), inner, max_size=5)),
    max_leaves=20)  # fmt: skip


def refusal(document: Any) -> InvalidStackingRules | None:
    """The refusal, or None when the rules were read (any other exception escapes)."""
    try:
        parse_rules(document)
    except InvalidStackingRules as error:
        return error
    return None


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_any_root_is_read_or_refused_with_a_named_problem(root: Any) -> None:
    error = refusal(rules(root))
    if error is not None:
        assert error.path.startswith(("root", "options", "$"))
        assert error.message.startswith(error.path)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS | st.text(max_size=5), JSON, max_size=6))
def test_any_document_is_read_or_refused_with_a_named_problem(document: Any) -> None:
    error = refusal(document)
    if error is not None:
        assert error.message.startswith(error.path)
