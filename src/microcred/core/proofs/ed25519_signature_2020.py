"""Legacy ``Ed25519Signature2020`` proofs (verify only): Ed25519 over RDFC-1.0, SHA-256."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.core.canon import PyldCanonicalizer
from microcred.core.keys import KeyType
from microcred.core.proofs.cryptosuite import Cryptosuite

NAME = "Ed25519Signature2020"


def canonize(document: Mapping[str, Any], key_type: KeyType) -> bytes:
    """RDFC-1.0 (SHA-256) canonical N-Quads as UTF-8."""
    return PyldCanonicalizer().canonize(document).encode("utf-8")


SUITE = Cryptosuite(
    NAME, NAME, frozenset({KeyType.ED25519}), canonize, can_sign=False, expands_jsonld=True
)
