"""``microcred guidance`` from a shell: the missing skills, then the ranked courses with reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli.main import main

DATA_ANALYST = "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"
STATISTICS = "http://data.europa.eu/esco/skill/7ee4c2ea-b349-4bd2-81a3-ec31475d4833"


def test_guidance_names_what_is_missing_and_what_fills_it(
    demo_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["guidance", "--occupation", DATA_ANALYST, "--lang", "fr"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "11 skills missing for analyste de données"
    assert any("Data literacy for public administration" in line for line in out)
    assert main(["guidance", "--occupation", DATA_ANALYST, "--held", STATISTICS, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["missing"]) == 10
    assert found["suggestions"][0]["title"] == "Data literacy for public administration"


def test_a_target_is_required(demo_database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["guidance"])
    assert exit_.value.code == 2
    assert "--occupation" in capsys.readouterr().err
