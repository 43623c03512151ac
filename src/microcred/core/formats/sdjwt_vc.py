"""SD-JWT VC claim layout of a micro-credential: one top-level claim per Annex I element.

:func:`to_sdjwt_claims` flattens an Open Badges 3.0 ``AchievementCredential`` so that each
Annex I element can be disclosed on its own (:func:`annex1_disclosable_claims`). Values are
copied as found (strings, language maps, concept objects); an absent source omits the claim.

==================== ===========================================================================
claim                source in the OB 3.0 credential (``A`` = ``credentialSubject.achievement``)
==================== ===========================================================================
learner              ``credentialSubject``: ``id``, ``name``, ``identifier`` (IdentityObjects)
title                ``A.name``
issuer_countries     ``address`` of the issuer and of ``A.creator``: ``{"country", "region"}``
                     (``addressCountryCode`` else ``addressCountry``; ``addressRegion``)
awarding_bodies      the issuer, then ``A.creator`` if it is another body: ``id``, ``name``,
                     ``url``, ``email``, ``otherIdentifier``
issued               ``validFrom``, else ``issuanceDate``, else ``awardedDate``
learning_outcomes    ``A.learningOutcomes``, else ``A.alignment`` entries that are not EQF /
                     QF-EHEA levels (``{"text": targetName, "skill": targetUrl}``), else
                     ``A.criteria.narrative``
workload             ``{"ects": A.creditsAvailable, "hours": A.workloadHours}``
eqf_level            ``A.eqfLevel``, else the ``A.alignment`` URL under ``/snb/eqf/``
qf_ehea_cycle        ``A.qfEheaCycle``, else the ``A.alignment`` URL under ``/snb/qf-ehea``
assessment_type      ``A.assessmentType``
participation_form   ``A.participationForm``
quality_assurance    ``A.qualityAssurance``
prerequisites        ``A.prerequisites``
supervision          ``A.supervision``
grade                first ``credentialSubject.result`` with a ``value``: ``{"value", "scheme"}``
                     (scheme = name of the matching ``A.resultDescription``)
stackability         ``A.stackability``
further_information  ``A.furtherInformation``
==================== ===========================================================================

Also set: ``vct`` (:data:`VCT`), ``iss`` (issuer id) and ``exp`` (from ``validUntil`` /
``expirationDate``), which stay in clear. ``sub`` is left out so that the learner stays hidden
unless ``learner`` is disclosed; ``iat`` and ``cnf`` are added at issuance.
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
_QF_EHEA = "/snb/qf-ehea"
_BODY_KEYS = ("id", "name", "url", "email", "otherIdentifier")


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _pick(source: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: source[k] for k in keys if source.get(k) not in (None, "", [], {})}


def _alignment_url(achievement: Mapping[str, Any], marker: str) -> Any:
    for item in _list(achievement.get("alignment")):
        url = _obj(item).get("targetUrl")
        if isinstance(url, str) and marker in url:
            return url
    return None


def _bodies(credential: Mapping[str, Any], achievement: Mapping[str, Any]) -> list[Any]:
    issuer = credential.get("issuer")
    bodies: list[Any] = [issuer] if issuer else []
    creator = achievement.get("creator")
    if creator and _obj(creator).get("id", creator) != _obj(issuer).get("id", issuer):
        bodies.append(creator)
    return bodies


def _body_claim(body: Any) -> Any:
    return _pick(body, _BODY_KEYS) if isinstance(body, Mapping) else body


def _countries(bodies: list[Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for body in bodies:
        address = _obj(_obj(body).get("address"))
        place = {
            "country": address.get("addressCountryCode") or address.get("addressCountry"),
            "region": address.get("addressRegion"),
        }
        place = {k: v for k, v in place.items() if v}
        if place and place not in found:
            found.append(place)
    return found


def _outcomes(achievement: Mapping[str, Any]) -> Any:
    if achievement.get("learningOutcomes"):
        return achievement["learningOutcomes"]
    skills = []
    for item in _list(achievement.get("alignment")):
        url = _obj(item).get("targetUrl")
        if isinstance(url, str) and _EQF not in url and _QF_EHEA not in url:
            skills.append(
                _pick({"text": _obj(item).get("targetName"), "skill": url}, ("text", "skill"))
            )
    if skills:
        return skills
    narrative = _obj(achievement.get("criteria")).get("narrative")
    return [{"text": narrative}] if narrative else None


def _grade(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> Any:
    schemes = {
        _obj(d).get("id"): _obj(d).get("name") for d in _list(achievement.get("resultDescription"))
    }
    for result in _list(subject.get("result")):
        result = _obj(result)
        if result.get("value") not in (None, ""):
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
    }
    return {
        "learner": _pick(subject, ("id", "name", "identifier")),
        "title": achievement.get("name"),
        "issuer_countries": _countries(bodies),
        "awarding_bodies": [_body_claim(b) for b in bodies],
        "issued": credential.get("validFrom")
        or credential.get("issuanceDate")
        or credential.get("awardedDate"),
        "learning_outcomes": _outcomes(achievement),
        "workload": {k: v for k, v in workload.items() if v is not None},
        "eqf_level": achievement.get("eqfLevel") or _alignment_url(achievement, _EQF),
        "qf_ehea_cycle": achievement.get("qfEheaCycle") or _alignment_url(achievement, _QF_EHEA),
        "assessment_type": achievement.get("assessmentType"),
        "participation_form": achievement.get("participationForm"),
        "quality_assurance": achievement.get("qualityAssurance"),
        "prerequisites": achievement.get("prerequisites"),
        "supervision": achievement.get("supervision"),
        "grade": _grade(subject, achievement),
        "stackability": achievement.get("stackability"),
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
    for name, value in _annex1(ob3_credential).items():
        if value not in (None, "", [], {}):
            claims[name] = value
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
) -> str:
    """An SD-JWT VC (``dc+sd-jwt``) of the micro-credential, every Annex I claim disclosable."""
    if now.tzinfo is None:
        raise ProofError("'now' must be a timezone-aware datetime")
    claims = {**to_sdjwt_claims(ob3_credential), "iat": int(now.timestamp())}
    return issue_sd_jwt(
        claims,
        issuer_key=issuer_key,
        kid=kid,
        disclosable=annex1_disclosable_claims(claims),
        random_bytes=random_bytes,
        holder_key=holder_key,
        decoys=decoys,
    )
