"""What is still missing after an evaluation, as catalogue filters, skills and named opportunities
a learner can act on."""

from __future__ import annotations

from microcred.core.stacking import evaluate, parse_rules
from microcred.core.stacking.gaps import gaps
from tests.core.stacking.builders import HOME, NOW, PROGRAMMING, credential

STATISTICS_COURSE = "https://uni.example/opportunities/statistics"
RULES = parse_rules({
    "id": "https://uni.example/rules/ds", "version": "1", "title": {"en": "Data science"},
    "options": {"home_providers": [HOME]},
    "root": {"type": "all_of", "children": [
        {"type": "component", "opportunity": STATISTICS_COURSE},
        {"type": "aggregate", "label": "ICT credit", "function": "sum", "measure": "ects",
         "comparison": ">=", "value": 10,
         "where": {"isced": ["06"], "eqf_min": 6, "provider_types": ["higher-education"]}},
        {"type": "component", "skills": [PROGRAMMING]},
        {"type": "component", "manual": {"en": "Interview"}},
        {"type": "not", "child": {"type": "component", "where": {"isced": ["0421"]}}},
    ]},
})  # fmt: skip


def test_each_unmet_part_says_how_to_find_what_fills_it() -> None:
    result = evaluate(RULES, [credential("a", ects=5)], NOW)
    found = {gap.path: gap for gap in gaps(RULES, result.trace.to_dict())}
    assert set(found) == {"root.children[0]", "root.children[1]", "root.children[2]",
                          "root.children[3]"}  # fmt: skip
    assert found["root.children[0]"].opportunities == (STATISTICS_COURSE,)
    ict = found["root.children[1]"]
    assert ict.search == {"isced": ("06",), "eqf": ("6", "7", "8"),
                          "provider_type": ("higher-education",)}  # fmt: skip
    assert ict.missing == "sum of ects is 5; needs >= 10"
    assert found["root.children[2]"].skills == (PROGRAMMING,)
    assert found["root.children[3]"].manual


def test_met_parts_leave_no_gap() -> None:
    wallet = [credential("a", ects=5), credential("b", ects=5)]
    result = evaluate(RULES, wallet, NOW)
    assert "root.children[1]" not in {gap.path for gap in gaps(RULES, result.trace.to_dict())}
