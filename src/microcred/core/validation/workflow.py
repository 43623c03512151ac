"""Validation of non-formal and informal learning (Council Recommendation 2012/C 398/01): a
state machine over the four stages, with every event audited.

    identified -> documented (more evidence may follow) -> assessed (may be redone)
      -> certified (final)        any open stage -> closed (final)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from microcred.core.errors import InvalidCaseEvent, InvalidTransition
from microcred.core.validation.events import (
    Assessed,
    Certified,
    Closed,
    Documented,
    Identified,
    ValidationEvent,
    check_assessment,
    check_claims,
)
from microcred.core.validation.evidence import Evidence, EvidencePolicy, check_evidence


class Stage(StrEnum):
    IDENTIFIED = "identified"
    DOCUMENTED = "documented"
    ASSESSED = "assessed"
    CERTIFIED = "certified"
    CLOSED = "closed"


FINAL = frozenset({Stage.CERTIFIED, Stage.CLOSED})
TRANSITIONS: dict[type, tuple[frozenset[Stage], Stage]] = {
    Documented: (frozenset({Stage.IDENTIFIED, Stage.DOCUMENTED}), Stage.DOCUMENTED),
    Assessed: (frozenset({Stage.DOCUMENTED, Stage.ASSESSED}), Stage.ASSESSED),
    Certified: (frozenset({Stage.ASSESSED}), Stage.CERTIFIED),
    Closed: (frozenset(Stage) - FINAL, Stage.CLOSED),
}
NAMES = {Documented: "documented", Assessed: "assessed", Certified: "certified", Closed: "closed"}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    event: str
    stage: Stage


@dataclass(frozen=True)
class ValidationCase:
    """A validation case as its events left it."""

    id: str
    identification: Identified
    policy: EvidencePolicy
    stage: Stage = Stage.IDENTIFIED
    evidence: tuple[Evidence, ...] = ()
    assessment: Assessed | None = None
    audit: tuple[AuditEntry, ...] = ()

    @property
    def final(self) -> bool:
        return self.stage in FINAL

    @property
    def met(self) -> tuple[str, ...]:
        """Ids of the claimed outcomes the assessment found met."""
        results = self.assessment.results if self.assessment else ()
        return tuple(r.outcome for r in results if r.met)


def open_validation(case_id: str, event: Identified, policy: EvidencePolicy) -> ValidationCase:
    """A new case from the identification of the candidate's claimed outcomes."""
    if event.at.tzinfo is None:
        raise InvalidCaseEvent("event times need a time zone")
    check_claims(event.claims)
    entry = AuditEntry(event.at, event.actor, "identified", Stage.IDENTIFIED)
    return ValidationCase(case_id, event, policy, audit=(entry,))


def apply(case: ValidationCase, event: ValidationEvent) -> ValidationCase:
    """The case after ``event``; :class:`InvalidTransition` when it cannot take it now."""
    if isinstance(event, Identified):
        raise InvalidTransition(f"validation {case.id} is already identified")
    allowed, target = TRANSITIONS[type(event)]
    name = NAMES[type(event)]
    if case.stage not in allowed:
        state = "closed" if case.final else "at"
        raise InvalidTransition(f"validation {case.id} is {state} stage {case.stage}; "
                                f"{name} is not possible now")  # fmt: skip
    if event.at.tzinfo is None:
        raise InvalidCaseEvent("event times need a time zone")
    if event.at < case.audit[-1].at:
        raise InvalidCaseEvent(f"{name} is dated before the case's last event")
    changed = _effect(case, event)
    entry = AuditEntry(event.at, event.actor, name, target)
    return replace(changed, stage=target, audit=(*case.audit, entry))


def _effect(case: ValidationCase, event: ValidationEvent) -> ValidationCase:
    claims = {claim.id for claim in case.identification.claims}
    if isinstance(event, Documented):
        files = (*case.evidence, *event.evidence)
        if len(files) > case.policy.max_files:
            raise InvalidCaseEvent(f"{len(files)} evidence files; a case keeps at most "
                                   f"{case.policy.max_files}")  # fmt: skip
        for item in event.evidence:
            check_evidence(item, case.policy)
            unknown = set(item.outcomes) - claims
            if unknown:
                raise InvalidCaseEvent(f"{item.name}: supports outcomes not claimed: "
                                       f"{', '.join(sorted(unknown))}")  # fmt: skip
        return replace(case, evidence=files)
    if isinstance(event, Assessed):
        check_assessment(event, claims)
        return replace(case, assessment=event)
    if isinstance(event, Certified) and not case.met:
        raise InvalidCaseEvent("no outcome was assessed as met: there is nothing to certify")
    return case


def replay(
    case_id: str, events: Iterable[ValidationEvent], policy: EvidencePolicy
) -> ValidationCase:
    """The case built from its stored events, first to last."""
    items = iter(events)
    first = next(items, None)
    if not isinstance(first, Identified):
        raise InvalidCaseEvent("a validation's first event is the identification")
    case = open_validation(case_id, first, policy)
    for event in items:
        case = apply(case, event)
    return case
