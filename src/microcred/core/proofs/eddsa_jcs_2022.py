"""The ``eddsa-jcs-2022`` cryptosuite: Ed25519 over JCS (RFC 8785) canonical JSON, SHA-256."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.core.jcs import canonicalize
from microcred.core.keys import KeyType
from microcred.core.proofs.cryptosuite import DATA_INTEGRITY_PROOF, Cryptosuite

NAME = "eddsa-jcs-2022"


def canonize(document: Mapping[str, Any], key_type: KeyType) -> bytes:
    """RFC 8785 canonical JSON bytes."""
    return canonicalize(document)


SUITE = Cryptosuite(
    NAME,
    DATA_INTEGRITY_PROOF,
    frozenset({KeyType.ED25519}),
    canonize,
    proof_keeps_context=True,
)
