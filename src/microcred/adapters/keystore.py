"""Private keys encrypted at rest with the deployment's secret (``MICROCRED_SECRET_KEY``)."""

from __future__ import annotations

import hashlib

from microcred.core.errors import InvalidKey
from microcred.core.keys import KeyPair
from microcred.core.proofs.seal_keys import SealKey, seal_from_pem, seal_to_pem


class KeyVault:
    """Seals key pairs for storage and opens them again (opened keys are cached in memory)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode("utf-8")
        self._opened: dict[str, KeyPair] = {}
        self._seals: dict[str, SealKey] = {}

    @property
    def configured(self) -> bool:
        return bool(self._secret)

    def seal(self, pair: KeyPair) -> str:
        """The key file text (PKCS#8, encrypted with the secret)."""
        if not self._secret:
            raise InvalidKey("no MICROCRED_SECRET_KEY is set: cannot store a private key")
        return pair.to_encrypted(self._secret).decode("ascii")

    def open(self, sealed: str) -> KeyPair:
        """The key pair inside ``sealed``; InvalidKey when the secret does not open it."""
        digest = hashlib.sha256(sealed.encode("ascii")).hexdigest()
        pair = self._opened.get(digest)
        if pair is None:
            if not self._secret:
                raise InvalidKey("no MICROCRED_SECRET_KEY is set: cannot open a private key")
            pair = KeyPair.from_encrypted(sealed.encode("ascii"), self._secret)
            self._opened[digest] = pair
        return pair

    def seal_certificate_key(self, seal: SealKey) -> str:
        """The seal's private key as PKCS#8 PEM, encrypted with the secret."""
        if not self._secret:
            raise InvalidKey("no MICROCRED_SECRET_KEY is set: cannot store a private key")
        return seal_to_pem(seal, self._secret)

    def open_seal(self, sealed: str, chain_pem: str) -> SealKey:
        """The seal (key and chain) stored as ``sealed`` beside ``chain_pem``."""
        digest = hashlib.sha256((sealed + chain_pem).encode("ascii")).hexdigest()
        seal = self._seals.get(digest)
        if seal is None:
            if not self._secret:
                raise InvalidKey("no MICROCRED_SECRET_KEY is set: cannot open a private key")
            seal = seal_from_pem(sealed, self._secret, chain_pem)
            self._seals[digest] = seal
        return seal
