"""``microcred recognition``: a case submitted, assessed, decided and issued from the command
line; the letter is a PDF; a decision on a closed case exits 2 with one line naming why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.cli.main import main
from microcred.core.recognition import CRITERIA
from tests.cli.test_pathway_cli import _issued, _verified


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_submit_assess_decide_issue_letter_and_appeal(
    cli_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    authority, parts = _issued(cli_database)
    case = _json(capsys, ["recognition", "submit", "--authority", str(authority), "--applicant",
                          "Ana Pop", "--purpose", "admission", "--language", "fr", *parts,
                          "--json"])  # fmt: skip
    assert case["state"] == "submitted"
    scores = [arg for c in CRITERIA for arg in ("--score", f"{c}=substantial")]
    assessed = _json(capsys, ["recognition", "assess", case["id"], *scores,
                              "--comment", "level=EQF 6 as required", "--json"])  # fmt: skip
    assert assessed["state"] == "criteria-assessed"
    decided = _json(capsys, ["recognition", "decide", case["id"], "--outcome", "partial",
                             "--ects", "5", "--reason", "statistics matches", "--issue",
                             "--json"])  # fmt: skip
    assert decided["state"] == "decision-issued"
    assert decided["time_to_decision_seconds"] is not None
    shown = _json(capsys, ["recognition", "show", case["id"], "--json"])
    assert shown["credential_id"] == decided["credential_id"]
    letter = cli_database / "letter.pdf"
    assert main(["recognition", "letter", case["id"], "-o", str(letter)]) == 0
    assert letter.read_bytes().startswith(b"%PDF-")
    assert "letter.pdf" in capsys.readouterr().out
    assert main(["recognition", "decide", case["id"], "--outcome", "full", "--reason", "x"]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert "closed (decision-issued)" in error[0]
    appealed = _json(capsys, ["recognition", "appeal", case["id"], "--grounds", "data too",
                              "--json"])  # fmt: skip
    assert appealed["state"] == "appealed"
    assert _verified(json.loads(Path(parts[0]).read_text(encoding="utf-8")))


def test_bad_input_exits_2_naming_it(
    cli_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    authority, parts = _issued(cli_database)
    case = _json(capsys, ["recognition", "submit", "--authority", str(authority), "--applicant",
                          "Ana", "--purpose", "admission", parts[0], "--json"])  # fmt: skip
    assert main(["recognition", "assess", case["id"], "--score", "beauty=strong"]) == 2
    assert "criteria: quality" in capsys.readouterr().err
    assert main(["recognition", "assess", case["id"], "--score", "level=superb"]) == 2
    assert "'superb' is not one of" in capsys.readouterr().err
    assert main(["recognition", "letter", case["id"], "-o", str(cli_database / "x.pdf")]) == 2
    assert "decision" in capsys.readouterr().err
    assert main(["recognition", "decide", case["id"]]) == 2
    assert "--confirms" in capsys.readouterr().err
    missing = "00000000-0000-0000-0000-000000000000"
    assert main(["recognition", "show", missing]) == 2
    assert f"no recognition case {missing}" in capsys.readouterr().err
