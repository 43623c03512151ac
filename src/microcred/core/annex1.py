"""Annex I completeness and validity: what is missing and what is wrong, named by element."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from microcred.core.durations import describe_calendar, parse_duration
from microcred.core.model import ConceptRef, MicroCredential, Workload
from microcred.core.vocab import Vocabularies, vocabularies
from microcred.core.vocab.loaders import EXTENDED_BY

MANDATORY: tuple[str, ...] = (
    "learner",
    "title",
    "issuer_countries",
    "awarding_bodies",
    "issued",
    "learning_outcomes",
    "workload",
    "eqf_level",
    "assessment_type",
    "participation_form",
    "quality_assurance",
)
OPTIONAL: tuple[str, ...] = (
    "qf_ehea_cycle",
    "prerequisites",
    "supervision",
    "grade",
    "stackability",
    "further_information",
)
MAX_ECTS = Decimal(60)  # a full year of study: beyond it, not a micro-credential (DEQAR's rule)
MAX_HOURS = Decimal(1800)  # 60 ECTS x 30 hours
HOURS_PER_ECTS = (Decimal(10), Decimal(60))  # generous bounds around the ECTS Users' Guide 25-30


@dataclass(frozen=True)
class Problem:
    """Something wrong with one element, in words a person understands."""

    element: str
    message: str

    def __str__(self) -> str:
        return f"{self.element}: {self.message}"


@dataclass(frozen=True)
class Annex1Report:
    """Missing mandatory elements (by key) and problems (by element)."""

    missing: tuple[str, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing and not self.problems


def present_elements(mc: MicroCredential) -> dict[str, bool]:
    """Which mandatory elements the credential carries."""
    return {
        "learner": mc.learner is not None and mc.learner.is_identified,
        "title": mc.title is not None,
        "issuer_countries": bool(mc.issuer_countries),
        "awarding_bodies": bool(mc.awarding_bodies),
        "issued": mc.issued is not None,
        "learning_outcomes": bool(mc.learning_outcomes),
        "workload": mc.workload is not None
        and (mc.workload.ects is not None or mc.workload.hours is not None),
        "eqf_level": mc.level is not None and mc.level.eqf is not None,
        "assessment_type": bool(mc.assessment_types),
        "participation_form": mc.participation is not None,
        "quality_assurance": bool(mc.quality_assurance),
    }


def missing_mandatory(mc: MicroCredential) -> tuple[str, ...]:
    """Keys of the mandatory Annex I elements the credential lacks, in Annex I order."""
    present = present_elements(mc)
    return tuple(key for key in MANDATORY if not present[key])


def check(mc: MicroCredential, vocab: Vocabularies | None = None) -> Annex1Report:
    """Completeness and validity of a micro-credential against Annex I."""
    vocab = vocab or vocabularies()
    return Annex1Report(missing_mandatory(mc), tuple(problems(mc, vocab)))


def problems(mc: MicroCredential, vocab: Vocabularies) -> Iterator[Problem]:
    """Every problem with the elements present."""
    yield from _concept_problems(mc, vocab)
    if mc.workload is not None:
        yield from workload_problems(mc.workload)
    yield from _date_problems(mc)
    if mc.stackability and mc.stackability.kind == "stackable" and not mc.stackability.towards:
        yield Problem("stackability", "stackable, but towards no named credential")


def _coded(mc: MicroCredential) -> Iterator[tuple[str, str, ConceptRef]]:
    """(element, expected scheme, concept) for every coded field."""
    for place in mc.issuer_countries:
        yield "issuer_countries", "country", place.country
        if place.region is not None:
            yield "issuer_countries", "nuts", place.region
    yield from _level_codes(mc)
    for ref in mc.assessment_types:
        yield "assessment_type", "assessment", ref
    yield from _participation_codes(mc)
    for qa in mc.quality_assurance:
        yield "quality_assurance", "accreditation", qa.type
    if mc.supervision is not None:
        yield "supervision", "supervision", mc.supervision
    if mc.field_of_study is not None:
        yield "field_of_study", "isced-f", mc.field_of_study
    for ref in mc.languages:
        yield "languages", "language", ref


def _level_codes(mc: MicroCredential) -> Iterator[tuple[str, str, ConceptRef]]:
    if mc.level is None:
        return
    for scheme, ref, element in (
        ("eqf", mc.level.eqf, "eqf_level"),
        ("qf-ehea", mc.level.qf_ehea, "qf_ehea_cycle"),
        ("nqf", mc.level.nqf, "eqf_level"),
    ):
        if ref is not None:
            yield element, scheme, ref


def _participation_codes(mc: MicroCredential) -> Iterator[tuple[str, str, ConceptRef]]:
    if mc.participation is None:
        return
    yield "participation_form", "learning-assessment", mc.participation.mode
    for scheme, opt in (
        ("learning-setting", mc.participation.setting),
        ("learning-activity", mc.participation.activity),
    ):
        if opt is not None:
            yield "participation_form", scheme, opt


def _concept_problems(mc: MicroCredential, vocab: Vocabularies) -> Iterator[Problem]:
    for element, scheme, ref in _coded(mc):
        extension = EXTENDED_BY.get(scheme)
        if extension is not None and ref.id in vocab.scheme(extension):
            continue
        if ref.id not in vocab.scheme(scheme):
            title = vocab.scheme(scheme).title
            yield Problem(
                element,
                f"unknown concept {ref.id!r} (expected one from {title}: "
                f"{vocab.scheme(scheme).uri})",
            )
    for place in mc.issuer_countries:
        yield from _region_problems(place.country, place.region, vocab)
    if mc.level and mc.level.eqf and mc.level.qf_ehea:
        cycle = vocab.concept("qf-ehea", mc.level.qf_ehea.id)
        if cycle is not None and cycle.broader != mc.level.eqf.id:
            yield Problem(
                "qf_ehea_cycle",
                f"the {cycle.labels['en']} corresponds to "
                f"{cycle.broader}, not to EQF {mc.level.eqf.id}",
            )


def _region_problems(
    country: ConceptRef, region: ConceptRef | None, vocab: Vocabularies
) -> Iterator[Problem]:
    found_country = vocab.concept("country", country.id)
    found_region = vocab.concept("nuts", region.id) if region else None
    if found_country is None or found_region is None or found_region.notation is None:
        return
    prefix = found_region.notation[:2]
    iso = {"EL": "GR", "UK": "GB"}.get(prefix, prefix)
    if iso != found_country.notation:
        yield Problem(
            "issuer_countries",
            f"region {found_region.notation} is not in {found_country.labels['en']}",
        )


def workload_problems(workload: Workload) -> Iterator[Problem]:
    """Negative or absurd ECTS or hours, calendar durations, ECTS and hours that disagree."""
    if workload.ects is not None:
        if workload.ects <= 0:
            yield Problem("workload", f"ECTS credits must be positive, not {workload.ects}")
        elif workload.ects > MAX_ECTS:
            yield Problem(
                "workload",
                f"{workload.ects} ECTS is more than a full year of study "
                f"({MAX_ECTS}): not a micro-credential",
            )
    if workload.duration is not None:
        yield from _duration_problems(workload.duration)
    if workload.hours is not None:
        if workload.hours <= 0:
            yield Problem("workload", f"hours must be positive, not {workload.hours}")
        elif workload.hours > MAX_HOURS:
            yield Problem("workload", f"{workload.hours} hours is more than a full year of study")
    if workload.ects and workload.hours and workload.ects > 0 and workload.hours > 0:
        ratio = workload.hours / workload.ects
        if not HOURS_PER_ECTS[0] <= ratio <= HOURS_PER_ECTS[1]:
            yield Problem(
                "workload",
                f"{workload.hours} hours for {workload.ects} ECTS is "
                f"{ratio:.0f} hours per credit; one ECTS is 25-30 hours",
            )


def _duration_problems(text: str) -> Iterator[Problem]:
    duration = parse_duration(text)
    if duration is None:
        yield Problem("workload", f"{text!r} is not an ISO 8601 duration such as 'PT60H'")
    elif duration.calendar_parts:
        yield Problem(
            "workload",
            f"duration {text!r} is {describe_calendar(duration)} "
            f"(about {duration.hours:,.0f} hours), not hours of work; "
            f"write e.g. 'PT60H' for 60 hours",
        )


def _date_problems(mc: MicroCredential) -> Iterator[Problem]:
    for element, value in (("issued", mc.issued), ("valid_until", mc.valid_until)):
        if isinstance(value, datetime) and value.tzinfo is None:
            yield Problem(element, f"{value.isoformat()} has no time zone; add 'Z' or an offset")
    issued, until = mc.issued, mc.valid_until
    if issued and until and _comparable(issued, until) and until <= issued:
        yield Problem("valid_until", "ends before the credential was issued")
    for qa in mc.quality_assurance:
        if qa.valid_from and qa.valid_until and qa.valid_until < qa.valid_from:
            yield Problem("quality_assurance", "the QA decision ends before it starts")


def _comparable(a: datetime, b: datetime) -> bool:
    return (a.tzinfo is None) == (b.tzinfo is None)
