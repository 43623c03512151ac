"""``microcred verify --trust-list``: the official sealed EDC verified against an EU Trusted List
XML file, its certificate chain printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509

from microcred.cli.main import main
from microcred.core.proofs.jades import unsigned_certificates
from tests.conftest import vectors_path
from tests.trust_list_xml import GRANTED, signed_list

SAMPLE = vectors_path("edc", "credentials", "elm-Sample-MC-Annex1-signed.jsonld")


def test_the_official_sample_against_a_trust_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_REMOTE_RESOLUTION", "0")
    monkeypatch.delenv("MICROCRED_TRUST_LIST", raising=False)
    signature = json.loads(SAMPLE.read_text("utf-8"))["signatures"][0]
    carried = [x509.load_der_x509_certificate(d) for d in unsigned_certificates(signature)]
    (anf,) = [c for c in carried if c.subject.rfc4514_string().startswith(
        "CN=ANF AC Qualified Certificates for eSeal,")]  # fmt: skip
    listed = tmp_path / "tl-es.xml"
    listed.write_bytes(signed_list([(anf, GRANTED)], "ES"))
    assert main(["verify", "--trust-list", str(listed), str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "✓ seal-trust: CN=ANF AC Qualified Certificates for eSeal" in out
    assert "certificate 1: L=BARCELONA" in out
    assert main(["verify", "--json", str(SAMPLE)]) == 1  # no list: not tied to an issuer
    report = json.loads(capsys.readouterr().out)[0]
    assert len(report["seal"]["chain"]) == 2
    assert main(["verify", "--trust-list", str(tmp_path / "none.xml"), str(SAMPLE)]) == 2
