"""The ``ecdsa-jcs-2019`` cryptosuite: P-256/SHA-256 or P-384/SHA-384 over JCS (RFC 8785)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.core.jcs import canonicalize
from microcred.core.keys import KeyType
from microcred.core.proofs.cryptosuite import DATA_INTEGRITY_PROOF, Cryptosuite

NAME = "ecdsa-jcs-2019"


def canonize(document: Mapping[str, Any], key_type: KeyType) -> bytes:
    """RFC 8785 canonical JSON bytes."""
    return canonicalize(document)


SUITE = Cryptosuite(
    NAME,
    DATA_INTEGRITY_PROOF,
    frozenset({KeyType.P256, KeyType.P384}),
    canonize,
    proof_keeps_context=True,
)
