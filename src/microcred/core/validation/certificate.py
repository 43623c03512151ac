"""Certification: the micro-credential a validation awards, with the learning setting
(non-formal or informal), "recognition of prior learning" and the assessment method as types of
assessment, and only the outcomes assessed as met."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from microcred.core.coding import concept
from microcred.core.errors import InvalidTransition
from microcred.core.model import (
    ConceptRef,
    Learner,
    LearningOutcome,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    Place,
    QualityAssurance,
    Workload,
)
from microcred.core.validation.workflow import Stage, ValidationCase
from microcred.core.vocab.loaders import INFORMAL_LEARNING, RECOGNITION_OF_PRIOR_LEARNING

NON_FORMAL_LEARNING = "http://data.europa.eu/snb/learning-setting/e207a81fc7"
PRESENTIAL = "http://data.europa.eu/snb/learning-assessment/9191af2ed9"
SETTINGS = {"non-formal": NON_FORMAL_LEARNING, "informal": INFORMAL_LEARNING}


def certificate_model(
    case: ValidationCase,
    *,
    title: dict[str, str],
    learner: Learner,
    awarding_body: Organisation,
    place: Place,
    issued: datetime,
    setting: Literal["non-formal", "informal"],
    quality_assurance: tuple[QualityAssurance, ...] = (),
    workload: Workload | None = None,
    level: Level | None = None,
    mode: ConceptRef | None = None,
) -> MicroCredential:
    """The micro-credential of a certified (or certifiable) validation."""
    if case.stage not in (Stage.ASSESSED, Stage.CERTIFIED) or case.assessment is None:
        raise InvalidTransition(f"validation {case.id} is at stage {case.stage}; only an "
                                "assessed validation is certified")  # fmt: skip
    met = set(case.met)
    if not met:
        raise InvalidTransition(f"validation {case.id}: no outcome was assessed as met")
    outcomes = tuple(
        LearningOutcome(text=claim.text, skills=claim.skills)
        for claim in case.identification.claims
        if claim.id in met
    )
    return MicroCredential(
        learner=learner,
        title=title,
        awarding_bodies=(awarding_body,),
        issuer_countries=(place,),
        issued=issued,
        learning_outcomes=outcomes,
        workload=workload,
        level=level,
        assessment_types=(
            concept(RECOGNITION_OF_PRIOR_LEARNING),
            concept(case.assessment.method),
        ),
        participation=Participation(
            mode=mode or concept(PRESENTIAL), setting=concept(SETTINGS[setting])
        ),
        quality_assurance=quality_assurance,
    )
