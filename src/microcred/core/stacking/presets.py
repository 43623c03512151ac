"""Three ready-made pathways, as rule documents to adapt and publish (then :func:`parse_rules`).

* open: any credentials adding up to a number of ECTS at a level, external credit capped;
* elective: named core opportunities, ``k`` of a list of electives, and an ECTS total;
* rigid: exactly the named opportunities of the receiving organisation, with quality assurance
  valid at the date of issue and supervised, identity-verified assessment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ONSITE_ID = "https://w3id.org/microcred/vocab/supervision/supervised-onsite-id-verification"


def _document(
    rules_id: str, version: str, title: dict[str, str], root: dict[str, Any], **options: Any
) -> dict[str, Any]:
    return {"id": rules_id, "version": version, "title": dict(title), "options": options,
            "root": root}  # fmt: skip


def _opportunity(opportunity: str, where: dict[str, Any] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "component", "opportunity": opportunity}
    if where:
        node["where"] = where
    return node


def open_pathway(
    rules_id: str,
    title: dict[str, str],
    *,
    ects: int,
    home_providers: Sequence[str],
    eqf_min: int | None = None,
    external_credit_cap: int | None = None,
    version: str = "1",
) -> dict[str, Any]:
    """Any verified credentials worth ``ects`` ECTS in total (at ``eqf_min`` or above)."""
    where = {"eqf_min": eqf_min} if eqf_min else {}
    total = {"type": "aggregate", "label": f"{ects} ECTS", "function": "sum", "measure": "ects",
             "comparison": ">=", "value": ects, "where": where}  # fmt: skip
    options: dict[str, Any] = {"home_providers": list(home_providers)}
    if external_credit_cap is not None:
        options["external_credit_cap"] = external_credit_cap
    return _document(rules_id, version, title, total, **options)


def elective_pathway(
    rules_id: str,
    title: dict[str, str],
    *,
    core: Sequence[str],
    electives: Sequence[str],
    electives_needed: int,
    ects: int,
    home_providers: Sequence[str],
    version: str = "1",
) -> dict[str, Any]:
    """Every ``core`` opportunity, ``electives_needed`` of ``electives``, ``ects`` in total.

    The total counts credentials beyond the named ones (no credential counts twice).
    """
    root = {"type": "all_of", "children": [
        {"type": "all_of", "label": "core", "children": [_opportunity(o) for o in core]},
        {"type": "k_of_n", "label": "electives", "k": electives_needed,
         "children": [_opportunity(o) for o in electives]},
        {"type": "aggregate", "label": "further credit", "function": "sum", "measure": "ects",
         "comparison": ">=", "value": ects},
    ]}  # fmt: skip
    return _document(rules_id, version, title, root, home_providers=list(home_providers))


def rigid_pathway(
    rules_id: str,
    title: dict[str, str],
    *,
    opportunities: Sequence[str],
    home_providers: Sequence[str],
    version: str = "1",
) -> dict[str, Any]:
    """Each named opportunity, from the receiving organisation itself, quality-assured at the
    date of issue and assessed under supervision with identity verification."""
    where = {"providers": list(home_providers), "qa_valid_at_issue": True,
             "supervision_at_least": ONSITE_ID}  # fmt: skip
    root = {"type": "all_of", "children": [_opportunity(o, where) for o in opportunities]}
    return _document(rules_id, version, title, root, home_providers=list(home_providers),
                     external_credit_cap=0)  # fmt: skip
