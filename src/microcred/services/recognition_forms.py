"""The forms of recognition cases: a new case, the next event, a decision, a criterion's score
(what the API takes and the CLI and pages build)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from microcred.core.recognition import Decision
from microcred.services.bounds import RowId

EventType = Literal["authenticity-checked", "facts-gathered", "criteria-assessed", "decided",
                    "decision-issued", "appealed", "withdrawn"]  # fmt: skip
LANGUAGES = ("en", "fr", "ro", "de")


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    criterion: str = Field(
        max_length=40,
        description="quality, level, workload, "
        "learning_outcomes, assessment, identity_verification, relevance",
    )
    score: str = Field(max_length=20, description="strong, substantial, weak or none")
    comment: str = Field(max_length=2000)


class DecisionBody(BaseModel):
    """A recognition decision (docs/recognition.md): full, partial, alternative, conditional
    or refused, with its reasons and what it grants or requires."""

    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(
        max_length=20, description="full, partial, alternative, conditional or refused"
    )
    reasons: str = Field(max_length=5000)
    ects_granted: Decimal | None = Field(None, ge=0, le=1000)
    outcomes_recognised: list[str] = Field(default_factory=list, max_length=100)
    alternative: str | None = Field(None, max_length=2000)
    remaining: str | None = Field(None, max_length=2000)
    substantial_differences: list[str] = Field(default_factory=list, max_length=100)

    def core(self) -> Decision:
        return Decision(self.outcome,  # type: ignore[arg-type]  # checked by Decision itself
                        self.reasons, self.ects_granted, tuple(self.outcomes_recognised),
                        self.alternative, self.remaining,
                        tuple(self.substantial_differences))  # fmt: skip


class EventIn(BaseModel):
    """The next step of a case; each type reads its own fields (docs/recognition.md)."""

    model_config = ConfigDict(extra="forbid")
    type: EventType
    scores: list[ScoreIn] = Field(
        default_factory=list, max_length=20, description="criteria-assessed: all seven criteria"
    )
    decision: DecisionBody | None = Field(
        None, description="decided (may be left out when confirming a proposal)"
    )
    confirms: str | None = Field(
        None, max_length=100, description="decided: the automatic rule whose proposal it confirms"
    )
    grounds: str | None = Field(None, max_length=5000, description="appealed")
    reason: str | None = Field(None, max_length=5000, description="withdrawn")


class CaseIn(BaseModel):
    """A request for recognition of credentials, for a purpose."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    provider_id: RowId = Field(description="the authority (a provider) that decides")
    credentials: list[dict[str, Any] | str] = Field(min_length=1, max_length=50)
    applicant: str = Field(min_length=1, max_length=500, description="who asks (name or id)")
    purpose: str = Field(min_length=1, max_length=2000, description="e.g. admission to ...")
    language: Literal["en", "fr", "ro", "de"] = Field("en", description="the case's language")
