"""CTDL export of the catalogue: publishable nodes, CTDL terms only, valid JSON-LD (both DBs)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from microcred.core.jsonld import expand, to_dataset
from microcred.services import catalogue_ctdl, demo, opportunities, providers
from microcred.services.catalogue import Filters
from microcred.services.context import Context
from tests.platform.samples import opportunity_in, provider_in

CONTEXTS = resources.files("microcred.core.contexts")
PROFILE = json.loads(CONTEXTS.joinpath("ctdl-minimum-data.json").read_text("utf-8"))
CTDL_TERMS = set(
    json.loads(CONTEXTS.joinpath("ctdl-context-subset.jsonld").read_text("utf-8"))["@context"]
)
CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ORGANISATIONS = {"ceterms:CredentialOrganization", "ceterms:QACredentialOrganization"}


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every typed node of the graph, at any depth."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for child in value.values():
            yield from _nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _nodes(child)


def _missing(node: dict[str, Any]) -> list[str]:
    """What the Registry's minimum data asks of this node and it lacks (from packaged data)."""
    kind = node["@type"]
    rules = PROFILE["classes"][kind]
    if kind in ORGANISATIONS and "ceterms:ctid" not in node:
        rules = PROFILE["reference"]  # an organisation the export only points at
    lacking = [p for p in rules["required"] if node.get(p) in (None, "", [], {})]
    lacking += [" or ".join(group) for group in rules["one_of"]
                if not any(node.get(p) for p in group)]  # fmt: skip
    return lacking


def _keys_and_types(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "@type":
                yield child
            elif not key.startswith("@"):
                yield key
                if not _is_language_map(key, child):
                    yield from _keys_and_types(child)
    elif isinstance(value, list):
        for child in value:
            yield from _keys_and_types(child)


def _is_language_map(key: str, value: Any) -> bool:
    return CTDL_TERMS_DEFS.get(key, {}).get("@container") == "@language"


CTDL_TERMS_DEFS: dict[str, Any] = json.loads(
    CONTEXTS.joinpath("ctdl-context-subset.jsonld").read_text("utf-8")
)["@context"]


@pytest.fixture
def demo_export(ctx: Context) -> dict[str, Any]:
    demo.seed(ctx)
    return catalogue_ctdl.ctdl_catalogue(ctx, Filters())


def test_every_node_has_what_the_registry_requires(demo_export: dict[str, Any]) -> None:
    nodes = list(_nodes(demo_export["@graph"]))
    kinds = {node["@type"] for node in nodes}
    assert {"ceterms:CredentialOrganization", "ceterms:QACredentialOrganization",
            "ceterms:LearningOpportunityProfile", "ceterms:MicroCredential",
            "ceterms:CredentialAlignmentObject", "ceterms:ConditionProfile",
            "ceterms:ValueProfile", "ceterms:DurationProfile"} <= kinds  # fmt: skip
    gaps = {f"{node.get('@id', node['@type'])}: {p}" for node in nodes for p in _missing(node)}
    assert gaps == set()
    assert all(CTID.match(n["ceterms:ctid"]) for n in nodes if "ceterms:ctid" in n)


def test_only_ctdl_terms_are_used_and_expansion_drops_none(demo_export: dict[str, Any]) -> None:
    used = set(_keys_and_types(demo_export["@graph"]))
    assert used - CTDL_TERMS == set()
    expanded = expand(demo_export)  # safe mode: an undefined term would raise
    dataset = to_dataset(demo_export, safe=True)
    assert expanded
    quads = [q for graph in dataset.values() for q in graph]
    predicates = {q["predicate"]["value"] for q in quads}
    assert "https://purl.org/ctdl/terms/ownedBy" in predicates
    named = [q for q in quads if q["predicate"]["value"] == "https://purl.org/ctdl/terms/name"]
    assert {q["object"].get("language") for q in named} >= {"en", "ro", "fr"}


def test_the_demo_catalogue_maps_annex1_elements(demo_export: dict[str, Any]) -> None:
    graph = demo_export["@graph"]
    learning = [n for n in graph if n["@type"] == "ceterms:LearningOpportunityProfile"]
    credentials = [n for n in graph if n["@type"] == "ceterms:MicroCredential"]
    orgs = {n["@id"]: n for n in graph if n["@type"] == "ceterms:CredentialOrganization"}
    assert len(learning) == len(credentials) == 4
    assert len(orgs) == 2
    data = next(n for n in learning if n["ceterms:name"]["en"].startswith("Data literacy"))
    assert data["ceterms:ownedBy"][0] in orgs
    assert data["ceterms:creditValue"][0]["schema:value"] == 5
    assert data["ceterms:estimatedDuration"][0]["ceterms:exactDuration"] == "PT125H"
    level = data["ceterms:audienceLevelType"][0]
    assert level["ceterms:targetNode"] == "http://data.europa.eu/snb/eqf/6"
    assert data["ceterms:deliveryType"][0]["ceterms:targetNode"] == "deliveryType:OnlineOnly"
    assert data["ceterms:inLanguage"] == ["en"]
    award = next(n for n in credentials if n["ceterms:name"] == data["ceterms:name"])
    [condition] = award["ceterms:requires"]
    assert condition["ceterms:targetLearningOpportunity"] == [data["@id"]]
    unibuc = orgs[data["ceterms:ownedBy"][0]]
    assert unibuc["ceterms:agentSectorType"]["ceterms:targetNode"] == "agentSector:Public"
    assert unibuc["ceterms:accreditedBy"] == ["https://www.aracis.ro"]


def test_ctids_are_stable_and_follow_the_version(ctx: Context) -> None:
    provider = providers.register(ctx, provider_in())
    made = opportunities.create(ctx, provider.id, opportunity_in("Data literacy", 6, 5))
    first = catalogue_ctdl.ctdl_opportunity(ctx, opportunities.publish(ctx, made.id))
    again = catalogue_ctdl.ctdl_opportunity(ctx, opportunities.version(ctx, made.id, 1))
    assert first == again
    opportunities.update_draft(ctx, made.id, opportunity_in("Data literacy II", 6, 6))
    second = catalogue_ctdl.ctdl_opportunity(ctx, opportunities.publish(ctx, made.id))

    def ctids(graph: dict[str, Any], kind: str) -> set[str]:
        return {n["ceterms:ctid"] for n in graph["@graph"] if n["@type"] == kind}

    lopp = "ceterms:LearningOpportunityProfile"
    assert ctids(first, lopp).isdisjoint(ctids(second, lopp))
    org = "ceterms:CredentialOrganization"
    assert ctids(first, org) == ctids(second, org)


def test_an_unknown_sector_is_left_out_not_guessed(ctx: Context) -> None:
    provider = providers.register(ctx, provider_in())  # higher education, no sector recorded
    made = opportunities.create(ctx, provider.id, opportunity_in("Data literacy", 6, 5))
    graph = catalogue_ctdl.ctdl_opportunity(ctx, opportunities.publish(ctx, made.id))
    [org] = [n for n in graph["@graph"] if n["@type"] == "ceterms:CredentialOrganization"]
    assert "ceterms:agentSectorType" not in org
    assert _missing(org) == ["ceterms:agentSectorType"]
