"""What every use case receives: the session, the clock, the key vault, the site and the actor."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from microcred.adapters.keystore import KeyVault
from microcred.core.did import did_web_from
from microcred.core.keys import KeyPair, KeyType
from microcred.core.proofs.jades import TimeStamper
from microcred.core.verification.document_cache import CheckMemo
from microcred.core.verification.seal_chain import SealTrust
from microcred.services.errors import Forbidden, NotFound


class Role(StrEnum):
    """API key roles, from most to least powerful."""

    PLATFORM_ADMIN = "platform-admin"
    PROVIDER_ADMIN = "provider-admin"
    PROVIDER_ISSUER = "provider-issuer"
    PATHWAY_OFFICER = "pathway-officer"  # receiving organisation: evaluates, decides pathways
    READ_ONLY = "read-only"
    STATISTICS_READER = "statistics-reader"  # uptake statistics of one country, nothing else
    RECOGNITION_OFFICER = "recognition-officer"  # an authority's recognition cases and rules
    ASSESSOR = "assessor"  # an organisation's validations of non-formal/informal learning


WRITE_ROLES = {
    "manage": {Role.PLATFORM_ADMIN, Role.PROVIDER_ADMIN},
    "issue": {Role.PLATFORM_ADMIN, Role.PROVIDER_ADMIN, Role.PROVIDER_ISSUER},
    "decide": {
        Role.PLATFORM_ADMIN,
        Role.PROVIDER_ADMIN,
        Role.PROVIDER_ISSUER,
        Role.PATHWAY_OFFICER,
    },
    "read": set(Role) - {Role.STATISTICS_READER},
    # cases hold personal data: only the organisation's officers (or assessors) see them
    "recognise": {Role.PLATFORM_ADMIN, Role.RECOGNITION_OFFICER},
    "assess": {Role.PLATFORM_ADMIN, Role.ASSESSOR},
}


@dataclass(frozen=True)
class Actor:
    """Who acts: a role, the provider it belongs to (None = platform-wide), a name for audit."""

    name: str
    role: Role
    provider_id: int | None = None
    country: str | None = None  # a statistics reader's country
    account_id: str | None = None  # a signed-in learner's web account (learner pages)

    def require_account(self, account_id: str) -> None:
        """A learner acts on their own wallet only (:class:`NotFound` for anyone else's, so ids
        do not leak); actors without an account (the platform, API keys) are not limited here."""
        if self.account_id is not None and self.account_id != account_id:
            raise NotFound("no such record")

    def require(self, what: str, provider_id: int | None = None) -> None:
        """Allow ``what`` (manage, issue, decide, read) on ``provider_id``'s data, or raise.

        Another provider's records are reported as not found, so ids do not leak.
        """
        if self.role is Role.PLATFORM_ADMIN:
            return
        if self.role is Role.STATISTICS_READER:
            raise Forbidden("a statistics-reader key reads uptake statistics only")
        if self.provider_id is None:  # platform-wide read-only key
            if what == "read":
                return
            raise Forbidden("a read-only key cannot change anything")
        if provider_id != self.provider_id:
            if provider_id is None:
                raise Forbidden("this action needs a platform administrator key")
            raise NotFound("no such record")
        if self.role not in WRITE_ROLES[what]:
            raise Forbidden(f"the {self.role.value} role may not {what} here")

    def require_admin(self) -> None:
        if self.role is not Role.PLATFORM_ADMIN:
            raise Forbidden("this action needs a platform administrator key")


def learner_actor(account_id: str) -> Actor:
    """A signed-in learner: sees no provider's data, acts on their own wallet only."""
    return Actor(f"learner {account_id}", Role.READ_ONLY, provider_id=-1, account_id=account_id)


SYSTEM = Actor("system", Role.PLATFORM_ADMIN)


