"""The events of a validation case, and the checks on their content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from microcred.core.errors import InvalidCaseEvent
from microcred.core.validation.evidence import Evidence
from microcred.core.vocab import vocabularies

ESCO_SKILL = "http://data.europa.eu/esco/skill/"


@dataclass(frozen=True)
class ClaimedOutcome:
    """A learning outcome the candidate claims, mapped to ESCO skills and/or to an outcome of a
    catalogue opportunity (``opportunity_outcome``: its id)."""

    id: str
    text: dict[str, str]
    skills: tuple[str, ...] = ()
    opportunity_outcome: str | None = None


@dataclass(frozen=True)
class Identified:
    actor: str
    at: datetime
    candidate: str
    claims: tuple[ClaimedOutcome, ...]


@dataclass(frozen=True)
class Documented:
    actor: str
    at: datetime
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class OutcomeResult:
    outcome: str
    met: bool
    comment: str = ""


@dataclass(frozen=True)
class Assessed:
    """The assessment: its ``method`` (a concept of the assessment vocabulary) and one result
    per claimed outcome."""

    actor: str
    at: datetime
    method: str
    results: tuple[OutcomeResult, ...]


@dataclass(frozen=True)
class Certified:
    actor: str
    at: datetime


@dataclass(frozen=True)
class Closed:
    actor: str
    at: datetime
    reason: str = ""


ValidationEvent = Identified | Documented | Assessed | Certified | Closed


def check_claims(claims: tuple[ClaimedOutcome, ...]) -> None:
    """At least one claim; unique ids; a text; ESCO skills by their URIs."""
    if not claims:
        raise InvalidCaseEvent("identification names at least one claimed learning outcome")
    ids = [claim.id for claim in claims]
    if len(set(ids)) != len(ids) or not all(ids):
        raise InvalidCaseEvent("each claimed outcome has its own non-empty id")
    for claim in claims:
        if not claim.text or not all(text.strip() for text in claim.text.values()):
            raise InvalidCaseEvent(f"claimed outcome {claim.id}: the text is empty")
        for skill in claim.skills:
            if not skill.startswith(ESCO_SKILL):
                raise InvalidCaseEvent(f"claimed outcome {claim.id}: {skill!r} is not an ESCO "
                                       "skill URI")  # fmt: skip


def check_assessment(event: Assessed, claims: set[str]) -> None:
    """A method from the assessment vocabulary, and one result for each claimed outcome."""
    if event.method not in vocabularies().scheme("assessment"):
        raise InvalidCaseEvent(f"assessment method {event.method!r} is not a concept of the "
                               "assessment vocabulary")  # fmt: skip
    seen = [result.outcome for result in event.results]
    unknown = set(seen) - claims
    if unknown:
        raise InvalidCaseEvent(f"results for outcomes not claimed: {', '.join(sorted(unknown))}")
    twice = sorted({o for o in seen if seen.count(o) > 1})
    if twice:
        raise InvalidCaseEvent(f"more than one result for: {', '.join(twice)}")
    missing = sorted(claims - set(seen))
    if missing:
        raise InvalidCaseEvent(f"no result for claimed outcomes: {', '.join(missing)}")
