"""``microcred catalogue search``: what an operator or a counsellor sees from a shell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microcred.cli.main import main
from tests.platform.samples import opportunity_in, provider_in


@pytest.fixture
def published(cli_database: Path) -> Path:
    """One provider and one published opportunity."""
    provider = cli_database / "provider.json"
    provider.write_text(provider_in("unibuc", "RO", "RO32").model_dump_json())
    assert main(["provider", "create", "--file", str(provider)]) == 0
    draft = cli_database / "opportunity.json"
    draft.write_text(opportunity_in("Analiza datelor publice").model_dump_json())
    assert main(["opportunity", "create", "--provider", "unibuc", str(draft)]) == 0
    assert main(["opportunity", "publish", "1"]) == 0
    return cli_database


def test_search_prints_what_it_found_and_why(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["catalogue", "search", "analiza", "--lang", "ro", "--country", "RO"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "1 found"
    assert "Analiza datelor publice" in out
    assert "https://mc.example/catalogue/1" in out


def test_search_json_has_hits_and_facets(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["catalogue", "search", "--eqf", "6", "--json"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert page["total"] == 1
    assert page["facets"]["eqf"] == [{"value": "6", "label": "EQF 6", "count": 1}]
    assert main(["catalogue", "search", "--eqf", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0


def test_a_bad_filter_is_one_line_and_exit_2(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["catalogue", "search", "--eqf", "12"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "eqf" in err


def test_reindex_rebuilds_the_index(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["catalogue", "reindex"]) == 0
    assert capsys.readouterr().out.strip() == "1 published opportunities indexed"


def test_ctdl_export_from_a_shell(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["catalogue", "ctdl"]) == 0
    graph = json.loads(capsys.readouterr().out)
    types = {node["@type"] for node in graph["@graph"]}
    assert {"ceterms:CredentialOrganization", "ceterms:LearningOpportunityProfile"} <= types
    out = published / "ctdl.json"
    assert main(["catalogue", "ctdl", "--eqf", "5", "--output", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["@graph"] == []
    with pytest.raises(SystemExit) as refused:  # argparse: usage error, one line, exit 2
        main(["catalogue", "ctdl", "--eqf", "12"])
    assert refused.value.code == 2
    assert "--eqf" in capsys.readouterr().err
