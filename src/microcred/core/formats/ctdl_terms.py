"""CTDL concept-scheme values and alignments the exporter writes (see ``core/contexts``)."""

from __future__ import annotations

from typing import Any

from microcred.core.formats.elm_terms import ECTS, MODE_ONLINE, MODE_PRESENTIAL, SCHEMES, SNB
from microcred.core.model import ConceptRef

CONTEXT = "https://credreg.net/ctdl/schema/context/json"
TERMS = "https://credreg.net/ctdl/terms"
MODE_BLENDED = f"{SNB}/learning-assessment/e92d221e4d"
Framework = tuple[str, dict[str, str]]
EQF_FRAMEWORK: Framework = (SCHEMES["eqf"], {"en": "European Qualifications Framework"})
ESCO_FRAMEWORK: Framework = ("http://data.europa.eu/esco/skill", {"en": "ESCO skills"})
CREDIT_FRAMEWORK: Framework = (SCHEMES["education-credit"], {"en": "Education credit"})


def alignment(
    target: str | None, name: dict[str, str], framework: Framework | None = None
) -> dict[str, Any]:
    """A ``ceterms:CredentialAlignmentObject`` (``targetNodeName`` is its one required term)."""
    node: dict[str, Any] = {"@type": "ceterms:CredentialAlignmentObject"}
    if framework is not None:
        node["ceterms:framework"], node["ceterms:frameworkName"] = framework
    if target is not None:
        node["ceterms:targetNode"] = target
    node["ceterms:targetNodeName"] = name
    return node


def concept_alignment(ref: ConceptRef, framework: Framework) -> dict[str, Any]:
    """An alignment to a concept of a European vocabulary, named by its labels."""
    return alignment(ref.id, dict(ref.label) or {"en": ref.id}, framework)


def _scheme(name: str, label: str) -> Framework:
    return (f"{TERMS}/{name}", {"en": label})


def life_cycle_active() -> dict[str, Any]:
    scheme = _scheme("LifeCycleStatus", "Life Cycle Status")
    return alignment("lifeCycle:Active", {"en": "Active"}, scheme)


_DELIVERY = _scheme("Delivery", "Delivery")
DELIVERY = {
    MODE_ONLINE: alignment("deliveryType:OnlineOnly", {"en": "Online Only"}, _DELIVERY),
    MODE_PRESENTIAL: alignment("deliveryType:InPerson", {"en": "In-Person Only"}, _DELIVERY),
    MODE_BLENDED: alignment("deliveryType:BlendedDelivery", {"en": "Blended Delivery"}, _DELIVERY),
}
ECTS_ALIGNMENT = alignment(ECTS.id, dict(ECTS.label), CREDIT_FRAMEWORK)

_ORG_TYPES = {
    "higher-education": ("CollegeUniversity", "College or University"),
    "company": ("Business", "Business or Industry"),
    "social-partner": ("ProfessionalAssociation", "Professional Association"),
    "public-employment-service": ("Government", "Government Agency"),
    "public-authority": ("Government", "Government Agency"),
}
# Sector implied by the provider type; others (a university, a VET school) must be recorded.
_SECTOR_OF_TYPE = {
    "company": "private-for-profit",
    "public-authority": "public",
    "public-employment-service": "public",
    "ngo": "private-non-profit",
    "social-partner": "private-non-profit",
}
_SECTORS = {
    "public": ("Public", "Public"),
    "private-non-profit": ("PrivateNonProfit", "Private Not-for-Profit"),
    "private-for-profit": ("PrivateForProfit", "Private For-Profit"),
}


def organisation_type(kind: str) -> dict[str, Any]:
    """The ``orgType`` concept for a provider type (training provider unless more specific)."""
    code, label = _ORG_TYPES.get(kind, ("TrainingProvider", "Training Provider"))
    return alignment(f"orgType:{code}", {"en": label}, _scheme("OrganizationType",
                                                                "Organization Type"))  # fmt: skip


def sector(recorded: str | None, kind: str) -> dict[str, Any] | None:
    """The ``agentSector`` concept: as recorded, else as the provider type implies, else None."""
    found = recorded or _SECTOR_OF_TYPE.get(kind)
    if found not in _SECTORS:
        return None
    code, label = _SECTORS[found]
    return alignment(f"agentSector:{code}", {"en": label}, _scheme("AgentSector", "Agent Sector"))
