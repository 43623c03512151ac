"""Roles x routes: a provider's keys never reach another provider's data; anonymous only public."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from microcred.bootstrap import Platform
from microcred.services import apikeys, issuance, pathways
from microcred.services.context import SYSTEM
from tests.api.client import ApiClient
from tests.api.conftest import World
from tests.platform.samples import opportunity_in, provider_in

Make = Callable[[Any], Any]  # World, or PathwayWorld for the pathway routes


@dataclass(frozen=True)
class Route:
    method: str
    path: Make
    kind: str  # read | issue | decide | manage | admin
    body: Make | None = None
    csv: bool = False


def _issue_body(w: World) -> dict[str, Any]:
    return {"opportunity_id": w.fr.opportunity, "learner": {"name": "Zoé", "email": "z@fr.eu"}}


def _status_body(w: World) -> dict[str, Any]:
    return {"credentialId": w.fr.credential,
            "credentialStatus": [{"statusPurpose": "suspension", "status": True}]}  # fmt: skip


ROUTES = [
    Route("GET", lambda w: f"/providers/{w.fr.id}/opportunities", "read"),
    Route("GET", lambda w: f"/opportunities/{w.fr.opportunity}", "read"),
    Route("GET", lambda w: f"/providers/{w.fr.id}/credentials", "read"),
    Route("GET", lambda w: f"/credentials/{w.fr.credential}", "read"),
    Route("POST", lambda w: "/credentials", "issue", _issue_body),
    Route("POST", lambda w: f"/credentials/{w.fr.credential}/suspend", "issue", lambda w: {}),
    Route("POST", lambda w: "/credentials/status", "issue", _status_body),
    Route("POST", lambda w: f"/opportunities/{w.fr.opportunity}/batches", "issue", csv=True),
    Route("PUT", lambda w: f"/providers/{w.fr.id}", "manage",
          lambda w: provider_in("lycee-pro", "FR", "FR10").model_dump(mode="json")),
    Route("POST", lambda w: f"/providers/{w.fr.id}/keys/rotate", "manage", lambda w: {}),
    Route("GET", lambda w: f"/providers/{w.fr.id}/api-keys", "manage"),
    Route("POST", lambda w: "/api-keys", "manage",
          lambda w: {"role": "read-only", "provider_id": w.fr.id, "label": "x"}),
    Route("POST", lambda w: f"/providers/{w.fr.id}/opportunities", "manage",
          lambda w: opportunity_in().model_dump(mode="json")),
    Route("PUT", lambda w: f"/opportunities/{w.fr.opportunity}/draft", "manage",
          lambda w: opportunity_in().model_dump(mode="json")),
    Route("POST", lambda w: f"/opportunities/{w.fr.opportunity}/publish", "manage"),
    Route("POST", lambda w: "/providers", "admin",
          lambda w: provider_in("new-one", "FR", "FR10").model_dump(mode="json")),
    Route("GET", lambda w: f"/recognition-cases?provider_id={w.fr.id}", "recognise"),
    Route("GET", lambda w: f"/providers/{w.fr.id}/recognition-rules", "recognise"),
    Route("POST", lambda w: f"/providers/{w.fr.id}/recognition-rules", "recognise",
          lambda w: {"rule_id": "eu", "qa_types": ["http://data.europa.eu/snb/accreditation/x"],
                     "decision": {"outcome": "full", "reasons": "accredited"}}),
    Route("GET", lambda w: f"/validations?provider_id={w.fr.id}", "assess"),
    Route("POST", lambda w: "/validations", "assess",
          lambda w: {"provider_id": w.fr.id, "candidate": "Zoé", "title": {"fr": "Validé"},
                     "setting": "informal", "claims": [{"id": "lo-1", "text": {"fr": "x"}}]}),
]  # fmt: skip
DENIED = (401, 403, 404)  # allowed calls may still meet a state conflict (409)
ALLOWED = {
    "provider-admin": {"read", "issue", "decide", "manage"},
    "provider-issuer": {"read", "issue", "decide"},
    "read-only": {"read"},
    "recognition-officer": {"read", "recognise"},  # an authority's cases, not its provider work
    "assessor": {"read", "assess"},  # an organisation's validations
}


def _call(client: ApiClient, world: Any, route: Route, headers: dict[str, str]) -> int:
    kwargs: dict[str, Any] = {"headers": dict(headers)}
    if route.csv:
        kwargs["content"] = "name,email\nZoé,zoe@fr.eu\n"
        kwargs["headers"]["content-type"] = "text/csv"
    elif route.body is not None:
        kwargs["json"] = route.body(world)
    elif route.method != "GET":
        kwargs["json"] = {}
    return client.request(route.method, route.path(world), **kwargs).status_code


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.kind}")
def test_matrix(client: ApiClient, world: World, route: Route) -> None:
    assert _call(client, world, route, {}) == 401, "anonymous"
    bogus = {"Authorization": "Bearer mc_nothing_here"}
    assert _call(client, world, route, bogus) == 401, "unknown key"
    for role in ALLOWED:
        status = _call(client, world, route, world.ro.auth(role))
        assert status in (403, 404), f"{role} of another provider got {status}"
    for role, kinds in ALLOWED.items():
        status = _call(client, world, route, world.fr.auth(role))
        if route.kind in kinds:
            assert status not in DENIED, f"own {role} got {status}"
        else:
            assert status == 403, f"own {role} got {status}"
    reader = _call(client, world, route, world.reader)
    assert (reader not in DENIED) if route.kind == "read" else reader == 403
    assert _call(client, world, route, world.admin) not in DENIED


def test_other_provider_state_unchanged(client: ApiClient, world: World) -> None:
    client.post(f"/credentials/{world.fr.credential}/revoke", json={"reason": "x"},
                headers=world.ro.auth("provider-admin"))  # fmt: skip
    shown = client.get(f"/credentials/{world.fr.credential}", headers=world.fr.auth("read-only"))
    assert shown.json()["state"] == "active"
    events = client.get("/audit-events", headers=world.ro.auth("read-only")).json()
    assert events
    assert all(e["provider_id"] == world.ro.id for e in events)


def test_public_routes_need_no_key(client: ApiClient, world: World) -> None:
    course = f"/catalogue/{world.ro.opportunity}"
    paths = ["/catalogue", course, f"{course}/elm", f"{course}/course", "/providers",
             f"/providers/{world.ro.id}", "/providers/unibuc/did.json", "/.well-known/did.json",
             "/status-lists/unibuc/suspension/0", "/openapi.json", "/docs"]  # fmt: skip
    for path in paths:
        assert client.get(path).status_code == 200, path


RULES = {
    "id": "https://example.org/rules/open", "version": "1", "title": {"en": "Open pathway"},
    "root": {"type": "aggregate", "function": "sum", "measure": "ects", "comparison": ">=",
             "value": 5},
}  # fmt: skip


@dataclass(frozen=True)
class PathwayWorld:
    """The world, each tenant with a pathway-officer key too, and lycee-pro's published rules
    with an evaluation of its credential against them."""

    world: World
    rules: str
    evaluation: str
    document: dict[str, Any]


@pytest.fixture
def pathway_world(platform: Platform, world: World) -> PathwayWorld:
    with platform.unit_of_work(SYSTEM) as ctx:
        for tenant in (world.ro, world.fr):
            tenant.tokens["pathway-officer"] = apikeys.create(
                ctx, "pathway-officer", tenant.id, "officer").token  # fmt: skip
        rules = pathways.publish(ctx, world.fr.id, RULES).id
        document = json.loads(issuance.get(ctx, world.fr.credential).document)
        evaluation = pathways.evaluate_submitted(ctx, rules, [document]).id
    return PathwayWorld(world, rules, evaluation, document)


PATHWAY_ROUTES = [
    Route("POST", lambda p: f"/providers/{p.world.fr.id}/pathways", "manage",
          lambda p: {**RULES, "version": "2"}),
    Route("GET", lambda p: f"/providers/{p.world.fr.id}/pathways", "read"),
    Route("GET", lambda p: f"/pathways/{p.rules}", "read"),
    Route("GET", lambda p: f"/pathways/{p.rules}/evaluations", "read"),
    Route("GET", lambda p: f"/pathways/{p.rules}/ctdl", "read"),
    Route("POST", lambda p: f"/pathways/{p.rules}/evaluations", "decide",
          lambda p: {"credentials": [p.document]}),
    Route("GET", lambda p: f"/evaluations/{p.evaluation}", "read"),
    Route("GET", lambda p: f"/evaluations/{p.evaluation}/clr", "read"),
    Route("POST", lambda p: f"/evaluations/{p.evaluation}/decision", "decide",
          lambda p: {"decision": "refuse", "reasons": "not yet"}),
]  # fmt: skip
PATHWAY_ALLOWED = {**ALLOWED, "pathway-officer": {"read", "decide"}}


@pytest.mark.parametrize("route", PATHWAY_ROUTES, ids=lambda r: f"{r.method} {r.kind}")
def test_pathway_matrix(client: ApiClient, pathway_world: PathwayWorld, route: Route) -> None:
    """The receiving organisation's officer evaluates and decides, and reads; it neither
    publishes rules nor reaches another organisation's rules and cases."""
    world = pathway_world.world
    assert _call(client, pathway_world, route, {}) == 401, "anonymous"
    for role in PATHWAY_ALLOWED:
        status = _call(client, pathway_world, route, world.ro.auth(role))
        assert status in (403, 404), f"{role} of another provider got {status}"
    for role, kinds in PATHWAY_ALLOWED.items():
        status = _call(client, pathway_world, route, world.fr.auth(role))
        if route.kind in kinds:
            assert status not in DENIED, f"own {role} got {status}"
        else:
            assert status == 403, f"own {role} got {status}"
    reader = _call(client, pathway_world, route, world.reader)
    assert (reader not in DENIED) if route.kind == "read" else reader == 403
    assert _call(client, pathway_world, route, world.admin) not in DENIED
