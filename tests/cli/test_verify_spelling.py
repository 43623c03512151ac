"""``microcred verify`` names the re-spelled key (issue 8 §1) and refuses repeated JSON keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli.main import main
from tests.conftest import vectors_path
from tests.core.test_spelling import CRED, respelled
from tests.core.test_verify import example_ob3, sign

REVOKED = ("dcc-vc-test-fixtures", "verifiableCredentials", "v2", "bothSignatureTypes", "didkey",
           "noRegistry-revokedStatus-notExpired.json")  # fmt: skip


def test_verify_names_the_respelled_status_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fixture = json.loads(vectors_path(*REVOKED).read_text("utf-8"))
    path = tmp_path / "respelled.json"
    document = respelled(fixture, "credentialStatus", CRED + "credentialStatus")
    path.write_text(json.dumps(document), "utf-8")
    code = main(["verify", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)[0]
    assert code == 1
    spelling = [c for c in report["checks"] if c["name"] == "spelling"]
    assert spelling[0]["status"] == "failed"
    assert spelling[0]["detail"].startswith("credentialStatus: the signed data states ")


def test_verify_refuses_a_key_written_twice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = json.dumps(sign(example_ob3()))
    doubled = text.replace('"validFrom":', '"validUntil": "2000-01-01T00:00:00Z", "validFrom":', 1)
    doubled = doubled.replace('"id":', '"validUntil": "2999-01-01T00:00:00Z", "id":', 1)
    path = tmp_path / "twice.json"
    path.write_text(doubled, "utf-8")
    code = main(["verify", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert "'validUntil' appears twice" in captured.out + captured.err


def test_a_trust_list_with_a_repeated_key_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    credential = tmp_path / "c.json"
    credential.write_text(json.dumps(sign(example_ob3())), "utf-8")
    trust = tmp_path / "trust.json"
    trust.write_text('{"issuers": ["did:example:other"], "issuers": []}', "utf-8")
    code = main(["verify", str(credential), "--trust", str(trust)])
    assert code == 2
    assert "'issuers' appears twice" in capsys.readouterr().err
