"""EDC JSON-LD (ELM 3.x; VC 1.1 or 2.0 envelope) -> the Annex I model, and what could not be mapped.

Reads microcred's exports and the official samples: the claim (a LearningAchievement, else the
first claim), its specification (Qualification or LearningAchievementSpecification), the
assessment, the activities and the issuer. ``docs/elm-mapping.md`` has the table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from microcred.core.annex1 import workload_problems
from microcred.core.durations import hours_duration, parse_duration
from microcred.core.formats.base import Imported
from microcred.core.formats.elm_assessment import (
    read_assessment_types,
    read_grade,
    read_supervision,
)
from microcred.core.formats.elm_nodes import (
    Findings,
    Node,
    concept_ref,
    concept_refs,
    day,
    first_text,
    model_id,
    node,
    nodes,
    official,
    string,
    text,
    types,
    when,
)
from microcred.core.formats.elm_own_concepts import setting_from_notes
from microcred.core.formats.elm_parts import read_parts
from microcred.core.formats.elm_read_parties import read_learner, read_organisation, read_places
from microcred.core.formats.elm_terms import ECTS, EDC_CONTEXT, NOTE_FURTHER_INFORMATION, NOTE_LOGO
from microcred.core.model import (
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


def unwrap(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The credential in an EDC upload wrapper (``credential``) or JAdES JSON seal (``payload``)."""
    inner = document.get("credential")
    if isinstance(inner, Mapping):
        return inner
    payload = document.get("payload")
    if isinstance(payload, str):
        try:
            parsed = json.loads(payload)
        except ValueError:
            return document
        if isinstance(parsed, Mapping):
            return parsed
    return document


def is_elm(document: Mapping[str, Any]) -> bool:
    """An EDC: typed ``EuropeanDigitalCredential`` or in the EDC context (also wrapped, sealed)."""
    doc = unwrap(document)
    contexts = doc.get("@context", [])
    contexts = contexts if isinstance(contexts, list) else [contexts]
    return "EuropeanDigitalCredential" in types(doc) or EDC_CONTEXT in contexts


def from_elm(document: Mapping[str, Any]) -> Imported:
    """Read an EDC into the model; problems name what could not be mapped or is wrong."""
    doc = unwrap(document)
    found = Findings(vocabularies())
    subject = node(doc.get("credentialSubject"))
    claim = _claim(subject, found)
    spec = node(claim.get("specifiedBy")) if claim else None
    fields: dict[str, Any] = {
        "id": string(doc.get("id", doc.get("@id"))),
        "achievement_id": model_id(claim),
        "specification_id": model_id(spec),
    }
    readers: dict[str, Callable[[], Any]] = {
        "learner": lambda: read_learner(subject),
        "title": lambda: _title(doc, claim, spec),
        "description": lambda: _first_text_map(claim, spec, "description"),
        "issuer_countries": lambda: _countries(doc, claim, found),
        "awarding_bodies": lambda: _awarding_bodies(doc, claim, found),
        "issued": lambda: _issued(doc, claim),
        "valid_until": lambda: when(doc.get("validUntil", doc.get("expirationDate"))),
        "learning_outcomes": lambda: _outcomes(spec, found),
        "workload": lambda: _workload(claim, spec, found),
        "level": lambda: _level(spec),
        "assessment_types": lambda: read_assessment_types(claim, spec, found),
        "participation": lambda: _participation(claim, spec, found),
        "quality_assurance": lambda: _quality_assurance(claim, spec, found),
        "prerequisites": lambda: _note_text(spec, "entryRequirement"),
        "supervision": lambda: read_supervision(claim, spec, found),
        "grade": lambda: read_grade(claim),
        "stackability": lambda: _stackability(spec),
        "further_information": lambda: _further_information(claim, spec),
        "field_of_study": lambda: _field_of_study(spec, found),
        "languages": lambda: tuple(concept_refs(spec.get("language"))) if spec else (),
        "parts": lambda: read_parts(claim),
    }
    for name, read in readers.items():
        try:
            fields[name] = read()
        except ValueError as error:  # a value the model refuses: report it, keep the rest
            found.add(name, f"not readable: {str(error).splitlines()[0]}")
    fields["issuer_id"] = _issuer_id(doc, fields.get("awarding_bodies"))
    fields["awarding_bodies"] = _own_places(fields.get("awarding_bodies"), fields)
    fields["quality_assurance"] = _agency_countries(fields.get("quality_assurance"), fields)
    mc = MicroCredential(**{k: v for k, v in fields.items() if v not in (None, ())})
    return Imported("elm", mc, tuple(found.problems))


