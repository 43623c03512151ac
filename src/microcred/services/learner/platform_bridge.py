"""The learner side's view of the platform: provider keys, issued credentials, local documents.

It adapts the platform's services (providers, signing keys, credentials, status lists) to the
small ports of :class:`LearnerContext`, so the learner services stay independent of them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from microcred.adapters.db.tables import Credential
from microcred.core.errors import MicrocredError, ResolutionError
from microcred.core.keys import KeyPair
from microcred.services import providers, signing_keys, statuses
from microcred.services.context import Context
from microcred.services.learner.context import FetchJson, LearnerContext
from microcred.services.runtime import Platform

_PROVIDER_DID = re.compile(r"^did:web:[^:]+(?:%3[Aa]\d+)?:providers:([a-z0-9-]+)$")


class PlatformBridge:
    """Ports of the learner services, served from the platform's database and services."""

    def __init__(self, platform: Platform, remote: FetchJson | None = None) -> None:
        self._platform, self._remote = platform, remote

    def signer(self, issuer_id: str) -> tuple[KeyPair, str] | None:
        """The active key of the provider whose did:web is ``issuer_id``."""
        found = _PROVIDER_DID.match(issuer_id)
        if not found:
            return None
        with self._platform.context() as ctx:
            try:
                provider = providers.by_slug(ctx, found.group(1))
                row = signing_keys.active_key(ctx, provider.id)
                method = signing_keys.verification_method(ctx, provider.slug, row)
                return signing_keys.key_pair(ctx, row), method
            except MicrocredError:
                return None

    def issued_document(self, credential_ref: str) -> str | None:
        """The signed document of a credential issued here."""
        with self._platform.context() as ctx:
            row = ctx.session.get(Credential, credential_ref)
            return row.document if row is not None else None

    def fetch_json(self, url: str) -> Mapping[str, Any]:
        """Documents this platform publishes come from its database; others from ``remote``."""
        base, wanted = urlsplit(self._platform.settings.public_url), urlsplit(url)
        if wanted.netloc == base.netloc and wanted.path.startswith(base.path + "/"):
            # did:web names https URLs; the platform may be served over http (the demo)
            with self._platform.context() as ctx:
                try:
                    return _local_document(ctx, wanted.path[len(base.path) :])
                except MicrocredError as exc:
                    raise ResolutionError(f"{url}: {exc.message}") from exc
        if self._remote is None:
            raise ResolutionError(f"{url} is not published here and remote fetching is off")
        return self._remote(url)


def _local_document(ctx: Context, path: str) -> Mapping[str, Any]:
    if path == "/.well-known/did.json":
        return signing_keys.platform_did_document(ctx)
    found = re.fullmatch(r"/providers/([a-z0-9-]+)/did\.json", path)
    if found:
        return signing_keys.provider_did_document(ctx, found.group(1))
    found = re.fullmatch(r"/status-lists/([a-z0-9-]+)/(revocation|suspension)/(\d+)", path)
    if found:
        slug, purpose, number = found.group(1), found.group(2), int(found.group(3))
        return statuses.list_credential(ctx, slug, purpose, number)
    raise ResolutionError(f"nothing is published at {path}")


def learner_context(platform: Platform, remote: FetchJson | None = None) -> LearnerContext:
    """The learner context on the platform's database, clock, secret and published documents."""
    settings = platform.settings
    bridge = PlatformBridge(platform, remote)
    return LearnerContext(
        engine=platform.engine, clock=platform.clock, random_bytes=secrets.token_bytes,
        secret=settings.secret_key.encode("utf-8"), public_url=settings.public_url,
        issuer_keys=bridge, fetch_json=bridge.fetch_json, issued_document=bridge.issued_document,
        outbox_dir=settings.data_dir / "outbox",
    )  # fmt: skip
