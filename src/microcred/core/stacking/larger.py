"""The larger credential a satisfied evaluation leads to, naming its parts.

:func:`larger_credential` makes the Annex I model: the rule set's title, the credentials the
evaluation consumed as ``parts`` (written as OB 3.0 ``ceterms:Credential`` alignments), their
learning outcomes, and the ECTS they bring under the rules' caps. :func:`part_associations`
gives the CLR 2.0 ``isPartOf`` associations between the parts' achievements and the larger one,
for a CLR that bundles them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from microcred.core.errors import InvalidTransition
from microcred.core.formats.clr import Association, part_achievement
from microcred.core.formats.ob3_fields import as_list
from microcred.core.formats.ob3_write import PART_TARGET_TYPE
from microcred.core.model import (
    CredentialPart,
    Learner,
    LearningOutcome,
    Level,
    MicroCredential,
    Organisation,
    Place,
    QualityAssurance,
    Workload,
)
from microcred.core.stacking.credit import credit_of
from microcred.core.stacking.held import HeldCredential
from microcred.core.stacking.rules import RuleSet
from microcred.core.stacking.trace import Evaluation, Outcome


def _credits(rules: RuleSet, parts: Sequence[HeldCredential]) -> Decimal:
    """ECTS the parts bring: per-credential cap, then the external-credit cap."""
    credits = [credit_of(part, rules.options) for part in parts]
    home = sum((c.ects for c in credits if not c.external), Decimal(0))
    external = sum((c.ects for c in credits if c.external), Decimal(0))
    cap = rules.options.external_credit_cap
    return home + (external if cap is None else min(external, cap))


def _outcomes(parts: Sequence[HeldCredential]) -> tuple[LearningOutcome, ...]:
    seen: dict[tuple[tuple[str, str], ...], LearningOutcome] = {}
    for part in parts:
        for outcome in part.credential.learning_outcomes:
            seen.setdefault(tuple(sorted(outcome.text.items())), outcome)
    return tuple(seen.values())


def _part(held: HeldCredential) -> CredentialPart:
    mc = held.credential
    return CredentialPart(
        id=mc.id or held.key,
        title=dict(mc.title or {"en": held.key}),
        awarding_body=mc.awarding_bodies[0] if mc.awarding_bodies else None,
        country=mc.issuer_countries[0] if mc.issuer_countries else None,
        issued=mc.issued,
    )


def _consumed(
    rules: RuleSet,
    evaluation: Evaluation,
    held: Sequence[HeldCredential],
    confirmed_by: str | None,
) -> list[HeldCredential]:
    """The credentials the evaluation counted, once it allows a larger credential."""
    if (evaluation.rules_id, evaluation.rules_version) != (rules.id, rules.version):
        raise InvalidTransition("the evaluation is of other rules (or another version)")
    if evaluation.outcome is Outcome.NOT_SATISFIED:
        raise InvalidTransition("the rules are not satisfied: there is no larger credential")
    if evaluation.outcome is Outcome.NEEDS_PERSON and not confirmed_by:
        raise InvalidTransition("the evaluation needs a person's confirmation first")
    by_key = {h.key: h for h in held}
    missing = [key for key in evaluation.consumed if key not in by_key]
    if missing:
        raise InvalidTransition(f"credentials of the evaluation not given: {', '.join(missing)}")
    return [by_key[key] for key in evaluation.consumed]


def larger_credential(
    rules: RuleSet,
    evaluation: Evaluation,
    held: Sequence[HeldCredential],
    *,
    learner: Learner,
    awarding_body: Organisation,
    place: Place,
    issued: datetime,
    confirmed_by: str | None = None,
    level: Level | None = None,
    quality_assurance: tuple[QualityAssurance, ...] = (),
) -> MicroCredential:
    """The larger credential's model. The evaluation must be of ``rules`` and satisfied, or
    left to a person who confirmed it (``confirmed_by``)."""
    parts = _consumed(rules, evaluation, held, confirmed_by)
    ects = _credits(rules, parts)
    return MicroCredential(
        learner=learner,
        title=dict(rules.title),
        awarding_bodies=(awarding_body,),
        issuer_countries=(place,),
        issued=issued,
        learning_outcomes=_outcomes(parts),
        workload=Workload(ects=ects) if ects else None,
        level=level,
        quality_assurance=quality_assurance,
        assessment_types=tuple(
            {a.id: a for p in parts for a in p.credential.assessment_types}.values()
        ),
        parts=tuple(_part(part) for part in parts),
    )


def part_associations(
    larger_achievement: str, part_achievements: Sequence[str]
) -> list[Association]:
    """CLR 2.0 associations: each part's achievement ``isPartOf`` the larger achievement."""
    return [Association("isPartOf", part, larger_achievement) for part in part_achievements]


def part_ids(larger: Mapping[str, Any]) -> list[str]:
    """The credential ids an OB 3.0 larger credential names as its parts, in its order."""
    achievement = part_achievement(larger) or {}
    return [
        str(node["targetUrl"])
        for node in as_list(achievement.get("alignment"))
        if isinstance(node, Mapping)
        and node.get("targetType") == PART_TARGET_TYPE
        and isinstance(node.get("targetUrl"), str)
    ]


def _achievement_id(document: Mapping[str, Any]) -> str | None:
    found = (part_achievement(document) or {}).get("id")
    return found if isinstance(found, str) and ":" in found else None


def bundle_associations(
    larger: Mapping[str, Any], parts: Sequence[Mapping[str, Any]]
) -> list[Association]:
    """The ``isPartOf`` associations of a CLR bundling the OB 3.0 ``larger`` credential with
    ``parts`` (those whose achievement has an id)."""
    target = _achievement_id(larger)
    if target is None:
        return []
    sources = [found for part in parts if (found := _achievement_id(part)) and found != target]
    return part_associations(target, sources)