def _issuer_id(doc: Node, bodies: tuple[Organisation, ...] | None) -> str | None:
    """The issuer's id when it is not the first awarding body's (that one is kept there)."""
    issuer = model_id(_issuer_node(doc))
    return issuer if issuer and (not bodies or bodies[0].id != issuer) else None


def _countries_of(fields: dict[str, Any]) -> set[str]:
    return {place.country.id for place in fields.get("issuer_countries") or ()}


def _own_places(
    bodies: tuple[Organisation, ...] | None, fields: dict[str, Any]
) -> tuple[Organisation, ...] | None:
    """Awarding bodies keep their own places only where they are not the issuer's."""
    if not bodies:
        return bodies
    issuer = fields.get("issuer_countries") or ()
    return tuple(
        body.model_copy(update={"places": ()}) if body.places == issuer else body for body in bodies
    )


def _agency_countries(
    items: tuple[QualityAssurance, ...] | None, fields: dict[str, Any]
) -> tuple[QualityAssurance, ...] | None:
    """A QA agency's country is kept when it is not one of the issuer's countries."""
    if not items:
        return items
    issuer = _countries_of(fields)
    return tuple(
        qa.model_copy(update={"agency_country": None})
        if qa.agency_country and qa.agency_country.id in issuer
        else qa
        for qa in items
    )


def _claim(subject: Node | None, found: Findings) -> Node | None:
    """The LearningAchievement the credential is about (else its first claim)."""
    claims = nodes(subject.get("hasClaim")) if subject else []
    achievements = [c for c in claims if "LearningAchievement" in types(c)]
    if len(achievements) > 1:
        found.add("title", f"{len(achievements)} learning achievements; only the first is read")
    return achievements[0] if achievements else (claims[0] if claims else None)


def _title(doc: Node, claim: Node | None, spec: Node | None) -> dict[str, str] | None:
    display = node(doc.get("displayParameter"))
    for item in (claim, spec, display):
        if item is not None and (found := text(item.get("title"))):
            return found
    return None


def _first_text_map(claim: Node | None, spec: Node | None, key: str) -> dict[str, str] | None:
    for item in (claim, spec):
        if item is not None and (found := text(item.get(key))):
            return found
    return None


def _note_text(item: Node | None, key: str) -> dict[str, str] | None:
    note = node(item.get(key)) if item else None
    return text(note.get("noteLiteral")) if note else None


def _issuer_node(doc: Node) -> Node | None:
    return node(doc.get("issuer"))


def _awarding_nodes(claim: Node | None) -> list[Node]:
    process = node(claim.get("awardedBy")) if claim else None
    return nodes(process.get("awardingBody")) if process else []


def _countries(doc: Node, claim: Node | None, found: Findings) -> tuple[Any, ...]:
    """The issuer's countries; without them, the first awarding body's."""
    places = read_places(_issuer_node(doc), found)
    if not places:
        bodies = _awarding_nodes(claim)
        places = read_places(bodies[0] if bodies else None, found)
    return places


def _awarding_bodies(doc: Node, claim: Node | None, found: Findings) -> tuple[Organisation, ...]:
    """Every awarding body of the claim; without any, the issuer when it has a legal name."""
    items = _awarding_nodes(claim)
    issuer = _issuer_node(doc)
    if not items and issuer is not None and issuer.get("legalName"):
        items = [issuer]
    bodies = [org for item in items if (org := read_organisation(item, found)) is not None]
    return tuple(bodies)


def _issued(doc: Node, claim: Node | None) -> Any:
    process = node(claim.get("awardedBy")) if claim else None
    for value in (
        doc.get("issued"),
        doc.get("issuanceDate"),
        process.get("awardingDate") if process else None,
        doc.get("validFrom"),
    ):
        if (found := when(value)) is not None:
            return found
    return None


