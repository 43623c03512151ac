"""The events of a recognition case; each names who did it and when."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcred.core.recognition.decisions import CriterionScore, Decision
from microcred.core.recognition.facts import CredentialFacts


@dataclass(frozen=True)
class Submitted:
    """A learner (or an institution for them) asks for recognition of credentials."""

    actor: str
    at: datetime
    applicant: str
    authority: str
    credentials: tuple[str, ...]
    purpose: str
    language: str = "en"


@dataclass(frozen=True)
class AuthenticityChecked:
    """The verifier's verdict on each credential (``failed`` lists those not verified) and its
    reports (``Report.to_dict()`` by credential), kept with the case."""

    actor: str
    at: datetime
    verified: tuple[str, ...]
    failed: tuple[str, ...] = ()
    reports: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class FactsGathered:
    actor: str
    at: datetime
    facts: tuple[CredentialFacts, ...]


@dataclass(frozen=True)
class ProposalMade:
    """An automatic recognition rule pre-filled a decision; a person must confirm it."""

    actor: str
    at: datetime
    rule: str
    decision: Decision


@dataclass(frozen=True)
class CriteriaAssessed:
    actor: str
    at: datetime
    scores: tuple[CriterionScore, ...]


@dataclass(frozen=True)
class Decided:
    """The officer's decision (``confirms`` names the automatic rule whose proposal it
    confirms, if any)."""

    actor: str
    at: datetime
    decision: Decision
    confirms: str | None = None


@dataclass(frozen=True)
class DecisionIssued:
    """The decision letter and decision credential went to the learner."""

    actor: str
    at: datetime


@dataclass(frozen=True)
class Appealed:
    """The learner appeals an issued decision: the case reopens for a new decision."""

    actor: str
    at: datetime
    grounds: str


@dataclass(frozen=True)
class Withdrawn:
    actor: str
    at: datetime
    reason: str = ""


Event = (
    Submitted | AuthenticityChecked | FactsGathered | ProposalMade | CriteriaAssessed | Decided
    | DecisionIssued | Appealed | Withdrawn
)  # fmt: skip
