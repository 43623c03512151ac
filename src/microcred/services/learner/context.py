"""What every learner-side use case receives: storage, clock, randomness, keys, fetchers."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import Engine

from microcred.core.keys import KeyPair

Clock = Callable[[], datetime]
RandomBytes = Callable[[int], bytes]
FetchJson = Callable[[str], Mapping[str, Any]]


class IssuerKeys(Protocol):
    """The signing key of a provider this platform issues for (to bind credentials to wallets)."""

    def signer(self, issuer_id: str) -> tuple[KeyPair, str] | None:
        """``(key pair, verification method id)`` of ``issuer_id``, or None if not ours."""
        ...


class StatusChanger(Protocol):
    """Revoke or suspend a credential issued here, by its platform id."""

    def set_status(self, credential_ref: str, purpose: str, value: bool) -> None:
        """Set (``value=True``) or clear the ``purpose`` bit of the credential."""
        ...


@dataclass(frozen=True)
class LearnerContext:
    """Everything the learner-side services need; built by the entry points."""

    engine: Engine
    clock: Clock
    random_bytes: RandomBytes
    secret: bytes
    public_url: str
    issuer_keys: IssuerKeys
    fetch_json: FetchJson
    # the signed document of a credential issued here, by its platform id (for /verify/{id})
    issued_document: Callable[[str], str | None] = lambda _ref: None
    outbox_dir: Path | None = None

    def token(self, size: int = 32) -> str:
        """A fresh URL-safe random token."""
        import base64

        return base64.urlsafe_b64encode(self.random_bytes(size)).rstrip(b"=").decode("ascii")

    def new_id(self) -> str:
        """A fresh random UUID (from the injected randomness)."""
        return str(uuid.UUID(bytes=self.random_bytes(16), version=4))

    def keyed(self, purpose: str, value: str) -> bytes:
        """HMAC of ``value`` under the platform secret, separated by ``purpose``."""
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256).digest()

    @property
    def domain(self) -> str:
        """The host (and port) the platform is reached at: the ``domain`` of presentations."""
        from urllib.parse import urlsplit

        return urlsplit(self.public_url).netloc


def token_hash(token: str) -> str:
    """What is stored for a secret token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
