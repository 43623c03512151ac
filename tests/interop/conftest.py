"""Fixtures of the interoperability tests."""

from __future__ import annotations

import pytest

from tests.interop.jsstack import Node, node_stack


@pytest.fixture(scope="module")
def node() -> Node:
    """Digital Bazaar's JS stack (skips the test when ``node`` is not installed)."""
    return node_stack()
