"""``microcred inspect``, ``convert`` and ``new`` as a newcomer uses them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from microcred.cli.main import main
from microcred.cli.output import read_input
from microcred.core.annex1 import MANDATORY
from microcred.core.formats.reading import MAX_BYTES
from microcred.core.summary import SUMMARY_KEYS


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "mc.yaml"
    assert main(["new", "-o", str(path)]) == 0
    return path


def _inspect_json(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = main(["inspect", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_new_writes_a_complete_description(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary = _inspect_json(example, capsys)
    assert code == 0
    assert list(summary) == list(SUMMARY_KEYS)
    assert summary["missing_mandatory"] == []
    assert summary["problems"] == []
    assert summary["format"] == "native"
    assert summary["workload"] == {"ects": 5, "hours": 125}
    assert summary["eqf_level"] == 6
    assert summary["learner"] == "Ana Popescu"
    assert summary["issuer_countries"] == ["Romania (Bucureşti)"]


def test_every_element_of_the_template_is_documented(example: Path) -> None:
    text = example.read_text()
    assert text.count("\n# ") >= 16
    for field in (
        "learner",
        "title",
        "issuer_countries",
        "awarding_bodies",
        "issued",
        "learning_outcomes",
        "workload",
        "level",
        "assessment_types",
        "participation",
        "quality_assurance",
        "prerequisites",
        "supervision",
        "grade",
        "stackability",
        "further_information",
    ):
        assert f"\n{field}:" in text


def test_new_can_write_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["microcred"] == "1"


def test_the_table_shows_the_chosen_language(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["inspect", str(example), "--lang", "fr"]) == 0
    out, err = capsys.readouterr()
    assert "Littératie des données pour l'administration publique" in out
    assert "Tous les éléments obligatoires de l'annexe I sont présents et valides" in out
    assert "Intitulé" in out  # element titles too
    assert "empilable en vue de : Master in Public Data Management" in out
    assert "stackable towards" not in out
    assert "notice: some texts have no 'fr' version; shown in en" in err


def test_incomplete_credential_exits_1_and_names_what_is_missing(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = yaml.safe_load(example.read_text())
    del document["quality_assurance"]
    example.write_text(json.dumps(document))
    code, summary = _inspect_json(example, capsys)
    assert code == 1
    assert summary["missing_mandatory"] == ["quality_assurance"]


def test_problems_exit_1(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example.write_text(example.read_text().replace("  ects: 5\n", "  ects: -5\n"))
    code, summary = _inspect_json(example, capsys)
    assert code == 1
    assert summary["problems"] == ["workload: ECTS credits must be positive, not -5"]


def test_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "/nonexistent/file.json"]) == 2
    assert (
        capsys.readouterr().err.strip() == "microcred: error: /nonexistent/file.json: no such file"
    )


BAD_INPUTS = {
    "binary": bytes(range(256)) * 40,
    "truncated-json": b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["Verifiab',
    "json-array": b"[1, 2, 3]",
    "empty": b"",
    "deeply-nested": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "unknown-remote-context": json.dumps(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://evil.example/context.jsonld",
            ],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
        }
    ).encode(),
    "plain-json-object": b'{"hello": "world"}',
    "not-a-jwt": b"eyJhbGciOiJFUzI1NiJ9.bad",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_not_a_credential_exits_2_with_one_line(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    assert main(["inspect", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("microcred: error: ")
    assert err.count("\n") == 1


def test_a_50_megabyte_file_is_refused_without_being_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.write(b'{"a": "' + b"x" * (50 * 1024 * 1024) + b'"}')
    assert len(read_input(str(path))) == MAX_BYTES + 1  # bounded read, whatever the file size
    result = subprocess.run(
        [sys.executable, "-m", "microcred.cli.main", "inspect", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "more than the 8,388,608 bytes a credential may have" in result.stderr
    assert "Traceback" not in result.stderr


def test_mandatory_keys_match_the_summary() -> None:
    assert set(MANDATORY) <= set(SUMMARY_KEYS)
