"""``microcred pathway publish|evaluate|decide`` over a migrated database: the larger credential
it writes verifies; bad rules and a second decision exit 2 with one line naming the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.bootstrap import Platform
from microcred.cli.main import main
from microcred.cli.runtime import settings
from microcred.services import issuance, opportunities, providers, verification
from microcred.services.context import SYSTEM
from microcred.services.issuance import IssueIn
from tests.platform.samples import opportunity_in, provider_in

RULES = {
    "id": "https://unibuc.example/rules/data-science", "version": "2026-1",
    "title": {"en": "Certificate in data science"},
    "root": {"type": "aggregate", "function": "sum", "measure": "ects", "comparison": ">=",
             "value": 10, "where": {"isced": ["06"]}},
}  # fmt: skip


def _issued(folder: Path) -> tuple[int, list[str]]:
    platform = Platform(settings())
    paths = []
    with platform.unit_of_work(SYSTEM) as ctx:
        provider = providers.register(ctx, provider_in("unibuc"))
        course = opportunities.create(ctx, provider.id, opportunity_in("Statistics"))
        opportunities.publish(ctx, course.id)
        for key in ("one", "two"):
            body = {"opportunity_id": course.id, "idempotency_key": key,
                    "learner": {"name": "Ana", "email": "ana@example.org"}}  # fmt: skip
            row, _ = issuance.issue(ctx, IssueIn.model_validate(body))
            path = folder / f"{key}.json"
            path.write_text(row.document, encoding="utf-8")
            paths.append(str(path))
        provider_id = provider.id
    platform.dispose()
    return provider_id, paths


def _verified(document: dict[str, Any]) -> bool:
    """The platform's verifier on ``document`` (did:web of this site resolved locally)."""
    platform = Platform(settings())
    with platform.context(SYSTEM) as ctx:
        verified = verification.verify_document(ctx, document).verified
    platform.dispose()
    return verified


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_publish_evaluate_accept_writes_a_larger_credential_that_verifies(
    cli_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider, parts = _issued(cli_database)
    rules_file = cli_database / "rules.json"
    rules_file.write_text(json.dumps(RULES), encoding="utf-8")
    published = _json(capsys, ["pathway", "publish", "--provider", str(provider),
                               str(rules_file), "--json"])  # fmt: skip
    evaluation = _json(capsys, ["pathway", "evaluate", published["id"], *parts, "--json"])
    assert evaluation["outcome"] == "satisfied"
    assert len(evaluation["consumed"]) == 2
    out = cli_database / "certificate.json"
    decided = _json(
        capsys,
        [
            "pathway",
            "decide",
            evaluation["id"],
            "--accept",
            "--reason",
            "both modules count",
            "-o",
            str(out),
            "--json",
        ],
    )
    assert decided["decision"]["decision"] == "accept"
    assert decided["credential"]["id"] == decided["decision"]["credential_id"]
    assert _verified(json.loads(out.read_text(encoding="utf-8")))
    assert main(["pathway", "decide", evaluation["id"], "--refuse", "--reason", "no"]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert "already decided (accept)" in error[0]


def test_rules_naming_an_unknown_concept_exit_2_naming_the_path(
    cli_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider, _ = _issued(cli_database)
    bad = {**RULES, "root": {"type": "component", "where": {"eqf_min": 6, "isced": ["77"]}}}
    rules_file = cli_database / "bad.json"
    rules_file.write_text(json.dumps(bad), encoding="utf-8")
    assert main(["pathway", "publish", "--provider", str(provider), str(rules_file)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert "root.where.isced[0]" in error[0]
    broken = cli_database / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["pathway", "publish", "--provider", str(provider), str(broken)]) == 2
    assert "broken.json: not JSON" in capsys.readouterr().err


def test_an_ects_total_that_can_never_be_met_exits_2_naming_the_node(
    cli_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    provider, _ = _issued(cli_database)
    never = {**RULES, "options": {"home_providers": ["did:web:home.example"],
                                  "external_credit_cap": 5},
             "root": {"type": "aggregate", "function": "sum", "measure": "ects",
                      "comparison": ">=", "value": 30,
                      "where": {"providers": ["did:web:elsewhere.example"]}}}  # fmt: skip
    rules_file = cli_database / "never.json"
    rules_file.write_text(json.dumps(never), encoding="utf-8")
    assert main(["pathway", "publish", "--provider", str(provider), str(rules_file)]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1
    assert "root" in error[0]
    assert "30" in error[0]
