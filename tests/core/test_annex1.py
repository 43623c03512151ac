"""Annex I completeness and validation, named by element, on the native format."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from microcred.cli.describe import example_text
from microcred.core.annex1 import MANDATORY, check
from microcred.core.formats.detect import load_document
from microcred.core.formats.native import from_native, to_native
from microcred.core.model import MicroCredential, Workload

# Which native field carries each mandatory element.
FIELD_OF = {
    "learner": "learner",
    "title": "title",
    "issuer_countries": "issuer_countries",
    "awarding_bodies": "awarding_bodies",
    "issued": "issued",
    "learning_outcomes": "learning_outcomes",
    "workload": "workload",
    "eqf_level": "level",
    "assessment_type": "assessment_types",
    "participation_form": "participation",
    "quality_assurance": "quality_assurance",
}


@pytest.fixture
def example() -> dict[str, Any]:
    return dict(load_document(example_text().encode()))


def _problems(document: dict[str, Any]) -> list[str]:
    imported = from_native(document)
    report = check(imported.credential)
    return [str(p) for p in (*imported.problems, *report.problems)]


def test_the_bundled_example_is_complete_and_valid(example: dict[str, Any]) -> None:
    imported = from_native(example)
    assert imported.problems == ()
    assert check(imported.credential).complete


def test_there_are_eleven_mandatory_elements() -> None:
    assert len(MANDATORY) == 11
    assert set(FIELD_OF) == set(MANDATORY)


@pytest.mark.parametrize("key", MANDATORY)
def test_each_missing_mandatory_element_is_named(example: dict[str, Any], key: str) -> None:
    del example[FIELD_OF[key]]
    report = check(from_native(example).credential)
    assert report.missing == (key,)
    assert not report.complete


def test_a_learner_without_any_identification_is_missing(example: dict[str, Any]) -> None:
    example["learner"] = {"birth_date": "2000-01-01"}
    assert check(from_native(example).credential).missing == ("learner",)


def test_workload_needs_ects_or_hours(example: dict[str, Any]) -> None:
    example["workload"] = {}
    assert check(from_native(example).credential).missing == ("workload",)


@pytest.mark.parametrize(
    ("element", "path", "value"),
    [
        ("issuer_countries", ("issuer_countries", 0, "country", "id"), "urn:country:atlantis"),
        ("eqf_level", ("level", "eqf", "id"), "http://data.europa.eu/snb/eqf/9"),
        (
            "assessment_type",
            ("assessment_types", 0, "id"),
            "http://data.europa.eu/snb/assessment/x",
        ),
        ("participation_form", ("participation", "mode", "id"), "http://example.org/online"),
        ("quality_assurance", ("quality_assurance", 0, "type", "id"), "http://example.org/qa"),
        ("supervision", ("supervision", "id"), "http://data.europa.eu/snb/eqf/6"),
    ],
)
def test_unknown_concepts_are_named_by_element(
    example: dict[str, Any], element: str, path: tuple[Any, ...], value: str
) -> None:
    target: Any = example
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    problems = _problems(example)
    assert any(p.startswith(f"{element}: unknown concept {value!r}") for p in problems), problems


def test_a_region_outside_the_issuer_country_is_a_problem(example: dict[str, Any]) -> None:
    example["issuer_countries"][0]["region"] = {"id": "http://data.europa.eu/nuts/code/BE100"}
    assert any("region BE100 is not in Romania" in p for p in _problems(example))


@pytest.mark.parametrize(
    ("workload", "expected"),
    [
        ({"ects": -5}, "ECTS credits must be positive, not -5"),
        ({"ects": 0}, "ECTS credits must be positive"),
        ({"ects": 500}, "500 ECTS is more than a full year of study"),
        ({"hours": -1}, "hours must be positive"),
        ({"ects": 5, "hours": 2000}, "more than a full year"),
        ({"ects": 5, "hours": 4}, "hours per credit"),
        ({"ects": 5, "duration": "P60M"}, "duration 'P60M' is 60 months (about 43,830 hours)"),
        ({"ects": 5, "duration": "sixty hours"}, "'sixty hours' is not an ISO 8601 duration"),
    ],
)
def test_absurd_workloads_are_problems(
    example: dict[str, Any], workload: dict[str, Any], expected: str
) -> None:
    example["workload"] = workload
    problems = _problems(example)
    assert any(p.startswith("workload: ") and expected in p for p in problems), problems


def test_a_duration_in_hours_is_fine() -> None:
    report = check(MicroCredential(workload=Workload(hours=Decimal(60), duration="PT60H")))
    assert not [p for p in report.problems if p.element == "workload"]


def test_a_naive_datetime_is_a_problem(example: dict[str, Any]) -> None:
    example["issued"] = "2026-06-30T10:00:00"
    assert "issued: 2026-06-30T10:00:00 has no time zone; add 'Z' or an offset" in _problems(
        example
    )


def test_a_broken_field_is_reported_and_the_rest_kept(example: dict[str, Any]) -> None:
    example["title"] = {"english": "not a language tag"}
    example["workload"] = {"ects": "five"}
    imported = from_native(example)
    elements = {p.element for p in imported.problems}
    assert elements == {"title", "workload"}
    assert imported.credential.learner is not None
    assert check(imported.credential).missing == ("title", "workload")


def test_native_round_trip_is_lossless(example: dict[str, Any]) -> None:
    mc = from_native(example).credential
    assert from_native(to_native(mc)).credential == mc


def test_the_model_is_immutable(example: dict[str, Any]) -> None:
    mc = from_native(example).credential
    with pytest.raises(ValueError, match="frozen"):
        mc.title = {"en": "changed"}  # type: ignore[misc]
    assert mc.issued == datetime.fromisoformat("2026-06-30T10:00:00+00:00")
