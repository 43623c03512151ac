"""Providers, opportunities and the catalogue, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from microcred.schemas.providers import ProviderOut
from microcred.services import catalogue, opportunities, providers, signing_keys
from microcred.services.catalogue import Filters
from microcred.services.context import Actor, Context, Role
from microcred.services.errors import Conflict, InvalidInput, NotFound
from tests.platform.samples import opportunity_in, provider_in


def test_register_provider_with_key_and_did(ctx: Context) -> None:
    provider = providers.register(ctx, provider_in())
    body = ProviderOut.of(ctx, provider).model_dump(mode="json")
    assert body["did"] == "did:web:mc.example:providers:unibuc"
    assert body["country"]["label"] == "Romania"
    assert len(body["keys"]) == 1
    assert body["keys"][0]["state"] == "active"
    document = signing_keys.provider_did_document(ctx, "unibuc")
    assert document["id"] == body["did"]
    assert document["assertionMethod"] == [document["verificationMethod"][0]["id"]]


def test_duplicate_slug_and_bad_vocabulary(ctx: Context) -> None:
    providers.register(ctx, provider_in())
    with pytest.raises(Conflict):
        providers.register(ctx, provider_in())
    with pytest.raises(InvalidInput) as err:
        providers.register(ctx, provider_in("other", country="FR", region="RO32"))
    assert err.value.field == "region"
    with pytest.raises(InvalidInput) as err:
        providers.register(ctx, provider_in("third", country="XX"))
    assert err.value.field == "country"


def test_rotation_keeps_old_key_listed(ctx: Context) -> None:
    provider = providers.register(ctx, provider_in())
    old = signing_keys.active_key(ctx, provider.id)
    new = signing_keys.rotate(ctx, provider.id)
    ctx.session.commit()
    document = signing_keys.provider_did_document(ctx, "unibuc")
    ids = [m["id"] for m in document["verificationMethod"]]
    assert any(old.public_multibase in i for i in ids)
    assert any(new.public_multibase in i for i in ids)
    assert len(document["assertionMethod"]) == 2
    assert signing_keys.active_key(ctx, provider.id).id == new.id


def test_publish_versions_and_search(ctx: Context) -> None:
    ro = providers.register(ctx, provider_in())
    fr = providers.register(ctx, provider_in("lycee-pro", "FR", "FR10"))
    one = opportunities.create(ctx, ro.id, opportunity_in("Data literacy", 6, 5))
    two = opportunities.create(ctx, fr.id, opportunity_in("Welding basics", 4, 3))
    v1 = opportunities.publish(ctx, one.id)
    opportunities.publish(ctx, two.id)
    assert v1.version == 1
    assert v1.data["credential"]["awarding_bodies"][0]["id"].endswith("unibuc")
    opportunities.update_draft(ctx, one.id, opportunity_in("Data literacy II", 6, 6))
    v2 = opportunities.publish(ctx, one.id)
    assert v2.version == 2
    assert (
        opportunities.version(ctx, one.id, 1).data["credential"]["title"]["en"] == "Data literacy"
    )
    rows, total = catalogue.search(ctx, Filters())
    assert total == 2
    rows, total = catalogue.search(ctx, Filters(text="literacy ii"))
    assert [r.version for r in rows] == [2]
    assert catalogue.search(ctx, Filters(country="FR"))[1] == 1
    assert catalogue.search(ctx, Filters(eqf=4))[1] == 1
    assert catalogue.search(ctx, Filters(ects_min=4, ects_max=10))[1] == 1
    assert catalogue.search(ctx, Filters(language="en", isced="0613"))[1] == 2
    assert catalogue.search(ctx, Filters(provider="lycee-pro"))[1] == 1
    course = catalogue.schema_org_course(ctx, rows[0])
    assert course["@type"] == "Course"
    assert course["numberOfCredits"] == 6.0
    elm = catalogue.elm_opportunity(ctx, rows[0])
    assert elm["type"] == "LearningOpportunity"
    assert elm["learningSpecification"]


def test_publish_refuses_incomplete(ctx: Context) -> None:
    ro = providers.register(ctx, provider_in())
    data = opportunity_in().model_dump(mode="json")
    del data["credential"]["workload"]
    row = opportunities.create(ctx, ro.id, opportunities.OpportunityIn.model_validate(data))
    with pytest.raises(InvalidInput, match="workload"):
        opportunities.publish(ctx, row.id)


def test_provider_cannot_touch_another(ctx: Context) -> None:
    ro = providers.register(ctx, provider_in())
    fr = providers.register(ctx, provider_in("lycee-pro", "FR", "FR10"))
    row = opportunities.create(ctx, fr.id, opportunity_in())
    ctx.actor = Actor("ro-admin", Role.PROVIDER_ADMIN, ro.id)
    with pytest.raises(NotFound):
        opportunities.publish(ctx, row.id)
    with pytest.raises(NotFound):
        opportunities.create(ctx, fr.id, opportunity_in())
    with pytest.raises(NotFound):
        signing_keys.rotate(ctx, fr.id)
