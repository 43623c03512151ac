"""A provider's status list is valid from when its bits took their state, not from the first
read that happened to sign it: a verifier whose clock read a moment earlier still accepts it."""

from __future__ import annotations

from datetime import timedelta

from microcred.bootstrap import Platform
from microcred.services import issuance, opportunities, providers, statuses
from microcred.services.context import SYSTEM
from microcred.services.issuance import IssueIn
from microcred.services.verification import verify_document
from tests.platform.fixtures import Clock
from tests.platform.samples import opportunity_in, provider_in


def test_a_list_signed_after_the_verifiers_clock_read_still_verifies(
    platform: Platform, clock: Clock
) -> None:
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in())
        row = opportunities.create(ctx, provider.id, opportunity_in())
        opportunities.publish(ctx, row.id)
        learner = {"name": "Ana", "email": "ana@example.org"}
        issued, _ = issuance.issue(
            ctx, IssueIn.model_validate({"opportunity_id": row.id, "learner": learner})
        )
        statuses.change(ctx, issued.id, "suspend", "checking the grades")
        changed_at = clock()
    clock.tick(3600)
    with platform.unit_of_work(SYSTEM) as ctx:  # the first read signs the list, an hour later
        listed = statuses.list_credential(ctx, provider.slug, "suspension", issued.status_list)
    assert listed["validFrom"] == changed_at.isoformat().replace("+00:00", "Z")
    clock.moment -= timedelta(seconds=1)  # another process read its clock a moment earlier
    with platform.unit_of_work(SYSTEM) as ctx:
        report = verify_document(ctx, issuance.parsed_document(issued))
    suspension = [check for check in report.checks if "suspension entry" in check.detail]
    assert [(c.status, c.detail.rsplit(": ", 1)[-1]) for c in suspension] == [
        ("failed", "suspended")  # read from the list, not refused as "not valid before"
    ]
