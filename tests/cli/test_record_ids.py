"""Record ids on the command line are bounded like their column: exit 2 and one line, no
traceback from the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.cli.main import main

HUGE = "1180591620717411303424"


@pytest.mark.parametrize("argv", [
    ["opportunity", "publish", HUGE],
    ["opportunity", "publish", "0"],
    ["opportunity", "publish", "-5"],
    ["issue", "--opportunity", HUGE, "--name", "Ana"],
    ["issue-batch", "learners.csv", "--opportunity", "2147483648"],
])  # fmt: skip
def test_an_id_out_of_range_is_a_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "is not a record id (a whole number from 1 to 2147483647)" in err
    assert "Traceback" not in err


def test_a_provider_id_out_of_range_names_the_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MICROCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(tmp_path))
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["opportunity", "list", "--provider", HUGE]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"--provider: {HUGE!r} is not a record id" in err