def _outcomes(spec: Node | None, found: Findings) -> tuple[LearningOutcome, ...]:
    outcomes = []
    for item in nodes(spec.get("learningOutcome")) if spec else []:
        title = text(item.get("title"))
        if title is None:
            found.add("learning_outcomes", "a learning outcome without a title is not kept")
            continue
        skills = [
            *concept_refs(item.get("relatedESCOSkill")),
            *concept_refs(item.get("relatedSkill")),
        ]
        outcomes.append(
            LearningOutcome(text=title, skills=tuple(s.id for s in skills), id=model_id(item))
        )
    return tuple(outcomes)


def _workload(claim: Node | None, spec: Node | None, found: Findings) -> Workload | None:
    """ECTS credit points and the volume of learning; calendar durations are kept as written."""
    ects = _ects(spec, found)
    durations = _durations(claim, spec)
    main = durations[0][1] if durations else None
    for where, written in durations[1:]:
        for problem in workload_problems(Workload(duration=written)):
            found.add("workload", f"{where}: {problem.message}")
    if ects is None and main is None:
        return None
    hours, duration = _hours(main)
    return Workload(ects=ects, hours=hours, duration=duration)


def _ects(spec: Node | None, found: Findings) -> Decimal | None:
    for credit in nodes(spec.get("creditPoint")) if spec else []:
        framework = concept_ref(credit.get("framework"))
        point = string(credit.get("point"))
        if framework is None or framework.id != ECTS.id or point is None:
            found.add(
                "workload",
                f"credit points {point} in {framework.id if framework else '?'} "
                "are not ECTS; not kept",
            )
            continue
        try:
            value = Decimal(point.replace(",", "."))
        except InvalidOperation:
            value = Decimal("NaN")
        if value.is_finite():
            return value
        found.add("workload", f"ECTS credit points {point!r} are not a number")
    return None


def _durations(claim: Node | None, spec: Node | None) -> list[tuple[str, str]]:
    """(where, duration) of the volumes of learning, the claim's own first."""
    found: list[tuple[str, str]] = []

    def add(where: str, value: Any) -> None:
        if (written := string(value)) is not None:
            found.append((where, written))

    if claim is not None and "LearningActivity" in types(claim):
        add("workload of the learning activity", claim.get("workload"))
    if spec is not None:
        add("volume of learning", spec.get("volumeOfLearning"))
    for activity in nodes(claim.get("influencedBy")) if claim else []:
        name = first_text(activity.get("title")) or "a learning activity"
        add(f"learning activity {name!r}", activity.get("workload"))
        activity_spec = node(activity.get("specifiedBy"))
        if activity_spec is not None:
            add(f"learning activity {name!r}", activity_spec.get("volumeOfLearning"))
    return found


def _hours(written: str | None) -> tuple[Decimal | None, str | None]:
    """Hours of an hours duration; a calendar duration (``P60M``) is kept as written, not hours."""
    if written is None:
        return None, None
    parsed = parse_duration(written)
    if parsed is None or parsed.calendar_parts:
        return None, written
    hours = parsed.hours
    return hours, None if written == hours_duration(hours) else written


def _level(spec: Node | None) -> Level | None:
    if spec is None:
        return None
    eqf = concept_ref(spec.get("eqfLevel"))
    nqf = next(iter(concept_refs(spec.get("nqfLevel"))), None)
    cycles = [ref for ref in concept_refs(spec.get("educationLevel")) if "/qf-ehea/" in ref.id]
    qf_ehea = cycles[0] if cycles else None
    return Level(eqf=eqf, nqf=nqf, qf_ehea=qf_ehea) if eqf or nqf or qf_ehea else None


