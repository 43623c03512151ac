"""/openapi.json describes what the API really returns: a named shape for every success."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.api.client import ApiClient
from tests.api.conftest import World


def _successes(spec: dict[str, Any]) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    """(method, path, status, media type, schema) of every 2xx response."""
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status.startswith("2"):
                    for media, content in response.get("content", {"-": {}}).items():
                        found.append((method, path, status, media, content.get("schema", {})))
    return found


def _named(schema: dict[str, Any]) -> bool:
    """A model of our own (a ``$ref``), or a list of them: not ``{}`` nor a bare object."""
    if schema.get("type") == "array":
        return _named(schema.get("items", {}))
    return "$ref" in schema


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_success_has_a_named_schema(client: ApiClient) -> None:
    spec = client.get("/openapi.json").json()
    successes = _successes(spec)
    assert len(successes) >= 40  # every router is in the document
    untyped = [f"{m.upper()} {p} {s} {media}" for m, p, s, media, schema in successes
               if not _named(schema)]  # fmt: skip
    assert untyped == []


def test_an_untyped_route_would_be_caught() -> None:
    assert not _named({})
    assert not _named({"type": "object", "additionalProperties": True})
    assert not _named({"type": "array", "items": {"type": "object"}})
    assert _named({"type": "array", "items": {"$ref": "#/components/schemas/ApiKeyOut"}})


def _declared(spec: dict[str, Any], method: str, url: str, status: int, media: str) -> Any:
    """The schema /openapi.json declares for this response (path templates matched)."""
    path = url.split("?")[0]
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method in item:
            content = item[method]["responses"][str(status)]["content"]
            return content[media]["schema"]
    raise AssertionError(f"{method} {url} is not in /openapi.json")


def _check(client: ApiClient, spec: dict[str, Any], method: str, url: str,
           headers: dict[str, str] | None = None, **kwargs: Any) -> Any:  # fmt: skip
    response = client.request(method.upper(), url, headers=headers or {}, **kwargs)
    assert response.status_code < 300, response.text
    media = response.headers["content-type"].split(";")[0]
    schema = _declared(spec, method, url, response.status_code, media)
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())
    ]
    assert errors == [], f"{method.upper()} {url}"
    return response.json()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_responses_match_their_declared_schema(client: ApiClient, world: World) -> None:
    spec = client.get("/openapi.json").json()
    ro, admin = world.ro, world.ro.auth("provider-admin")
    provider = _check(client, spec, "get", f"/providers/{ro.id}")
    assert provider["keys"]
    assert "keys" not in _check(client, spec, "get", "/providers")["items"][0]
    for url in ("/.well-known/did.json", f"/providers/{ro.slug}/did.json", "/catalogue",
                f"/catalogue/{ro.opportunity}", f"/catalogue/{ro.opportunity}/versions/1",
                f"/catalogue/{ro.opportunity}/elm", f"/catalogue/{ro.opportunity}/course",
                f"/catalogue/{ro.opportunity}/ctdl", "/catalogue/export/ctdl"):  # fmt: skip
        _check(client, spec, "get", url)
    credential = _check(client, spec, "get", f"/credentials/{ro.credential}", admin)
    assert isinstance(credential["document"], dict | str)
    status = credential["status"]
    _check(client, spec, "get", f"/status-lists/{ro.slug}/revocation/{status['list']}")
    for url in (f"/providers/{ro.id}/credentials", f"/providers/{ro.id}/opportunities",
                f"/opportunities/{ro.opportunity}", f"/providers/{ro.id}/api-keys",
                f"/audit-events?provider_id={ro.id}"):  # fmt: skip
        _check(client, spec, "get", url, admin)
    made = _check(client, spec, "post", "/api-keys", admin,
                  json={"role": "read-only", "provider_id": ro.id, "label": "t"})  # fmt: skip
    assert made["token"]
    _check(client, spec, "delete", f"/api-keys/{made['id']}", admin)
    link = _check(client, spec, "post", f"/credentials/{ro.credential}/claim-link", admin,
                  json={"email": False})  # fmt: skip
    assert "tx_code" not in link  # absent, not null, when none was asked
    for url in ("/.well-known/openid-credential-issuer", "/.well-known/oauth-authorization-server"):
        _check(client, spec, "get", url)
    _check(client, spec, "post", "/oid4vci/nonce")
    _check(client, spec, "post", f"/credentials/{ro.credential}/suspend", admin, json={})
    _check(client, spec, "post", f"/providers/{ro.id}/keys/rotate", admin, json={})
    learners = [{"name": "Ion", "email": "ion@x.ro"}, {"name": "Bad", "email": "bad"}]
    batch = _check(client, spec, "post", "/batches", admin,
                   json={"opportunity_id": ro.opportunity, "learners": learners})  # fmt: skip
    progress = _check(client, spec, "get", f"/batches/{batch['id']}", admin)
    assert [error["line"] for error in progress["errors"]] == [2]
    _check(
        client,
        spec,
        "post",
        "/credentials/verify",
        json={"verifiableCredential": credential["document"]},
    )
