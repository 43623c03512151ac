"""Why a credential does or does not meet a :class:`~.rules.Filter`: each predicate answers
with the reason it refuses, in words a person understands (or nothing when it is met)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from microcred.core.esco import EscoData
from microcred.core.model import MicroCredential
from microcred.core.stacking.held import HeldCredential
from microcred.core.stacking.rules import Filter, GradeThreshold
from microcred.core.vocab import vocabularies

SUPERVISION = "https://w3id.org/microcred/vocab/supervision"
EU_SUPERVISION = "http://data.europa.eu/snb/supervision-verification"
# Supervision and identity verification, weakest first (Annex I values and EU concepts).
SUPERVISION_RANK = {
    f"{SUPERVISION}/unsupervised-no-id-verification": 0,
    f"{EU_SUPERVISION}/c598449d64": 0,
    f"{SUPERVISION}/supervised-no-id-verification": 1,
    f"{EU_SUPERVISION}/df2880c5cb": 1,
    f"{SUPERVISION}/supervised-online-id-verification": 2,
    f"{SUPERVISION}/supervised-onsite-id-verification": 2,
    f"{EU_SUPERVISION}/70be69aaf9": 2,
}


@dataclass(frozen=True)
class Context:
    """What predicates need beyond the credential: the evaluation time and ESCO's hierarchy."""

    now: datetime
    esco: EscoData


Check = Callable[[Filter, HeldCredential, Context], str | None]


def refusals(where: Filter, held: HeldCredential, ctx: Context) -> tuple[str, ...]:
    """Every reason ``held`` fails ``where`` (empty when it meets it), in-force first."""
    problem = held.in_force_problem(ctx.now)
    reasons = [problem] if problem else []
    for check in CHECKS:
        reason = check(where, held, ctx)
        if reason:
            reasons.append(reason)
    return tuple(reasons)


def eqf_level(mc: MicroCredential) -> int | None:
    """The EQF level as a number, when the credential has one."""
    eqf = mc.level.eqf if mc.level else None
    concept = vocabularies().find(eqf.id) if eqf else None
    notation = concept.notation if concept else None
    return int(notation) if notation and notation.isdigit() else None


