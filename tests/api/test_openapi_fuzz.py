"""Schemathesis against /openapi.json, in-process: no 500s, responses match the schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
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
