"""The pathway services flush and leave the commit to the entry point: work rolled back by a
failing unit of work leaves nothing behind, and a committed one is found again."""

from __future__ import annotations

import pytest

from microcred.bootstrap import Platform
from microcred.services import pathways, providers
from microcred.services.context import SYSTEM
from tests.platform.samples import provider_in

RULES = {
    "id": "https://unibuc.example/rules/open", "version": "1", "title": {"en": "Open pathway"},
    "root": {"type": "aggregate", "function": "count", "comparison": ">=", "value": 2,
             "measure": "ects"},
}  # fmt: skip


class Stop(Exception):
    """Raised to make the unit of work fail after the service ran."""


def _publish_then_fail(platform: Platform, provider_id: int) -> None:
    with platform.unit_of_work(SYSTEM) as ctx:
        pathways.publish(ctx, provider_id, RULES)
        raise Stop


def test_published_rules_exist_only_once_the_unit_of_work_commits(platform: Platform) -> None:
    with platform.unit_of_work(SYSTEM) as ctx:
        provider_id = providers.register(ctx, provider_in("unibuc")).id
    with pytest.raises(Stop):
        _publish_then_fail(platform, provider_id)
    with platform.unit_of_work(SYSTEM) as ctx:
        assert pathways.list_rules(ctx, provider_id) == []
        row_id = pathways.publish(ctx, provider_id, RULES).id
    with platform.unit_of_work(SYSTEM) as ctx:
        assert [row.id for row in pathways.list_rules(ctx, provider_id)] == [row_id]
