"""The CTDL export over HTTP: whole catalogue, one opportunity, bad parameters as problems."""

from __future__ import annotations

from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.platform.samples import provider_in


def test_the_catalogue_exports_as_ctdl(client: ApiClient, world: World) -> None:
    response = client.get("/catalogue/export/ctdl")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = response.json()
    assert graph["@context"] == "https://credreg.net/ctdl/schema/context/json"
    kinds = [node["@type"] for node in graph["@graph"]]
    assert kinds.count("ceterms:LearningOpportunityProfile") == 2
    assert kinds.count("ceterms:CredentialOrganization") == 2
    only_fr = client.get("/catalogue/export/ctdl", params={"country": "FR"}).json()
    names = [n["ceterms:name"] for n in only_fr["@graph"] if "LearningOpp" in n["@type"]]
    assert len(names) == 1


def test_one_opportunity_exports_with_its_provider(client: ApiClient, world: World) -> None:
    graph = client.get(f"/catalogue/{world.ro.opportunity}/ctdl").json()
    [org] = [n for n in graph["@graph"] if n["@type"] == "ceterms:CredentialOrganization"]
    assert org["@id"] == f"did:web:mc.example:providers:{world.ro.slug}"
    [credential] = [n for n in graph["@graph"] if n["@type"] == "ceterms:MicroCredential"]
    assert credential["ceterms:ownedBy"] == [org["@id"]]
    assert client.get("/catalogue/999999/ctdl").status_code == 404


def test_bad_export_parameters_are_problems(client: ApiClient, world: World) -> None:
    response = client.get("/catalogue/export/ctdl", params={"limit": 0})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_provider_records_its_sector(client: ApiClient, world: World) -> None:
    body = {**provider_in("hs-wien", "AT", "AT13").model_dump(mode="json"), "sector": "public"}
    made = client.post("/providers", json=body, headers=world.admin)
    assert made.status_code == 201, made.text
    assert made.json()["sector"] == "public"
    wrong = {**body, "slug": "hs-graz", "sector": "state"}
    assert client.post("/providers", json=wrong, headers=world.admin).status_code == 422
