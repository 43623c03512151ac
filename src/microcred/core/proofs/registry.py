"""The Data Integrity cryptosuites microcred knows, in order of preference.

Adding a suite: write ``core/proofs/<name>.py`` defining ``SUITE`` (it imports only
:mod:`.cryptosuite`), then add it to :data:`SUITES` below. Nothing else changes.
"""

from __future__ import annotations

from microcred.core.errors import ProofError
from microcred.core.keys import KeyType
from microcred.core.proofs import (
    ecdsa_jcs_2019,
    ecdsa_rdfc_2019,
    ed25519_signature_2020,
    eddsa_jcs_2022,
    eddsa_rdfc_2022,
)
from microcred.core.proofs.cryptosuite import Cryptosuite

# One line per suite. The first suite that signs with a key type is that key type's default.
SUITES: tuple[Cryptosuite, ...] = (
    eddsa_rdfc_2022.SUITE,
    ecdsa_rdfc_2019.SUITE,
    eddsa_jcs_2022.SUITE,
    ecdsa_jcs_2019.SUITE,
    ed25519_signature_2020.SUITE,
)
DEFAULT_SUITE = eddsa_rdfc_2022.NAME  # what microcred signs with unless told otherwise
_BY_NAME = {suite.name: suite for suite in SUITES}


def suites() -> dict[str, Cryptosuite]:
    """Known suites by name (the cryptosuite value, or the proof type of a legacy suite)."""
    return dict(_BY_NAME)


def suite_named(name: object) -> Cryptosuite | None:
    """The suite called ``name``, or None."""
    return _BY_NAME.get(name) if isinstance(name, str) else None


def signing_suites() -> list[str]:
    """The names of the suites that sign (sorted)."""
    return sorted(suite.name for suite in SUITES if suite.can_sign)


def preferred_signing_suites() -> tuple[str, ...]:
    """The names of the suites that sign, in order of preference (as offered to wallets)."""
    return tuple(suite.name for suite in SUITES if suite.can_sign)


def suite_for_key(key_type: KeyType) -> str:
    """The suite microcred signs with for a key type: ``eddsa-rdfc-2022`` for Ed25519,
    ``ecdsa-rdfc-2019`` for P-256 and P-384 (the first signing suite in :data:`SUITES`)."""
    for suite in SUITES:
        if suite.can_sign and key_type in suite.key_types:
            return suite.name
    raise ProofError(f"no cryptosuite signs with a {key_type.value} key")


def expands_jsonld(name: str) -> bool:
    """Whether verifying or signing with suite ``name`` expands the document as JSON-LD."""
    suite = _BY_NAME.get(name)
    return suite is not None and suite.expands_jsonld
