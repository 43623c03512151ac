"""``microcred provider certificate import|list``: PKCS#12 or PEM in, the password never on the
command line, bad files refused with exit 2 and one line naming the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.cli.main import main
from tests.platform.samples import opportunity_in, provider_in
from tests.seal_pki import pki
from tests.trust_list_xml import GRANTED, signed_list


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Any:  # fmt: skip
    monkeypatch.setenv("MICROCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'mc.db'}")
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MICROCRED_SECRET_KEY", raising=False)
    monkeypatch.setenv("MICROCRED_PUBLIC_URL", "https://mc.example")

    def run(*args: str, expect: int = 0) -> tuple[Any, str]:
        capsys.readouterr()
        assert main(list(args)) == expect
        out, err = capsys.readouterr()
        return (json.loads(out) if "--json" in args and out else out), err

    run("db", "upgrade")
    provider = tmp_path / "provider.json"
    provider.write_text(json.dumps(provider_in().model_dump(mode="json")), "utf-8")
    run("provider", "create", "--file", str(provider))
    return run


def test_import_pkcs12_and_pem(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = pki()
    (tmp_path / "seal.p12").write_bytes(made.pkcs12())
    monkeypatch.setenv("SEAL_PASSWORD", "p12-secret")
    p12 = str(tmp_path / "seal.p12")
    body, _ = cli("provider", "certificate", "import", "--provider", "unibuc", "--pkcs12", p12,
                  "--password-env", "SEAL_PASSWORD", "--json")  # fmt: skip
    assert "University of Bucharest eSeal" in body["subject"]
    (tmp_path / "key.pem").write_bytes(made.key_pem(b"pem-pass"))
    (tmp_path / "chain.pem").write_bytes(made.chain_pem())
    (tmp_path / "pass.txt").write_text("pem-pass\n", "utf-8")
    line, _ = cli("provider", "certificate", "import", "--provider", "unibuc", "--key",
                  str(tmp_path / "key.pem"), "--chain", str(tmp_path / "chain.pem"),
                  "--password-file", str(tmp_path / "pass.txt"))  # fmt: skip
    assert line.startswith("seal certificate 2: ")
    listed, _ = cli("provider", "certificate", "list", "--provider", "unibuc", "--json")
    assert len(listed["items"]) == 2


def test_wrong_password_is_one_line_exit_2(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "seal.p12").write_bytes(pki().pkcs12())
    (tmp_path / "pass.txt").write_text("wrong\n", "utf-8")
    _, err = cli("provider", "certificate", "import", "--provider", "unibuc", "--pkcs12",
                 str(tmp_path / "seal.p12"), "--password-file", str(tmp_path / "pass.txt"),
                 expect=2)  # fmt: skip
    assert "wrong password" in err
    assert len(err.strip().splitlines()) == 1
    _, err = cli("provider", "certificate", "import", "--provider", "unibuc", expect=2)
    assert "--pkcs12, or --key and --chain" in err


def test_issue_a_sealed_edc_and_verify_it_against_a_trust_list(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = pki(use_rsa=True)
    (tmp_path / "seal.p12").write_bytes(made.pkcs12())
    monkeypatch.setenv("SEAL_PASSWORD", "p12-secret")
    cli("provider", "certificate", "import", "--provider", "unibuc", "--pkcs12",
        str(tmp_path / "seal.p12"), "--password-env", "SEAL_PASSWORD")  # fmt: skip
    opportunity = tmp_path / "opportunity.json"
    opportunity.write_text(json.dumps(opportunity_in().model_dump(mode="json")), "utf-8")
    cli("opportunity", "create", "--provider", "unibuc", str(opportunity))
    cli("opportunity", "publish", "1")
    sealed = tmp_path / "ana.edc.json"
    cli("issue", "--opportunity", "1", "--name", "Ana", "--format", "elm", "--suite", "jades",
        "-o", str(sealed))  # fmt: skip
    assert set(json.loads(sealed.read_text("utf-8"))) == {"payload", "signatures"}
    listed = tmp_path / "tl.xml"
    listed.write_bytes(signed_list([(made.root, GRANTED)]))
    monkeypatch.setenv("MICROCRED_REMOTE_RESOLUTION", "0")
    reports, _ = cli("verify", "--json", "--trust-list", str(listed), str(sealed), expect=1)
    named = {c["name"]: c["status"] for c in reports[0]["checks"]}
    # the status list is this platform's, not fetched offline: everything else holds
    assert (named["proof"], named["seal-chain"], named["seal-trust"], named["issuer"]) == (
        "ok", "ok", "ok", "ok")  # fmt: skip
    assert reports[0]["authentic"] is True
