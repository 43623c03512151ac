"""Reading the assessment of an EDC claim: type(s), grade, supervision and identity verification.

Annex I has four supervision values; EU Vocabularies' supervision-verification list has one
concept for supervision with identity verification, online or on site, and none for supervision
without it. microcred writes the EU concept and tells online from on site by the assessment's
``mode`` (Online / Presential); "supervised, no identity verification" is written as microcred's
own concept. Reading reverses this.
"""

from __future__ import annotations

from microcred.core.coding import concept
from microcred.core.formats.elm_nodes import (
    Findings,
    Node,
    concept_ref,
    concept_refs,
    first_text,
    node,
    nodes,
    official,
    text,
)
from microcred.core.formats.elm_terms import MODE_ONLINE, MODE_PRESENTIAL
from microcred.core.model import ConceptRef, Grade
from microcred.core.vocab.loaders import EU_SUPERVISION, SUPERVISION_SCHEME

_SUPERVISION_SCHEMES = (EU_SUPERVISION, SUPERVISION_SCHEME)


def _assessments(claim: Node | None) -> list[Node]:
    """The claim's assessments, parts included, outermost first."""
    found: list[Node] = []
    pending = nodes(claim.get("provenBy")) if claim else []
    while pending:
        item = pending.pop(0)
        found.append(item)
        pending.extend(nodes(item.get("hasPart")))
    return found


def _specs(claim: Node | None, spec: Node | None) -> list[Node]:
    """Assessment specifications: the qualification's, then those of the claim's assessments."""
    found = nodes(spec.get("provenBy")) if spec else []
    for assessment in _assessments(claim):
        found += nodes(assessment.get("specifiedBy"))
    return found


def read_assessment_types(
    claim: Node | None, spec: Node | None, found: Findings
) -> tuple[ConceptRef, ...]:
    """The types (dcType) of every assessment specification, in order, without repeats."""
    types: dict[str, ConceptRef] = {}
    for item in _specs(claim, spec):
        for ref in concept_refs(item.get("dcType")):
            ref = official(ref, "assessment", "assessment_type", found)
            types.setdefault(ref.id, ref)
    return tuple(types.values())


def read_grade(claim: Node | None) -> Grade | None:
    """The first graded assessment's grade, with its grading scheme's title."""
    for assessment in _assessments(claim):
        grade = node(assessment.get("grade"))
        value = first_text(grade.get("noteLiteral")) if grade else None
        if value is None:
            continue
        spec = node(assessment.get("specifiedBy"))
        scheme = node(spec.get("gradingScheme")) if spec else None
        return Grade(value=value, scheme=text(scheme.get("title")) if scheme else None)
    return None


def read_supervision(claim: Node | None, spec: Node | None, found: Findings) -> ConceptRef | None:
    """The Annex I supervision value: an assessment's idVerification, else a typed note."""
    for assessment in _assessments(claim):
        ref = concept_ref(assessment.get("idVerification"))
        if ref is not None:
            return _annex1_supervision(
                ref, _modes(node(assessment.get("specifiedBy")), found), found
            )
    for item in _specs(claim, spec):
        for note in nodes(item.get("additionalNote")):
            ref = concept_ref(note.get("subject"))
            if ref is not None and ref.id.startswith(_SUPERVISION_SCHEMES):
                return _annex1_supervision(ref, _modes(item, found), found)
    return None


def _modes(spec: Node | None, found: Findings) -> set[str]:
    refs = concept_refs(spec.get("mode")) if spec else []
    return {official(m, "learning-assessment", "supervision", found).id for m in refs}


def _annex1_supervision(ref: ConceptRef, modes: set[str], found: Findings) -> ConceptRef:
    vocab = found.vocab
    if ref.id in vocab.scheme("supervision"):
        return ref
    eu = official(ref, "supervision-verification", "supervision", found)
    matches = [c.uri for c in vocab.scheme("supervision") if c.broader == eu.id]
    if not matches:
        found.add("supervision", f"{eu.id} has no Annex I equivalent; kept as written")
        return eu
    if len(matches) == 1:
        return concept(matches[0], vocab)
    online = [uri for uri in matches if "online" in uri]
    onsite = [uri for uri in matches if "onsite" in uri]
    if MODE_ONLINE in modes:
        return concept(online[0], vocab)
    if MODE_PRESENTIAL not in modes:
        found.add(
            "supervision",
            "supervised with identity verification, but the assessment "
            "mode says neither online nor on site; read as on site",
        )
    return concept(onsite[0], vocab)
