"""Recognition cases (ENIC-NARIC centres, institutions): a state machine over audited events,
automatic recognition proposals, the decision credential and the decision letter's content.

    case = open_case("case-1", Submitted(...))
    case = apply(case, AuthenticityChecked(...))   # InvalidTransition when not possible now

See ``docs/recognition.md``.
"""

from __future__ import annotations

from microcred.core.recognition.automatic import AutomaticRule, propose
from microcred.core.recognition.case import (
    FINAL,
    AuditEntry,
    Case,
    State,
    apply,
    current_decision,
    open_case,
    replay,
)
from microcred.core.recognition.decisions import CRITERIA, CriterionScore, Decision
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
from microcred.core.recognition.facts import CredentialFacts, gather_facts

__all__ = [
    "CRITERIA",
    "FINAL",
    "Appealed",
    "AuditEntry",
    "AuthenticityChecked",
    "AutomaticRule",
    "Case",
    "CredentialFacts",
    "CriteriaAssessed",
    "CriterionScore",
    "Decided",
    "Decision",
    "DecisionIssued",
    "Event",
    "FactsGathered",
    "ProposalMade",
    "State",
    "Submitted",
    "Withdrawn",
    "apply",
    "current_decision",
    "gather_facts",
    "open_case",
    "propose",
    "replay",
]
