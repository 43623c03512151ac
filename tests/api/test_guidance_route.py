"""``GET /guidance`` over HTTP: the gap towards an ESCO occupation, the courses that fill it
best with reasons, hard filters, and bad targets as problems naming the parameter."""

from __future__ import annotations

from microcred.bootstrap import Platform
from microcred.services import opportunities, providers
from microcred.services.context import SYSTEM
from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.platform.samples import opportunity_in, provider_in

ESCO = "http://data.europa.eu/esco/skill/"
STATISTICS = ESCO + "7ee4c2ea-b349-4bd2-81a3-ec31475d4833"
CLEANSING = ESCO + "50b100ea-74fd-4706-99db-3e4ca55e51b8"
DATA_ANALYST = "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"


def _publish_with_skills(platform: Platform, slug: str, title: str, skills: list[str]) -> int:
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in(slug, "DE", "DE300"))
        data = opportunity_in(title).model_dump(mode="json")
        data["credential"]["learning_outcomes"][0]["skills"] = skills
        row = opportunities.create(ctx, provider.id, type(opportunity_in())(**data))
        opportunities.publish(ctx, row.id)
        return row.id


def test_the_gap_and_the_course_that_fills_most_of_it(
    client: ApiClient, world: World, platform: Platform
) -> None:
    both = _publish_with_skills(platform, "hs-koeln", "Statistik und Datenbereinigung",
                                [STATISTICS, CLEANSING])  # fmt: skip
    one = _publish_with_skills(platform, "hs-bonn", "Statistik kompakt", [STATISTICS])
    response = client.get("/guidance", params={"occupation": DATA_ANALYST, "lang": "de"})
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["target_label"] == "Datenanalyst/Datenanalystin"
    assert len(found["missing"]) == 11
    ranked = [s["id"] for s in found["suggestions"]]
    assert ranked[:2] == [both, one]
    best = found["suggestions"][0]
    assert {c["uri"] for c in best["covers"]} == {STATISTICS, CLEANSING}
    assert best["reasons"], "every suggestion says why it ranks there"


def test_held_skills_leave_the_gap(client: ApiClient, world: World, platform: Platform) -> None:
    _publish_with_skills(platform, "hs-koeln", "Statistik", [STATISTICS])
    params = {"occupation": DATA_ANALYST, "held": STATISTICS}
    found = client.get("/guidance", params=params).json()
    assert STATISTICS not in {m["uri"] for m in found["missing"]}
    assert found["suggestions"] == []  # the only course teaches what is already held


def test_hard_filters_apply(client: ApiClient, world: World, platform: Platform) -> None:
    _publish_with_skills(platform, "hs-koeln", "Statistik", [STATISTICS])
    params = {"skills": STATISTICS, "country": "FR"}
    assert client.get("/guidance", params=params).json()["suggestions"] == []
    params = {"skills": STATISTICS, "country": "DE"}
    assert len(client.get("/guidance", params=params).json()["suggestions"]) == 1


def test_bad_targets_are_problems_naming_the_parameter(client: ApiClient, world: World) -> None:
    cases = [({}, "occupation"), ({"occupation": "https://example.org/x"}, "occupation"),
             ({"skills": STATISTICS, "held": "not-a-uri"}, "held"),
             ({"skills": STATISTICS, "level": "12"}, "level"),
             ({"skills": STATISTICS, "country": "France!"}, "country")]  # fmt: skip
    for params, named in cases:
        response = client.get("/guidance", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert named in response.json()["detail"], (params, response.json())
