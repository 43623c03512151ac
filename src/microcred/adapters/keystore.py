"""Private keys encrypted at rest with the deployment's secret (``MICROCRED_SECRET_KEY``)."""

from __future__ import annotations

import hashlib

from microcred.core.errors import InvalidKey
from microcred.core.keys import KeyPair


class KeyVault:
    """Seals key pairs for storage and opens them again (opened keys are cached in memory)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode("utf-8")
        self._opened: dict[str, KeyPair] = {}

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
