"""Uptake statistics over the API: scope, exports and k-anonymity (k = 5), on both databases.

The world: RO issued 12 credentials of an EQF 6 course in March 2026 (2 revoked since) and 3 of
an EQF 4 course in April; FR issued 8 of an EQF 6 course in March.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from itertools import combinations

import pytest

from microcred.adapters.db.tables import Credential
from microcred.bootstrap import Platform
from microcred.core.stats import TOTAL, Status, complete, determined, lines, with_margins
from microcred.services import opportunities
from microcred.services.context import SYSTEM
from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.platform.samples import opportunity_in

MARCH, APRIL = datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 4, 10, tzinfo=UTC)
TRUTH = {  # (country, eqf, month): issued
    ("FR", "6", "2026-03"): 8,
    ("RO", "4", "2026-04"): 3,
    ("RO", "6", "2026-03"): 12,
}


def _copies(platform: Platform, original: str, version: int | None, when: datetime,
            number: int, state: str = "active") -> None:  # fmt: skip
    with platform.unit_of_work(SYSTEM) as ctx:
        row = ctx.session.get(Credential, original)
        assert row is not None
        for i in range(number):
            ctx.session.add(Credential(
                id=str(uuid.uuid4()), provider_id=row.provider_id,
                opportunity_version_id=version or row.opportunity_version_id,
                signing_key_id=row.signing_key_id, idempotency_key=f"copy-{uuid.uuid4()}",
                format=row.format, suite=row.suite, document=row.document, issued_at=when,
                status_list=row.status_list, status_index=row.status_index + 100 + i,
                state=state,
            ))  # fmt: skip


@pytest.fixture
def uptake(platform: Platform, world: World) -> World:
    with platform.unit_of_work(SYSTEM) as ctx:
        row = opportunities.create(ctx, world.ro.id, opportunity_in("Welding basics", eqf=4))
        eqf4 = opportunities.publish(ctx, row.id).id
    _copies(platform, world.ro.credential, None, MARCH, 9)
    _copies(platform, world.ro.credential, None, MARCH, 2, state="revoked")
    _copies(platform, world.ro.credential, eqf4, APRIL, 3)
    _copies(platform, world.fr.credential, None, MARCH, 7)
    return world


def _get(client: ApiClient, world: World, query: str) -> dict:
    response = client.get(f"/statistics?{query}", headers=world.admin)
    assert response.status_code == 200, response.text
    return response.json()


def _values(body: dict) -> dict[tuple[str, ...], int | None]:
    return {tuple(r["key"][d] for d in body["dimensions"]): r["value"] for r in body["rows"]}


def test_a_small_cell_and_the_cell_that_would_reveal_it_are_withheld(
    client: ApiClient, uptake: World
) -> None:
    body = _get(client, uptake, "measure=issued&dimensions=eqf")
    values = _values(body)
    assert values[("4",)] is None  # 3 credentials
    assert values[("6",)] is None  # else 23 - 20 would give the 3
    assert values[(TOTAL,)] == 23
    statuses = {r["key"]["eqf"]: r["status"] for r in body["rows"]}
    assert statuses == {"4": "primary", "6": "secondary", TOTAL: "shown"}


def test_a_provider_key_sees_its_own_figures_only(client: ApiClient, uptake: World) -> None:
    response = client.get(
        "/statistics?measure=issued&dimensions=country", headers=uptake.ro.auth("read-only")
    )
    body = response.json()
    assert body["scope"] == "provider:unibuc"
    assert _values(body) == {("RO",): 15, (TOTAL,): 15}


def test_revoked_credentials_are_counted_and_protected(client: ApiClient, uptake: World) -> None:
    values = _values(_get(client, uptake, "measure=revoked&dimensions=country"))
    assert values == {("RO",): None, (TOTAL,): None}  # 2 revoked: under k


def test_published_opportunities_by_country(client: ApiClient, uptake: World) -> None:
    values = _values(_get(client, uptake, "measure=published&dimensions=country"))
    assert set(values.values()) == {None}  # 2 in RO, 1 in FR: all under k


QUERIES = [
    f"measure=issued&dimensions={','.join(dims)}&granularity=month{extra}"
    for size in (1, 2, 3)
    for dims in combinations(("country", "eqf", "period"), size)
    for extra in (
        "",
        "&country=RO",
        "&country=FR",
        "&eqf=6",
        "&eqf=4",
        "&from=2026-04-01",
        "&until=2026-03-31",
        "&country=RO&from=2026-04-01",
    )
    if len({*dims, *(n for n in ("country", "eqf") if f"&{n}=" in extra)}) <= 3
]


def _as_full_key(body: dict) -> dict[tuple[str, ...], int]:
    """Shown entries keyed over (country, eqf, period), ``_T`` where the table has no column."""
    found = {}
    for row in body["rows"]:
        if row["value"] is not None:
            key = tuple(row["key"].get(d, TOTAL) for d in ("country", "eqf", "period"))
            found[key] = row["value"]
    return found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_query_nor_any_difference_of_queries_reveals_a_small_cell(
    client: ApiClient, uptake: World
) -> None:
    known: dict[tuple[str, ...], int] = {}
    for query in QUERIES:
        shown = _as_full_key(_get(client, uptake, query))
        assert all(not 1 <= v <= 4 for v in shown.values()), query
        for key, value in shown.items():
            assert known.setdefault(key, value) == value, (query, key)  # answers agree
    truth = with_margins(3, complete(TRUTH, 3))
    status = {key: Status.SHOWN if key in known else Status.PRIMARY for key in truth}
    recovered = [key for key in determined(lines(truth, 3), status) if 1 <= truth[key] <= 4]
    assert recovered == []  # every answer together: no small cell solves out


def test_exports_sdmx_csv_without_withheld_values(client: ApiClient, uptake: World) -> None:
    response = client.get("/statistics.csv?measure=issued&dimensions=eqf", headers=uptake.admin)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = {r["EQF"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert (rows["4"]["OBS_VALUE"], rows["4"]["CONF_STATUS"]) == ("", "C")
    assert (rows["6"]["OBS_VALUE"], rows["6"]["CONF_STATUS"]) == ("", "D")
    assert (rows[TOTAL]["OBS_VALUE"], rows[TOTAL]["DATAFLOW"]) == ("23", "MICROCRED:UPTAKE(1.0)")


def test_chart_is_an_svg_of_the_platform(client: ApiClient, uptake: World) -> None:
    response = client.get(
        "/statistics/chart.svg?measure=issued&dimensions=period&granularity=month",
        headers=uptake.admin,
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = response.text
    assert all(part in svg for part in ('role="img"', "2026-03", "2026-04"))
    assert ">C<" in svg  # April's 3 is withheld
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("measure=published&dimensions=gender", "dimensions"),
        ("measure=enrolled&dimensions=country", "measure"),
        ("measure=issued&dimensions=shoe_size", "dimensions"),
        ("measure=issued&dimensions=country,eqf,isced&mode=x&nuts=RO32", "dimensions"),
        ("measure=issued&dimensions=country&from=2026-13-01", "from"),
        ("measure=issued&dimensions=country&gender=Q", "gender"),
        ("measure=issued&dimensions=country&eqf=99", "eqf"),
    ],
)
def test_questions_it_cannot_answer_are_a_400_naming_the_parameter(
    client: ApiClient, uptake: World, query: str, field: str
) -> None:
    response = client.get(f"/statistics?{query}", headers=uptake.admin)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert field in response.json()["detail"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_statistics_need_a_key(client: ApiClient, uptake: World) -> None:
    for path in ("/statistics", "/statistics.csv", "/statistics/chart.svg"):
        response = client.get(f"{path}?measure=issued&dimensions=country")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"


def _reader(client: ApiClient, world: World, country: str | None) -> dict[str, str]:
    body = {"role": "statistics-reader", "label": "national authority", "country": country}
    response = client.post("/api-keys", json=body, headers=world.admin)
    assert response.status_code in (200, 201), response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_a_statistics_reader_sees_its_countrys_providers_and_nothing_else(
    client: ApiClient, uptake: World
) -> None:
    reader = _reader(client, uptake, "FR")
    response = client.get("/statistics?measure=issued&dimensions=country", headers=reader)
    body = response.json()
    assert body["scope"] == "country:FR"
    assert _values(body) == {("FR",): 8, (TOTAL,): 8}
    private = client.get(f"/credentials/{uptake.fr.credential}", headers=reader)
    assert private.status_code == 403
    assert private.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_statistics_reader_key_needs_a_country(client: ApiClient, uptake: World) -> None:
    body = {"role": "statistics-reader", "label": "no country"}
    response = client.post("/api-keys", json=body, headers=uptake.admin)
    assert response.status_code == 422
    assert "country" in response.json()["detail"]
