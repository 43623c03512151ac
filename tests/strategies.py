"""Hypothesis strategies for Annex I micro-credentials drawn from the packaged vocabularies.

``complete_credentials()`` yields complete, valid models (every mandatory and optional element);
``credentials_missing(key)`` yields complete ones minus one mandatory element
(a key of ``annex1.MANDATORY``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any

from hypothesis import strategies as st

from microcred.core.annex1 import MANDATORY
from microcred.core.coding import concept
from microcred.core.durations import hours_duration
from microcred.core.model import (
    ConceptRef,
    Grade,
    Identifier,
    Learner,
    LearningOutcome,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    Place,
    QualityAssurance,
    Stackability,
    StackTarget,
    Workload,
)
from microcred.core.vocab import vocabularies

LANGUAGES = ("en", "fr", "ro", "de")
_WORDS = (
    "data",
    "literacy",
    "cloud",
    "ethics",
    "skills",
    "design",
    "analyse",
    "green",
    "energy",
    "données",
    "éthique",
    "competențe",
    "învățare",
    "Fähigkeiten",
    "Lernen",
    "über",
    "ça",
)
_ZONES = (
    UTC,
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
)
_ESCO = "http://data.europa.eu/esco/skill/"


def concepts(scheme: str) -> st.SearchStrategy[ConceptRef]:
    """A concept of a packaged scheme, with its labels."""
    uris = sorted(c.uri for c in vocabularies().scheme(scheme))
    return st.sampled_from(uris).map(concept)


def texts() -> st.SearchStrategy[str]:
    """A short non-empty phrase with some non-ASCII letters."""
    return st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5).map(" ".join)


def lang_maps() -> st.SearchStrategy[dict[str, str]]:
    """A language map with 1-3 of en/fr/ro/de."""
    langs = st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True)
    return langs.flatmap(lambda ls: st.fixed_dictionaries({lang: texts() for lang in ls}))


def slugs() -> st.SearchStrategy[str]:
    return st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=3, max_size=12)


def urls(base: str = "https://example.org/") -> st.SearchStrategy[str]:
    return slugs().map(lambda s: f"{base}{s}")


def aware_datetimes() -> st.SearchStrategy[datetime]:
    """Whole-second datetimes with a time zone, 2020-2030."""
    naive = st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31))
    return st.builds(
        lambda d, z: d.replace(microsecond=0, tzinfo=z), naive, st.sampled_from(_ZONES)
    )


def learners() -> st.SearchStrategy[Learner]:
    """An identified learner: DID, names, e-mail, birth date and identifiers."""
    schemes = st.sampled_from(("national-id", "student-id", "sourcedId", "esi"))
    return st.builds(
        Learner,
        id=slugs().map(lambda s: f"did:example:{s}"),
        full_name=texts(),
        given_name=st.none() | texts(),
        family_name=st.none() | texts(),
        email=slugs().map(lambda s: f"{s}@example.org"),
        birth_date=st.none() | st.dates(date(1940, 1, 1), date(2010, 12, 31)),
        identifiers=st.lists(
            st.builds(Identifier, scheme=schemes, value=slugs()),
            max_size=2,
            unique_by=lambda i: i.scheme,
        ).map(tuple),
    )


@lru_cache(maxsize=1)
def _regions_by_country() -> dict[str, tuple[str, ...]]:
    """Country URI -> NUTS region URIs (levels 1-3) inside it."""
    vocab = vocabularies()
    by_code: dict[str, list[str]] = {}
    for region in vocab.scheme("nuts"):
        if region.notation and len(region.notation) > 2:
            code = {"EL": "GR", "UK": "GB"}.get(region.notation[:2], region.notation[:2])
            by_code.setdefault(code, []).append(region.uri)
    return {
        c.uri: tuple(sorted(by_code[c.notation]))
        for c in vocab.scheme("country")
        if c.notation in by_code
    }


def places() -> st.SearchStrategy[Place]:
    """A country with, sometimes, a NUTS region inside it."""
    table = _regions_by_country()

    def place(country: str) -> st.SearchStrategy[Place]:
        region = st.none() | st.sampled_from(table[country]).map(concept)
        return st.builds(Place, country=st.just(concept(country)), region=region)

    return st.sampled_from(sorted(table)).flatmap(place)


def organisations() -> st.SearchStrategy[Organisation]:
    schemes = st.sampled_from(("vat", "eidas", "erasmus", "deqar"))
    return st.builds(
        Organisation,
        id=urls("https://provider.example/").map(lambda u: u + "/profile"),
        name=lang_maps(),
        identifiers=st.lists(
            st.builds(Identifier, scheme=schemes, value=slugs()),
            max_size=3,
            unique_by=lambda i: i.scheme,
        ).map(tuple),
        homepage=st.none() | urls(),
        email=st.none() | slugs().map(lambda s: f"info@{s}.example"),
        logo=st.none() | urls("https://cdn.example/").map(lambda u: u + ".png"),
    )


def outcomes() -> st.SearchStrategy[LearningOutcome]:
    skills = st.lists(st.uuids().map(lambda u: f"{_ESCO}{u}"), max_size=3, unique=True).map(tuple)
    return st.builds(LearningOutcome, text=lang_maps(), skills=skills)


def workloads() -> st.SearchStrategy[Workload]:
    """Positive ECTS (multiples of 0.5, at most 60) with 25-30 hours per credit."""

    def build(half_credits: int, per_credit: int, with_duration: bool) -> Workload:
        ects = Decimal(half_credits) / 2
        hours = ects * per_credit
        duration = f"PT{format(hours.normalize(), 'f')}H" if with_duration else None
        return Workload(ects=ects, hours=hours, duration=duration)

    return st.builds(build, st.integers(1, 120), st.integers(25, 30), st.booleans())


def levels() -> st.SearchStrategy[Level]:
    """An EQF level, the matching QF-EHEA cycle for 5-8, and sometimes an NQF level."""
    vocab = vocabularies()
    cycles = {c.broader: c.uri for c in vocab.scheme("qf-ehea")}

    def build(eqf: ConceptRef, nqf: ConceptRef | None) -> Level:
        cycle = cycles.get(eqf.id)
        return Level(eqf=eqf, qf_ehea=concept(cycle) if cycle else None, nqf=nqf)

    return st.builds(build, concepts("eqf"), st.none() | concepts("nqf"))


def participations() -> st.SearchStrategy[Participation]:
    return st.builds(
        Participation,
        mode=concepts("learning-assessment"),
        setting=st.none() | concepts("learning-setting"),
        activity=st.none() | concepts("learning-activity"),
    )


def quality_assurances() -> st.SearchStrategy[QualityAssurance]:
    def build(qa_type: ConceptRef, start: date | None, days: int, **rest: Any) -> QualityAssurance:
        until = start + timedelta(days=days) if start and days else None
        return QualityAssurance(type=qa_type, valid_from=start, valid_until=until, **rest)

    return st.builds(
        build,
        qa_type=concepts("accreditation"),
        start=st.none() | st.dates(date(2015, 1, 1), date(2026, 1, 1)),
        days=st.integers(0, 3000),
        id=st.none() | urls("https://data.deqar.eu/report/"),
        agency=st.none() | lang_maps(),
        agency_id=st.none() | urls("https://data.deqar.eu/agency/"),
        decision=st.none() | lang_maps(),
        report=st.none() | urls("https://reports.example/").map(lambda u: u + ".pdf"),
    )


def stackabilities() -> st.SearchStrategy[Stackability]:
    target = st.builds(
        StackTarget, title=lang_maps(), id=st.none() | urls("https://programmes.example/")
    )
    stackable = st.lists(target, min_size=1, max_size=2).map(
        lambda ts: Stackability(kind="stackable", towards=tuple(ts))
    )
    return st.just(Stackability(kind="stand-alone")) | stackable


def _unique(scheme: str, max_size: int) -> st.SearchStrategy[tuple[ConceptRef, ...]]:
    found = st.lists(concepts(scheme), min_size=1, max_size=max_size, unique_by=lambda c: c.id)
    return found.map(tuple)


@st.composite
def complete_credentials(draw: st.DrawFn) -> MicroCredential:
    """A complete, valid micro-credential with every mandatory and optional Annex I element."""
    issued = draw(aware_datetimes())
    return MicroCredential(
        id=draw(st.uuids().map(lambda u: f"urn:uuid:{u}")),
        learner=draw(learners()),
        title=draw(lang_maps()),
        description=draw(st.none() | lang_maps()),
        issuer_countries=tuple(
            draw(st.lists(places(), min_size=1, max_size=2, unique_by=lambda p: p.country.id))
        ),
        awarding_bodies=tuple(
            draw(st.lists(organisations(), min_size=1, max_size=2, unique_by=lambda o: o.id))
        ),
        issued=issued,
        valid_until=draw(
            st.none() | st.integers(1, 3650).map(lambda d: issued + timedelta(days=d))
        ),
        learning_outcomes=tuple(draw(st.lists(outcomes(), min_size=1, max_size=4))),
        workload=draw(workloads()),
        level=draw(levels()),
        assessment_types=draw(_unique("assessment", 3)),
        participation=draw(participations()),
        quality_assurance=tuple(draw(st.lists(quality_assurances(), min_size=1, max_size=2))),
        prerequisites=draw(lang_maps()),
        supervision=draw(concepts("supervision")),
        grade=draw(
            st.builds(
                Grade,
                value=st.sampled_from(("A", "B+", "9/10", "passed", "17.5")),
                scheme=st.none() | lang_maps(),
            )
        ),
        stackability=draw(stackabilities()),
        further_information=draw(lang_maps()),
        field_of_study=draw(concepts("isced-f")),
        languages=draw(_unique("language", 2)),
    )


# Model fields that carry each mandatory element (and their emptied value).
_EMPTIED: dict[str, dict[str, Any]] = {
    "learner": {"learner": None},
    "title": {"title": None},
    "issuer_countries": {"issuer_countries": ()},
    "awarding_bodies": {"awarding_bodies": ()},
    "issued": {"issued": None, "valid_until": None},
    "learning_outcomes": {"learning_outcomes": ()},
    "workload": {"workload": None},
    "eqf_level": {"level": None},
    "assessment_type": {"assessment_types": ()},
    "participation_form": {"participation": None},
    "quality_assurance": {"quality_assurance": ()},
}
assert set(_EMPTIED) == set(MANDATORY)


def credentials_missing(key: str) -> st.SearchStrategy[MicroCredential]:
    """Complete credentials minus the mandatory element ``key`` (an ``annex1.MANDATORY`` key)."""
    if key not in _EMPTIED:
        raise ValueError(f"{key!r} is not a mandatory Annex I element: {MANDATORY}")
    return complete_credentials().map(lambda mc: mc.model_copy(update=_EMPTIED[key]))


def canonical(mc: MicroCredential) -> MicroCredential:
    """``PT60H`` next to 60 hours says nothing more: ELM carries one volume of learning."""
    wl = mc.workload
    if wl is not None and wl.hours is not None and wl.duration == hours_duration(wl.hours):
        return mc.model_copy(update={"workload": wl.model_copy(update={"duration": None})})
    return mc
