"""Model -> EDC JSON-LD (ELM 3.2 application profile): the claim, its specification, the assessment.

The mapping, and the nearest ELM constructs chosen where ELM has no property of its own
(stackability, QF-EHEA cycle, supervision), are documented in ``docs/elm-mapping.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from microcred.core.durations import hours_duration
from microcred.core.formats.elm_own_concepts import setting_terms
from microcred.core.formats.elm_parties import (
    display_parameter,
    organisation_node,
    person_node,
    places_nodes,
)
from microcred.core.formats.elm_parts import part_nodes
from microcred.core.formats.elm_terms import (
    ECTS,
    EDC_CONTEXT,
    EDC_TYPES,
    ESCO_SKILL,
    GENERIC_PROFILE,
    MODE_ONLINE,
    MODE_PRESENTIAL,
    NOTE_FURTHER_INFORMATION,
    SCHEMES,
    SHACL_SCHEMA,
    VC_V1_CONTEXT,
    concept_node,
    note_node,
)
from microcred.core.model import (
    ConceptRef,
    LearningOutcome,
    MicroCredential,
    Organisation,
    Place,
    QualityAssurance,
    Workload,
)
from microcred.core.vocab import Vocabularies, vocabularies

_ONLINE_SUPERVISION = re.compile(r"/supervised-online-id-verification$")
_ONSITE_SUPERVISION = re.compile(r"/supervised-onsite-id-verification$")


@dataclass(frozen=True)
class _Context:
    mc: MicroCredential
    vocab: Vocabularies
    lang: str
    places: tuple[dict[str, Any], ...]
    awarding: dict[str, Any] | None


def to_elm(
    mc: MicroCredential, *, credential_id: str | None = None, issuer_id: str | None = None
) -> dict[str, Any]:
    """The unsigned EDC (``VerifiableCredential``, ``EuropeanDigitalCredential``) for ``mc``."""
    vocab = vocabularies()
    lang = next(iter(mc.title), "en") if mc.title else "en"
    places = places_nodes(mc.issuer_countries, vocab)
    issuer_id = issuer_id or mc.issuer_id
    bodies = [
        _body_node(body, i, places, vocab, issuer_id) for i, body in enumerate(mc.awarding_bodies)
    ]
    awarding = _awarding_process(mc, bodies)
    ctx = _Context(mc, vocab, lang, places, awarding)
    doc: dict[str, Any] = {"@context": [VC_V1_CONTEXT, EDC_CONTEXT]}
    if credential_id or mc.id:
        doc["id"] = credential_id or mc.id
    doc["type"] = list(EDC_TYPES)
    doc["credentialProfiles"] = concept_node(GENERIC_PROFILE, "credential", vocab)
    doc["credentialSchema"] = {"id": SHACL_SCHEMA, "type": "ShaclValidator2017"}
    doc["displayParameter"] = display_parameter(mc.title, mc.description, lang, vocab)
    issuer = _issuer(mc, bodies, places, issuer_id)
    if issuer is not None:
        doc["issuer"] = issuer
    if mc.issued is not None:
        doc["issuanceDate"] = doc["issued"] = doc["validFrom"] = _datetime(mc.issued)
    if mc.valid_until is not None:
        doc["validUntil"] = _datetime(mc.valid_until)
    doc["credentialSubject"] = person_node(mc.learner, lang, _achievement(ctx))
    _name_blank_nodes(doc, [0], set())
    return doc


def _name_blank_nodes(value: Any, counter: list[int], seen: set[int]) -> None:
    """Give every typed node without an id a blank-node id, so a node embedded twice is one node."""
    if isinstance(value, list):
        for item in value:
            _name_blank_nodes(item, counter, seen)
        return
    if not isinstance(value, dict) or id(value) in seen:
        return
    seen.add(id(value))
    if "type" in value and "id" not in value and "@context" not in value:
        counter[0] += 1
        value["id"] = f"_:node-{counter[0]}"
    for key, item in value.items():
        if key != "@context":
            _name_blank_nodes(item, counter, seen)


def _body_node(
    body: Organisation,
    index: int,
    places: tuple[dict[str, Any], ...],
    vocab: Vocabularies,
    issuer_id: str | None,
) -> dict[str, Any]:
    """An awarding body at its own places (else the issuer's); the first one is the issuer
    unless both have ids and they differ."""
    own = places_nodes(body.places, vocab, f"org-{index}-") if body.places else places
    shared = index == 0 and not (body.id and issuer_id and body.id != issuer_id)
    node_id = (issuer_id or body.id) if shared else body.id
    return organisation_node(body, own, vocab, node_id=node_id, index=index)


def _issuer(
    mc: MicroCredential,
    bodies: list[dict[str, Any]],
    places: tuple[dict[str, Any], ...],
    issuer_id: str | None,
) -> dict[str, Any] | None:
    """The first awarding body; an issuer with an id of its own is a copy of it under that id;
    without any awarding body, an organisation that only carries the countries."""
    if bodies:
        first = bodies[0]
        if issuer_id is None or first["id"] == issuer_id:
            return first
        copy = {k: v for k, v in first.items() if k != "location"} | {"id": issuer_id}
        return copy | ({"location": list(places)} if places else {})
    if not places and issuer_id is None:
        return None
    node: dict[str, Any] = {"id": issuer_id or "_:issuer", "type": "Organisation"}
    if places:
        node["location"] = list(places)
    return node


def _awarding_process(mc: MicroCredential, bodies: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not bodies and mc.issued is None:
        return None
    process: dict[str, Any] = {"id": "_:awarding", "type": "AwardingProcess"}
    if bodies:
        process["awardingBody"] = bodies
    if mc.issued is not None:
        process["awardingDate"] = _datetime(mc.issued)
    return process


def _achievement(ctx: _Context) -> dict[str, Any]:
    """The LearningAchievement claim: title, awarding, specification and assessment."""
    mc = ctx.mc
    claim: dict[str, Any] = {
        "id": mc.achievement_id or "_:achievement",
        "type": "LearningAchievement",
    }
    if mc.title:
        claim["title"] = dict(mc.title)
    if mc.description:
        claim["description"] = dict(mc.description)
    if ctx.awarding is not None:
        claim["awardedBy"] = ctx.awarding
    specs = _assessment_specs(ctx)
    assessment = _assessment(ctx, specs)
    if assessment is not None:
        claim["provenBy"] = [assessment]
    claim["specifiedBy"] = _qualification(ctx, specs)
    parts = part_nodes(mc, (ctx.awarding or {}).get("awardingBody", []), ctx.vocab)
    if parts:
        claim["hasPart"] = parts
    return claim


def _qualification(ctx: _Context, specs: list[dict[str, Any]]) -> dict[str, Any]:
    """The Qualification: outcomes, workload, level, participation, QA, stackability, notes."""
    mc, vocab = ctx.mc, ctx.vocab
    spec: dict[str, Any] = {"id": mc.specification_id or "_:specification", "type": "Qualification"}
    if mc.title:
        spec["title"] = dict(mc.title)
    if mc.description:
        spec["description"] = dict(mc.description)
    if mc.learning_outcomes:
        spec["learningOutcome"] = [_outcome(o, i) for i, o in enumerate(mc.learning_outcomes)]
    if mc.workload is not None:
        spec.update(_workload(mc.workload, vocab))
    spec.update(_level(ctx))
    spec.update(_participation(ctx))
    if mc.prerequisites:
        spec["entryRequirement"] = note_node(mc.prerequisites)
    if mc.languages:
        spec["language"] = [concept_node(ref, "language", vocab) for ref in mc.languages]
    if mc.field_of_study is not None:
        spec["thematicArea"] = [concept_node(mc.field_of_study, "isced-f", vocab)]
    if specs:
        spec["provenBy"] = specs
    if mc.quality_assurance:
        spec["accreditation"] = [
            _accreditation(qa, i, ctx) for i, qa in enumerate(mc.quality_assurance)
        ]
    spec.update(_stackability(ctx))
    if mc.further_information:
        spec.setdefault("additionalNote", []).append(
            note_node(mc.further_information, NOTE_FURTHER_INFORMATION)
        )
    return spec


def _outcome(outcome: LearningOutcome, index: int) -> dict[str, Any]:
    skills = outcome.skills
    node: dict[str, Any] = {
        "id": outcome.id or f"_:outcome-{index}",
        "type": "LearningOutcome",
        "title": dict(outcome.text),
    }
    scheme = {"id": SCHEMES["esco-skill"], "type": "ConceptScheme"}
    esco = [s for s in skills if s.startswith(ESCO_SKILL)]
    other = [s for s in skills if not s.startswith(ESCO_SKILL)]  # scheme unknown to us
    if esco:
        node["relatedESCOSkill"] = [{"id": s, "type": "Concept", "inScheme": scheme} for s in esco]
    if other:
        node["relatedSkill"] = [{"id": s, "type": "Concept"} for s in other]
    return node


def _workload(workload: Workload, vocab: Vocabularies) -> dict[str, Any]:
    """ECTS as a creditPoint; hours (or the duration as written) as volumeOfLearning."""
    out: dict[str, Any] = {}
    if workload.ects is not None:
        out["creditPoint"] = [
            {
                "id": "_:credit-ects",
                "type": "CreditPoint",
                "framework": concept_node(ECTS, "education-credit", vocab),
                "point": format(workload.ects, "f"),
            }
        ]
    if workload.duration is not None:
        out["volumeOfLearning"] = workload.duration
    elif workload.hours is not None:
        out["volumeOfLearning"] = hours_duration(workload.hours)
    return out


def _level(ctx: _Context) -> dict[str, Any]:
    """EQF and NQF levels; the QF-EHEA cycle as an educationLevel concept (no ELM property)."""
    level, out = ctx.mc.level, dict[str, Any]()
    if level is None:
        return out
    if level.eqf is not None:
        out["eqfLevel"] = concept_node(level.eqf, "eqf", ctx.vocab)
    if level.nqf is not None:
        out["nqfLevel"] = [concept_node(level.nqf, "nqf", ctx.vocab)]
    if level.qf_ehea is not None:
        out["educationLevel"] = [concept_node(level.qf_ehea, "qf-ehea", ctx.vocab)]
    return out


def _participation(ctx: _Context) -> dict[str, Any]:
    """Mode (online/on site/blended), learning setting, and the kind of learning activity."""
    part, out = ctx.mc.participation, dict[str, Any]()
    if part is None:
        return out
    out["mode"] = [concept_node(part.mode, "learning-assessment", ctx.vocab)]
    if part.setting is not None:
        out.update(setting_terms(part.setting, ctx.vocab))
    if part.activity is not None:
        title = dict(part.activity.label) or {"en": "Learning activity"}
        out["influencedBy"] = [
            {
                "id": "_:activity-spec",
                "type": "LearningActivitySpecification",
                "title": title,
                "dcType": [concept_node(part.activity, "learning-activity", ctx.vocab)],
            }
        ]
    return out


def _assessment_specs(ctx: _Context) -> list[dict[str, Any]]:
    """One LearningAssessmentSpecification per assessment type (ELM allows one type each)."""
    specs: list[dict[str, Any]] = []
    for i, ref in enumerate(ctx.mc.assessment_types):
        specs.append(
            {
                "id": f"_:assessment-spec-{i}",
                "type": "LearningAssessmentSpecification",
                "title": dict(ref.label) or {"en": "Assessment"},
                "dcType": concept_node(ref, "assessment", ctx.vocab),
            }
        )
    mc = ctx.mc
    mode = _supervision_mode(mc.supervision)
    grading = mc.grade.scheme if mc.grade else None
    ungraded = mc.supervision is not None and mc.grade is None
    if (mode or grading or ungraded) and not specs:
        specs.append(
            {
                "id": "_:assessment-spec-0",
                "type": "LearningAssessmentSpecification",
                "title": {"en": "Assessment"},
            }
        )
    if mode:
        specs[0]["mode"] = [concept_node(ConceptRef(id=mode), "learning-assessment", ctx.vocab)]
    if grading:
        specs[0]["gradingScheme"] = {
            "id": "_:grading-scheme",
            "type": "GradingScheme",
            "title": dict(grading),
        }
    if ungraded and mc.supervision is not None:
        specs[0]["additionalNote"] = [_supervision_note(mc.supervision, ctx.vocab)]
    return specs


def _supervision_note(ref: ConceptRef, vocab: Vocabularies) -> dict[str, Any]:
    """Without a grade there is no LearningAssessment: a note typed by the concept carries it."""
    subject = _id_verification(ref, vocab)
    text = subject.get("prefLabel") or dict(ref.label) or {"en": "supervision"}
    return {"type": "Note", "subject": subject, "noteLiteral": dict(text)}


def _supervision_mode(ref: ConceptRef | None) -> str | None:
    """Online and on-site supervision share one EU concept: the assessment mode tells them apart."""
    if ref is None:
        return None
    if _ONLINE_SUPERVISION.search(ref.id):
        return MODE_ONLINE
    return MODE_PRESENTIAL if _ONSITE_SUPERVISION.search(ref.id) else None


def _assessment(ctx: _Context, specs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The graded LearningAssessment: grade, supervision (idVerification), specification."""
    mc = ctx.mc
    if mc.grade is None:
        return None
    title = specs[0]["title"] if specs else {"en": "Assessment"}
    node: dict[str, Any] = {"id": "_:assessment", "type": "LearningAssessment", "title": title}
    if ctx.awarding is not None:
        node["awardedBy"] = ctx.awarding
    node["grade"] = note_node({ctx.lang: mc.grade.value})
    if mc.supervision is not None:
        node["idVerification"] = _id_verification(mc.supervision, ctx.vocab)
    if specs:
        node["specifiedBy"] = specs[0]
    return node


def _id_verification(ref: ConceptRef, vocab: Vocabularies) -> dict[str, Any]:
    """The EU supervision-verification concept for an Annex I value; ours when the EU has none."""
    found = vocab.concept("supervision", ref.id)
    if found is not None and found.broader:
        eu = vocab.concept("supervision-verification", found.broader)
        label = dict(eu.labels) if eu else {}
        return concept_node(
            ConceptRef(id=found.broader, label=label), "supervision-verification", vocab
        )
    return concept_node(ref, "supervision", vocab)


def _accreditation(qa: QualityAssurance, index: int, ctx: _Context) -> dict[str, Any]:
    """An Accreditation: type, agency, decision, report, validity."""
    node: dict[str, Any] = {
        "id": f"_:accreditation-{index}",
        "type": "Accreditation",
        "dcType": concept_node(qa.type, "accreditation", ctx.vocab),
        "title": dict(qa.type.label) or {"en": "Quality assurance"},
    }
    if qa.id is not None:
        node["identifier"] = [
            {"type": "Identifier", "notation": qa.id, "schemeName": "qa-decision"}
        ]
    agent = _agency(qa, index, ctx)
    if agent is not None:
        node["accreditingAgent"] = agent
    if qa.decision:
        node["description"] = dict(qa.decision)
    if qa.report is not None:
        node["report"] = {"type": "WebResource", "contentURL": qa.report}
    if qa.valid_from is not None:
        node["dateIssued"] = _day(qa.valid_from)  # dc:issued; "issued" is not an ELM term here
    if qa.valid_until is not None:
        node["expiryDate"] = _day(qa.valid_until)
    return node


def _agency(qa: QualityAssurance, index: int, ctx: _Context) -> dict[str, Any] | None:
    """The QA agency, at its own country (else the issuer's places)."""
    if qa.agency is None and qa.agency_id is None:
        return None
    agent: dict[str, Any] = {"id": qa.agency_id or f"_:agency-{index}", "type": "Organisation"}
    if qa.agency:
        agent["legalName"] = dict(qa.agency)
    own = (Place(country=qa.agency_country),) if qa.agency_country else ()
    places = places_nodes(own, ctx.vocab, f"agency-{index}-") if own else ctx.places
    if places:
        agent["location"] = list(places)
    return agent


def _stackability(ctx: _Context) -> dict[str, Any]:
    """Stand-alone or stackable as isPartialQualification; targets as isPartOf qualifications."""
    stack = ctx.mc.stackability
    if stack is None:
        return {}
    out: dict[str, Any] = {"isPartialQualification": stack.kind == "stackable"}
    if stack.towards:
        out["isPartOf"] = [
            {"id": t.id or f"_:stack-target-{i}", "type": "Qualification", "title": dict(t.title)}
            for i, t in enumerate(stack.towards)
        ]
    return out


def _datetime(value: datetime) -> str:
    return value.isoformat()


def _day(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"
