"""The Bitstring Status List spec's secured examples, verified end to end with their list.

The examples (credential and list) are signed with did:key keys while naming
``did:example:12345`` as issuer: the signatures verify, and both the issuer check and the
status check (whose list is signed by a key that is not its issuer's) rightly fail. That the
list itself reads as "not revoked" is checked in ``tests/core/test_status.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microcred.adapters.resolver import DocumentMap
from microcred.core.did import DidResolver
from microcred.core.verify import verify
from tests.conftest import vectors_path

LIST_URL = "https://example.com/credentials/status/3"
SUITES = ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"]


@pytest.mark.parametrize("list_suite", SUITES)
@pytest.mark.parametrize("suite", SUITES)
def test_revocable_example_with_its_status_list(suite: str, list_suite: str) -> None:
    examples = vectors_path("w3c-vc-bitstring-status-list", "examples")
    fetch = DocumentMap(
        {LIST_URL: examples / f"ex005-a-status-list-verifiable-credential.{list_suite}.json"}
    )
    data = (examples / f"ex004-a-revocable-verifiable-credential.{suite}.json").read_bytes()
    report = verify(
        data,
        resolver=DidResolver(fetch),
        fetch_document=fetch,
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    by_name = {c.name: c for c in report.checks}
    assert by_name["proof"].status == "ok"
    assert by_name["status"].status == "failed"  # the list, too, is signed by a stranger
    assert "not by its issuer did:example:12345" in by_name["status"].detail
    assert by_name["issuer"].status == "failed"
    assert "did:example:12345" in by_name["issuer"].detail
    assert not report.verified
