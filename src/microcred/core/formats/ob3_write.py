"""Model -> Open Badges 3.0 ``OpenBadgeCredential`` (VC Data Model 2.0), without losing Annex I.

OB 3.0 properties carry what they can (issuer, dates, name, ECTS, EQF alignment, grade...);
the rest goes in terms of microcred's extension context (``EXTENSION_CONTEXT``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from microcred.core.i18n import pick
from microcred.core.model import (
    ConceptRef,
    Grade,
    Learner,
    LearningOutcome,
    MicroCredential,
    Organisation,
    Place,
    QualityAssurance,
    Stackability,
)
from microcred.core.vocab import vocabularies

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EXTENSION_CONTEXT = "https://w3id.org/microcred/ob3-extension/v1"
CONTEXTS = (VC_V2, OB_CONTEXT, EXTENSION_CONTEXT)
# Added after CONTEXTS only when a document uses its terms (claimId, qaAgencyCountry): the v1
# extension context is published and stays as it is; this one only adds terms.
IDS_CONTEXT = "https://w3id.org/microcred/ob3-extension/ids/v1"
IDS_TERMS = ("claimId", "qaAgencyCountry")
EQF_FRAMEWORK = "European Qualifications Framework"
EQF_TARGET_TYPE = "ext:EQFLevel"
SKILL_TARGET_TYPE = "ceasn:Competency"
PART_TARGET_TYPE = "ceterms:Credential"  # a larger credential's alignment to each of its parts
GRADE_RESULT_TYPE = "Result"
# Model identifier schemes <-> OB 3.0 IdentifierType values (others are written ``ext:<scheme>``).
LEARNER_SCHEMES = {"national-id": "nationalIdentityNumber"}
OB_IDENTIFIER_TYPES = frozenset((
    "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
    "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId",
    "sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId",
    "ltiUserId", "identifier",
))  # fmt: skip


def primary(text: dict[str, str]) -> str:
    """The text in English when there is one, else in its first language."""
    return pick(text, "en") or ""


def timestamp(value: datetime) -> str:
    """ISO 8601 with ``Z`` for UTC."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def identifier_type(scheme: str, mapping: dict[str, str] | None = None) -> str:
    """The OB 3.0 IdentifierType for a model scheme."""
    scheme = (mapping or {}).get(scheme, scheme)
    return scheme if scheme in OB_IDENTIFIER_TYPES else f"ext:{scheme}"


def _ids(refs: tuple[ConceptRef, ...] | list[ConceptRef]) -> list[str]:
    return [ref.id for ref in refs]


def _drop_empty(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if v not in (None, [], {})}


def to_ob3(
    mc: MicroCredential, *, credential_id: str | None = None, issuer_id: str | None = None
) -> dict[str, Any]:
    """The unsigned OB 3.0 credential for ``mc`` (every Annex I element it carries)."""
    cred_id = credential_id or mc.id
    achievement_id = mc.specification_id or default_achievement_id(cred_id)
    document: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": cred_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": primary(mc.title) if mc.title else None,
        "issuer": _issuer(mc, issuer_id or mc.issuer_id),
        "validFrom": timestamp(mc.issued) if mc.issued else None,
        "validUntil": timestamp(mc.valid_until) if mc.valid_until else None,
        "credentialSubject": _subject(mc, achievement_id),
        "coAwardingBody": [_co_awarding(org) for org in mc.awarding_bodies[1:]],
    }
    if _uses_ids_terms(mc):
        document["@context"].append(IDS_CONTEXT)
    return _drop_empty(document)


def default_achievement_id(credential_id: str | None) -> str | None:
    """The Achievement's id when the source names no specification: ``<credential>#achievement``."""
    return f"{credential_id}#achievement" if credential_id else None


def _uses_ids_terms(mc: MicroCredential) -> bool:
    return bool(mc.achievement_id) or any(qa.agency_country for qa in mc.quality_assurance)


def _co_awarding(org: Organisation) -> dict[str, Any]:
    """A co-awarding body's Profile, at its own places when it has them."""
    profile = _profile(org, org.id)
    if org.places:
        profile["address"] = _address(org.places[0])
        if org.places[1:]:
            profile["additionalAddress"] = [_address(p) for p in org.places[1:]]
    return profile


