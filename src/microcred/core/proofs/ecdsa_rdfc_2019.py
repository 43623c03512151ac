"""The ``ecdsa-rdfc-2019`` cryptosuite: P-256 with SHA-256, P-384 with SHA-384 over RDFC-1.0.

For P-384 the RDFC-1.0 blank-node hash is SHA-384 as well (as in the W3C test vectors).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microcred.core.canon import PyldCanonicalizer
from microcred.core.keys import KeyType
from microcred.core.proofs.cryptosuite import DATA_INTEGRITY_PROOF, Cryptosuite

NAME = "ecdsa-rdfc-2019"


def canonize(document: Mapping[str, Any], key_type: KeyType) -> bytes:
    """RDFC-1.0 canonical N-Quads as UTF-8, hashing blank nodes with the key's hash."""
    if key_type is KeyType.P384:
        canonicalizer = PyldCanonicalizer("sha384", rdfc_hash="sha384")
    else:
        canonicalizer = PyldCanonicalizer("sha256")
    return canonicalizer.canonize(document).encode("utf-8")


SUITE = Cryptosuite(
    NAME,
    DATA_INTEGRITY_PROOF,
    frozenset({KeyType.P256, KeyType.P384}),
    canonize,
    expands_jsonld=True,
)