@dataclass(frozen=True)
class Site:
    """The platform's public address and the identifiers and URLs derived from it."""

    public_url: str

    @property
    def host(self) -> str:
        return self.public_url.split("://", 1)[-1].split("/", 1)[0]

    @property
    def platform_did(self) -> str:
        return did_web_from(self.host)

    @property
    def provider_did_prefix(self) -> str:
        return self.platform_did + ":providers:"

    def provider_did(self, slug: str) -> str:
        return did_web_from(f"{self.host}/providers/{slug}")

    def status_list_url(self, slug: str, purpose: str, number: int) -> str:
        return f"{self.public_url}/status-lists/{slug}/{purpose}/{number}"

    def credential_url(self, credential_id: str) -> str:
        return f"{self.public_url}/credentials/{credential_id}"

    def opportunity_url(self, opportunity_id: int) -> str:
        return f"{self.public_url}/catalogue/{opportunity_id}"


def _now_required() -> datetime:
    raise RuntimeError("no clock was given to the service context")


class IssuerKeys(Protocol):
    """The signing key of a provider this platform issues for (to bind credentials to wallets)."""

    def signer(self, ctx: Context, issuer_id: str) -> tuple[KeyPair, str] | None:
        """``(key pair, verification method id)`` of ``issuer_id``, or None if not ours."""
        ...


class NoIssuerKeys:
    """No provider's key: nothing is bound to a wallet (contexts built without the platform)."""

    def signer(self, ctx: Context, issuer_id: str) -> tuple[KeyPair, str] | None:
        return None


def _no_document(_ctx: Context, _credential_ref: str) -> str | None:
    return None


@dataclass
class Context:
    """A unit of work: one session, one actor; time, ids and keys come from here only."""

    session: Session
    actor: Actor
    site: Site
    vault: KeyVault
    clock: Callable[[], datetime] = _now_required
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))
    new_key: Callable[[KeyType], KeyPair] = KeyPair.generate
    new_token: Callable[[], str] = field(default=lambda: secrets.token_urlsafe(32))
    batch_workers: int = 1
    batch_chunk: int = 200
    remote_fetch: Callable[[str], Mapping[str, Any]] | None = None  # other hosts' documents
    checked: CheckMemo | None = None  # status-list proof checks kept by the list's JSON
    # the learner side's ports: randomness, the platform secret, keys and documents issued here
    random_bytes: Callable[[int], bytes] = secrets.token_bytes
    secret: bytes = b""
    issuer_keys: IssuerKeys = field(default_factory=NoIssuerKeys)
    issued_document: Callable[[Context, str], str | None] = _no_document  # by platform id
    outbox_dir: Path | None = None  # where sent mail is also written (None: the table only)
    timestamper: TimeStamper | None = None  # the time-stamp authority of sealed EDCs (B-T)
    seal_trust: SealTrust | None = None  # trust anchors of JAdES seals (MICROCRED_TRUST_LIST)

    def now(self) -> datetime:
        return self.clock()

    @property
    def public_url(self) -> str:
        return self.site.public_url

    @property
    def domain(self) -> str:
        """The host (and port) the platform is reached at: the ``domain`` of presentations."""
        return self.site.host

    def token(self, size: int = 32) -> str:
        """A fresh URL-safe random token (from the injected randomness)."""
        return base64.urlsafe_b64encode(self.random_bytes(size)).rstrip(b"=").decode("ascii")

    def keyed(self, purpose: str, value: str) -> bytes:
        """HMAC of ``value`` under the platform secret, separated by ``purpose``."""
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), hashlib.sha256).digest()


def token_hash(token: str) -> str:
    """What is stored for a secret token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Units(Protocol):
    """What the composition root hands to the API and the pages (``app.state.platform``):
    the site and contexts for an actor (``unit_of_work`` commits at its end)."""

    @property
    def site(self) -> Site: ...

    def context(self, actor: Actor = SYSTEM) -> AbstractContextManager[Context]: ...

    def unit_of_work(self, actor: Actor = SYSTEM) -> AbstractContextManager[Context]: ...

    def start_batch(self, actor: Actor, batch_id: str) -> None:
        """Background work: run a created batch, in this process or as the workers' jobs."""
        ...
