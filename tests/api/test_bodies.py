"""A body that cannot be read is a 400 problem naming why, on every route; ids stay in range.

The routes are found by walking the app, so a route added later is covered without a test edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

from microcred.services.bounds import MAX_ROW_ID
from tests.api.client import ApiClient
from tests.api.conftest import World

PROBLEM = "application/problem+json"
JSON = {"content-type": "application/json"}
HUGE = 1180591620717411303424  # 2**70
UNREADABLE = {  # body -> what the problem's detail says
    b'{"verifiableCredential": {"@context": ["https://www.w3.org/ns/cre': "not valid JSON",
    b'{"name": "caf\xc3': "not UTF-8",
    b"\xff\xfe{\x00}\x00": "not UTF-8",
    b'{"a": 1, "a": 2}': "appears twice",
    b'{"a": {"b": [1, {"c": 1, "c": 1}]}}': "appears twice",
    b'{"a": NaN}': "NaN is not JSON",
    b'{"a": -Infinity}': "Infinity is not JSON",
    b'{"a": 1e400}': "too large for a 64-bit float",
    b'{"a": ' + b"9" * 5000 + b"}": "not valid JSON",
    b"{'a': 1}": "not valid JSON",
    b"   ": "not valid JSON",
}


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Route]]:
    """Every route of the app, inside included routers too, with its path prefix."""
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI includes routers lazily
        if included is not None:
            yield from _routes(included.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Route):
            yield prefix, route


def _writing_routes(client: ApiClient) -> list[tuple[str, str, Any]]:
    """(method, path with every parameter set to 1, route) for every route taking a body."""
    found = []
    for prefix, route in _routes(client.app.routes):
        path = prefix + re.sub(r"\{[^}]+\}", "1", route.path)
        for method in sorted((route.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            found.append((method, path, route))
    assert len(found) >= 40  # the API and the pages
    return found


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert (body["status"], body["code"]) == (status, code)
    return body


@pytest.mark.parametrize(("raw", "reason"), UNREADABLE.items(), ids=range(len(UNREADABLE)))
def test_verify_names_what_is_wrong_with_the_body(client: ApiClient, raw: bytes,
                                                   reason: str) -> None:  # fmt: skip
    problem = _problem(client.post("/credentials/verify", content=raw, headers=JSON), 400,
                       "malformed-body")  # fmt: skip
    assert reason in problem["detail"]


def test_every_route_refuses_unreadable_json_before_anything_else(
    client: ApiClient, world: World
) -> None:
    for method, path, _ in _writing_routes(client):
        for raw in UNREADABLE:
            for content_type in ("application/json", "application/ld+json; charset=utf-8"):
                headers = {**world.admin, "content-type": content_type}
                response = client.request(method, path, content=raw, headers=headers)
                assert response.status_code == 400, f"{method} {path} {raw[:30]!r}"
                if path.startswith("/oid4vci/"):  # OAuth endpoints answer OAuth errors
                    error = response.json()["error"]
                    assert error == "invalid_credential_request", f"{method} {path}"
                    continue
                assert response.json()["code"] == "malformed-body", f"{method} {path}"


def test_deep_nesting_is_refused_as_too_large(client: ApiClient) -> None:
    deep = b'{"verifiableCredential": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    problem = _problem(client.post("/credentials/verify", content=deep, headers=JSON), 413,
                       "input-too-large")  # fmt: skip
    assert "nested" in problem["detail"]


@pytest.mark.parametrize(("raw", "headers", "reason"), [
    (b"", JSON, "the body is empty"),
    (b'{"a": 1}', {"content-type": "text/plain"}, "send it as application/json"),
    (b'{"a": 1}', {}, "send it as application/json"),
    (b"[]", JSON, "a JSON object, not an array"),
    (b'"text"', JSON, "a JSON object, not a string"),
    (b"12", JSON, "a JSON object, not a number"),
    (b"true", JSON, "a JSON object, not true or false"),
    (b"null", JSON, "a JSON object, not null"),
])  # fmt: skip
def test_every_json_route_names_an_empty_untyped_or_non_object_body(
    client: ApiClient, world: World, raw: bytes, headers: dict[str, str], reason: str
) -> None:
    checked = 0
    for method, path, route in _writing_routes(client):
        body = route.body_field if isinstance(route, APIRoute) else None
        if body is None or not body.field_info.is_required():
            continue
        response = client.request(method, path, content=raw, headers={**world.admin, **headers})
        problem = _problem(response, 400, "malformed-body")
        assert reason in problem["detail"], f"{method} {path}: {problem['detail']}"
        assert problem["errors"] == [{"field": "body", "message": problem["detail"]}]
        checked += 1
    assert checked >= 10


def test_an_optional_body_may_be_left_out(client: ApiClient, world: World) -> None:
    path = f"/credentials/{world.ro.credential}/claim-link"
    response = client.post(path, headers={**world.ro.auth("provider-issuer"), **JSON})
    assert response.status_code == 201, response.text


def test_a_field_error_inside_a_good_body_stays_a_422(client: ApiClient, world: World) -> None:
    auth = world.ro.auth("provider-issuer")
    for value in (HUGE, -HUGE, 0, MAX_ROW_ID + 1):
        body = {"opportunity_id": value, "learner": {"name": "Ana"}}
        problem = _problem(client.post("/credentials", json=body, headers=auth), 422,
                           "invalid-input")  # fmt: skip
        assert problem["errors"][0]["field"] == "opportunity_id"
    body = {"opportunity_id": world.ro.opportunity, "version": HUGE, "learner": {"name": "A"}}
    problem = _problem(client.post("/credentials", json=body, headers=auth), 422, "invalid-input")
    assert problem["errors"][0]["field"] == "version"


def _integers(schema: Any, spec: dict[str, Any], where: str, seen: set[str]) -> list[str]:
    """Every integer schema under ``schema`` with a bound missing or beyond 64 bits."""
    if isinstance(schema, list):
        return [bad for item in schema for bad in _integers(item, spec, where, seen)]
    if not isinstance(schema, dict):
        return []
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            return []
        target = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return _integers(target, spec, f"{where}>{ref.rsplit('/', 1)[1]}", seen | {ref})
    bad = []
    if schema.get("type") == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is None or high is None or low < -(2**63) or high > 2**63 - 1:
            bad.append(where)
    for key, value in schema.items():
        bad += _integers(value, spec, f"{where}.{key}", seen)
    return bad


def test_every_integer_a_request_carries_is_bounded(client: ApiClient) -> None:
    spec = client.get("/openapi.json").json()
    unbounded = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                unbounded += _integers(parameter.get("schema"), spec, where, set())
            unbounded += _integers(operation.get("requestBody"), spec, where, set())
    assert unbounded == []


@pytest.mark.parametrize("number", [HUGE, -HUGE, 0, MAX_ROW_ID + 1])
def test_ids_in_paths_and_queries_beyond_their_column_are_4xx(
    client: ApiClient, world: World, number: int
) -> None:
    paths = [f"/catalogue/{number}", f"/providers/{number}", f"/courses/{number}",
             f"/audit?provider_id={number}", f"/providers/{number}/credentials"]  # fmt: skip
    for path in paths:
        response = client.get(path, headers=world.admin)
        assert 400 <= response.status_code < 500, f"{path}: {response.text[:200]}"


@pytest.mark.parametrize("query", ["offset=-1", f"offset={HUGE}", f"limit={HUGE}", "limit=0",
                                   f"page={HUGE}", "page=-1", f"eqf={HUGE}", "ects_min=1e400",
                                   f"ects_max={HUGE}", "price_max=-1e999"])  # fmt: skip
def test_numbers_in_queries_never_reach_the_database_out_of_range(
    client: ApiClient, world: World, query: str
) -> None:
    for path in ("/providers", "/catalogue", "/catalogue/search", "/courses", "/audit"):
        response = client.get(f"{path}?{query}", headers=world.admin)
        assert response.status_code < 500, f"{path}?{query}: {response.text[:200]}"
