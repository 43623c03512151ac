"""API fixtures: the real app over httpx (Starlette TestClient), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from microcred.app import create_app
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import apikeys, issuance, opportunities, providers
from microcred.services.context import SYSTEM
from microcred.services.issuance import IssueIn
from tests.api.client import ApiClient
from tests.platform.fixtures import *  # noqa: F403
from tests.platform.samples import opportunity_in, provider_in


@dataclass
class Tenant:
    """A provider with one API key per role, a published opportunity and a credential."""

    id: int
    slug: str
    opportunity: int
    credential: str
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@dataclass
class World:
    admin: dict[str, str]
    reader: dict[str, str]
    ro: Tenant
    fr: Tenant


def _tenant(platform: Platform, slug: str, country: str, region: str) -> Tenant:
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in(slug, country, region))
        row = opportunities.create(ctx, provider.id, opportunity_in(f"Course of {slug}"))
        opportunities.publish(ctx, row.id)
        issued, _ = issuance.issue(
            ctx,
            IssueIn.model_validate(
                {"opportunity_id": row.id, "learner": {"name": "Ana", "email": f"ana@{slug}.eu"}}
            ),
        )
        tenant = Tenant(provider.id, slug, row.id, issued.id)
        for role in ("provider-admin", "provider-issuer", "read-only", "recognition-officer",
                     "assessor"):  # fmt: skip
            tenant.tokens[role] = apikeys.create(ctx, role, provider.id, role).token
    return tenant


@pytest.fixture
def client(settings: Settings, platform: Platform) -> Iterator[ApiClient]:
    made = ApiClient(create_app(settings, platform=platform))
    yield made
    made.close()


@pytest.fixture
def world(platform: Platform) -> World:
    with platform.unit_of_work(SYSTEM) as ctx:
        admin = apikeys.create(ctx, "platform-admin", None, "admin").token
        reader = apikeys.create(ctx, "read-only", None, "auditor").token
    return World(
        {"Authorization": f"Bearer {admin}"},
        {"Authorization": f"Bearer {reader}"},
        _tenant(platform, "unibuc", "RO", "RO32"),
        _tenant(platform, "lycee-pro", "FR", "FR10"),
    )
