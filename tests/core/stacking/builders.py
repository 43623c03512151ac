"""Small credentials for stacking tests: each built from a few facts, the rest filled in."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from microcred.core.coding import concept
from microcred.core.model import (
    Grade,
    LearningOutcome,
    Level,
    MicroCredential,
    Organisation,
    Place,
    QualityAssurance,
    Workload,
)
from microcred.core.stacking import HeldCredential

NOW = datetime(2026, 6, 1, tzinfo=UTC)
HOME = "did:web:uni.example"
OTHER = "did:web:mooc.example"
EQF = "http://data.europa.eu/snb/eqf/{}"
ISCED = "http://data.europa.eu/snb/isced-f/{}"
PROGRAMME_QA = "http://data.europa.eu/snb/accreditation/820101cba6"
WRITTEN_EXAM = "http://data.europa.eu/snb/assessment/6e6cb2cc78"
ONSITE_ID = "https://w3id.org/microcred/vocab/supervision/supervised-onsite-id-verification"
UNSUPERVISED = "https://w3id.org/microcred/vocab/supervision/unsupervised-no-id-verification"
ESCO = "http://data.europa.eu/esco/skill/"
PROGRAMMING = f"{ESCO}21d2f96d-35f7-4e3f-9745-c533d2dd6e97"
BIG_DATA = f"{ESCO}47a49cd6-097d-457a-9f7b-c290c14930d5"
STATISTICS = f"{ESCO}382c11ed-20d5-4ae7-b60e-15fec527fa6c"
ROMANIA = "http://publications.europa.eu/resource/authority/country/ROU"


def credential(
    key: str,
    *,
    ects: int | str = 5,
    eqf: int | None = 6,
    isced: str | None = "0613",
    provider: str = HOME,
    issued: datetime = datetime(2025, 3, 1, tzinfo=UTC),
    skills: tuple[str, ...] = (),
    qa_until: date | None = None,
    grade: str | None = None,
    supervision: str | None = ONSITE_ID,
    status: Any = "active",
    verified: bool = True,
    valid_until: datetime | None = None,
    opportunity: str | None = None,
    provider_type: str | None = "higher-education",
) -> HeldCredential:
    """A held credential with these facts (everything else plain and valid)."""
    mc = MicroCredential(
        id=f"urn:uuid:{key}",
        title={"en": f"Course {key}"},
        awarding_bodies=(Organisation(id=provider, name={"en": provider}),),
        issuer_countries=(Place(country=concept(ROMANIA)),),
        issued=issued,
        valid_until=valid_until,
        learning_outcomes=(LearningOutcome(text={"en": "Does things"}, skills=skills),),
        workload=Workload(ects=Decimal(str(ects))),
        level=Level(eqf=concept(EQF.format(eqf))) if eqf else None,
        field_of_study=concept(ISCED.format(isced)) if isced else None,
        assessment_types=(concept(WRITTEN_EXAM),),
        quality_assurance=(QualityAssurance(type=concept(PROGRAMME_QA), valid_until=qa_until),),
        supervision=concept(supervision) if supervision else None,
        grade=Grade(value=grade, scheme={"en": "ECTS grading scale"}) if grade else None,
    )
    return HeldCredential(key, mc, status=status, verified=verified, opportunity=opportunity,
                          provider_type=provider_type)  # fmt: skip


def rules(root: dict[str, Any], **options: Any) -> dict[str, Any]:
    """A rule set document around ``root``."""
    return {
        "id": "https://uni.example/rules/data-science",
        "version": "1",
        "title": {"en": "Certificate in data science"},
        "options": {"home_providers": [HOME], **options},
        "root": root,
    }


def component(**where: Any) -> dict[str, Any]:
    return {"type": "component", "where": where}


def ects_total(value: int, **where: Any) -> dict[str, Any]:
    return {"type": "aggregate", "function": "sum", "measure": "ects", "comparison": ">=",
            "value": value, "where": where}  # fmt: skip
