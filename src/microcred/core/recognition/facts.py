"""The facts a recognition officer gathers about one credential, read from its model: Annex I
completeness, level, workload, and whether its quality assurance held on the date of issue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from microcred.core.annex1 import missing_mandatory
from microcred.core.model import MicroCredential
from microcred.core.stacking.held import HeldCredential
from microcred.core.stacking.predicates import eqf_level


@dataclass(frozen=True)
class CredentialFacts:
    """``qa_valid_at_issue`` is None when the credential states no QA validity period."""

    key: str
    annex1_missing: tuple[str, ...]
    issued: date | None
    eqf: int | None
    qf_ehea: str | None
    ects: Decimal | None
    hours: Decimal | None
    qa_types: tuple[str, ...]
    qa_valid_at_issue: bool | None
    supervision: str | None
    assessment_types: tuple[str, ...]
    providers: tuple[str, ...]


def _qa_valid_at_issue(mc: MicroCredential) -> bool | None:
    dated = [qa for qa in mc.quality_assurance if qa.valid_from or qa.valid_until]
    if not dated or mc.issued is None:
        return None
    day = mc.issued.date()
    return any(
        (qa.valid_from is None or qa.valid_from <= day)
        and (qa.valid_until is None or day <= qa.valid_until)
        for qa in dated
    )


def gather_facts(held: HeldCredential) -> CredentialFacts:
    """What the credential itself says, for the officer to check and complete."""
    mc = held.credential
    level, workload = mc.level, mc.workload
    return CredentialFacts(
        key=held.key,
        annex1_missing=missing_mandatory(mc),
        issued=mc.issued.date() if mc.issued else None,
        eqf=eqf_level(mc),
        qf_ehea=level.qf_ehea.id if level and level.qf_ehea else None,
        ects=workload.ects if workload else None,
        hours=workload.hours if workload else None,
        qa_types=tuple(qa.type.id for qa in mc.quality_assurance),
        qa_valid_at_issue=_qa_valid_at_issue(mc),
        supervision=mc.supervision.id if mc.supervision else None,
        assessment_types=tuple(ref.id for ref in mc.assessment_types),
        providers=held.provider_ids,
    )
