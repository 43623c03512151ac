"""The Annex I elements of a credential as plain values in one language (``inspect --json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from microcred.core.annex1 import Annex1Report
from microcred.core.coding import eqf_number
from microcred.core.i18n import pick_language, translate
from microcred.core.model import ConceptRef, MicroCredential, Place, QualityAssurance
from microcred.core.vocab import Vocabularies, vocabularies

SUMMARY_KEYS: tuple[str, ...] = (
    "format",
    "learner",
    "title",
    "issuer_countries",
    "awarding_bodies",
    "issued",
    "learning_outcomes",
    "workload",
    "eqf_level",
    "qf_ehea_cycle",
    "assessment_type",
    "participation_form",
    "quality_assurance",
    "prerequisites",
    "supervision",
    "grade",
    "stackability",
    "further_information",
    "missing_mandatory",
    "problems",
)


@dataclass
class Localiser:
    """Picks texts in one language and remembers where it had to fall back."""

    language: str
    vocab: Vocabularies = field(default_factory=vocabularies)
    fallbacks: set[str] = field(default_factory=set)

    def text(self, value: dict[str, str] | None) -> str | None:
        """The text by :func:`~microcred.core.i18n.pick`'s rule, noting any fallback."""
        chosen = pick_language(value, self.language)
        if value is None or chosen is None:
            return None
        if chosen != self.language:
            self.fallbacks.add(chosen)
        return value[chosen]

    def concept(self, ref: ConceptRef | None) -> str | None:
        if ref is None:
            return None
        known = self.vocab.find(ref.id)
        labels = {**(dict(known.labels) if known else {}), **ref.label}
        return self.text(labels) or ref.id

    def place(self, place: Place) -> str:
        country = self.concept(place.country) or place.country.id
        return f"{country} ({self.concept(place.region)})" if place.region else country


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def summarise(
    mc: MicroCredential, fmt: str, report: Annex1Report, loc: Localiser
) -> dict[str, Any]:
    """One object with exactly :data:`SUMMARY_KEYS`, texts in ``loc.language``."""
    level = mc.level
    return {
        "format": fmt,
        "learner": mc.learner.display_name if mc.learner else None,
        "title": loc.text(mc.title),
        "issuer_countries": [loc.place(p) for p in mc.issuer_countries],
        "awarding_bodies": [loc.text(b.name) for b in mc.awarding_bodies],
        "issued": mc.issued.isoformat() if mc.issued else None,
        "learning_outcomes": [loc.text(o.text) for o in mc.learning_outcomes],
        "workload": {
            "ects": _number(mc.workload.ects) if mc.workload else None,
            "hours": _number(mc.workload.hours) if mc.workload else None,
        },
        "eqf_level": eqf_number(level.eqf) if level else None,
        "qf_ehea_cycle": loc.concept(level.qf_ehea) if level else None,
        "assessment_type": [loc.concept(a) for a in mc.assessment_types],
        "participation_form": _participation(mc, loc),
        "quality_assurance": [_qa(q, loc) for q in mc.quality_assurance],
        "prerequisites": loc.text(mc.prerequisites),
        "supervision": loc.concept(mc.supervision),
        "grade": mc.grade.value if mc.grade else None,
        "stackability": _stackability(mc, loc),
        "further_information": loc.text(mc.further_information),
        "missing_mandatory": list(report.missing),
        "problems": [str(p) for p in report.problems],
    }


def _participation(mc: MicroCredential, loc: Localiser) -> str | None:
    p = mc.participation
    if p is None:
        return None
    parts = [loc.concept(p.mode), loc.concept(p.setting), loc.concept(p.activity)]
    return ", ".join(x for x in parts if x)


def _qa(qa: QualityAssurance, loc: Localiser) -> str:
    kind = loc.concept(qa.type) or qa.type.id
    agency = loc.text(qa.agency)
    return f"{kind} — {agency}" if agency else kind


def _stackability(mc: MicroCredential, loc: Localiser) -> str | None:
    s = mc.stackability
    if s is None:
        return None
    if s.kind == "stand-alone":
        return translate("summary.stand_alone", loc.language)
    names = [loc.text(t.title) or t.id or "" for t in s.towards]
    if not names:
        return translate("summary.stackable", loc.language)
    return translate("summary.stackable_towards", loc.language, targets="; ".join(names))
