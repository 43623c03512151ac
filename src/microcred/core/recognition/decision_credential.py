"""The decision credential: the recognition decision as a credential the learner keeps.

:func:`decision_model` describes it with the Annex I model (the authority awards it; the
outcomes and ECTS are those recognised); :func:`decision_achievement` writes it as an Open
Badges 3.0 credential whose achievement is typed ``ext:RecognitionDecision`` and aligned to
each recognised credential (``targetType`` ``ext:RecognisedCredential``: not
``ceterms:Credential``, which names the parts of a larger credential).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from microcred.core.errors import InvalidTransition
from microcred.core.formats.ob3_write import primary, to_ob3
from microcred.core.model import (
    Learner,
    LearningOutcome,
    MicroCredential,
    Organisation,
    Place,
    Workload,
)
from microcred.core.recognition.case import Case
from microcred.core.recognition.decisions import Decision
from microcred.core.recognition.letter_texts import LANGUAGES, TEXTS
from microcred.core.stacking.held import HeldCredential

ACHIEVEMENT_TYPE = "ext:RecognitionDecision"
RECOGNISED_TYPE = "ext:RecognisedCredential"  # not a part: read back, it is no parts list


def _outcomes(decision: Decision, parts: Sequence[HeldCredential]) -> tuple[LearningOutcome, ...]:
    if decision.outcome == "refused":
        return ()
    if decision.outcome == "partial":
        return tuple(LearningOutcome(text={"en": text}) for text in decision.outcomes_recognised)
    return tuple(o for part in parts for o in part.credential.learning_outcomes)


def _workload(decision: Decision, parts: Sequence[HeldCredential]) -> Workload | None:
    if decision.outcome == "partial":
        return Workload(ects=decision.ects_granted) if decision.ects_granted else None
    if decision.outcome == "refused":
        return None
    ects = [p.credential.workload.ects for p in parts if p.credential.workload]
    total = sum((e for e in ects if e is not None), Decimal(0))
    return Workload(ects=total) if total else None


def _details(decision: Decision) -> str:
    lines = [decision.reasons]
    if decision.alternative:
        lines.append(decision.alternative)
    if decision.remaining:
        lines.append(decision.remaining)
    lines.extend(decision.substantial_differences)
    return "\n".join(lines)


def decision_model(
    case: Case,
    recognised: Sequence[HeldCredential],
    *,
    authority: Organisation,
    authority_place: Place,
    learner: Learner,
    issued: datetime,
) -> MicroCredential:
    """The Annex I model of the case's current decision (``recognised``: its credentials)."""
    if case.decision is None:
        raise InvalidTransition(f"case {case.id} has no decision to issue")
    decision = case.decision.decision
    title = {lang: TEXTS[lang]["credential_title"].format(
        outcome=TEXTS[lang][f"{decision.outcome}_title"]) for lang in LANGUAGES}  # fmt: skip
    level = recognised[0].credential.level if len(recognised) == 1 else None
    return MicroCredential(
        learner=learner,
        title=title,
        description={"en": decision.reasons},
        awarding_bodies=(authority,),
        issuer_countries=(authority_place,),
        issued=issued,
        learning_outcomes=_outcomes(decision, recognised),
        workload=_workload(decision, recognised),
        level=level if decision.outcome == "full" else None,
        further_information={"en": _details(decision)},
    )


def decision_achievement(
    mc: MicroCredential,
    recognised: Sequence[HeldCredential],
    *,
    credential_id: str,
    issuer_id: str,
) -> dict[str, Any]:
    """The unsigned OB 3.0 credential of the decision, aligned to what it recognises."""
    document = to_ob3(mc, credential_id=credential_id, issuer_id=issuer_id)
    achievement = document["credentialSubject"]["achievement"]
    achievement["achievementType"] = ACHIEVEMENT_TYPE
    links = [
        {"type": ["Alignment"], "targetName": primary(part.credential.title or {"en": part.key}),
         "targetUrl": part.credential.id or part.key, "targetType": RECOGNISED_TYPE}
        for part in recognised
    ]  # fmt: skip
    achievement["alignment"] = [*achievement.get("alignment", []), *links]
    return document
