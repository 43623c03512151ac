"""Services never commit: the entry point (a request, a command, a batch chunk) owns the
transaction, so a failed request leaves nothing behind and one request is one transaction."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from microcred.adapters.db.tables import AuditEvent, Credential, Provider
from microcred.bootstrap import Platform
from microcred.services import (
    apikeys,
    batches,
    issuance,
    opportunities,
    providers,
    signing_keys,
    statuses,
)
from microcred.services.batch_input import read_csv
from microcred.services.context import SYSTEM, Context
from microcred.services.issuance import IssueIn
from tests.platform.samples import opportunity_in, provider_in

SRC = Path(__file__).resolve().parents[2] / "src" / "microcred"
Lookup = Callable[[Context, int, str], Credential | None]
ENTRY_POINTS_ONLY = ("services", "api", "cli")  # the transaction is opened and ended elsewhere


def _ends_a_transaction(path: Path, root: Path = SRC) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "commit":
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_service_api_route_or_command_commits() -> None:
    """Only ``bootstrap.Platform.unit_of_work`` commits (background batch runs open theirs)."""
    found = [
        where
        for package in ENTRY_POINTS_ONLY
        for path in sorted((SRC / package).rglob("*.py"))
        for where in _ends_a_transaction(path)
    ]
    assert found == []


def test_the_check_sees_a_commit(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f(ctx):\n    ctx.session.commit()\n", encoding="utf-8")
    assert _ends_a_transaction(probe, tmp_path) == ["probe.py:2"]


def _refuse_commit(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> None:
        raise AssertionError("a service committed the entry point's transaction")

    monkeypatch.setattr(ctx.session, "commit", refused)


def test_the_services_of_a_request_leave_its_transaction_to_it(
    platform: Platform, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every writing service runs inside one transaction it never ends; rolled back by the
    entry point, none of it stays."""
    _refuse_commit(ctx, monkeypatch)
    provider = providers.register(ctx, provider_in())
    providers.update(ctx, provider.id, provider_in())
    signing_keys.platform_did_document(ctx)
    key = apikeys.create(ctx, "read-only", provider.id, "watcher")
    apikeys.revoke(ctx, key.row.id)
    row = opportunities.create(ctx, provider.id, opportunity_in())
    opportunities.update_draft(ctx, row.id, opportunity_in("Renamed"))
    opportunities.publish(ctx, row.id)
    learner = {"name": "Ana", "email": "ana@example.org"}
    issued, _ = issuance.issue(ctx, IssueIn.model_validate({"opportunity_id": row.id,
                                                            "learner": learner}))  # fmt: skip
    statuses.change(ctx, issued.id, "suspend", "checking")
    statuses.list_credential(ctx, provider.slug, "suspension", issued.status_list)
    batches.create(ctx, row.id, read_csv("name,email\nIon,ion@example.org\n"))
    ctx.session.rollback()
    with platform.unit_of_work(SYSTEM) as other:
        assert other.session.scalar(select(func.count()).select_from(Provider)) == 0
        assert other.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_credential_issued_meanwhile_is_returned_and_the_transaction_goes_on(
    platform: Platform, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another request stored the same learner's credential after this one looked: the clash
    is undone alone (a savepoint), the credential stored first is the answer."""
    with platform.unit_of_work(SYSTEM) as setup:
        provider = providers.register(setup, provider_in())
        row = opportunities.create(setup, provider.id, opportunity_in())
        opportunities.publish(setup, row.id)
    data = IssueIn.model_validate({"opportunity_id": row.id, "learner": {"name": "Ana"}})
    with platform.unit_of_work(SYSTEM) as first:
        stored, created = issuance.issue(first, data)
    assert created
    monkeypatch.setattr(issuance, "existing", _missed_once(issuance.existing))
    again, created = issuance.issue(ctx, data)
    assert (again.id, created) == (stored.id, False)
    ctx.session.flush()  # the rest of the transaction still works
    ctx.session.commit()  # the test is the entry point here


def _missed_once(existing: Lookup) -> Lookup:
    """``existing`` that misses the first time (the other request had not committed yet)."""
    calls: list[str] = []

    def looked(ctx: Context, provider_id: int, key: str) -> Credential | None:
        calls.append(key)
        return None if len(calls) == 1 else existing(ctx, provider_id, key)

    return looked
