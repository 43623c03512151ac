"""Events of a recognition case, one helper per step, at times one day apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from microcred.core.recognition import (
    CRITERIA,
    AuthenticityChecked,
    CriteriaAssessed,
    CriterionScore,
    Decided,
    Decision,
    DecisionIssued,
    FactsGathered,
    Submitted,
)

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
OFFICER = "officer@enic.example"
LEARNER = "did:example:ana"
AUTHORITY = "did:web:enic.example"


def day(n: int) -> datetime:
    return START + timedelta(days=n)


def submitted(language: str = "en") -> Submitted:
    return Submitted(LEARNER, day(0), LEARNER, AUTHORITY, ("mc-1", "mc-2"),
                     "admission to the MSc in Data Science", language)  # fmt: skip


def scores() -> CriteriaAssessed:
    marks = tuple(CriterionScore(c, "strong", f"{c} checked") for c in CRITERIA)
    return CriteriaAssessed(OFFICER, day(3), marks)


FULL = Decision("full", "Both micro-credentials are quality assured at EQF level 7.")
PARTIAL = Decision("partial", "Only one module matches.", ects_granted=Decimal(5),
                   outcomes_recognised=("Clean and validate data",))  # fmt: skip
REFUSED = Decision(
    "refused",
    "The learning outcomes differ.",
    substantial_differences=("No assessed statistics", "EQF level 4, not 7"),
)


def up_to_decision(decision: Decision = FULL) -> list[object]:
    return [
        submitted(),
        AuthenticityChecked(OFFICER, day(1), ("mc-1", "mc-2")),
        FactsGathered(OFFICER, day(2), ()),
        scores(),
        Decided(OFFICER, day(4), decision),
        DecisionIssued(OFFICER, day(5)),
    ]