def _issuer(mc: MicroCredential, issuer_id: str | None) -> dict[str, Any]:
    """The issuer Profile: the first awarding body, at the issuer's places."""
    places = mc.issuer_countries
    if mc.awarding_bodies:
        org = mc.awarding_bodies[0]
        profile = _profile(org, issuer_id or org.id)
        if issuer_id and org.id and org.id != issuer_id:
            profile["awardingBodyId"] = org.id
    else:
        profile = _drop_empty({"id": issuer_id, "type": ["Profile"]})
    if places:
        profile["address"] = _address(places[0])
        if places[1:]:
            profile["additionalAddress"] = [_address(p) for p in places[1:]]
    return profile


def _profile(org: Organisation, profile_id: str | None) -> dict[str, Any]:
    entries = [
        {
            "type": "IdentifierEntry",
            "identifier": i.value,
            "identifierType": identifier_type(i.scheme),
        }
        for i in org.identifiers
    ]
    return _drop_empty({
        "id": profile_id,
        "type": ["Profile"],
        "name": primary(org.name),
        "nameMap": dict(org.name),
        "url": org.homepage,
        "email": org.email,
        "image": {"id": org.logo, "type": "Image"} if org.logo else None,
        "otherIdentifier": entries,
    })  # fmt: skip


def _address(place: Place) -> dict[str, Any]:
    vocab = vocabularies()
    country = vocab.concept("country", place.country.id)
    region = vocab.concept("nuts", place.region.id) if place.region else None
    return _drop_empty({
        "type": ["Address"],
        "addressCountry": _label(place.country),
        "addressCountryCode": country.notation if country else None,
        "addressRegion": region.label().text if region else None,
        "countryConcept": place.country.id,
        "regionConcept": place.region.id if place.region else None,
    })  # fmt: skip


def _subject(mc: MicroCredential, achievement_id: str | None) -> dict[str, Any]:
    learner = mc.learner or Learner()
    subject: dict[str, Any] = {
        "id": learner.id,
        "type": ["AchievementSubject"],
        "claimId": mc.achievement_id,
        "identifier": _identities(learner),
        "achievement": _achievement(mc, achievement_id),
    }
    if mc.grade is not None:
        subject["result"] = [_result(mc.grade, achievement_id)]
    return _drop_empty(subject)


def _identity(identity_type: str, value: str, salt: str | None = None) -> dict[str, Any]:
    """An IdentityObject; a ``hashed-<type>`` scheme (read from a hashed one) stays hashed,
    with its salt."""
    hashed = identity_type.startswith("ext:hashed-")
    kind = identifier_type(identity_type.removeprefix("ext:hashed-")) if hashed else identity_type
    found = {
        "type": "IdentityObject",
        "hashed": hashed,
        "identityHash": value,
        "identityType": kind,
    }
    return found | ({"salt": salt} if salt and hashed else {})


def _identities(learner: Learner) -> list[dict[str, Any]]:
    """The learner's name, e-mail, birth date and identifiers as plain IdentityObjects."""
    found = [
        ("name", learner.full_name),
        ("ext:givenName", learner.given_name),
        ("ext:familyName", learner.family_name),
        ("emailAddress", learner.email),
        ("ext:birthDate", learner.birth_date.isoformat() if learner.birth_date else None),
    ]
    identities = [_identity(kind, value) for kind, value in found if value]
    for i in learner.identifiers:
        identities.append(_identity(identifier_type(i.scheme, LEARNER_SCHEMES), i.value, i.salt))
    return identities


def _achievement(mc: MicroCredential, achievement_id: str | None) -> dict[str, Any]:
    """The Achievement: OB 3.0 properties first, then the extension terms."""
    workload, languages = mc.workload, mc.languages
    title = primary(mc.title) if mc.title else None
    node: dict[str, Any] = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": title,
        "description": primary(mc.description) if mc.description else title,
        "criteria": {"narrative": _narrative(mc.learning_outcomes)},
        "alignment": _alignments(mc),
        "creditsAvailable": float(workload.ects) if workload and workload.ects else None,
        "fieldOfStudy": mc.field_of_study and _label(mc.field_of_study),
        "inLanguage": _language_code(languages[0]) if languages else None,
        "resultDescription": [_result_description(mc.grade, achievement_id)] if mc.grade else None,
    }
    return _drop_empty({**node, **_extension(mc)})


