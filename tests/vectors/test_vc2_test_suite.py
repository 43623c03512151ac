"""The W3C VCDM 2.0 test suite's inputs: ``-ok`` accepted by the format check, ``-fail`` refused.

The inputs are what an issuer receives, so the check runs with ``as_issued=False`` (the issuer
adds ``issuer`` and dates). ``-fail-or-inject`` inputs (no base context) are refused: we never
inject. The suite's ``PAST DATE`` / ``FUTURE DATE`` placeholders are filled in as it does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.core.verification.wellformed import credential_problems, presentation_problems
from tests.conftest import VECTORS, vectors_path

INPUT = VECTORS / "w3c-vc-data-model-2.0-test-suite" / "input"
PLACEHOLDERS = {"PAST DATE": "2020-01-01T00:00:00Z", "FUTURE DATE": "2099-01-01T00:00:00Z"}


def cases() -> list[str]:
    if not INPUT.exists():
        return []
    names = [p.relative_to(INPUT).as_posix() for p in INPUT.rglob("*.json")]
    return sorted(n for n in names if n.endswith("-ok.json") or "-fail" in n)


def load(relative: str) -> Any:
    document = json.loads(
        vectors_path("w3c-vc-data-model-2.0-test-suite", "input", relative).read_text("utf-8")
    )
    for key in ("validFrom", "validUntil"):
        if isinstance(document, dict) and document.get(key) in PLACEHOLDERS:
            document[key] = PLACEHOLDERS[document[key]]
    return document


def problems(relative: str) -> list[str]:
    document = load(relative)
    if not isinstance(document, dict):
        return ["not a JSON object"]
    if Path(relative).name.startswith("presentation"):
        return presentation_problems(document)
    return credential_problems(document, as_issued=False)


@pytest.mark.parametrize("relative", cases())
def test_input(relative: str) -> None:
    found = problems(relative)
    if relative.endswith("-ok.json"):
        assert found == []
    else:
        assert found, "a -fail input was accepted"
        assert all(isinstance(p, str) and p for p in found)


def test_the_suite_is_there_and_large() -> None:
    vectors_path("w3c-vc-data-model-2.0-test-suite", "input")
    assert len(cases()) > 100


def test_an_issued_credential_needs_its_issuer() -> None:
    document = load("credential-ok.json")
    assert credential_problems(document) == ["issuer is missing"]
