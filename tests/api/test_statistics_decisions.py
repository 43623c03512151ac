"""Stacked and recognised credentials in the uptake statistics, on both databases.

Stacked: larger credentials issued by accepted pathway decisions (accept, accept with
conditions); recognised: recognition cases whose issued decision is full or partial. Both are
counted in the month of the decision, classified by the deciding provider (they belong to no
opportunity), and protected (k = 5) like every other count.

The world: RO accepted 1 real evaluation (and refused 1) and 5 more accepted in March 2026, 2 in
April; FR accepted 7 in March. RO issued 1 real partial recognition decision and 5 full ones in
March (3 refused ones do not count, nor one not issued yet); FR issued 6 partial ones in April.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from itertools import combinations
from typing import Any

import pytest
from sqlalchemy import inspect

from microcred.adapters.db.tables import PathwayEvaluation, RecognitionCaseRow
from microcred.bootstrap import Platform
from microcred.core.stats import TOTAL, Status, complete, determined, lines, with_margins
from microcred.services.context import SYSTEM
from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.api.test_pathways_api import evaluated, issued, publish, rules
from tests.api.test_recognition_api import decided_case, step

MARCH, APRIL = datetime(2026, 3, 10, tzinfo=UTC), datetime(2026, 4, 10, tzinfo=UTC)
STACKED = {("RO", "2026-03"): 6, ("RO", "2026-04"): 2, ("FR", "2026-03"): 7}
RECOGNISED = {("RO", "2026-03"): 6, ("FR", "2026-04"): 6}


def _copies(platform: Platform, kind: type[Any], original: str, provider: int, when: datetime,
            number: int, **changes: Any) -> None:  # fmt: skip
    """Rows like ``original`` (a decided evaluation or case), decided at ``when``."""
    moment = "decided_at"
    with platform.unit_of_work(SYSTEM) as ctx:
        row = ctx.session.get(kind, original)
        assert row is not None
        values = {a.key: getattr(row, a.key) for a in inspect(kind).column_attrs}
        for _ in range(number):
            values.update(id=str(uuid.uuid4()), provider_id=provider, credential_id=None,
                          **{moment: when}, **changes)  # fmt: skip
            ctx.session.add(kind(**values))


def _accepted(client: ApiClient, world: World) -> str:
    tenant = world.ro
    rules_id = publish(client, tenant, rules()).json()["id"]
    ids = []
    for verdict in ("accept", "refuse"):
        parts = [issued(client, tenant, f"{verdict}-1"), issued(client, tenant, f"{verdict}-2")]
        evaluation = evaluated(client, tenant, rules_id, parts)
        decided = client.post(f"/evaluations/{evaluation['id']}/decision",
                              json={"decision": verdict, "reasons": "checked"},
                              headers=tenant.auth("provider-issuer"))  # fmt: skip
        assert decided.status_code == 200, decided.text
        ids.append(evaluation["id"])
    return ids[0]


def _recognised(client: ApiClient, world: World) -> str:
    case = decided_case(client, world.ro)
    answer = step(client, world.ro, case["id"], type="decision-issued")
    assert answer.status_code == 200, answer.text
    return str(case["id"])


@pytest.fixture
def decisions(client: ApiClient, platform: Platform, world: World) -> World:
    accepted = _accepted(client, world)
    _copies(platform, PathwayEvaluation, accepted, world.ro.id, MARCH, 5)
    _copies(platform, PathwayEvaluation, accepted, world.ro.id, APRIL, 2,
            decision="accept-with-conditions", conditions="a project")  # fmt: skip
    _copies(platform, PathwayEvaluation, accepted, world.fr.id, MARCH, 7)
    case = _recognised(client, world)
    _copies(platform, RecognitionCaseRow, case, world.ro.id, MARCH, 5, outcome="full")
    _copies(platform, RecognitionCaseRow, case, world.ro.id, MARCH, 3, outcome="refused")
    _copies(platform, RecognitionCaseRow, case, world.ro.id, MARCH, 1, outcome=None)
    _copies(platform, RecognitionCaseRow, case, world.fr.id, APRIL, 6, outcome="partial")
    return world


def _values(client: ApiClient, headers: dict[str, str], query: str) -> dict[tuple[str, ...], Any]:
    response = client.get(f"/statistics?{query}", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    return {tuple(r["key"][d] for d in body["dimensions"]): r["value"] for r in body["rows"]}


def test_accepted_pathway_decisions_count_as_stacked_by_the_deciding_providers_country(
    client: ApiClient, decisions: World
) -> None:
    values = _values(client, decisions.admin, "measure=stacked&dimensions=country")
    assert values == {("RO",): 8, ("FR",): 7, (TOTAL,): 15}  # the refused one does not count
    by_month = _values(client, decisions.admin,
                       "measure=stacked&dimensions=period&granularity=month")  # fmt: skip
    assert by_month == {("2026-03",): None, ("2026-04",): None, (TOTAL,): 15}  # 2, and 15 - 2


def test_issued_full_and_partial_recognition_decisions_count_as_recognised(
    client: ApiClient, decisions: World
) -> None:
    values = _values(client, decisions.admin,
                     "measure=recognised&dimensions=country,period&granularity=month")  # fmt: skip
    assert values[("RO", "2026-03")] == 6  # 1 real partial + 5 full; refused and waiting: no
    assert values[("FR", "2026-04")] == 6
    assert values[(TOTAL, TOTAL)] == 12
    typed = _values(client, decisions.admin, "measure=recognised&dimensions=provider_type")
    assert typed == {("higher-education",): 12, (TOTAL,): 12}


def test_a_provider_and_a_statistics_reader_see_their_own_decisions(
    client: ApiClient, decisions: World
) -> None:
    own = _values(client, decisions.fr.auth("read-only"), "measure=stacked&dimensions=country")
    assert own == {("FR",): 7, (TOTAL,): 7}
    made = client.post("/api-keys", headers=decisions.admin, json={
        "role": "statistics-reader", "label": "authority", "country": "RO"})  # fmt: skip
    reader = {"Authorization": f"Bearer {made.json()['token']}"}
    assert _values(client, reader, "measure=recognised&dimensions=country") == {
        ("RO",): 6, (TOTAL,): 6}  # fmt: skip


QUERIES = [
    f"measure={measure}&dimensions={','.join(dims)}&granularity=month{extra}"
    for measure in ("stacked", "recognised")
    for size in (1, 2)
    for dims in combinations(("country", "period"), size)
    for extra in ("", "&country=RO", "&country=FR", "&from=2026-04-01", "&until=2026-03-31")
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("measure", "truth"), [("stacked", STACKED), ("recognised", RECOGNISED)])
def test_no_query_nor_any_difference_reveals_a_small_count_of_decisions(
    client: ApiClient, decisions: World, measure: str, truth: dict[tuple[str, ...], int]
) -> None:
    known: dict[tuple[str, ...], int] = {}
    for query in (q for q in QUERIES if q.startswith(f"measure={measure}&")):
        response = client.get(f"/statistics?{query}", headers=decisions.admin)
        assert response.status_code == 200, response.text
        for row in response.json()["rows"]:
            key = (row["key"].get("country", TOTAL), row["key"].get("period", TOTAL))
            if row["value"] is not None:
                assert not 1 <= row["value"] <= 4, query
                assert known.setdefault(key, row["value"]) == row["value"], (query, key)
    table = with_margins(2, complete(truth, 2))
    status = {key: Status.SHOWN if key in known else Status.PRIMARY for key in table}
    recovered = [key for key in determined(lines(table, 2), status) if 1 <= table[key] <= 4]
    assert recovered == []
