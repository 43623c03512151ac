"""``microcred validation``: open with claims (one the opportunity's), keep an evidence file,
assess, certify; the micro-credential names only the outcomes met; an oversized or unaccepted
file exits 2 with one line naming it, and nothing is kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.bootstrap import Platform
from microcred.cli.main import main
from microcred.cli.runtime import settings
from microcred.services import issuance
from microcred.services.context import SYSTEM
from tests.cli.test_pathway_cli import _issued, _verified

PORTFOLIO = "http://data.europa.eu/snb/assessment/4f03b91c0e"


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_open_document_assess_certify(
    cli_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider, _ = _issued(cli_database)
    case = _json(capsys, ["validation", "open", "--provider", str(provider), "--candidate", "Ana",
                          "--title", "Data cleaning (validated)", "--setting", "informal",
                          "--claim", "lo-1=Clean open data sets",
                          "--claim", "lo-2=Administer a database server", "--json"])  # fmt: skip
    assert case["stage"] == "identified"
    pdf = cli_database / "portfolio.pdf"
    pdf.write_bytes(b"%PDF-1.7\n% portfolio\n")
    documented = _json(capsys, ["validation", "evidence", case["id"], str(pdf), "--supports",
                                "lo-1", "--json"])  # fmt: skip
    assert documented["evidence"][0]["media_type"] == "application/pdf"
    exe = cli_database / "tool.exe"
    exe.write_bytes(b"MZ\x90\x00")
    assert main(["validation", "evidence", case["id"], str(exe)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert "tool.exe" in error[0]
    assessed = _json(capsys, ["validation", "assess", case["id"], "--method", PORTFOLIO,
                              "--met", "lo-1", "--not-met", "lo-2", "--json"])  # fmt: skip
    assert assessed["met"] == ["lo-1"]
    certified = _json(capsys, ["validation", "certify", case["id"], "--json"])
    assert certified["stage"] == "certified"
    platform = Platform(settings())
    with platform.context(SYSTEM) as ctx:
        document = json.loads(issuance.get(ctx, certified["credential_id"]).document)
    platform.dispose()
    assert _verified(document)
    assert "Administer a database server" not in json.dumps(document)
    assert main(["validation", "certify", case["id"]]) == 2
    assert "closed" in capsys.readouterr().err
