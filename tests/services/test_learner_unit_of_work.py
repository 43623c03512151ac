"""The learner services run in the entry point's unit of work: they never commit, and a unit
that fails leaves nothing of what they wrote; no module outside the adapters and the
composition root opens engine connections of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import microcred
from microcred.services.errors import LinkExpired
from microcred.services.learner import accounts, claims, sharing
from tests.web.harness import Harness, make_harness


class Boom(Exception):
    """The entry point fails after the services returned."""


@pytest.fixture
def h(tmp_path: Path) -> Iterator[Harness]:
    harness = make_harness(tmp_path)
    yield harness
    harness.close()


def _write_then_fail(h: Harness, document: str, written: dict[str, str]) -> None:
    with h.unit() as ctx:
        ana = accounts.create_account(ctx, "ana@example.org", "correct horse")
        link = claims.create_claim(ctx, document, learner_email=ana.email, credential_ref="r1")
        held = claims.claim_into_wallet(ctx, link.token, ana.id)
        sharing.create_share(ctx, ana.id, {held.id: []}, 3)
        written.update(account=ana.id, token=link.token)
        raise Boom


def test_a_failed_unit_keeps_nothing_the_learner_services_wrote(h: Harness) -> None:
    _ref, document = h.issuer.issue()
    written: dict[str, str] = {}
    with pytest.raises(Boom):
        _write_then_fail(h, document, written)
    with h.unit() as ctx:
        assert accounts.find_account(ctx, "ana@example.org") is None
        assert sharing.list_shares(ctx, written["account"]) == []
    with pytest.raises(LinkExpired), h.unit() as ctx:
        claims.open_claim(ctx, written["token"])


def test_a_unit_that_ends_keeps_all_of_it(h: Harness) -> None:
    _ref, document = h.issuer.issue()
    with h.unit() as ctx:
        ana = accounts.create_account(ctx, "ana@example.org", "correct horse")
        link = claims.create_claim(ctx, document, learner_email=ana.email, credential_ref="r1")
    with h.unit() as ctx:
        assert accounts.find_account(ctx, "ana@example.org") == ana
        assert claims.open_claim(ctx, link.token).credential_ref == "r1"


def test_no_engine_connections_outside_the_adapters_and_the_composition_root() -> None:
    root = Path(microcred.__file__).parent
    opened = re.compile(r"\bengine\.(connect|begin)\(\)|\bimport\b.*\bEngine\b")
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if path.relative_to(root).parts[0] not in ("adapters", "bootstrap.py")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if opened.search(line)
    ]
    assert found == []
