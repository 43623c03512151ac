"""The learner side's view of the platform: provider keys, issued credentials, local documents.

It adapts the platform's services (providers, signing keys, credentials, status lists) to the
small ports of :class:`LearnerContext`, so the learner services stay independent of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from microcred.adapters.db.tables import Credential
from microcred.adapters.keystore import KeyVault
from microcred.core.errors import MicrocredError, ResolutionError
from microcred.core.keys import KeyPair
from microcred.services import signing_keys
from microcred.services.context import SYSTEM, Context, Site
from microcred.services.learner.context import FetchJson

_PROVIDER_DID = re.compile(r"^did:web:[^:]+(?:%3[Aa]\d+)?:providers:([a-z0-9-]+)$")


class PlatformBridge:
    """Ports of the learner services, served from the platform's database and services."""

    def __init__(
        self, engine: Engine, public_url: str, secret: str, clock: Callable[[], datetime],
        remote: FetchJson | None = None,
    ) -> None:  # fmt: skip
        self._engine, self._site, self._vault = engine, Site(public_url), KeyVault(secret)
        self._clock, self._remote = clock, remote

    def _context(self, session: Session) -> Context:
        return Context(session, SYSTEM, self._site, self._vault, clock=self._clock)

    def signer(self, issuer_id: str) -> tuple[KeyPair, str] | None:
        """The active key of the provider whose did:web is ``issuer_id``."""
        found = _PROVIDER_DID.match(issuer_id)
        if not found:
            return None
        slug = found.group(1)
        with Session(self._engine) as session:
            ctx = self._context(session)
            try:
                from microcred.services import providers

                provider = providers.by_slug(ctx, slug)
                row = signing_keys.active_key(ctx, provider.id)
                return signing_keys.key_pair(ctx, row), signing_keys.verification_method(
                    ctx, slug, row)  # fmt: skip
            except MicrocredError:
                return None

    def issued_document(self, credential_ref: str) -> str | None:
        """The signed document of a credential issued here."""
        with Session(self._engine) as session:
            query = select(Credential.document).where(Credential.id == credential_ref)
            return session.scalar(query)

    def fetch_json(self, url: str) -> Mapping[str, Any]:
        """Documents this platform publishes come from its database; others from ``remote``."""
        local = self._local(url)
        if local is not None:
            return local
        if self._remote is None:
            raise ResolutionError(f"{url} is not published here and remote fetching is off")
        return self._remote(url)

    def _local(self, url: str) -> Mapping[str, Any] | None:
        base = self._site.public_url
        if not url.startswith(base + "/"):
            return None
        with Session(self._engine) as session:
            ctx = self._context(session)
            try:
                return _local_document(ctx, url[len(base) :])
            except MicrocredError as exc:
                raise ResolutionError(f"{url}: {exc.message}") from exc


def _local_document(ctx: Context, path: str) -> Mapping[str, Any] | None:
    if path == "/.well-known/did.json":
        return signing_keys.platform_did_document(ctx)
    found = re.fullmatch(r"/providers/([a-z0-9-]+)/did\.json", path)
    if found:
        return signing_keys.provider_did_document(ctx, found.group(1))
    found = re.fullmatch(r"/status-lists/([a-z0-9-]+)/(revocation|suspension)/(\d+)", path)
    if found:
        return _status_list(ctx, found.group(1), found.group(2), int(found.group(3)))
    raise ResolutionError(f"nothing is published at {path}")


def _status_list(ctx: Context, slug: str, purpose: str, number: int) -> Mapping[str, Any]:
    from microcred.services import status_lists  # type: ignore[attr-defined,unused-ignore]

    document: Mapping[str, Any] = status_lists.list_credential(ctx, slug, purpose, number)
    return document
