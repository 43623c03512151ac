"""A larger credential's parts in ELM: the claim's ``hasPart`` learning achievements.

Each part is a ``LearningAchievement`` with its title, the part credential's id as an
``Identifier`` (scheme ``credential``) and the ``AwardingProcess`` the EDC shapes require (the
part's awarding body, at its country, on its date). Part nodes get blank-node ids of their own so
they never merge with the larger credential's locations.
"""

from __future__ import annotations

from typing import Any

from microcred.core.formats.elm_nodes import Node, nodes, string, text, when
from microcred.core.formats.elm_parties import organisation_node, places_nodes
from microcred.core.model import CredentialPart, MicroCredential
from microcred.core.vocab import Vocabularies

PART_SCHEME = "credential"


def _renamed(locations: tuple[dict[str, Any], ...], prefix: str) -> list[dict[str, Any]]:
    found = []
    for j, location in enumerate(locations):
        address = [{**a, "id": f"{prefix}-address-{j}"} for a in location["address"]]
        found.append({**location, "id": f"{prefix}-location-{j}", "address": address})
    return found


def _awarding(
    part: CredentialPart, index: int, main_bodies: list[dict[str, Any]], vocab: Vocabularies
) -> dict[str, Any] | None:
    if part.awarding_body is None:
        return None
    prefix = f"_:part-{index}"
    same = [
        b for b in main_bodies if part.awarding_body.id and b.get("id") == part.awarding_body.id
    ]
    if same:
        body = same[0]  # the larger credential's own awarding body: one node, not two
    else:
        places = _renamed(places_nodes((part.country,) if part.country else (), vocab), prefix)
        body = organisation_node(part.awarding_body, tuple(places), vocab,
                                 node_id=part.awarding_body.id or f"{prefix}-org")  # fmt: skip
    process: dict[str, Any] = {"id": f"{prefix}-awarding", "type": "AwardingProcess",
                               "awardingBody": [body]}  # fmt: skip
    if part.issued is not None:
        process["awardingDate"] = part.issued.isoformat()
    return process


def part_nodes(
    mc: MicroCredential, main_bodies: list[dict[str, Any]], vocab: Vocabularies
) -> list[dict[str, Any]]:
    """The ``hasPart`` learning achievements of a larger credential (none for others)."""
    found = []
    for index, part in enumerate(mc.parts):
        achievement: dict[str, Any] = {
            "id": f"_:part-{index}",
            "type": "LearningAchievement",
            "title": dict(part.title),
            "identifier": [{"id": f"_:part-{index}-identifier", "type": "Identifier",
                            "notation": part.id, "schemeName": PART_SCHEME}],
        }  # fmt: skip
        awarding = _awarding(part, index, main_bodies, vocab)
        if awarding is not None:
            achievement["awardedBy"] = awarding
        found.append(achievement)
    return found


def _part_id(achievement: Node) -> str | None:
    for identifier in nodes(achievement.get("identifier")):
        if string(identifier.get("schemeName")) == PART_SCHEME:
            return string(identifier.get("notation"))
    return None


def read_parts(claim: Node | None) -> tuple[CredentialPart, ...]:
    """The parts our writer put in ``hasPart`` (achievements with a credential identifier)."""
    found = []
    for achievement in nodes(claim.get("hasPart")) if claim else []:
        part_id, title = _part_id(achievement), text(achievement.get("title"))
        if part_id and title:
            awarding = next(iter(nodes(achievement.get("awardedBy"))), None)
            issued = when(awarding.get("awardingDate")) if awarding else None
            found.append(CredentialPart(id=part_id, title=title, issued=issued))
    return tuple(found)
