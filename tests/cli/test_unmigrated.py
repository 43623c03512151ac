"""Operator commands on a database nobody has set up say so, instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.cli.main import main


def test_a_command_on_an_empty_database_asks_for_db_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MICROCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(tmp_path))
    assert main(["revoke", "some-id", "--reason", "test"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is not set up: run `microcred db upgrade`" in err
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["revoke", "some-id", "--reason", "test"]) == 2
    assert capsys.readouterr().err.strip() == "microcred: error: no credential some-id"


def test_serve_refuses_a_number_of_workers_out_of_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(tmp_path))
    assert main(["serve", "--workers", "0"]) == 2
    assert capsys.readouterr().err.strip() == (
        "microcred: error: --workers: between 1 and 64 server processes"
    )
