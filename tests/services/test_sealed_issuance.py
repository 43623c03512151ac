"""Sealed EDCs: a provider with an imported eSeal certificate issues ELM credentials sealed with
JAdES (B-B, and B-T through a local time-stamp authority), and they verify."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path

import pytest

from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.services import issuance, opportunities, providers, seal_certificates
from microcred.services.context import SYSTEM, Context
from microcred.services.errors import Conflict, InvalidInput
from microcred.services.issuance import IssueIn
from microcred.services.seal_certificates import CertificateFiles
from microcred.services.verification import verify_document
from tests.local_tsa import LocalTsa, serving
from tests.platform.fixtures import Clock
from tests.platform.samples import opportunity_in, provider_in
from tests.seal_pki import pki
from tests.trust_list_xml import GRANTED, signed_list


def _provider(ctx: Context, *, certificate: bool = True) -> int:
    provider = providers.register(ctx, provider_in())
    row = opportunities.create(ctx, provider.id, opportunity_in())
    opportunities.publish(ctx, row.id)
    if certificate:
        files = CertificateFiles(pkcs12=pki(use_rsa=True).pkcs12(), password="p12-secret")
        seal_certificates.import_certificate(ctx, provider.id, files)
    return row.id


def _sealed(opportunity: int, **extra: str) -> IssueIn:
    return IssueIn.model_validate({"opportunity_id": opportunity, "suite": "jades",
                                   "format": "elm", "learner": {"name": "Ana Popescu"},
                                   **extra})  # fmt: skip


def _header(document: dict[str, object]) -> dict[str, object]:
    signatures = document["signatures"]
    assert isinstance(signatures, list)
    protected = signatures[0]["protected"]
    return dict(json.loads(base64.urlsafe_b64decode(protected + "==")))


def test_sealed_edc_b_b(ctx: Context) -> None:
    row, created = issuance.issue(ctx, _sealed(_provider(ctx)))
    assert created
    assert row.seal_certificate_id is not None
    document = issuance.parsed_document(row)
    header = _header(document)
    assert (header["alg"], header["b64"], header["sigT"]) == (
        "RS256",
        False,
        "2026-03-01T09:00:00Z",
    )
    assert len(header["x5c"]) == 2  # type: ignore[arg-type]
    credential = json.loads(document["payload"])
    assert "EuropeanDigitalCredential" in credential["type"]
    assert credential["issuer"]["id"] == "did:web:mc.example:providers:unibuc"
    report = verify_document(ctx, document)
    proof = report.named("proof")
    assert [c.status for c in proof] == ["ok"], proof
    assert "University of Bucharest eSeal" in proof[0].detail
    assert "signatures" not in row.document[:1]  # stored verbatim, one JSON text
    assert row.suite == "jades"


def test_sealing_needs_a_certificate_and_elm(ctx: Context) -> None:
    opportunity = _provider(ctx, certificate=False)
    with pytest.raises(Conflict, match="no valid seal certificate"):
        issuance.issue(ctx, _sealed(opportunity))
    with pytest.raises(InvalidInput, match="use format elm"):
        issuance.issue(ctx, _sealed(opportunity, format="ob3"))


def test_sealed_edc_b_t_with_a_local_time_stamp_authority(settings: Settings, clock: Clock) -> None:
    tsa = LocalTsa(clock)
    with serving(tsa) as url:
        platform = Platform(replace(settings, tsa_url=url), clock=clock)
        platform.upgrade()
        try:
            with platform.unit_of_work(SYSTEM) as ctx:
                row, _ = issuance.issue(ctx, _sealed(_provider(ctx)))
                document = issuance.parsed_document(row)
        finally:
            platform.dispose()
    assert tsa.requests == 1
    etsi_u = document["signatures"][0]["header"]["etsiU"]
    stamp = json.loads(base64.urlsafe_b64decode(etsi_u[0] + "=="))
    assert stamp["sigTst"]["tstTokens"][0]["val"]


def test_a_sealed_edc_we_issue_verifies_against_the_configured_trust_list(
    settings: Settings, clock: Clock, tmp_path: Path
) -> None:
    made = pki(use_rsa=True)
    listed = tmp_path / "tl-ro.xml"
    listed.write_bytes(signed_list([(made.root, GRANTED)]))
    platform = Platform(replace(settings, trust_list=str(listed)), clock=clock)
    platform.upgrade()
    try:
        with platform.unit_of_work(SYSTEM) as ctx:
            row, _ = issuance.issue(ctx, _sealed(_provider(ctx)))
            report = verify_document(ctx, issuance.parsed_document(row))
    finally:
        platform.dispose()
    named = {c.name: c.status for c in report.checks}
    assert named["seal-trust"] == "ok", report.to_dict()["checks"]
    assert named["seal-chain"] == "ok"
    assert named["issuer"] == "ok"
    assert report.verified, [c for c in report.checks if not c.holds]
    assert "tl-ro.xml (RO" in report.named("seal-trust")[0].detail
