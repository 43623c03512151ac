"""Validation of non-formal and informal learning: identification, documentation (evidence with
size and type limits), assessment (a method of the assessment vocabulary, a result per outcome)
and certification (a micro-credential with only the outcomes met). See ``docs/recognition.md``."""

from __future__ import annotations

from microcred.core.validation.certificate import certificate_model
from microcred.core.validation.events import (
    Assessed,
    Certified,
    ClaimedOutcome,
    Closed,
    Documented,
    Identified,
    OutcomeResult,
    ValidationEvent,
)
from microcred.core.validation.evidence import Evidence, EvidencePolicy, check_evidence
from microcred.core.validation.workflow import (
    FINAL,
    Stage,
    ValidationCase,
    apply,
    open_validation,
    replay,
)

__all__ = [
    "FINAL",
    "Assessed",
    "Certified",
    "ClaimedOutcome",
    "Closed",
    "Documented",
    "Evidence",
    "EvidencePolicy",
    "Identified",
    "OutcomeResult",
    "Stage",
    "ValidationCase",
    "ValidationEvent",
    "apply",
    "certificate_model",
    "check_evidence",
    "open_validation",
    "replay",
]
