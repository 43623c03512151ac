"""``GET /catalogue/search`` over HTTP: published opportunities are found at once, with facets,
reasons and highlighted snippets; bad parameters are problems that name them."""

from __future__ import annotations

from tests.api.client import ApiClient
from tests.api.conftest import World


def test_a_published_opportunity_is_found_with_facets_and_reasons(
    client: ApiClient, world: World
) -> None:
    response = client.get("/catalogue/search", params={"q": "course", "lang": "fr"})
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 2
    assert {hit["id"] for hit in page["hits"]} == {world.ro.opportunity, world.fr.opportunity}
    hit = page["hits"][0]
    assert hit["url"].startswith("https://mc.example/catalogue/")
    assert "Course of" in hit["title"]
    assert any("course" in reason.lower() for reason in hit["reasons"])
    countries = {f["value"]: f["count"] for f in page["facets"]["country"]}
    assert countries == {"RO": 1, "FR": 1}


def test_a_filter_narrows_the_results_but_not_its_own_facet(
    client: ApiClient, world: World
) -> None:
    page = client.get("/catalogue/search", params=[("country", "RO")]).json()
    assert [hit["id"] for hit in page["hits"]] == [world.ro.opportunity]
    assert {f["value"] for f in page["facets"]["country"]} == {"RO", "FR"}  # disjunctive
    assert page["query"] == {"country": ["RO"]}


def test_a_word_nothing_carries_finds_nothing(client: ApiClient, world: World) -> None:
    page = client.get("/catalogue/search", params={"q": "zzyzx"}).json()
    assert page["total"] == 0
    assert page["hits"] == []


def test_a_bad_parameter_is_a_problem_naming_it(client: ApiClient, world: World) -> None:
    for params in ({"eqf": "9"}, {"sort": "sideways"}, {"page": "0"}, {"starts_from": "soon"}):
        response = client.get("/catalogue/search", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert next(iter(params)) in response.json()["detail"]
