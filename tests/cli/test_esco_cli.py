"""``microcred esco import``: an official-format release extends the packaged subset at once —
guidance knows the imported occupation, the catalogue search knows its labels, a second import in
another language keeps the first, and bad files are one line naming file, line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli.main import main

SKILL = "http://data.europa.eu/esco/skill/"
OCC = "http://data.europa.eu/esco/occupation/"
STATISTICS = SKILL + "7ee4c2ea-b349-4bd2-81a3-ec31475d4833"  # taught by the demo's data course
NEW_SKILL = SKILL + "0000aaaa-0000-4000-8000-000000000001"
CLERK = OCC + "0000bbbb-0000-4000-8000-000000000002"


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _release(folder: Path, language: str, clerk: str, skill: str) -> list[str]:
    return [
        _write(folder, f"occupations_{language}.csv",
               "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description,code\n"
               f"Occupation,{CLERK},4311,{clerk},,,4311.1\n"),
        _write(folder, f"skills_{language}.csv",
               "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels\n"
               f"KnowledgeSkillCompetence,{NEW_SKILL},skill/competence,cross-sector,{skill},\n"),
        _write(folder, f"occupationSkillRelations_{language}.csv",
               "occupationUri,relationType,skillType,skillUri\n"
               f"{CLERK},essential,knowledge,{STATISTICS}\n"
               f"{CLERK},essential,skill/competence,{NEW_SKILL}\n"),
    ]  # fmt: skip


def test_an_imported_occupation_guides_at_once(
    demo_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    english = _release(demo_database, "en", "statistical clerk", "keep ledgers")
    assert main(["esco", "import", *english]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ESCO now holds 1 skills and 1 occupations with 2 skill relations (languages: en)",
        "4 published opportunities re-indexed",
    ]
    assert main(["guidance", "--occupation", CLERK, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["target_label"] == "statistical clerk"
    assert {m["uri"] for m in found["missing"]} == {STATISTICS, NEW_SKILL}
    assert found["suggestions"][0]["title"] == "Data literacy for public administration"
    french = _release(demo_database, "fr", "commis aux statistiques", "tenir des registres")
    assert main(["esco", "import", *french]) == 0
    capsys.readouterr()
    assert main(["guidance", "--occupation", CLERK, "--lang", "fr", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["target_label"] == "commis aux statistiques"
    assert main(["guidance", "--occupation", CLERK, "--lang", "en", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["target_label"] == "statistical clerk"


def test_a_bad_file_is_one_line_naming_where(
    demo_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = f"occupationUri,relationType,skillUri\n{CLERK},mandatory,{NEW_SKILL}\n"
    bad = _write(demo_database, "occupationSkillRelations_en.csv", text)
    capsys.readouterr()
    assert main(["esco", "import", bad]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "line 2, column 'relationType'" in err
    assert main(["esco", "import", str(demo_database / "missing_en.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