def _extension(mc: MicroCredential) -> dict[str, Any]:
    """Extension terms for the Annex I elements (and language maps) OB 3.0 has no place for."""
    workload, level, part = mc.workload, mc.level, mc.participation
    return {
        "nameMap": mc.title,
        "descriptionMap": mc.description,
        "learningOutcome": [_outcome(o) for o in mc.learning_outcomes],
        "workloadHours": decimal_text(workload.hours) if workload and workload.hours else None,
        "workloadDuration": workload.duration if workload else None,
        "qfEheaCycle": level.qf_ehea.id if level and level.qf_ehea else None,
        "nqfLevel": level.nqf.id if level and level.nqf else None,
        "assessmentType": _ids(mc.assessment_types),
        "participationMode": part.mode.id if part else None,
        "learningSetting": part.setting.id if part and part.setting else None,
        "learningActivity": part.activity.id if part and part.activity else None,
        "qualityAssurance": [_quality(qa) for qa in mc.quality_assurance],
        "supervisionVerification": mc.supervision.id if mc.supervision else None,
        "prerequisites": mc.prerequisites,
        "furtherInformation": mc.further_information,
        **(_stackability(mc.stackability) if mc.stackability else {}),
        "iscedField": mc.field_of_study.id if mc.field_of_study else None,
        "instructionLanguage": _ids(mc.languages),
    }


def _label(ref: ConceptRef) -> str:
    found = vocabularies().find(ref.id)
    return ref.label.get("en") or (found.label().text if found else ref.id)


def _language_code(ref: ConceptRef) -> str | None:
    found = vocabularies().concept("language", ref.id)
    return found.notation if found else None


def _narrative(outcomes: tuple[LearningOutcome, ...]) -> str:
    lines = [f"- {primary(o.text)}" for o in outcomes]
    return "\n".join(["Learning outcomes:", *lines]) if lines else "See the achievement."


def _outcome(outcome: LearningOutcome) -> dict[str, Any]:
    return _drop_empty(
        {"id": outcome.id, "outcomeText": outcome.text, "escoSkill": list(outcome.skills)}
    )


def _alignments(mc: MicroCredential) -> list[dict[str, Any]]:
    """EQF level, ESCO skills and a larger credential's parts as OB 3.0 alignments."""
    found = []
    if mc.level and mc.level.eqf:
        eqf = mc.level.eqf
        code = eqf.id.rstrip("/").rsplit("/", 1)[-1]
        found.append({
            "type": ["Alignment"], "targetName": f"EQF level {code}", "targetUrl": eqf.id,
            "targetCode": code, "targetFramework": EQF_FRAMEWORK, "targetType": EQF_TARGET_TYPE,
        })  # fmt: skip
    for outcome in mc.learning_outcomes:
        for skill in outcome.skills:
            found.append({
                "type": ["Alignment"], "targetName": primary(outcome.text),
                "targetUrl": skill, "targetFramework": "ESCO",
                "targetType": SKILL_TARGET_TYPE,
            })  # fmt: skip
    for part in mc.parts:
        found.append({"type": ["Alignment"], "targetName": primary(part.title),
                      "targetUrl": part.id, "targetType": PART_TARGET_TYPE})  # fmt: skip
    return found


def _quality(qa: QualityAssurance) -> dict[str, Any]:
    return _drop_empty({
        "id": qa.id,
        "qaType": qa.type.id,
        "qaAgency": qa.agency,
        "qaAgencyId": qa.agency_id,
        "qaAgencyCountry": qa.agency_country.id if qa.agency_country else None,
        "qaDecision": qa.decision,
        "qaReport": qa.report,
        "qaValidFrom": qa.valid_from.isoformat() if qa.valid_from else None,
        "qaValidUntil": qa.valid_until.isoformat() if qa.valid_until else None,
    })  # fmt: skip


def _stackability(stack: Stackability) -> dict[str, Any]:
    towards = [_drop_empty({"id": t.id, "targetTitle": t.title}) for t in stack.towards]
    return _drop_empty({"stackability": stack.kind, "stackableTowards": towards})


def grade_description_id(achievement_id: str | None) -> str | None:
    return f"{achievement_id}-grade" if achievement_id else None


def _result_description(grade: Grade, achievement_id: str | None) -> dict[str, Any]:
    return _drop_empty({
        "id": grade_description_id(achievement_id),
        "type": ["ResultDescription"],
        "name": primary(grade.scheme) if grade.scheme else "Grade",
        "nameMap": grade.scheme,
        "resultType": GRADE_RESULT_TYPE,
    })  # fmt: skip


def _result(grade: Grade, achievement_id: str | None) -> dict[str, Any]:
    return _drop_empty({
        "type": ["Result"],
        "resultDescription": grade_description_id(achievement_id),
        "value": grade.value,
    })  # fmt: skip
