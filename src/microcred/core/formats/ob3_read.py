"""Open Badges 3.0 credential (VC 2.0 or 1.1) -> model, reporting by element what could not be read.

microcred's own extension terms are read first; a foreign credential gives what OB 3.0 carries
(EQF via an alignment, ECTS via ``creditsAvailable``, country via the issuer's address...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from microcred.core.annex1 import Problem, missing_mandatory
from microcred.core.coding import coded, concept
from microcred.core.errors import NotACredential
from microcred.core.formats.base import Imported
from microcred.core.formats.native import ELEMENT_OF_FIELD
from microcred.core.formats.ob3_fields import (
    as_list,
    concept_list,
    grade,
    iri,
    issuer_places,
    learner,
    optional_concept,
    organisation,
    text,
)
from microcred.core.formats.ob3_write import (
    EQF_TARGET_TYPE,
    EXTENSION_CONTEXT,
    PART_TARGET_TYPE,
    SKILL_TARGET_TYPE,
    default_achievement_id,
)
from microcred.core.model import (
    ConceptRef,
    CredentialPart,
    LearningOutcome,
    Level,
    MicroCredential,
    Organisation,
    Participation,
    QualityAssurance,
    Stackability,
    StackTarget,
    Workload,
)
from microcred.core.vocab import vocabularies

OB_TYPES = frozenset(("OpenBadgeCredential", "AchievementCredential"))
NOT_OB_TYPES = frozenset(("ClrCredential", "EndorsementCredential"))  # other 1EdTech credentials
OB_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/"
EQF_PREFIXES = ("http://data.europa.eu/snb/eqf/", "https://data.europa.eu/snb/eqf/")
OUTCOME_TARGET_TYPES = frozenset((SKILL_TARGET_TYPE, "CFItem", None))


def _types(node: Any) -> set[str]:
    if not isinstance(node, Mapping):
        return set()
    return {t for t in as_list(node.get("type")) if isinstance(t, str)}


def _contexts(document: Mapping[str, Any]) -> list[str]:
    return [c for c in as_list(document.get("@context")) if isinstance(c, str)]


def is_ob3(document: Any) -> bool:
    """Whether ``document`` is an OB 3.0 achievement credential (by type, or context + achievement).

    CLR 2.0 and endorsement credentials share the OB context but are not micro-credentials.
    """
    if not isinstance(document, Mapping) or _types(document) & NOT_OB_TYPES:
        return False
    if _types(document) & OB_TYPES:
        return True
    subject = next(iter(as_list(document.get("credentialSubject"))), None)
    has_ob_context = any(c.startswith(OB_CONTEXT_PREFIX) for c in _contexts(document))
    return has_ob_context and isinstance(subject, Mapping) and "achievement" in subject


class _Reader:
    """Reads one credential, collecting problems by element."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.doc = document
        self.ours = EXTENSION_CONTEXT in _contexts(document)
        self.problems: list[Problem] = []
        subject = next(iter(as_list(document.get("credentialSubject"))), None)
        self.subject: Mapping[str, Any] = subject if isinstance(subject, Mapping) else {}
        achievement = self.subject.get("achievement")
        self.ach: Mapping[str, Any] = achievement if isinstance(achievement, Mapping) else {}
        self.lang = language_of(self.ach.get("inLanguage"))

    def problem(self, element: str, message: str) -> None:
        self.problems.append(Problem(element, message))

    def text(self, node: Mapping[str, Any], plain: str, lang_map: str) -> dict[str, str] | None:
        return text(node, plain, lang_map, self.lang)

    def read(self) -> MicroCredential:
        issuer = self.doc.get("issuer")
        readers: dict[str, Callable[[], Any]] = {
            "id": lambda: iri(self.doc.get("id")),
            "achievement_id": lambda: iri(self.subject.get("claimId")),
            "specification_id": self._specification_id,
            "learner": lambda: learner(self.subject, self.problem),
            "title": lambda: (
                self.text(self.ach, "name", "nameMap") or self.text(self.doc, "name", "nameMap")
            ),
            "description": self._description,
            "issuer_countries": lambda: issuer_places(issuer, self.problem),
            "awarding_bodies": lambda: self._awarding_bodies(issuer),
            "issued": lambda: self._date("issued", "validFrom", "issuanceDate", "awardedDate"),
            "valid_until": lambda: self._date("valid_until", "validUntil", "expirationDate"),
            "learning_outcomes": self._outcomes,
            "workload": self._workload,
            "level": self._level,
            "assessment_types": lambda: concept_list(self.ach.get("assessmentType")),
            "participation": self._participation,
            "quality_assurance": lambda: tuple(self._quality()),
            "prerequisites": lambda: self.text(self.ach, "", "prerequisites"),
            "supervision": self._supervision,
            "grade": lambda: grade(self.subject, self.ach, self.ours, self.lang, self.problem),
            "stackability": self._stackability,
            "further_information": lambda: self.text(self.ach, "", "furtherInformation"),
            "field_of_study": self._field_of_study,
            "languages": self._languages,
            "parts": self._parts,
        }
        fields = {name: self._guarded(name, read) for name, read in readers.items()}
        fields["issuer_id"] = _issuer_id(issuer, fields["awarding_bodies"])
        return self._build(fields)

    def _guarded(self, name: str, read: Callable[[], Any]) -> Any:
        """The field's value, or ``None`` with a problem when its parts break the model."""
        try:
            return read()
        except ValidationError as error:
            self.problem(ELEMENT_OF_FIELD.get(name, name), f"not readable: {_first(error)}")
            return None

    def _build(self, fields: dict[str, Any]) -> MicroCredential:
        """The model; a field that breaks it is dropped and reported."""
        fields = {name: value for name, value in fields.items() if value is not None}
        for _ in range(len(fields) + 1):
            try:
                return MicroCredential(**fields)
            except ValidationError as error:
                for detail in error.errors():
                    name = str(detail["loc"][0]) if detail["loc"] else "credential"
                    fields.pop(name, None)
                    self.problem(ELEMENT_OF_FIELD.get(name, name), f"not readable: {detail['msg']}")
        return MicroCredential()

    def _specification_id(self) -> str | None:
        """The Achievement's id, unless it is the one our writer makes up for a credential."""
        found = iri(self.ach.get("id"))
        return None if found == default_achievement_id(iri(self.doc.get("id"))) else found

    def _description(self) -> dict[str, str] | None:
        if "descriptionMap" in self.ach or not self.ours:
            return self.text(self.ach, "description", "descriptionMap")
        return None  # our writer repeats the title when there is no description

    def _awarding_bodies(self, issuer: Any) -> tuple[Any, ...]:
        bodies = [organisation(issuer, "awarding_bodies", self.lang, self.problem)]
        for node in as_list(self.doc.get("coAwardingBody")):
            body = organisation(node, "awarding_bodies", self.lang, self.problem)
            places = issuer_places(node, self.problem)
            bodies.append(body.model_copy(update={"places": places}) if body else None)
        return tuple(b for b in bodies if b is not None)

    def _date(self, element: str, *keys: str) -> datetime | None:
        for key in keys:
            value = self.doc.get(key)
            if value is None:
                continue
            try:
                return datetime.fromisoformat(str(value))
            except ValueError:
                self.problem(element, f"{key} {value!r} is not an ISO 8601 date-time")
        return None

    def _outcomes(self) -> tuple[LearningOutcome, ...]:
        if "learningOutcome" in self.ach:
            return tuple(self._our_outcomes())
        return tuple(self._aligned_outcomes())

    def _our_outcomes(self) -> Iterator[LearningOutcome]:
        for node in as_list(self.ach.get("learningOutcome")):
            body = text(node, "", "outcomeText", self.lang) if isinstance(node, Mapping) else None
            if body is None:
                self.problem("learning_outcomes", "a learning outcome without text")
                continue
            skills = (iri(s) for s in as_list(node.get("escoSkill")))
            yield LearningOutcome(
                text=body, skills=tuple(s for s in skills if s), id=iri(node.get("id"))
            )

    def _aligned_outcomes(self) -> Iterator[LearningOutcome]:
        """Competency alignments of a foreign credential, as learning outcomes."""
        for node in as_list(self.ach.get("alignment")):
            if not isinstance(node, Mapping) or is_eqf(node):
                continue
            if node.get("targetType") not in OUTCOME_TARGET_TYPES:
                continue
            body = text(node, "targetName", "", self.lang) or text(
                node, "targetDescription", "", self.lang
            )
            url = node.get("targetUrl")
            if body is not None:
                yield LearningOutcome(text=body, skills=(url,) if _is_esco(url) else ())

    def _parts(self) -> tuple[CredentialPart, ...] | None:
        """A larger credential's parts: our ``ceterms:Credential`` alignments (a foreign badge's
        alignment to a credential may mean something else, so only ours are read as parts)."""
        if not self.ours:
            return None
        found = []
        for node in as_list(self.ach.get("alignment")):
            if isinstance(node, Mapping) and node.get("targetType") == PART_TARGET_TYPE:
                title = text(node, "targetName", "", self.lang)
                url = node.get("targetUrl")
                if title is not None and isinstance(url, str) and url:
                    found.append(CredentialPart(id=url, title=title))
        return tuple(found) or None

    def _workload(self) -> Workload | None:
        ects = decimal_of(self.ach.get("creditsAvailable"))
        hours = decimal_of(self.ach.get("workloadHours"))
        duration = self.ach.get("workloadDuration")
        if "creditsAvailable" in self.ach and ects is None:
            self.problem(
                "workload", f"creditsAvailable {self.ach['creditsAvailable']!r} is not a number"
            )
        if ects is None and hours is None and duration is None:
            return None
        return Workload(
            ects=ects, hours=hours, duration=duration if isinstance(duration, str) else None
        )

    def _level(self) -> Level | None:
        alignments = as_list(self.ach.get("alignment"))
        found = next((uri for node in alignments if (uri := eqf_iri(node))), None)
        eqf = concept(found) if found else None
        qf_ehea = optional_concept(self.ach.get("qfEheaCycle"))
        nqf = optional_concept(self.ach.get("nqfLevel"))
        if eqf is None and qf_ehea is None and nqf is None:
            return None
        return Level(eqf=eqf, qf_ehea=qf_ehea, nqf=nqf)

    def _participation(self) -> Participation | None:
        mode = optional_concept(self.ach.get("participationMode"))
        if mode is None:
            return None
        setting = optional_concept(self.ach.get("learningSetting"))
        activity = optional_concept(self.ach.get("learningActivity"))
        return Participation(mode=mode, setting=setting, activity=activity)

    def _quality(self) -> Iterator[QualityAssurance]:
        for node in as_list(self.ach.get("qualityAssurance")):
            qa_type = optional_concept(node.get("qaType")) if isinstance(node, Mapping) else None
            if qa_type is None:
                self.problem("quality_assurance", "a quality assurance entry without qaType")
                continue
            yield QualityAssurance(
                type=qa_type,
                id=iri(node.get("id")),
                agency=text(node, "", "qaAgency", self.lang),
                agency_id=iri(node.get("qaAgencyId")),
                agency_country=optional_concept(node.get("qaAgencyCountry")),
                decision=text(node, "", "qaDecision", self.lang),
                report=iri(node.get("qaReport")),
                valid_from=day_of(node.get("qaValidFrom")),
                valid_until=day_of(node.get("qaValidUntil")),
            )

    def _stackability(self) -> Stackability | None:
        kind = self.ach.get("stackability")
        if kind not in ("stand-alone", "stackable"):
            if kind is not None:
                self.problem("stackability", f"{kind!r} is neither 'stand-alone' nor 'stackable'")
            return None
        towards = [
            StackTarget(title=title, id=iri(node.get("id")))
            for node in as_list(self.ach.get("stackableTowards"))
            if isinstance(node, Mapping) and (title := text(node, "", "targetTitle", self.lang))
        ]
        return Stackability(kind=kind, towards=tuple(towards))

    def _supervision(self) -> ConceptRef | None:
        """Our Annex I value; an EU supervision-verification concept naming one maps back."""
        found = optional_concept(self.ach.get("supervisionVerification"))
        vocab = vocabularies()
        if found is None or vocab.concept("supervision-verification", found.id) is None:
            return found
        annex1 = [c.uri for c in vocab.scheme("supervision") if c.broader == found.id]
        if len(annex1) == 1:
            return concept(annex1[0])
        self.problem("supervision", f"{found.id} does not name one of the four Annex I values")
        return None

    def _field_of_study(self) -> Any:
        found = optional_concept(self.ach.get("iscedField"))
        field = self.ach.get("fieldOfStudy")
        if found is None and isinstance(field, str) and field:
            found = coded("isced-f", field.split(" ")[0])
            if found is None:
                self.problem("field_of_study", f"{field!r} is not an ISCED-F 2013 field")
        return found

    def _languages(self) -> Any:
        if "instructionLanguage" in self.ach:
            return concept_list(self.ach.get("instructionLanguage"))
        code = self.ach.get("inLanguage")
        found = coded("language", code.split("-")[0].lower()) if isinstance(code, str) else None
        return (found,) if found else ()


