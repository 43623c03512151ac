"""The one resolver of platform documents, and verification with it.

Every verifier of the platform (``POST /credentials/verify``, the public verify page, the
wallet, shares, presentations, claims) resolves documents by URL through
:class:`PlatformDocuments`, and DIDs through :class:`~microcred.core.did.DidResolver` over it:

* this platform's DID documents (``/.well-known/did.json``, ``/providers/<slug>/did.json``) and
  status lists (``/status-lists/<slug>/<purpose>/<n>``) come from the database: no HTTP call to
  ourselves. A did:web names an https URL; the platform may be served over http (the demo), so
  our own documents are recognised by host and path, whatever the scheme;
* this platform's Token Status Lists (``/status-lists/<slug>/token/<n>``, the status of the
  SD-JWT VCs issued here) are drawn from the same rows (:class:`PlatformTokens`); another
  host's Token Status List is not fetched yet: such an SD-JWT VC's status is reported unknown;
* did:key resolves offline;
* anything else goes to ``remote`` (the guarded fetcher: public HTTPS only, bounded, behind the
  process's :class:`~microcred.core.verification.document_cache.DocumentCache`), or is
  refused with a named reason when remote resolution is off (``MICROCRED_REMOTE_RESOLUTION=0``).

Our own documents are read from the database on every verification (a revocation here is seen
at once, by every server process); what is kept is the outcome of checking a status list's
proof, by the list's JSON (``Context.checked``), so an unchanged list is not verified again.

Most verifications need a document (a did:web, a status list) and so the database or the network:
they run where blocking is allowed (a worker thread of the API). :func:`verify_offline` gives the
report of the others (did:key, no status), which are CPU work only, so the API's event loop can
run them without a thread hop; it answers only when verifying asked for nothing at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from microcred.core.did import DidResolver
from microcred.core.errors import MicrocredError, ResolutionError
from microcred.core.proofs.data_integrity import proof_list
from microcred.core.verification.checks import issuer_id
from microcred.core.verification.document_cache import CheckMemo
from microcred.core.verification.seal_chain import SealTrust
from microcred.core.verify import Report, verify
from microcred.services import signing_keys, status_tokens, statuses
from microcred.services.context import Context, Site

FetchJson = Callable[[str], Mapping[str, Any]]
_PROVIDER_DID = re.compile(r"/providers/([a-z0-9-]+)/did\.json")
_STATUS_LIST = re.compile(r"/status-lists/([a-z0-9-]+)/(revocation|suspension)/(\d{1,9})")
_TOKEN_LIST = re.compile(r"/status-lists/([a-z0-9-]+)/token/(\d{1,9})")
FetchToken = Callable[[str], str]
REMOTE_OFF = "remote resolution is off (MICROCRED_REMOTE_RESOLUTION=0)"


def local_path(site: Site, url: str) -> str | None:
    """The path of ``url`` on this platform (without the public URL's own path), or None."""
    base, wanted = urlsplit(site.public_url), urlsplit(url)
    if wanted.netloc.lower() != base.netloc.lower() or wanted.query or wanted.fragment:
        return None
    path = wanted.path
    if base.path and path.startswith(base.path + "/"):
        return path[len(base.path) :]
    return path


def local_document(ctx: Context, path: str) -> Mapping[str, Any]:
    """A document this platform publishes at ``path``; ResolutionError when there is none."""
    try:
        if path == "/.well-known/did.json":
            return signing_keys.platform_did_document(ctx)
        if found := _PROVIDER_DID.fullmatch(path):
            return signing_keys.provider_did_document(ctx, found.group(1))
        if found := _STATUS_LIST.fullmatch(path):
            slug, purpose, number = found.groups()
            return statuses.list_credential(ctx, slug, purpose, int(number))
    except MicrocredError as exc:
        raise ResolutionError(f"{ctx.site.public_url}{path}: {exc.message}") from exc
    raise ResolutionError(f"nothing is published at {ctx.site.public_url}{path}")


class PlatformDocuments:
    """``fetch_document`` of every verifier: our documents locally, others through ``remote``."""

    def __init__(
        self, site: Site, read_local: Callable[[str], Mapping[str, Any]], remote: FetchJson | None
    ) -> None:
        self._site, self._read_local, self._remote = site, read_local, remote

    def __call__(self, url: str) -> Mapping[str, Any]:
        try:
            path = local_path(self._site, url)
        except ValueError as exc:  # "https://[::1/x": a broken IPv6 bracket, a bad port...
            raise ResolutionError(f"{url[:300]} is not a URL ({exc})") from None
        if path is not None:
            return self._read_local(path)
        if self._remote is None:
            raise ResolutionError(f"{url} is not published by this platform and {REMOTE_OFF}")
        return self._remote(url)


class PlatformTokens:
    """``fetch_status_token`` of every verifier: this platform's Token Status Lists."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def __call__(self, url: str) -> str:
        try:
            path = local_path(self._ctx.site, url)
        except ValueError as exc:
            raise ResolutionError(f"{url[:300]} is not a URL ({exc})") from None
        found = _TOKEN_LIST.fullmatch(path or "")
        if found is None:
            raise ResolutionError(f"{url[:300]}: Token Status Lists of other hosts are not fetched")
        try:
            return status_tokens.list_token(self._ctx, found.group(1), int(found.group(2)))
        except MicrocredError as exc:
            raise ResolutionError(f"{url}: {exc.message}") from exc


def platform_documents(ctx: Context) -> PlatformDocuments:
    """The resolver of documents for a unit of work (its session, its remote fetcher)."""
    return PlatformDocuments(ctx.site, lambda path: local_document(ctx, path), ctx.remote_fetch)


def verify_with(
    documents: FetchJson,
    document: Mapping[str, Any] | str | bytes,
    *,
    now: datetime,
    challenge: str | None = None,
    domain: str | None = None,
    tokens: FetchToken | None = None,
    seal_trust: SealTrust | None = None,
    checked: CheckMemo | None = None,
) -> Report:
    """The core's report on ``document``, every DID and URL resolved through ``documents``
    (and Token Status Lists through ``tokens``; JAdES seals' chains against ``seal_trust``;
    ``checked``: the process's memo of status-list proof checks)."""
    return verify(document, resolver=DidResolver(documents), fetch_document=documents, now=now,
                  expected_challenge=challenge, expected_domain=domain,
                  fetch_status_token=tokens, seal_trust=seal_trust,
                  checked=checked)  # fmt: skip


def verify_document(
    ctx: Context,
    document: Mapping[str, Any] | str,
    *,
    challenge: str | None = None,
    domain: str | None = None,
) -> Report:
    """The core's report on ``document``, judged now, with this platform's resolver."""
    return verify_with(platform_documents(ctx), document, now=ctx.now(), challenge=challenge,
                       domain=domain, tokens=PlatformTokens(ctx),
                       seal_trust=ctx.seal_trust, checked=ctx.checked)  # fmt: skip


class _NothingFetched:
    """The fetchers of an offline verification: every URL and token is refused, and asking at
    all is remembered (the report then depends on what a fetch would have found)."""

    def __init__(self) -> None:
        self.asked = False

    def document(self, url: str) -> Mapping[str, Any]:
        self.asked = True
        raise ResolutionError(f"{url[:300]} is not resolved offline")

    def token(self, url: str) -> str:
        self.asked = True
        raise ResolutionError(f"{url[:300]} is not resolved offline")


def may_verify_offline(document: object) -> bool:
    """A cheap guess that verifying ``document`` fetches nothing: a JSON credential without
    ``credentialStatus``, issued and signed by did:key (whose documents are made offline).
    Only worth trying :func:`verify_offline` first; that function decides."""
    if not isinstance(document, Mapping) or "credentialStatus" in document:
        return False
    issuer = issuer_id(document)
    proofs = proof_list(document)
    return (
        bool(proofs)
        and issuer is not None
        and issuer.startswith("did:key:")
        and all(
            isinstance(p, Mapping) and str(p.get("verificationMethod", "")).startswith("did:key:")
            for p in proofs
        )
    )


def verify_offline(ctx: Context, document: Mapping[str, Any] | str) -> Report | None:
    """:func:`verify_document`'s report when verifying ``document`` needs no document from the
    database or the network (its keys are did:key, it has no status), else None.

    Verification is the same code with fetchers that refuse every URL; if any was asked for, the
    report is dropped (None) and :func:`verify_document` must run where it may block. When
    nothing was asked, both runs take the same path, so the reports are the same. Nothing here
    touches ``ctx.session``.
    """
    nothing = _NothingFetched()
    report = verify_with(nothing.document, document, now=ctx.now(), tokens=nothing.token,
                         seal_trust=ctx.seal_trust, checked=ctx.checked)  # fmt: skip
    return None if nothing.asked else report
