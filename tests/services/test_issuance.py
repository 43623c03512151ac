"""Issuing, revoking, suspending and reinstating, verified through the platform resolver."""

from __future__ import annotations

import pytest

from microcred.services import issuance, opportunities, providers, signing_keys, statuses
from microcred.services.context import Context
from microcred.services.errors import Conflict
from microcred.services.issuance import IssueIn
from microcred.services.verification import verify_document
from tests.platform.samples import opportunity_in, provider_in


def _published(ctx: Context) -> int:
    provider = providers.register(ctx, provider_in())
    row = opportunities.create(ctx, provider.id, opportunity_in())
    opportunities.publish(ctx, row.id)
    return row.id


def _status(report: dict[str, object]) -> list[str]:
    checks = report["checks"]
    assert isinstance(checks, list)
    return [c["detail"] for c in checks if c["name"] == "status"]


def test_issue_verify_revoke(ctx: Context) -> None:
    opportunity = _published(ctx)
    data = IssueIn.model_validate(
        {
            "opportunity_id": opportunity,
            "grade": "9.5",
            "learner": {"name": "Ana Popescu", "email": "ana@example.org"},
        }
    )
    row, created = issuance.issue(ctx, data)
    assert created
    again, created = issuance.issue(ctx, data)
    assert not created
    assert again.id == row.id
    document = issuance.parsed_document(row)
    assert document["issuer"]["id"] == "did:web:mc.example:providers:unibuc"
    report = verify_document(ctx, document)
    assert report.verified, report.to_dict()["checks"]
    statuses.change(ctx, row.id, "revoke", "fraud")
    report = verify_document(ctx, document)
    assert not report.verified
    assert any("revoked" in d for d in _status(report.to_dict()))
    with pytest.raises(Conflict):
        statuses.change(ctx, row.id, "reinstate", None)


def test_suspend_and_reinstate(ctx: Context) -> None:
    opportunity = _published(ctx)
    data = IssueIn.model_validate({"opportunity_id": opportunity, "learner": {"name": "Jean"}})
    row, _ = issuance.issue(ctx, data)
    document = issuance.parsed_document(row)
    statuses.change(ctx, row.id, "suspend", "investigation")
    assert not verify_document(ctx, document).verified
    statuses.change(ctx, row.id, "reinstate", "cleared")
    assert verify_document(ctx, document).verified


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "vc+jwt"])
def test_other_suites(ctx: Context, suite: str) -> None:
    opportunity = _published(ctx)
    data = IssueIn.model_validate(
        {"opportunity_id": opportunity, "suite": suite, "learner": {"id": "did:example:123"}}
    )
    row, _ = issuance.issue(ctx, data)
    report = verify_document(ctx, issuance.parsed_document(row))
    assert report.verified, report.to_dict()


def test_positions_are_spread_and_unique() -> None:
    seen = {statuses.position(n) for n in range(statuses.LIST_SIZE + 10)}
    assert len(seen) == statuses.LIST_SIZE + 10
    assert statuses.position(1)[1] != 1


def test_elm_and_p256(ctx: Context) -> None:
    opportunity = _published(ctx)
    learner = {"name": "Ana", "email": "ana@example.org"}
    elm = IssueIn.model_validate(
        {"opportunity_id": opportunity, "format": "elm", "learner": learner}
    )
    row, _ = issuance.issue(ctx, elm)
    document = issuance.parsed_document(row)
    assert "EuropeanDigitalCredential" in document["type"]
    report = verify_document(ctx, document)
    assert report.verified, report.to_dict()["checks"]
    provider_id = row.provider_id
    signing_keys.rotate(ctx, provider_id, "p256")
    ctx.session.commit()
    ecdsa = IssueIn.model_validate({"opportunity_id": opportunity, "suite": "ecdsa-rdfc-2019",
                                    "learner": {"name": "Ion"}})  # fmt: skip
    row, _ = issuance.issue(ctx, ecdsa)
    assert verify_document(ctx, issuance.parsed_document(row)).verified


def test_did_key_for_offline_use(ctx: Context) -> None:
    opportunity = _published(ctx)
    data = IssueIn.model_validate({"opportunity_id": opportunity, "did_method": "key",
                                   "learner": {"name": "Offline"}})  # fmt: skip
    row, _ = issuance.issue(ctx, data)
    document = issuance.parsed_document(row)
    assert document["issuer"]["id"].startswith("did:key:z6Mk")
    assert verify_document(ctx, document).verified


def test_other_hosts_through_the_remote_fetcher(ctx: Context) -> None:
    from datetime import UTC, datetime

    from microcred.core.did import did_web_document
    from microcred.core.keys import KeyPair
    from microcred.core.proofs.data_integrity import sign_document

    pair = KeyPair.generate()
    did = "did:web:other.example"
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential"], "issuer": did,
                  "validFrom": "2026-01-01T00:00:00Z",
                  "credentialSubject": {"id": "did:example:x"}}  # fmt: skip
    signed = sign_document(credential, pair, f"{did}#{pair.public.to_multibase()}",
                           created=datetime(2026, 1, 1, tzinfo=UTC))  # fmt: skip
    assert not verify_document(ctx, signed).authentic  # remote resolution is off
    documents = {"https://other.example/.well-known/did.json": did_web_document(did, [pair.public])}
    ctx.remote_fetch = documents.__getitem__
    assert verify_document(ctx, signed).verified


def test_rotation_keeps_old_credentials_verifiable(ctx: Context) -> None:
    opportunity = _published(ctx)
    data = IssueIn.model_validate({"opportunity_id": opportunity, "learner": {"name": "Old"}})
    row, _ = issuance.issue(ctx, data)
    assert verify_document(ctx, issuance.parsed_document(row)).verified  # lists signed: old key
    old = row.signing_key_id
    new = signing_keys.rotate(ctx, row.provider_id)
    ctx.session.commit()
    assert verify_document(ctx, issuance.parsed_document(row)).verified
    later = IssueIn.model_validate({"opportunity_id": opportunity, "learner": {"name": "New"}})
    fresh, _ = issuance.issue(ctx, later)
    assert fresh.signing_key_id == new.id
    assert verify_document(ctx, issuance.parsed_document(fresh)).verified  # lists signed by old
    signing_keys.revoke_key(ctx, row.provider_id, old, "key leaked")
    ctx.session.commit()
    assert not verify_document(ctx, issuance.parsed_document(row)).authentic
    assert verify_document(ctx, issuance.parsed_document(fresh)).verified  # lists re-signed