def _eqf(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    if where.eqf_min is None and where.eqf_max is None:
        return None
    level = eqf_level(held.credential)
    if level is None:
        return "no EQF level"
    if where.eqf_min is not None and level < where.eqf_min:
        return f"EQF level {level} is below {where.eqf_min}"
    if where.eqf_max is not None and level > where.eqf_max:
        return f"EQF level {level} is above {where.eqf_max}"
    return None


def _qf_ehea(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    level = held.credential.level
    cycle = level.qf_ehea.id if level and level.qf_ehea else None
    if not where.qf_ehea or cycle in where.qf_ehea:
        return None
    return "no QF-EHEA cycle" if cycle is None else f"QF-EHEA cycle {_name(cycle)} is not accepted"


def _isced(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    if not where.isced_prefixes:
        return None
    field = held.credential.field_of_study
    concept = vocabularies().find(field.id) if field else None
    code = concept.notation if concept else None
    if code is None:
        return "no ISCED-F field of study"
    if any(code.startswith(prefix) for prefix in where.isced_prefixes):
        return None
    return f"ISCED-F field {code} is outside {', '.join(where.isced_prefixes)}"


def skills_of(mc: MicroCredential) -> frozenset[str]:
    """The ESCO skills the credential's learning outcomes name."""
    return frozenset(skill for outcome in mc.learning_outcomes for skill in outcome.skills)


def covered(required: Iterable[str], have: Iterable[str], esco: EscoData) -> set[str]:
    """The required skills ``have`` covers: the same skill, or one narrower in ESCO."""
    reach = set()
    for skill in have:
        reach.add(skill)
        reach.update(esco.ancestors(skill))
    return {skill for skill in required if skill in reach}


def coverage_met(required: tuple[str, ...], count: int, share: Decimal) -> bool:
    """Whether ``count`` of ``required`` skills is at least ``share`` of them."""
    return Decimal(count) >= share * len(required)


def _skills(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    if not where.skills:
        return None
    count = len(covered(where.skills, skills_of(held.credential), ctx.esco))
    if coverage_met(where.skills, count, where.skill_coverage):
        return None
    return f"covers {count} of the {len(where.skills)} required ESCO skills"


def _providers(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    if where.providers and not set(held.provider_ids) & set(where.providers):
        return "awarded by a provider the rules do not list"
    if where.provider_types and held.provider_type not in where.provider_types:
        return f"provider type {held.provider_type or 'unknown'} is not accepted"
    countries = {place.country.id for place in held.credential.issuer_countries}
    if where.provider_countries and not countries & set(where.provider_countries):
        return "issued in a country the rules do not accept"
    return None


def _quality(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    if not where.qa_types and not where.qa_valid_at_issue:
        return None
    mc = held.credential
    accepted = set(where.qa_types)
    found = [qa for qa in mc.quality_assurance if not accepted or qa.type.id in accepted]
    if not found:
        return "no quality assurance of an accepted type"
    if not where.qa_valid_at_issue:
        return None
    if mc.issued is None:
        return "no date of issue to check quality assurance against"
    day = mc.issued.date()
    for qa in found:
        if (qa.valid_from is None or qa.valid_from <= day) and (
            qa.valid_until is None or day <= qa.valid_until
        ):
            return None
    return f"quality assurance was not valid on the date of issue ({day.isoformat()})"


def _assessment(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    have = {ref.id for ref in held.credential.assessment_types}
    if not where.assessment_types or have & set(where.assessment_types):
        return None
    return "no accepted type of assessment"


def _supervision(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    if where.supervision_at_least is None:
        return None
    need = SUPERVISION_RANK[where.supervision_at_least]
    ref = held.credential.supervision
    if ref is None:
        return "no supervision or identity verification stated"
    if SUPERVISION_RANK.get(ref.id, -1) >= need:
        return None
    return f"supervision '{_name(ref.id)}' is weaker than '{_name(where.supervision_at_least)}'"


def grade_problem(threshold: GradeThreshold, mc: MicroCredential) -> str | None:
    """Why the credential's grade does not reach ``threshold`` (None when it does)."""
    grade = mc.grade
    if grade is None:
        return "no grade"
    if threshold.scheme is not None:
        names = {name.casefold() for name in (grade.scheme or {}).values()}
        if threshold.scheme.casefold() not in names:
            return f"grade is not in the grading scheme {threshold.scheme!r}"
    if threshold.scale:
        if grade.value not in threshold.scale:
            return f"grade {grade.value!r} is not a passing grade of the scale"
        if threshold.scale.index(grade.value) > threshold.scale.index(threshold.at_least):
            return f"grade {grade.value} is below {threshold.at_least}"
        return None
    try:
        if Decimal(grade.value.replace(",", ".")) >= Decimal(threshold.at_least):
            return None
    except InvalidOperation:
        return f"grade {grade.value!r} is not a number"
    return f"grade {grade.value} is below {threshold.at_least}"


def _grade(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    return grade_problem(where.grade, held.credential) if where.grade else None


def years_before(moment: datetime, years: int) -> datetime:
    """``moment`` moved back ``years`` years (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def _recency(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    if where.issued_within_years is None:
        return None
    issued = held.credential.issued
    if issued is None:
        return "no date of issue"
    if issued.tzinfo is None:
        return "the date of issue has no time zone"
    if issued >= years_before(ctx.now, where.issued_within_years):
        return None
    return f"issued on {issued.date().isoformat()}, more than {where.issued_within_years} years ago"


def _named(where: Filter, held: HeldCredential, ctx: Context) -> str | None:
    if where.opportunities and held.opportunity not in where.opportunities:
        return "not issued for the named learning opportunity"
    if where.credential_types and held.credential_type not in where.credential_types:
        return f"credential type {held.credential_type or 'unknown'} is not accepted"
    return None


def _name(uri: str) -> str:
    concept = vocabularies().find(uri)
    return concept.label().text if concept else uri.rsplit("/", 1)[-1]


CHECKS: tuple[Check, ...] = (
    _named, _eqf, _qf_ehea, _isced, _skills, _providers, _quality, _assessment, _supervision,
    _grade, _recency,
)  # fmt: skip