def _participation(claim: Node | None, spec: Node | None, found: Findings) -> Participation | None:
    """Mode, learning setting and the kind of learning activity."""
    if spec is None:
        return None
    mode = next(iter(concept_refs(spec.get("mode"))), None)
    setting = concept_ref(spec.get("learningSetting")) or setting_from_notes(spec)
    activity = _activity(claim, spec)
    if mode is None:
        if setting or activity:
            found.add(
                "participation_form",
                "a learning setting or activity but no mode (online, on site, blended)",
            )
        return None
    element = "participation_form"
    return Participation(
        mode=official(mode, "learning-assessment", element, found),
        setting=official(setting, "learning-setting", element, found) if setting else None,
        activity=official(activity, "learning-activity", element, found) if activity else None,
    )


def _activity(claim: Node | None, spec: Node) -> Any:
    """The kind of learning activity: the activity claim's type, or an influencing activity's."""
    candidates = []
    if claim is not None and "LearningActivity" in types(claim):
        candidates += concept_refs(spec.get("dcType"))
    for activity_spec in nodes(spec.get("influencedBy")):
        candidates += concept_refs(activity_spec.get("dcType"))
    for activity in nodes(claim.get("influencedBy")) if claim else []:
        specified = node(activity.get("specifiedBy"))
        candidates += concept_refs(specified.get("dcType")) if specified else []
    return candidates[0] if candidates else None


def _quality_assurance(
    claim: Node | None, spec: Node | None, found: Findings
) -> tuple[QualityAssurance, ...]:
    """Accreditations of the qualification, then of the awarding bodies."""
    items = nodes(spec.get("accreditation")) if spec else []
    for body in _awarding_nodes(claim):
        items += nodes(body.get("accreditation"))
    return tuple(qa for item in items if (qa := _accreditation(item, found)) is not None)


def _accreditation(item: Node, found: Findings) -> QualityAssurance | None:
    qa_type = concept_ref(item.get("dcType"))
    if qa_type is None:
        found.add("quality_assurance", "an accreditation without a type is not kept")
        return None
    agent = node(item.get("accreditingAgent"))
    agency_places = read_places(agent, found)
    identifier = node(item.get("identifier"))
    report = node(item.get("report"))
    decision = text(item.get("description")) or text(
        (node(item.get("decision")) or {}).get("prefLabel")
    )
    return QualityAssurance(
        type=official(qa_type, "accreditation", "quality_assurance", found),
        id=string(identifier.get("notation")) if identifier else model_id(item),
        agency=text(agent.get("legalName")) if agent else None,
        agency_id=model_id(agent),
        agency_country=agency_places[0].country if agency_places else None,
        decision=decision,
        report=string(report.get("contentURL", report.get("contentUrl"))) if report else None,
        valid_from=day(item.get("dateIssued", item.get("issued"))),
        valid_until=day(item.get("expiryDate")),
    )


def _stackability(spec: Node | None) -> Stackability | None:
    """isPartialQualification and the qualifications it is part of (see docs/elm-mapping.md)."""
    if spec is None:
        return None
    partial = spec.get("isPartialQualification")
    partial = (
        {"true": True, "false": False}.get(partial, partial)
        if isinstance(partial, str)
        else partial
    )
    towards = tuple(
        StackTarget(title=title, id=model_id(target))
        for target in nodes(spec.get("isPartOf"))
        if (title := text(target.get("title"))) is not None
    )
    if not isinstance(partial, bool) and not towards:
        return None
    stackable = partial if isinstance(partial, bool) else True
    return Stackability(kind="stackable" if stackable else "stand-alone", towards=towards)


def _further_information(claim: Node | None, spec: Node | None) -> dict[str, str] | None:
    """Notes typed as further information, or untyped notes, of the specification or claim."""
    merged: dict[str, str] = {}
    for item in (spec, claim):
        for note in nodes(item.get("additionalNote")) if item else []:
            subject = concept_ref(note.get("subject"))
            if subject is not None and subject.id == NOTE_LOGO:
                continue
            if subject is None or subject.id == NOTE_FURTHER_INFORMATION:
                for lang, value in (text(note.get("noteLiteral")) or {}).items():
                    merged.setdefault(lang, value)
    return merged or None


def _field_of_study(spec: Node | None, found: Findings) -> Any:
    fields = concept_refs(spec.get("thematicArea")) if spec else []
    if len(fields) > 1:
        found.add("field_of_study", f"{len(fields)} ISCED-F fields; the model keeps the first")
    return fields[0] if fields else None
