"""The wallet import reads JSON as the verifier does: a key written twice is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from microcred.services.errors import InvalidInput
from microcred.services.learner import wallet
from tests.web.browserless import learner
from tests.web.harness import Harness, make_harness


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path)
    yield harness
    harness.close()


def test_a_credential_with_a_repeated_key_is_not_imported(h: Harness) -> None:
    _c, ana = learner(h, "ana@example.org")
    _ref, document = h.issuer.issue()
    credential = json.loads(document)
    text = json.dumps(credential)
    doubled = text[:-1] + ', "credentialStatus": []}'  # the last one would win in json.loads
    assert "credentialStatus" in credential
    with pytest.raises(InvalidInput) as refused, h.unit() as ctx:
        wallet.import_file(ctx, ana.id, doubled.encode())
    assert "'credentialStatus' appears twice" in refused.value.message
    with h.unit() as ctx:
        assert wallet.list_held(ctx, ana.id) == []
