"""The learner side's view of the platform: provider keys, issued credentials, local documents.

It adapts the platform's services (providers, signing keys, credentials, status lists) to the
small ports of the learner context, so the learner services stay independent of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from microcred.adapters.db.tables import Credential
from microcred.core.errors import MicrocredError
from microcred.core.keys import KeyPair
from microcred.services import providers, signing_keys
from microcred.services.context import Context, Site
from microcred.services.verification import FetchJson, PlatformDocuments, local_document

_PROVIDER_DID = re.compile(r"^did:web:[^:]+(?:%3[Aa]\d+)?:providers:([a-z0-9-]+)$")


class PlatformBridge:
    """Ports of the learner services, served from the platform's database and services."""

    def __init__(
        self,
        contexts: Callable[[], AbstractContextManager[Context]],
        site: Site,
        remote: FetchJson | None,
    ) -> None:
        self._contexts, self._site, self._remote = contexts, site, remote

    def signer(self, issuer_id: str) -> tuple[KeyPair, str] | None:
        """The active key of the provider whose did:web is ``issuer_id``."""
        found = _PROVIDER_DID.match(issuer_id)
        if not found:
            return None
        with self._contexts() as ctx:
            try:
                provider = providers.by_slug(ctx, found.group(1))
                row = signing_keys.active_key(ctx, provider.id)
                method = signing_keys.verification_method(ctx, provider.slug, row)
                return signing_keys.key_pair(ctx, row), method
            except MicrocredError:
                return None

    def issued_document(self, credential_ref: str) -> str | None:
        """The signed document of a credential issued here."""
        with self._contexts() as ctx:
            row = ctx.session.get(Credential, credential_ref)
            return row.document if row is not None else None

    def fetch_json(self, url: str) -> Mapping[str, Any]:
        """The platform's one resolver of documents (ours from the database, others remote)."""
        return PlatformDocuments(self._site, self._read_local, self._remote)(url)

    def _read_local(self, path: str) -> Mapping[str, Any]:
        with self._contexts() as ctx:
            return local_document(ctx, path)
