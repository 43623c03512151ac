"""``microcred verify`` prints two results apart; only *verified* decides the exit code.

0 when every file is verified, 1 when any is not, whatever Annex I completeness says.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.cli.main import main
from tests.conftest import vectors_path
from tests.core.test_verify import example_ob3, sign

DCC = ("dcc-vc-test-fixtures", "verifiableCredentials", "v2", "ed25519", "didKey")
REVOKED_LIST = (
    "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/"
    "src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"
)


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """A document map serving the status list of the DCC's revoked fixture: nothing fetched."""
    status = vectors_path("dcc-verifier-core", "status", "e5WK8CbZ1GjycuPombrj")
    path = tmp_path / "documents.json"
    path.write_text(json.dumps({REVOKED_LIST: str(status)}), "utf-8")
    return path


def write(folder: Path, name: str, document: dict[str, Any]) -> str:
    path = folder / name
    path.write_text(json.dumps(document), "utf-8")
    return str(path)


def incomplete() -> dict[str, Any]:
    document = example_ob3()
    del document["credentialSubject"]["achievement"]["alignment"]
    return sign(document)


def verify(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["verify", *argv])
    return code, capsys.readouterr().out


def test_a_plain_open_badge_verifies_and_is_not_a_micro_credential(
    capsys: pytest.CaptureFixture[str], documents: Path
) -> None:
    badge = vectors_path(*DCC, "legacy-noStatus-noExpiry.json")
    code, out = verify(capsys, str(badge), "--documents", str(documents))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "legacy-noStatus-noExpiry.json: VERIFIED (Open Badges 3.0)"
    assert lines[1].startswith("  Verified: genuine, issued by did:key:")
    assert "  Not a micro-credential (Annex I does not apply)" in lines


def test_an_incomplete_micro_credential_verifies_and_says_what_it_lacks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, documents: Path
) -> None:
    path = write(tmp_path, "incomplete.json", incomplete())
    code, out = verify(capsys, path, "--documents", str(documents))
    assert code == 0, out
    assert "incomplete.json: VERIFIED (Open Badges 3.0)" in out
    assert "  Not a complete EU micro-credential: missing EQF level" in out.splitlines()
    assert "✗ annex1" not in out
    code, out = verify(capsys, path, "--json", "--documents", str(documents))
    [result] = json.loads(out)
    assert code == 0
    assert result["verified"] is True
    assert result["completeness"]["state"] == "incomplete"
    assert result["completeness"]["missing"] == ["eqf_level"]
    assert "annex1" not in {check["name"] for check in result["checks"]}


def test_our_complete_micro_credential_shows_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, documents: Path
) -> None:
    path = write(tmp_path, "complete.json", sign(example_ob3()))
    code, out = verify(capsys, path, "--documents", str(documents))
    assert code == 0, out
    assert "  Complete EU micro-credential (Annex I)" in out.splitlines()
    assert "Verified: genuine, issued by did:key:" in out


def test_revoked_exits_1_whatever_its_completeness(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, documents: Path
) -> None:
    revoked = vectors_path(*DCC, "oidf-revokedStatus-noExpiry.json")
    complete = write(tmp_path, "complete.json", sign(example_ob3()))
    code, out = verify(capsys, str(revoked), complete, "--documents", str(documents))
    assert code == 1
    assert "oidf-revokedStatus-noExpiry.json: NOT VERIFIED (Open Badges 3.0)" in out
    assert "  Not verified: Status: " in out
    assert "complete.json: VERIFIED" in out
    code, out = verify(capsys, complete, "--documents", str(documents))
    assert code == 0


def test_completeness_never_changes_the_exit_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, documents: Path
) -> None:
    badge = str(vectors_path(*DCC, "legacy-noStatus-noExpiry.json"))
    files = [
        badge,
        write(tmp_path, "incomplete.json", incomplete()),
        write(tmp_path, "complete.json", sign(example_ob3())),
    ]
    code, out = verify(capsys, *files, "--json", "--documents", str(documents))
    results = json.loads(out)
    assert code == 0
    assert [r["completeness"]["state"] for r in results] == [
        "not-a-micro-credential",
        "incomplete",
        "complete",
    ]
    assert all(r["verified"] for r in results)


def test_many_files_fetch_their_status_list_once(
    capsys: pytest.CaptureFixture[str], documents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from microcred.cli import verify_cmd

    fetched: list[str] = []
    real = verify_cmd._fetcher

    def counting(map_file: str | None) -> Any:
        inner = real(map_file)

        def fetch(url: str) -> Any:
            fetched.append(url)
            return inner(url)

        return fetch

    monkeypatch.setattr(verify_cmd, "_fetcher", counting)
    revoked = str(vectors_path(*DCC, "oidf-revokedStatus-noExpiry.json"))
    code, out = verify(capsys, revoked, revoked, revoked, "--documents", str(documents))
    assert code == 1
    assert out.count("NOT VERIFIED") == 3
    assert fetched.count(REVOKED_LIST) == 1


def test_remote_resolution_off_fetches_nothing_and_says_why(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_REMOTE_RESOLUTION", "0")
    revoked = vectors_path(*DCC, "oidf-revokedStatus-noExpiry.json")  # its status list is remote
    code, out = verify(capsys, str(revoked))
    assert code == 1
    assert "remote resolution is switched off (MICROCRED_REMOTE_RESOLUTION=0)" in out
