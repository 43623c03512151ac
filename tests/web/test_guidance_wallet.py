"""The guidance page counts a signed-in learner's wallet: the skills of credentials that verify
now are held; a revoked credential's are not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.services import guidance
from microcred.services.learner import wallet
from tests.web.browserless import learner
from tests.web.harness import Harness, make_harness

SPREADSHEETS = (
    "http://data.europa.eu/esco/skill/a5d4a8d2-bb1c-4e9f-9a8d-7a6f1e1c0b3e"  # example.yaml
)


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path)
    yield harness
    harness.close()


def test_valid_wallet_credentials_count_and_revoked_ones_do_not(h: Harness) -> None:
    page, ana = learner(h, "ana@example.org")
    ref, document = h.issuer.issue()
    with h.unit() as ctx:
        wallet.import_file(ctx, ana.id, document.encode())
    with h.unit() as ctx:
        [evidence] = guidance.wallet_evidence(ctx, ana.id)
    assert SPREADSHEETS in evidence.skills
    assert "The skills of the 1 valid credentials in your wallet" in page.get("/guide").text
    h.issuer.revoke(ref)
    with h.unit() as ctx:
        assert guidance.wallet_evidence(ctx, ana.id) == []
    assert "The skills of the 0 valid credentials in your wallet" in page.get("/guide").text