def _issuer_id(issuer: Any, bodies: tuple[Organisation, ...] | None) -> str | None:
    """The issuer's id when no awarding body keeps it: the body has another id
    (``awardingBodyId``), or the issuer has no name to make a body of."""
    own = iri(issuer)
    return own if own and (not bodies or bodies[0].id != own) else None


def _first(error: ValidationError) -> str:
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"])
    return f"{where}: {detail['msg']}" if where else detail["msg"]


def language_of(value: Any) -> str:
    if isinstance(value, str) and value:
        tag = value.split("-")[0].lower()
        if tag.isalpha() and 2 <= len(tag) <= 3:
            return tag
    return "en"


def decimal_of(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def day_of(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _is_esco(url: Any) -> bool:
    return isinstance(url, str) and "data.europa.eu/esco/" in url


def is_eqf(node: Mapping[str, Any]) -> bool:
    url = node.get("targetUrl")
    return node.get("targetType") == EQF_TARGET_TYPE or (
        isinstance(url, str) and url.startswith(EQF_PREFIXES)
    )


def eqf_iri(node: Any) -> str | None:
    """The EQF concept an alignment points to, by URL or by EQF framework and code."""
    if not isinstance(node, Mapping):
        return None
    url = str(node.get("targetUrl", ""))
    if url.startswith(EQF_PREFIXES):
        return "http://data.europa.eu/snb/eqf/" + url.rstrip("/").rsplit("/", 1)[-1]
    named = f"{node.get('targetFramework', '')} {node.get('targetName', '')}"
    if not is_eqf(node) and "EQF" not in named and "European Qualifications" not in named:
        return None
    code = str(node.get("targetCode", "")).strip()
    found = vocabularies().scheme("eqf").by_notation(code) if code else None
    return found.uri if found else None


def from_ob3(document: Mapping[str, Any]) -> Imported:
    """Read an OB 3.0 credential; what could not be mapped is reported by element."""
    if not is_ob3(document):
        raise NotACredential("not an Open Badges 3.0 credential (no OpenBadgeCredential type)")
    reader = _Reader(document)
    credential = reader.read()
    reported = {p.element for p in reader.problems}
    reader.problems.extend(p for p in _absent(credential) if p.element not in reported)
    return Imported("ob3", credential, tuple(reader.problems))


ABSENT = {
    "learner": "no learner id or identifier in credentialSubject",
    "title": "no achievement name",
    "issuer_countries": "no issuer address with a country",
    "awarding_bodies": "no named issuer",
    "issued": "no validFrom (or issuanceDate)",
    "learning_outcomes": "no learning outcomes (microcred extension or competency alignments)",
    "workload": "no creditsAvailable or workload hours",
    "eqf_level": "no EQF alignment",
    "assessment_type": "OB 3.0 has no type of assessment; no microcred extension",
    "participation_form": "OB 3.0 has no form of participation; no microcred extension",
    "quality_assurance": "OB 3.0 has no type of quality assurance; no microcred extension",
}


def _absent(mc: MicroCredential) -> Iterator[Problem]:
    """A problem for each mandatory element the credential does not carry."""
    for key in missing_mandatory(mc):
        yield Problem(key, f"not in the OB 3.0 credential: {ABSENT[key]}")
