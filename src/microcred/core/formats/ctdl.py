"""The catalogue as CTDL JSON-LD (Credential Engine): providers, learning opportunities, and the
micro-credentials they award, with the properties the Credential Registry requires.

Provider -> ``ceterms:CredentialOrganization`` (its QA agencies ``ceterms:QACredentialOrganization``
references via ``ceterms:accreditedBy``); opportunity -> ``ceterms:LearningOpportunityProfile``;
the micro-credential it awards -> ``ceterms:MicroCredential`` that ``ceterms:requires`` it.
CTIDs are ``ce-`` + a UUID derived from our own URLs, so the same resource keeps its CTID.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from microcred.core.formats.ctdl_terms import (
    CONTEXT,
    DELIVERY,
    ECTS_ALIGNMENT,
    EQF_FRAMEWORK,
    ESCO_FRAMEWORK,
    alignment,
    concept_alignment,
    life_cycle_active,
    organisation_type,
    sector,
)
from microcred.core.model import ConceptRef, MicroCredential, QualityAssurance
from microcred.core.vocab import vocabularies


@dataclass(frozen=True)
class CtdlProvider:
    """What the provider register knows about an awarding body, as CTDL needs it."""

    id: str  # the provider's DID: the id its credentials name as issuer
    name: Mapping[str, str]
    kind: str  # provider type (higher-education, vet, company, ...)
    country: str  # country authority URI
    page: str  # homepage, or the provider's public page on the platform
    region: str | None = None
    email: str | None = None
    street: str | None = None
    sector: str | None = None  # public / private-non-profit / private-for-profit
    quality_assurance: tuple[QualityAssurance, ...] = ()


@dataclass(frozen=True)
class CtdlOpportunity:
    """A published opportunity version: its id, public page, credential and provider."""

    id: str  # the version's URL (the node's @id)
    page: str  # public web page of the opportunity
    credential: MicroCredential
    provider_id: str


def ctid(key: str) -> str:
    """A CTID (``ce-`` + UUID) derived from ``key``, the same every time."""
    return f"ce-{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def _drop_empty(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if v not in (None, [], {})}


def _label(uri: str) -> dict[str, str]:
    concept = vocabularies().find(uri)
    return dict(concept.labels) if concept is not None else {"en": uri.rsplit("/", 1)[-1]}


def _place(provider: CtdlProvider) -> dict[str, Any]:
    return _drop_empty({
        "@type": "ceterms:Place",
        "ceterms:addressCountry": _label(provider.country),
        "ceterms:addressRegion": _label(provider.region) if provider.region else None,
        "ceterms:streetAddress": {"en": provider.street} if provider.street else None,
    })  # fmt: skip


def _agency_page(qa: QualityAssurance) -> str | None:
    for value in (qa.agency_id, qa.report):
        if value and value.startswith(("https://", "http://")):
            return value
    return None


def quality_agencies(items: Iterable[QualityAssurance]) -> list[dict[str, Any]]:
    """QA bodies as referenced ``QACredentialOrganization`` nodes (those with a web page)."""
    nodes: dict[str, dict[str, Any]] = {}
    for qa in items:
        page = _agency_page(qa)
        if qa.agency is None or page is None:
            continue  # a reference needs a name and a web page
        node_id = qa.agency_id if qa.agency_id and qa.agency_id == page else f"{page}#agency"
        decision = qa.decision or {"en": f"Quality assurance: {_label(qa.type.id).get('en', '')}"}
        nodes.setdefault(node_id, {
            "@id": node_id, "@type": "ceterms:QACredentialOrganization",
            "ceterms:name": dict(qa.agency), "ceterms:description": dict(decision),
            "ceterms:subjectWebpage": page,
        })  # fmt: skip
    return list(nodes.values())


def organisation_nodes(provider: CtdlProvider) -> list[dict[str, Any]]:
    """The provider as a ``CredentialOrganization``, then the QA agencies it names."""
    agencies = quality_agencies(provider.quality_assurance)
    kind = organisation_type(provider.kind)
    country = _label(provider.country).get("en", "")
    description = {"en": f"{kind.get('ceterms:targetNodeName', {}).get('en', 'Provider')} "
                         f"in {country}, awarding micro-credentials."}  # fmt: skip
    node = _drop_empty({
        "@id": provider.id,
        "@type": "ceterms:CredentialOrganization",
        "ceterms:ctid": ctid(provider.id),
        "ceterms:name": dict(provider.name),
        "ceterms:description": description,
        "ceterms:subjectWebpage": provider.page,
        "ceterms:agentType": [kind],
        "ceterms:agentSectorType": sector(provider.sector, provider.kind),
        "ceterms:lifeCycleStatusType": life_cycle_active(),
        "ceterms:email": [provider.email] if provider.email else None,
        "ceterms:address": [_place(provider)],
        "ceterms:accreditedBy": [a["@id"] for a in agencies],
    })  # fmt: skip
    return [node, *agencies]


def _teaches(mc: MicroCredential) -> list[dict[str, Any]]:
    found = []
    for outcome in mc.learning_outcomes:
        if not outcome.skills:
            found.append(alignment(None, dict(outcome.text)))
        for skill in outcome.skills:
            found.append(alignment(skill, dict(outcome.text), ESCO_FRAMEWORK))
    return found


def _languages(refs: Iterable[ConceptRef]) -> list[str]:
    codes = []
    for ref in refs:
        concept = vocabularies().find(ref.id)
        code = concept.notation if concept is not None else None
        if code:
            codes.append(code.lower())
    return codes


def _workload(mc: MicroCredential) -> dict[str, Any]:
    workload = mc.workload
    if workload is None:
        return {}
    hours = workload.hours
    duration = {"@type": "ceterms:DurationProfile",
                "ceterms:exactDuration": f"PT{_number(hours)}H"} if hours else None  # fmt: skip
    credit = {"@type": "ceterms:ValueProfile", "schema:value": _number(workload.ects),
              "ceterms:creditUnitType": [ECTS_ALIGNMENT]} if workload.ects else None  # fmt: skip
    return _drop_empty({"ceterms:estimatedDuration": [duration] if duration else None,
                        "ceterms:creditValue": [credit] if credit else None})  # fmt: skip


def _number(value: Decimal | None) -> int | float:
    if value is None:
        return 0
    return int(value) if value == value.to_integral_value() else float(value)


def _level(mc: MicroCredential) -> list[dict[str, Any]]:
    eqf = mc.level.eqf if mc.level else None
    return [concept_alignment(eqf, EQF_FRAMEWORK)] if eqf else []


def _qa_ids(mc: MicroCredential) -> list[str]:
    return [node["@id"] for node in quality_agencies(mc.quality_assurance)]


def opportunity_nodes(opportunity: CtdlOpportunity) -> list[dict[str, Any]]:
    """The ``LearningOpportunityProfile`` and the ``MicroCredential`` it leads to."""
    mc = opportunity.credential
    title = dict(mc.title or {})
    description = dict(mc.description or title)
    mode = mc.participation.mode.id if mc.participation else None
    prerequisites = [
        {"@type": "ceterms:ConditionProfile", "ceterms:description": dict(mc.prerequisites)}
    ] if mc.prerequisites else []  # fmt: skip
    learning = _drop_empty({
        "@id": opportunity.id,
        "@type": "ceterms:LearningOpportunityProfile",
        "ceterms:ctid": ctid(opportunity.id),
        "ceterms:name": title,
        "ceterms:description": description,
        "ceterms:inLanguage": _languages(mc.languages),
        "ceterms:subjectWebpage": opportunity.page,
        "ceterms:lifeCycleStatusType": life_cycle_active(),
        "ceterms:ownedBy": [opportunity.provider_id],
        "ceterms:offeredBy": [opportunity.provider_id],
        "ceterms:deliveryType": [DELIVERY[mode]] if mode in DELIVERY else None,
        "ceterms:teaches": _teaches(mc),
        "ceterms:audienceLevelType": _level(mc),
        "ceterms:requires": prerequisites,
        "ceterms:accreditedBy": _qa_ids(mc),
        **_workload(mc),
    })  # fmt: skip
    return [learning, _credential_node(opportunity, title, description), *quality_agencies(
        mc.quality_assurance)]  # fmt: skip


def _credential_node(
    opportunity: CtdlOpportunity, title: dict[str, str], description: dict[str, str]
) -> dict[str, Any]:
    mc = opportunity.credential
    node_id = f"{opportunity.id}#credential"
    condition = {"@type": "ceterms:ConditionProfile",
                 "ceterms:description": {"en": "Complete the learning opportunity and pass its "
                                               "assessment."},
                 "ceterms:targetLearningOpportunity": [opportunity.id]}  # fmt: skip
    return _drop_empty({
        "@id": node_id,
        "@type": "ceterms:MicroCredential",
        "ceterms:ctid": ctid(node_id),
        "ceterms:name": title,
        "ceterms:description": description,
        "ceterms:inLanguage": _languages(mc.languages) or sorted(title),
        "ceterms:subjectWebpage": opportunity.page,
        "ceterms:credentialStatusType": alignment("credentialStat:Active", {"en": "Active"},
                                                  ("https://credreg.net/ctdl/terms/CredentialStatus",
                                                   {"en": "Credential Status"})),
        "ceterms:ownedBy": [opportunity.provider_id],
        "ceterms:offeredBy": [opportunity.provider_id],
        "ceterms:audienceLevelType": _level(mc),
        "ceterms:requires": [condition],
        "ceterms:accreditedBy": _qa_ids(mc),
        **{k: v for k, v in _workload(mc).items() if k == "ceterms:creditValue"},
    })  # fmt: skip


def ctdl_graph(graph_id: str, nodes: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A CTDL ``@graph`` document (each node once, by ``@id``)."""
    unique: dict[str, dict[str, Any]] = {}
    for node in nodes:
        unique.setdefault(node["@id"], node)
    return {"@context": CONTEXT, "@id": graph_id, "@graph": list(unique.values())}
