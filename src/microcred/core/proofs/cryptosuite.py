"""What every Data Integrity cryptosuite is made of: :class:`Cryptosuite` and the bytes it signs.

A suite module (``eddsa_rdfc_2022.py``...) imports only this module and defines ``SUITE``;
:mod:`.registry` lists the suites; :mod:`.data_integrity` signs and verifies with them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from microcred.core.keys import KeyType

DATA_INTEGRITY_PROOF = "DataIntegrityProof"

Canonize = Callable[[Mapping[str, Any], KeyType], bytes]


@dataclass(frozen=True)
class Cryptosuite:
    """One cryptosuite: which proof it makes, which keys it takes, how it canonicalises."""

    name: str  # the cryptosuite value, or the proof type for legacy suites
    proof_type: str
    key_types: frozenset[KeyType]
    canonize: Canonize
    can_sign: bool = True
    proof_keeps_context: bool = False  # eddsa-jcs-2022 puts @context in the proof
    # RDFC-1.0 suites expand the document as JSON-LD (safe mode) to canonicalise it, so a
    # verified or signed document needs no separate expansion check.
    expands_jsonld: bool = False

    @property
    def cryptosuite(self) -> str | None:
        """The ``cryptosuite`` property value (None for legacy proof types)."""
        return self.name if self.proof_type == DATA_INTEGRITY_PROOF else None

    def hash_data(
        self, unsecured: Mapping[str, Any], proof_config: Mapping[str, Any], key_type: KeyType
    ) -> bytes:
        """hash(canonical proof config) || hash(canonical document): the bytes that are signed."""
        # the named constructor: hashlib.new looks the algorithm up on every call
        new_hash = hashlib.sha384 if key_type is KeyType.P384 else hashlib.sha256
        proof_hash = new_hash(self.canonize(proof_config, key_type)).digest()
        doc_hash = new_hash(self.canonize(unsecured, key_type)).digest()
        return proof_hash + doc_hash
