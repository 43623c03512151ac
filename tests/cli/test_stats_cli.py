"""``microcred stats``: uptake statistics from a shell, protected like the API's."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from microcred.cli.main import main
from tests.platform.samples import opportunity_in, provider_in


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Six published opportunities of a Romanian provider: five at EQF 6, one at EQF 4."""
    monkeypatch.setenv("MICROCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("MICROCRED_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MICROCRED_PUBLIC_URL", "https://mc.example")
    assert main(["db", "upgrade"]) == 0
    provider = tmp_path / "provider.json"
    provider.write_text(provider_in("unibuc", "RO", "RO32").model_dump_json())
    assert main(["provider", "create", "--file", str(provider)]) == 0
    for number, eqf in enumerate((6, 6, 6, 6, 6, 4), start=1):
        draft = tmp_path / f"opportunity{number}.json"
        draft.write_text(opportunity_in(f"Course {number}", eqf=eqf).model_dump_json())
        assert main(["opportunity", "create", "--provider", "unibuc", str(draft)]) == 0
        assert main(["opportunity", "publish", str(number)]) == 0
    return tmp_path


def test_json_counts_and_withholds(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["stats", "--measure", "published", "--dimension", "country", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert {r["key"]["country"]: r["value"] for r in body["rows"]} == {"RO": 6, "_T": 6}
    assert main(["stats", "--measure", "published", "--dimension", "eqf", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert {r["key"]["eqf"]: r["value"] for r in rows} == {"4": None, "6": None, "_T": 6}


def test_csv_is_sdmx_like(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    args = ["stats", "--measure", "published", "--dimension", "period", "--csv"]
    assert main(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["TIME_PERIOD"] for r in rows} >= {"_T"}
    assert all(r["MEASURE"] == "PUBLISHED" for r in rows)


def test_plain_output_marks_withheld_counts(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["stats", "--measure", "published", "--dimension", "eqf"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "eqf\tpublished"
    assert "4\tC (withheld)" in lines
    assert "total\t6" in lines


def test_a_question_it_cannot_answer_is_one_line_and_exit_2(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = ["stats", "--measure", "stacked", "--dimension", "country", "--from", "2026-13-01"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "from" in err


def test_a_filter_value_outside_its_list_is_one_line_naming_it_and_exit_2(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = ["stats", "--measure", "issued", "--dimension", "country", "--eqf", "99"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "eqf: '99' is not one of 1, 2, 3, 4, 5, 6, 7, 8, unknown" in err


def test_an_operator_creates_a_national_statistics_reader_and_provider_staff(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    args = ["account", "create", "--email", "Stat@Authority.example", "--role", "statistics",
            "--country", "ro", "--json"]  # fmt: skip
    assert main(args) == 0
    body = json.loads(capsys.readouterr().out)
    assert (body["email"], body["role"], body["country"]) == ("stat@authority.example",
                                                             "statistics", "RO")  # fmt: skip
    staff = ["account", "create", "--email", "staff@unibuc.example", "--role", "provider",
             "--provider", "unibuc"]  # fmt: skip
    assert main(staff) == 0
    assert "/provider" in capsys.readouterr().out
    for role, home in (("recognition-officer", "/recognition"), ("assessor", "/assessor")):
        made = ["account", "create", "--email", f"{role}@unibuc.example", "--role", role,
                "--provider", "unibuc"]  # fmt: skip
        assert main(made) == 0
        assert home in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra",
    [["--role", "statistics"], ["--role", "provider", "--provider", "nowhere"],
     ["--role", "statistics", "--country", "Romania"], ["--role", "assessor"],
     ["--role", "recognition-officer", "--provider", "unibuc", "--country", "RO"]],
)  # fmt: skip
def test_an_account_it_cannot_make_is_one_line_and_exit_2(
    published: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    capsys.readouterr()
    assert main(["account", "create", "--email", "x@y.example", *extra]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_counts_by_declared_gender(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(5):
        issue = ["issue", "--opportunity", "1", "--name", f"Learner {number}", "--email",
                 f"learner{number}@example.org"]  # fmt: skip
        assert main(issue) == 0
    capsys.readouterr()
    assert main(["stats", "--measure", "issued", "--dimension", "gender", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    # no learner declared anything (none holds these in a wallet): all undeclared
    assert {r["key"]["gender"]: r["value"] for r in rows} == {"undeclared": 5, "_T": 5}
    assert main(["stats", "--measure", "published", "--dimension", "age_band"]) == 2
    assert "credential measures" in capsys.readouterr().err
