"""The recognition case as a state machine over audited events.

    submitted -> authenticity-checked -> facts-gathered -> criteria-assessed -> decided
      -> decision-issued (final) -> [appeal] -> appealed -> criteria-assessed -> decided -> ...

A decision may be revised until it is issued. Decision-issued and withdrawn are final: nothing
leaves them except an appeal of an issued decision. Every event is kept in the audit trail with
its actor and time; events may not go back in time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from microcred.core.errors import InvalidCaseEvent, InvalidTransition
from microcred.core.recognition.decisions import CriterionScore, Decision, check_scores
from microcred.core.recognition.events import (
    Appealed,
    AuthenticityChecked,
    CriteriaAssessed,
    Decided,
    DecisionIssued,
    Event,
    FactsGathered,
    ProposalMade,
    Submitted,
    Withdrawn,
)
from microcred.core.recognition.facts import CredentialFacts


class State(StrEnum):
    SUBMITTED = "submitted"
    AUTHENTICITY_CHECKED = "authenticity-checked"
    FACTS_GATHERED = "facts-gathered"
    CRITERIA_ASSESSED = "criteria-assessed"
    DECIDED = "decided"
    DECISION_ISSUED = "decision-issued"
    APPEALED = "appealed"
    WITHDRAWN = "withdrawn"


FINAL = frozenset({State.DECISION_ISSUED, State.WITHDRAWN})
OPEN = frozenset(State) - FINAL
# Which event moves a case from which states, and where to.
TRANSITIONS: dict[type, tuple[frozenset[State], State | None]] = {
    AuthenticityChecked: (frozenset({State.SUBMITTED}), State.AUTHENTICITY_CHECKED),
    FactsGathered: (frozenset({State.AUTHENTICITY_CHECKED}), State.FACTS_GATHERED),
    ProposalMade: (frozenset({State.FACTS_GATHERED, State.CRITERIA_ASSESSED}), None),
    CriteriaAssessed: (frozenset({State.FACTS_GATHERED, State.APPEALED}), State.CRITERIA_ASSESSED),
    Decided: (frozenset({State.CRITERIA_ASSESSED, State.DECIDED}), State.DECIDED),
    DecisionIssued: (frozenset({State.DECIDED}), State.DECISION_ISSUED),
    Appealed: (frozenset({State.DECISION_ISSUED}), State.APPEALED),
    Withdrawn: (OPEN, State.WITHDRAWN),
}

EVENT_NAMES: dict[type, str] = {
    AuthenticityChecked: "authenticity-checked", FactsGathered: "facts-gathered",
    ProposalMade: "proposal-made", CriteriaAssessed: "criteria-assessed", Decided: "decided",
    DecisionIssued: "decision-issued", Appealed: "appealed", Withdrawn: "withdrawn",
}  # fmt: skip


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    event: str
    state: State


@dataclass(frozen=True)
class Case:
    """A recognition case as its events left it."""

    id: str
    submission: Submitted
    state: State = State.SUBMITTED
    verified: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    reports: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    facts: tuple[CredentialFacts, ...] = ()
    proposal: ProposalMade | None = None
    scores: tuple[CriterionScore, ...] = ()
    decision: Decided | None = None
    issued: tuple[Decided, ...] = ()  # every issued decision, first to last
    issued_at: tuple[datetime, ...] = ()
    appeals: tuple[Appealed, ...] = ()
    audit: tuple[AuditEntry, ...] = ()

    @property
    def final(self) -> bool:
        return self.state in FINAL

    @property
    def time_to_decision(self) -> timedelta | None:
        """From submission to the first issued decision (None while none is issued)."""
        return self.issued_at[0] - self.submission.at if self.issued_at else None

    @property
    def last_event_at(self) -> datetime:
        return self.audit[-1].at


def open_case(case_id: str, event: Submitted) -> Case:
    """A new case from its submission."""
    if event.at.tzinfo is None:
        raise InvalidCaseEvent("event times need a time zone")
    if not event.credentials:
        raise InvalidCaseEvent("a recognition case names at least one credential")
    if not event.purpose.strip():
        raise InvalidCaseEvent("a recognition case states its purpose")
    entry = AuditEntry(event.at, event.actor, "submitted", State.SUBMITTED)
    return Case(case_id, event, audit=(entry,))


def apply(case: Case, event: Event) -> Case:
    """The case after ``event``; :class:`InvalidTransition` when the case cannot take it."""
    if isinstance(event, Submitted):
        raise InvalidTransition(f"case {case.id} is already submitted")
    allowed, target = TRANSITIONS[type(event)]
    if case.state not in allowed:
        name = _name(event)
        if case.final:
            raise InvalidTransition(f"case {case.id} is closed ({case.state}); only an appeal of "
                                    f"an issued decision reopens it, not {name}")  # fmt: skip
        raise InvalidTransition(f"case {case.id} is {case.state}; {name} is not possible now")
    if event.at.tzinfo is None:
        raise InvalidCaseEvent("event times need a time zone")
    if event.at < case.last_event_at:
        raise InvalidCaseEvent(f"{_name(event)} is dated before the case's last event")
    changed = _effect(case, event)
    state = target or case.state
    entry = AuditEntry(event.at, event.actor, _name(event), state)
    return replace(changed, state=state, audit=(*case.audit, entry))


def _effect(case: Case, event: Event) -> Case:
    if isinstance(event, AuthenticityChecked):
        named = {*event.verified, *event.failed, *event.reports}
        unknown = named - set(case.submission.credentials)
        if unknown:
            raise InvalidCaseEvent(f"not credentials of this case: {', '.join(sorted(unknown))}")
        unchecked = set(case.submission.credentials) - {*event.verified, *event.failed}
        if unchecked:
            raise InvalidCaseEvent(f"no verdict for: {', '.join(sorted(unchecked))}")
        return replace(case, verified=event.verified, failed=event.failed,
                       reports=dict(event.reports))  # fmt: skip
    if isinstance(event, FactsGathered):
        return replace(case, facts=event.facts)
    if isinstance(event, ProposalMade):
        return replace(case, proposal=event)
    if isinstance(event, CriteriaAssessed):
        check_scores(event.scores)
        return replace(case, scores=event.scores)
    if isinstance(event, Decided):
        if event.confirms is not None and (case.proposal is None or
                                           case.proposal.rule != event.confirms):  # fmt: skip
            raise InvalidCaseEvent(f"no proposal from rule {event.confirms!r} to confirm")
        return replace(case, decision=event)
    if isinstance(event, DecisionIssued):
        assert case.decision is not None  # the transition table allows it only when decided
        return replace(case, issued=(*case.issued, case.decision),
                       issued_at=(*case.issued_at, event.at))  # fmt: skip
    if isinstance(event, Appealed):
        if not event.grounds.strip():
            raise InvalidCaseEvent("an appeal states its grounds")
        return replace(case, appeals=(*case.appeals, event), decision=None, proposal=None)
    return case


def _name(event: Event) -> str:
    return EVENT_NAMES[type(event)]


def replay(case_id: str, events: Iterable[Event]) -> Case:
    """The case built from its stored events, first to last."""
    items = iter(events)
    first = next(items, None)
    if not isinstance(first, Submitted):
        raise InvalidCaseEvent("a case's first event is its submission")
    case = open_case(case_id, first)
    for event in items:
        case = apply(case, event)
    return case


def current_decision(case: Case) -> Decision | None:
    """The decision in force: the last issued one (None before any is issued)."""
    return case.issued[-1].decision if case.issued else None
