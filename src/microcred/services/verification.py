"""Verify credentials and presentations against this platform's own DIDs and status lists.

DID documents and status lists of this platform are read from the database (no HTTP call to
ourselves); did:key resolves offline; other hosts' did:web documents and status lists are
fetched through the context's guarded fetcher (public HTTPS only, bounded), when configured.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from microcred.core.did import DidResolver, split_did_url
from microcred.core.errors import MicrocredError, ResolutionError
from microcred.core.verify import Report, verify
from microcred.services import signing_keys, statuses
from microcred.services.context import Context


class PlatformResolver:
    """DID documents: ours from the database, did:key offline, others refused."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._offline = DidResolver(fetch_json=ctx.remote_fetch)

    def resolve(self, did: str) -> dict[str, Any]:
        did, _ = split_did_url(did)
        site = self._ctx.site
        prefix = site.provider_did_prefix
        try:
            if did.startswith(prefix):
                return signing_keys.provider_did_document(self._ctx, did.removeprefix(prefix))
            if did == site.platform_did:
                return signing_keys.platform_did_document(self._ctx)
        except MicrocredError as exc:
            raise ResolutionError(f"cannot resolve {did}: {exc.message}") from exc
        if did.startswith("did:web:") and self._ctx.remote_fetch is None:
            raise ResolutionError(f"{did} is not hosted here and remote did:web is not enabled")
        return self._offline.resolve(did)


class PlatformDocuments:
    """``fetch_document``: our status lists and DID documents by URL, nothing remote."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        base = re.escape(ctx.site.public_url)
        self._list = re.compile(rf"^{base}/status-lists/([a-z0-9-]+)/([a-z]+)/(\d+)$")

    def __call__(self, url: str) -> Mapping[str, Any]:
        found = self._list.match(url)
        if found is None:
            if self._ctx.remote_fetch is None:
                raise ResolutionError(f"{url} is not a document of this platform")
            return self._ctx.remote_fetch(url)
        slug, purpose, number = found.groups()
        try:
            return statuses.list_credential(self._ctx, slug, purpose, int(number))
        except MicrocredError as exc:
            raise ResolutionError(f"cannot read {url}: {exc.message}") from exc


def verify_document(
    ctx: Context,
    document: Mapping[str, Any] | str,
    *,
    challenge: str | None = None,
    domain: str | None = None,
) -> Report:
    """The core's report on ``document``, judged now, with this platform's resolver."""
    return verify(document, resolver=PlatformResolver(ctx), fetch_document=PlatformDocuments(ctx),
                  now=ctx.now(), expected_challenge=challenge,
                  expected_domain=domain)  # fmt: skip
