"""The operator CLI, in-process, on SQLite and PostgreSQL: every command with --json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.cli.main import main
from tests.platform.samples import opportunity_in, provider_in


@pytest.fixture
def cli(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Any:  # fmt: skip
    monkeypatch.setenv("MICROCRED_DATABASE_URL", database_url)
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MICROCRED_SECRET_KEY", raising=False)
    monkeypatch.setenv("MICROCRED_PUBLIC_URL", "https://mc.example")
    monkeypatch.setenv("MICROCRED_BATCH_RUNNER", "inline")  # no worker here (test_batch_workers)

    def run(*args: str, expect: int = 0) -> Any:
        capsys.readouterr()
        assert main(list(args)) == expect
        out = capsys.readouterr().out
        return json.loads(out) if "--json" in args else out

    return run


def test_operator_commands(cli: Any, tmp_path: Path) -> None:
    assert cli("db", "upgrade", "--json")["upgraded"] is True
    assert (tmp_path / "secret.key").exists()  # generated once, kept in the data dir
    provider_file = tmp_path / "provider.json"
    provider_file.write_text(json.dumps(provider_in().model_dump(mode="json")), "utf-8")
    made = cli("provider", "create", "--file", str(provider_file), "--json")
    assert made["did"] == "did:web:mc.example:providers:unibuc"
    flags = cli("provider", "create", "--slug", "lycee-pro", "--name", "Lycée Pro", "--country",
                "FR", "--region", "FR10", "--type", "vet", "--json")  # fmt: skip
    assert flags["country"]["label"] == "France"
    assert len(cli("provider", "list", "--json")["items"]) == 2
    assert cli("provider", "show", "unibuc", "--json")["slug"] == "unibuc"
    token = cli("apikey", "create", "--role", "provider-issuer", "--provider", "unibuc", "--json")
    assert token["token"].startswith("mc_")
    opportunity_file = tmp_path / "opportunity.json"
    opportunity_file.write_text(json.dumps(opportunity_in().model_dump(mode="json")), "utf-8")
    opportunity = cli("opportunity", "create", "--provider", "unibuc", str(opportunity_file),
                      "--json")  # fmt: skip
    assert cli("opportunity", "publish", str(opportunity["id"]), "--json")["version"] == 1
    assert cli("opportunity", "list", "--provider", "unibuc", "--json")["items"][0]["id"] == 1
    issued = cli("issue", "--opportunity", "1", "--name", "Ana", "--email", "ana@x.ro",
                 "--grade", "9", "--json")  # fmt: skip
    assert issued["created"] is True
    assert cli("suspend", issued["id"], "--reason", "check", "--json")["state"] == "suspended"
    assert cli("reinstate", issued["id"], "--json")["state"] == "active"
    assert cli("revoke", issued["id"], "--reason", "fraud", "--json")["state"] == "revoked"
    cli("reinstate", issued["id"], expect=2)  # a revoked credential stays revoked
    csv = tmp_path / "learners.csv"
    csv.write_text("name,email,grade\nIon,ion@x.ro,9\nbad,bad,1\n", "utf-8")
    batch = cli("issue-batch", str(csv), "--opportunity", "1", "--json", expect=0)
    assert (batch["issued"], batch["errors"][0]["line"]) == (1, 3)


def test_demo_seeds_once(cli: Any, tmp_path: Path) -> None:
    first = cli("demo", "--no-serve", "--port", "8199")
    assert "curl http://127.0.0.1:8199/catalogue" in first
    for sign_in in (
        "http://127.0.0.1:8199/recognition (recognition@unibuc.example",
        "http://127.0.0.1:8199/assessor    (assessor@lycee-jean-moulin.example",
        "/authority/statistics (statistics@authority.example / demo-statistics)",
    ):
        assert sign_in in first
    keys = json.loads((tmp_path / "demo-keys.json").read_text("utf-8"))
    assert {"platform-admin", "unibuc", "lycee-jean-moulin"} <= set(keys)
    cli("demo", "--no-serve", "--port", "8199")
    assert json.loads((tmp_path / "demo-keys.json").read_text("utf-8")) == keys
