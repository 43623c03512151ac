"""SD-JWT VC claim layout of a micro-credential: one top-level claim per Annex I element.

:func:`to_sdjwt_claims` flattens an Open Badges 3.0 credential (as :mod:`.ob3` writes it, with
microcred's extension terms, or a foreign one) so that each Annex I element can be disclosed on
its own (:func:`annex1_disclosable_claims`). Values are copied as found (strings, language maps,
concept URIs); an absent source omits the claim. ``A`` = ``credentialSubject.achievement``;
"X, else Y" means the first one present.

==================== ===========================================================================
claim                source
==================== ===========================================================================
learner              ``credentialSubject``: ``id``, ``name``, ``identifier`` (IdentityObjects)
title                ``A.nameMap``, else ``A.name``
issuer_countries     issuer ``address`` and ``additionalAddress``, then those of co-awarding
                     bodies: ``{"country": countryConcept, else addressCountryCode, else
                     addressCountry; "region": regionConcept, else addressRegion}``
awarding_bodies      the issuer, ``coAwardingBody`` entries, ``A.creator`` if another body:
                     ``id``, ``name`` (``nameMap`` else ``name``), ``url``, ``email``,
                     ``otherIdentifier``
issued               ``validFrom``, else ``issuanceDate``, else ``awardedDate``
learning_outcomes    ``A.learningOutcome`` (``{"text": outcomeText, "skills": escoSkill}``), else
                     ``A.learningOutcomes``, else non-EQF ``A.alignment`` entries (``{"text":
                     targetName, "skills": [targetUrl]}``), else ``A.criteria.narrative``
workload             ``{"ects": A.creditsAvailable, "hours": A.workloadHours,
                     "duration": A.workloadDuration}``
eqf_level            ``A.eqfLevel``, else the EQF ``A.alignment`` URL (``/snb/eqf/``)
qf_ehea_cycle        ``A.qfEheaCycle``
assessment_type      ``A.assessmentType``
participation_form   ``A.participationForm``, else ``{"mode": A.participationMode, "setting":
                     A.learningSetting, "activity": A.learningActivity}``
quality_assurance    ``A.qualityAssurance``
prerequisites        ``A.prerequisites``
supervision          ``A.supervisionVerification``, else ``A.supervision``
grade                first ``credentialSubject.result`` with a ``value``: ``{"value", "scheme"}``
                     (scheme = ``nameMap`` else ``name`` of its ``A.resultDescription``)
stackability         ``A.stackability``: an object as is; a kind (``stand-alone``/``stackable``)
                     becomes ``{"kind", "towards": A.stackableTowards}``
further_information  ``A.furtherInformation``
==================== ===========================================================================

Also set, in clear: ``vct`` (:data:`VCT`), ``iss`` (issuer id) and ``exp`` (from ``validUntil``
/ ``expirationDate``). ``sub`` is left out so that the learner stays hidden unless ``learner``
is disclosed; ``iat``, ``cnf`` and ``status`` are added at issuance
(:func:`issue_annex1_sd_jwt_vc`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from microcred.core.errors import NotACredential, ProofError
from microcred.core.keys import KeyPair, PublicKey
from microcred.core.proofs.sd_jwt import issue_sd_jwt

VCT = "https://w3id.org/microcred/vct/micro-credential/v1"
ANNEX1_CLAIMS = (
    "learner", "title", "issuer_countries", "awarding_bodies", "issued", "learning_outcomes",
    "workload", "eqf_level", "qf_ehea_cycle", "assessment_type", "participation_form",
    "quality_assurance", "prerequisites", "supervision", "grade", "stackability",
    "further_information",
)  # fmt: skip
_EQF = "/snb/eqf/"
_EQF_TYPE = "ext:EQFLevel"
_BODY_KEYS = ("id", "name", "url", "email", "otherIdentifier")
_EMPTY: tuple[Any, ...] = (None, "", [], {})


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _pick(source: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: source[k] for k in keys if source.get(k) not in _EMPTY}


def _first(source: Mapping[str, Any], *keys: str) -> Any:
    return next((source[k] for k in keys if source.get(k) not in _EMPTY), None)


def _is_eqf(alignment: Mapping[str, Any]) -> bool:
    url = alignment.get("targetUrl")
    return alignment.get("targetType") == _EQF_TYPE or (isinstance(url, str) and _EQF in url)


def _eqf_level(achievement: Mapping[str, Any]) -> Any:
    if achievement.get("eqfLevel") not in _EMPTY:
        return achievement["eqfLevel"]
    for alignment in map(_obj, _list(achievement.get("alignment"))):
        if _is_eqf(alignment) and alignment.get("targetUrl"):
            return alignment["targetUrl"]
    return None


def _bodies(credential: Mapping[str, Any], achievement: Mapping[str, Any]) -> list[Any]:
    issuer = credential.get("issuer")
    bodies: list[Any] = [issuer] if issuer else []
    bodies += _list(credential.get("coAwardingBody"))
    creator = achievement.get("creator")
    ids = [_obj(b).get("id", b) for b in bodies]
    if creator and _obj(creator).get("id", creator) not in ids:
        bodies.append(creator)
    return bodies


def _body_claim(body: Any) -> Any:
    if not isinstance(body, Mapping):
        return body
    return {
        **_pick(body, _BODY_KEYS),
        **_pick({"name": _first(body, "nameMap", "name")}, ("name",)),
    }


def _countries(bodies: list[Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for body in bodies:
        for address in [_obj(body).get("address"), *_list(_obj(body).get("additionalAddress"))]:
            address = _obj(address)
            country = _first(address, "countryConcept", "addressCountryCode", "addressCountry")
            region = _first(address, "regionConcept", "addressRegion")
            place = _pick({"country": country, "region": region}, ("country", "region"))
            if place and place not in found:
                found.append(place)
    return found


def _outcome(node: Mapping[str, Any], raw: Any) -> dict[str, Any]:
    found = {"text": node.get("outcomeText", raw), "skills": _list(node.get("escoSkill"))}
    return _pick(found, ("text", "skills"))


def _outcomes(achievement: Mapping[str, Any]) -> Any:
    if achievement.get("learningOutcome"):
        return [_outcome(_obj(o), o) for o in _list(achievement["learningOutcome"])]
    if achievement.get("learningOutcomes"):
        return achievement["learningOutcomes"]
    skills = [
        _pick({"text": a.get("targetName"), "skills": [a.get("targetUrl")]}, ("text", "skills"))
        for a in map(_obj, _list(achievement.get("alignment")))
        if a.get("targetUrl") and not _is_eqf(a)
    ]
    narrative = _obj(achievement.get("criteria")).get("narrative")
    return skills or ([{"text": narrative}] if narrative else None)


def _participation(achievement: Mapping[str, Any]) -> Any:
    if achievement.get("participationForm") not in _EMPTY:
        return achievement["participationForm"]
    parts = {
        "mode": achievement.get("participationMode"),
        "setting": achievement.get("learningSetting"),
        "activity": achievement.get("learningActivity"),
    }
    return _pick(parts, ("mode", "setting", "activity"))


def _stackability(achievement: Mapping[str, Any]) -> Any:
    value = achievement.get("stackability")
    if not isinstance(value, str):
        return value
    towards = achievement.get("stackableTowards")
    return _pick({"kind": value, "towards": towards}, ("kind", "towards"))


def _grade(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> Any:
    schemes = {
        _obj(d).get("id"): _first(_obj(d), "nameMap", "name")
        for d in _list(achievement.get("resultDescription"))
    }
    for result in map(_obj, _list(subject.get("result"))):
        if result.get("value") not in _EMPTY:
            scheme = schemes.get(result.get("resultDescription"))
            return _pick({"value": result["value"], "scheme": scheme}, ("value", "scheme"))
    return None


def _numeric_date(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return int(moment.timestamp()) if moment.tzinfo is not None else None


def _annex1(credential: Mapping[str, Any]) -> dict[str, Any]:
    subject = _obj(_list(credential.get("credentialSubject"))[0])
    achievement = _obj(subject.get("achievement"))
    bodies = _bodies(credential, achievement)
    workload = {
        "ects": achievement.get("creditsAvailable"),
        "hours": achievement.get("workloadHours"),
        "duration": achievement.get("workloadDuration"),
    }
    return {
        "learner": _pick(subject, ("id", "name", "identifier")),
        "title": _first(achievement, "nameMap", "name"),
        "issuer_countries": _countries(bodies),
        "awarding_bodies": [_body_claim(b) for b in bodies],
        "issued": _first(credential, "validFrom", "issuanceDate", "awardedDate"),
        "learning_outcomes": _outcomes(achievement),
        "workload": _pick(workload, ("ects", "hours", "duration")),
        "eqf_level": _eqf_level(achievement),
        "qf_ehea_cycle": achievement.get("qfEheaCycle"),
        "assessment_type": achievement.get("assessmentType"),
        "participation_form": _participation(achievement),
        "quality_assurance": achievement.get("qualityAssurance"),
        "prerequisites": achievement.get("prerequisites"),
        "supervision": _first(achievement, "supervisionVerification", "supervision"),
        "grade": _grade(subject, achievement),
        "stackability": _stackability(achievement),
        "further_information": achievement.get("furtherInformation"),
    }


def to_sdjwt_claims(ob3_credential: Mapping[str, Any]) -> dict[str, Any]:
    """SD-JWT VC claims of a micro-credential from its Open Badges 3.0 credential."""
    if not isinstance(ob3_credential, Mapping) or not ob3_credential.get("credentialSubject"):
        raise NotACredential("an Open Badges 3.0 credential with a credentialSubject is expected")
    claims: dict[str, Any] = {"vct": VCT}
    issuer = ob3_credential.get("issuer")
    issuer_id = _obj(issuer).get("id") if isinstance(issuer, Mapping) else issuer
    if isinstance(issuer_id, str) and issuer_id:
        claims["iss"] = issuer_id
    exp = _numeric_date(ob3_credential.get("validUntil") or ob3_credential.get("expirationDate"))
    if exp is not None:
        claims["exp"] = exp
    claims.update({k: v for k, v in _annex1(ob3_credential).items() if v not in _EMPTY})
    return claims


def annex1_disclosable_claims(claims: Mapping[str, Any]) -> tuple[tuple[str], ...]:
    """Claim paths of the Annex I elements present in ``claims``: each disclosable on its own."""
    return tuple((name,) for name in ANNEX1_CLAIMS if name in claims)


def issue_annex1_sd_jwt_vc(
    ob3_credential: Mapping[str, Any],
    *,
    issuer_key: KeyPair,
    kid: str,
    holder_key: PublicKey,
    random_bytes: Callable[[int], bytes],
    now: datetime,
    decoys: int = 2,
    status: Mapping[str, Any] | None = None,
) -> str:
    """An SD-JWT VC (``dc+sd-jwt``) of the micro-credential, every Annex I claim disclosable.

    ``status`` is the ``status`` claim (in clear), e.g. a Token Status List reference from
    :func:`microcred.core.status_token.status_claim`.
    """
    if now.tzinfo is None:
        raise ProofError("'now' must be a timezone-aware datetime")
    claims = {**to_sdjwt_claims(ob3_credential), "iat": int(now.timestamp())}
    if status is not None:
        claims["status"] = dict(status)
    return issue_sd_jwt(
        claims,
        issuer_key=issuer_key,
        kid=kid,
        disclosable=annex1_disclosable_claims(claims),
        random_bytes=random_bytes,
        holder_key=holder_key,
        decoys=decoys,
    )
