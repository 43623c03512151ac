"""What the printable credential shows, in one language: plain strings, ready for the template.

Labels of coded values come from the vocabularies, element titles and fixed words from
:mod:`microcred.core.i18n`, texts through :class:`~microcred.core.summary.Localiser` (which
falls back to English, then to any language, and records it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from microcred.core.annex1 import MANDATORY, OPTIONAL
from microcred.core.coding import eqf_number
from microcred.core.i18n import format_date, format_number, translate
from microcred.core.model import (
    ConceptRef,
    Grade,
    Learner,
    MicroCredential,
    Organisation,
    QualityAssurance,
    Stackability,
    Workload,
)
from microcred.core.summary import Localiser

OTHER: tuple[str, ...] = ("description", "field_of_study", "languages", "valid_until")
SUMMARY_CHARS = 240  # the certificate shows the description's start; the details show all of it


@dataclass(frozen=True)
class Entry:
    """One value of an element, with smaller lines under it."""

    text: str
    notes: tuple[str, ...] = ()
    missing: bool = False


@dataclass(frozen=True)
class Row:
    """One element: its translated title and its values."""

    key: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Fact:
    """A short label/value pair on the certificate page."""

    label: str
    lines: tuple[str, ...]


@dataclass
class CredentialView:
    """Everything the template needs, already translated."""

    language: str
    learner: str
    title: str
    description: str | None
    provider: str
    bodies: list[str]
    places: str
    facts: list[Fact]
    seal_level: int | None
    mandatory: list[Row]
    optional: list[Row]
    other: list[Row]
    credential_id: str | None
    fallback_note: str | None = None


def length_class(text: str, long: int, very_long: int) -> str:
    """``""``, ``"long"`` or ``"very-long"``: lets the stylesheet shrink long names and titles."""
    if len(text) > very_long:
        return "very-long"
    return "long" if len(text) > long else ""


def shorten(text: str | None, limit: int = SUMMARY_CHARS) -> str | None:
    """``text`` cut at a word boundary before ``limit`` characters, with an ellipsis."""
    if text is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def crowded(view: CredentialView, verify_url: str, status_note: str | None) -> bool:
    """Whether the certificate page needs its compact spacing to stay on one page."""
    signs = [
        len(view.title) > 60,
        len(view.title) > 110,
        len(view.learner) > 26,
        len(view.bodies) > 1,
        len(view.provider) > 60,
        len(view.description or "") > 160,
        len(verify_url) > 90,
        status_note is not None,
    ]
    return sum(signs) >= 2


def _when(value: datetime | date | None, lang: str) -> str | None:
    if value is None:
        return None
    return format_date(value.date() if isinstance(value, datetime) else value, lang)


class _Builder:
    """Turns each element of a credential into entries, in one language."""

    def __init__(self, mc: MicroCredential, language: str) -> None:
        self.mc = mc
        self.lang = language
        self.loc = Localiser(language)

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)

    def concepts(self, refs: tuple[ConceptRef | None, ...]) -> list[Entry]:
        return [Entry(self.loc.concept(r) or r.id) for r in refs if r is not None]

    def text(self, value: dict[str, str] | None) -> list[Entry]:
        shown = self.loc.text(value)
        return [Entry(shown)] if shown else []

    def entries(self, key: str) -> list[Entry]:
        mc = self.mc
        level, part = mc.level, mc.participation
        makers: dict[str, Callable[[], list[Entry]]] = {
            "learner": lambda: self.learner(mc.learner),
            "title": lambda: self.text(mc.title),
            "issuer_countries": lambda: [Entry(self.loc.place(p)) for p in mc.issuer_countries],
            "awarding_bodies": lambda: [self.body(b) for b in mc.awarding_bodies],
            "issued": lambda: self.date(mc.issued),
            "learning_outcomes": lambda: [
                Entry(self.loc.text(o.text) or "") for o in mc.learning_outcomes
            ],
            "workload": lambda: self.workload(mc.workload),
            "eqf_level": lambda: self.concepts((level.eqf, level.nqf) if level else ()),
            "qf_ehea_cycle": lambda: self.concepts((level.qf_ehea,) if level else ()),
            "assessment_type": lambda: self.concepts(mc.assessment_types),
            "participation_form": lambda: self.concepts(
                (part.mode, part.setting, part.activity) if part else ()
            ),
            "quality_assurance": lambda: [self.qa(q) for q in mc.quality_assurance],
            "prerequisites": lambda: self.text(mc.prerequisites),
            "supervision": lambda: self.concepts((mc.supervision,)),
            "grade": lambda: self.grade(mc.grade),
            "stackability": lambda: self.stackability(mc.stackability),
            "further_information": lambda: self.text(mc.further_information),
            "description": lambda: self.text(mc.description),
            "field_of_study": lambda: self.concepts((mc.field_of_study,)),
            "languages": lambda: self.concepts(mc.languages),
            "valid_until": lambda: self.date(mc.valid_until),
        }
        return makers[key]()

    def row(self, key: str) -> Row:
        entries = self.entries(key) or [Entry(self.t("pdf.not_specified"), missing=True)]
        return Row(key, self.t(key), tuple(entries))

    def date(self, value: datetime | date | None) -> list[Entry]:
        shown = _when(value, self.lang)
        return [Entry(shown)] if shown else []

    def learner(self, learner: Learner | None) -> list[Entry]:
        if learner is None or not learner.is_identified:
            return []
        notes = [f"{self.t('pdf.email')}: {learner.email}" if learner.email else None]
        notes.append(
            f"{self.t('pdf.date_of_birth')}: {_when(learner.birth_date, self.lang)}"
            if learner.birth_date
            else None
        )
        label = self.t("pdf.identifier")
        notes += [f"{label} ({i.scheme}): {i.value}" for i in learner.identifiers]
        notes.append(learner.id if learner.id and learner.id != learner.display_name else None)
        return [Entry(learner.display_name or "", tuple(n for n in notes if n))]

    def body(self, org: Organisation) -> Entry:
        notes = [f"{i.scheme.upper()}: {i.value}" for i in org.identifiers]
        notes += [x for x in (org.homepage, org.email) if x]
        return Entry(self.loc.text(org.name) or "", tuple(notes))

    def workload(self, workload: Workload | None) -> list[Entry]:
        parts = self.workload_parts(workload)
        return [Entry(" · ".join(parts))] if parts else []

    def workload_parts(self, workload: Workload | None) -> list[str]:
        if workload is None:
            return []
        parts = []
        if workload.ects is not None:
            parts.append(self.t("pdf.ects_value", value=format_number(workload.ects, self.lang)))
        if workload.hours is not None:
            parts.append(self.t("pdf.hours_value", value=format_number(workload.hours, self.lang)))
        if not parts and workload.duration:
            parts.append(workload.duration)
        return parts

    def qa(self, qa: QualityAssurance) -> Entry:
        notes = []
        if agency := self.loc.text(qa.agency):
            notes.append(f"{self.t('pdf.qa_agency')}: {agency}")
        if decision := self.loc.text(qa.decision):
            notes.append(f"{self.t('pdf.qa_decision')}: {decision}")
        if qa.valid_from and qa.valid_until:
            start, end = _when(qa.valid_from, self.lang), _when(qa.valid_until, self.lang)
            notes.append(self.t("pdf.qa_validity", start=start, end=end))
        notes += [f"{self.t('pdf.qa_report')}: {r}" for r in (qa.report or qa.id,) if r]
        return Entry(self.loc.concept(qa.type) or qa.type.id, tuple(notes))

    def grade(self, grade: Grade | None) -> list[Entry]:
        if grade is None:
            return []
        scheme = self.loc.text(grade.scheme)
        notes = (f"{self.t('pdf.grading_scheme')}: {scheme}",) if scheme else ()
        return [Entry(grade.value, notes)]

    def stackability(self, stack: Stackability | None) -> list[Entry]:
        if stack is None:
            return []
        if stack.kind == "stand-alone":
            return [Entry(self.t("pdf.stand_alone"))]
        targets = tuple(self.loc.text(t.title) or t.id or "" for t in stack.towards)
        key = "pdf.stackable_towards" if targets else "pdf.stackable"
        return [Entry(self.t(key), targets)]


def _facts(b: _Builder) -> list[Fact]:
    mc, t = b.mc, b.t
    level = mc.level
    facts = [Fact(t("pdf.fact.date"), (_when(mc.issued, b.lang) or t("pdf.not_specified"),))]
    eqf = eqf_number(level.eqf) if level else None
    levels = [t("pdf.eqf_value", level=eqf) if eqf else None]
    levels.append(b.loc.concept(level.qf_ehea) if level else None)
    if any(levels):
        facts.append(Fact(t("pdf.fact.level"), tuple(x for x in levels if x)))
    if parts := b.workload_parts(mc.workload):
        facts.append(Fact(t("pdf.fact.workload"), tuple(parts)))
    if mc.grade is not None:
        facts.append(Fact(t("pdf.fact.grade"), (mc.grade.value,)))
    return facts


def _rows(b: _Builder, keys: tuple[str, ...]) -> Iterator[Row]:
    return (b.row(k) for k in keys)


def build_view(mc: MicroCredential, language: str) -> CredentialView:
    """The credential's content in ``language``, laid out for the certificate and details."""
    b = _Builder(mc, language)
    bodies = [b.loc.text(o.name) or "" for o in mc.awarding_bodies]
    view = CredentialView(
        language=language,
        learner=(mc.learner.display_name if mc.learner else None) or b.t("pdf.not_specified"),
        title=b.loc.text(mc.title) or b.t("pdf.not_specified"),
        description=shorten(b.loc.text(mc.description)),
        provider=" · ".join(bodies),
        bodies=bodies,
        places=" · ".join(b.loc.place(p) for p in mc.issuer_countries),
        facts=_facts(b),
        seal_level=eqf_number(mc.level.eqf) if mc.level else None,
        mandatory=list(_rows(b, MANDATORY)),
        optional=list(_rows(b, OPTIONAL)),
        other=[r for r in _rows(b, OTHER) if not r.entries[0].missing],
        credential_id=mc.id,
    )
    view.fallback_note = _fallback_note(b)
    return view


def _fallback_note(b: _Builder) -> str | None:
    """A sentence naming the languages some texts had to be shown in, if any."""
    used = sorted(lang for lang in b.loc.fallbacks if lang.split("-")[0] != b.lang)
    if not used:
        return None
    scheme = b.loc.vocab.scheme("language")
    names = []
    for tag in used:
        concept = scheme.by_notation(tag.split("-")[0])
        names.append(concept.label(b.lang).text if concept else tag)
    return b.t("pdf.language_fallback", languages=", ".join(names))
