"""Schemathesis against /openapi.json, in-process: no 500s, responses match the schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.client import ApiClient
from tests.api.conftest import World

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
BASE = "https://mc.example"


def _send(client: ApiClient, case: Any, headers: dict[str, str]) -> Any:
    kwargs = case.as_transport_kwargs(base_url=BASE)
    kwargs["headers"] = {**kwargs.get("headers", {}), **headers}
    kwargs["headers"].pop("Connection", None)
    kwargs["url"] = kwargs["url"].removeprefix(BASE)
    kwargs.pop("cookies", None)
    if isinstance(kwargs.get("data"), str | bytes):
        kwargs["content"] = kwargs.pop("data")
    return client.request(kwargs.pop("method"), kwargs.pop("url"), **kwargs)


OURS = {"providers", "keys", "api keys", "did", "opportunities", "catalogue", "vc-api",
        "credentials", "batches", "status lists", "audit"}  # fmt: skip


def _fuzz(client: ApiClient, operation: Any, headers: dict[str, str], examples: int,
          mode: GenerationMode = GenerationMode.POSITIVE) -> None:  # fmt: skip
    tags = set(operation.definition.raw.get("tags", []))
    checks = CHECKS if tags & OURS else [not_a_server_error]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy(mode))
    def run(case: Any) -> None:
        response = _send(client, case, headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
        case.validate_response(response, checks=checks)

    try:
        run()
    except Unsatisfiable:  # nothing invalid to send (no parameters, no body)
        assert mode is GenerationMode.NEGATIVE


@pytest.mark.slow
def test_no_server_errors(client: ApiClient, world: World) -> None:
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    for result in schema.get_all_operations():
        operation = result.ok()
        _fuzz(client, operation, world.admin, 40)
        _fuzz(client, operation, world.ro.auth("provider-issuer"), 10)
        _fuzz(client, operation, world.admin, 20, GenerationMode.NEGATIVE)


HUGE = 2**70
PROBLEM = "application/problem+json"


def _swollen(value: Any, sign: int) -> Any:
    """``value`` with every integer in it (not booleans) replaced by ±2**70."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return sign * HUGE
    if isinstance(value, dict):
        return {key: _swollen(item, sign) for key, item in value.items()}
    if isinstance(value, list):
        return [_swollen(item, sign) for item in value]
    return value


def _expect_4xx_problem(response: Any, what: str, statuses: range = range(400, 500)) -> None:
    assert response.status_code < 500, f"{what}: {response.text[:300]}"
    if response.status_code in statuses and response.status_code >= 400:
        assert response.headers["content-type"].startswith(PROBLEM), what


def _hostile(client: ApiClient, operation: Any, headers: dict[str, str], examples: int) -> None:
    """Generated valid requests, then: every integer beyond 64 bits; the JSON body truncated;
    the JSON body with a byte that is not UTF-8."""
    ours = bool(set(operation.definition.raw.get("tags", [])) & OURS)
    json_type = {**headers, "content-type": "application/json"}

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(
        case=operation.as_strategy(GenerationMode.POSITIVE),
        sign=st.sampled_from([1, -1]),
        cut=st.floats(0, 0.99),
        bad=st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"]),
    )
    def run(case: Any, sign: int, cut: float, bad: bytes) -> None:
        what = f"{case.method} {case.formatted_path}"
        body = case.body
        case.path_parameters = _swollen(case.path_parameters, sign)
        case.query = _swollen(case.query, sign)
        if isinstance(body, dict | list):
            case.body = _swollen(body, sign)
        response = _send(client, case, headers)
        _expect_4xx_problem(response, f"{what} with integers of 2**70", range(400 if ours else 0))
        if not isinstance(body, dict | list):
            return
        raw = json.dumps(body).encode()
        for broken in (raw[: int(len(raw) * cut)], raw[:-1] + bad + raw[-1:]):
            sent = client.request(case.method, case.formatted_path, content=broken,
                                  headers=json_type)  # fmt: skip
            assert sent.status_code < 500, f"{what} with {broken[-20:]!r}: {sent.text[:300]}"
            if broken and not _readable(broken):
                assert sent.json()["code"] == "malformed-body", f"{what}: {sent.text[:300]}"

    run()


def _readable(raw: bytes) -> bool:
    try:
        json.loads(raw.decode("utf-8"))
    except ValueError:
        return False
    return True


def test_integers_beyond_64_bits_and_broken_bodies_on_every_operation(
    client: ApiClient, world: World
) -> None:
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    if not client.app.state.platform.settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite overflows where PostgreSQL raises DataError: the slow run has both")
    spec = schema.raw_schema
    for operation in operations:
        numbers = _has_integers(spec, operation.definition.raw, set())
        _hostile(client, operation, world.admin, 12 if numbers else 2)


def _has_integers(spec: dict[str, Any], node: Any, seen: set[str]) -> bool:
    """Whether an integer appears anywhere in ``node``, following ``$ref``s."""
    if isinstance(node, list):
        return any(_has_integers(spec, item, seen) for item in node)
    if not isinstance(node, dict):
        return False
    ref = node.get("$ref")
    if isinstance(ref, str) and ref not in seen:
        target = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return _has_integers(spec, target, seen | {ref})
    return node.get("type") == "integer" or any(
        _has_integers(spec, value, seen) for key, value in node.items() if key != "responses"
    )


@pytest.mark.slow
def test_many_hostile_requests_on_every_operation(client: ApiClient, world: World) -> None:
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    for result in schema.get_all_operations():
        _hostile(client, result.ok(), world.admin, 60)
        _hostile(client, result.ok(), world.ro.auth("provider-issuer"), 20)
