"""The composition root: settings in, a running platform out (engine, sessions, keys, fetcher).

Every entry point (``create_app``, the CLI, tests) builds its :class:`Platform` here, so the
site's address, the guarded fetcher and the learner side's ports are derived one way only. It
sits outside the layers and may import any of them; nothing inside the layers imports it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from microcred.adapters.db.engine import make_engine, make_sessions
from microcred.adapters.db.migrate import is_up_to_date, upgrade
from microcred.adapters.db.tables import Credential
from microcred.adapters.keystore import KeyVault
from microcred.adapters.resolver import GuardedFetcher, ResolverSettings
from microcred.adapters.timestamping import TimeStampAuthority
from microcred.adapters.trust_list import load_trust_list
from microcred.config import Settings
from microcred.core.errors import MicrocredError, ResolutionError
from microcred.core.keys import KeyPair
from microcred.core.verification.document_cache import DEFAULT_TTL, CheckMemo, DocumentCache
from microcred.core.verification.seal_chain import SealTrust
from microcred.services import batches, providers, signing_keys, site_identity
from microcred.services.context import SYSTEM, Actor, Context, IssuerKeys, Site
from microcred.services.moments import utc_now

FetchJson = Callable[[str], Mapping[str, Any]]
IssuedDocument = Callable[[Context, str], str | None]
_PROVIDER_DID = re.compile(r"^did:web:[^:]+(?:%3[Aa]\d+)?:providers:([a-z0-9-]+)$")


class ProviderKeys:
    """The learner side's issuer keys: the active key of a provider of this platform, read in
    the unit of work that asks (to bind a credential issued here to a learner's wallet)."""

    def signer(self, ctx: Context, issuer_id: str) -> tuple[KeyPair, str] | None:
        """The active key of the provider whose did:web is ``issuer_id``; None if not ours."""
        found = _PROVIDER_DID.match(issuer_id)
        if not found:
            return None
        try:
            provider = providers.by_slug(ctx, found.group(1))
            row = signing_keys.active_key(ctx, provider.id)
            method = signing_keys.verification_method(ctx, provider.slug, row)
            return signing_keys.key_pair(ctx, row), method
        except MicrocredError:
            return None


def issued_credential(ctx: Context, credential_ref: str) -> str | None:
    """The signed document of a credential issued here, by its platform id."""
    row = ctx.session.get(Credential, credential_ref)
    return row.document if row is not None else None


def site_for(settings: Settings) -> Site:
    """The site every entry point serves: :meth:`Settings.site_url`, nothing else."""
    return Site(settings.site_url())


def refuse_remote(url: str) -> Mapping[str, Any]:
    """The fetcher when remote resolution is off: every other host's document is refused."""
    raise ResolutionError(f"{url}: not fetched: remote resolution is switched off "
                          "(MICROCRED_REMOTE_RESOLUTION=0)")  # fmt: skip


def document_fetcher(settings: Settings) -> Callable[[str], Mapping[str, Any]]:
    """What a command may fetch other hosts' documents with: the guarded fetcher, or nothing
    when ``MICROCRED_REMOTE_RESOLUTION=0``."""
    return guarded_fetcher(settings) if settings.remote_resolution else refuse_remote


def guarded_fetcher(settings: Settings) -> GuardedFetcher:
    """The one fetcher of other hosts' documents, with the configured limits."""
    limits = ResolverSettings(timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes)
    return GuardedFetcher(limits)


@dataclass
class Platform:
    """Long-lived parts shared by every request or command.

    ``fetcher`` gets other hosts' documents (did:web, status lists); it is used only when
    ``settings.remote_resolution`` is on (see :attr:`remote_fetch`), through one
    :class:`DocumentCache` per process (each document kept while its own validity and its
    server's cache headers allow, at most ``document_ttl``; zero keeps nothing), so verifying
    a batch, or a busy verify API, fetches each status list and DID document once. ``checked``
    keeps status-list proof checks by the list's JSON (ours from the database too).
    ``issuer_keys`` and ``issued_document`` (the learner side's ports, on every context) default
    to the platform's own providers and credentials (tests give an issuer of their own).
    """

    settings: Settings
    clock: Callable[[], datetime] = utc_now
    fetcher: FetchJson | None = None
    random_bytes: Callable[[int], bytes] = secrets.token_bytes
    issuer_keys: IssuerKeys | None = None
    issued_document: IssuedDocument = issued_credential
    document_ttl: timedelta = DEFAULT_TTL
    engine: Engine = field(init=False)
    sessions: sessionmaker[Session] = field(init=False)
    vault: KeyVault = field(init=False)
    documents: DocumentCache = field(init=False)
    checked: CheckMemo = field(init=False)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.effective_database_url)
        self.sessions = make_sessions(self.engine)
        self.vault = KeyVault(self.settings.secret_key)
        if self.fetcher is None:
            self.fetcher = guarded_fetcher(self.settings)
        if self.issuer_keys is None:
            self.issuer_keys = ProviderKeys()
        fresh = self.fetcher.fetch_fresh if isinstance(self.fetcher, GuardedFetcher) else None
        self.documents = DocumentCache(None if fresh else self.fetcher, self.clock,
                                       self.document_ttl, fetch_fresh=fresh)  # fmt: skip
        self.checked = CheckMemo(self.clock, self.document_ttl)

    @property
    def database(self) -> str:
        """The database's URL, password hidden (for messages)."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def site(self) -> Site:
        return site_for(self.settings)

    def upgrade(self) -> None:
        """Create or upgrade the schema, then record (or check) the site's address."""
        upgrade(self.engine)
        self.confirm_site()

    def schema_is_current(self) -> bool:
        return is_up_to_date(self.engine)

    def confirm_site(self) -> None:
        """Record the site's address on first start; SiteMismatch if another was recorded."""
        with self.unit_of_work(SYSTEM) as ctx:
            site_identity.confirm(ctx, self.site.public_url)

    @contextmanager
    def context(self, actor: Actor = SYSTEM) -> Iterator[Context]:
        """A context with its own session, rolled back if the work fails."""
        with self.sessions() as session:
            try:
                yield self.make_context(session, actor)
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def unit_of_work(self, actor: Actor = SYSTEM) -> Iterator[Context]:
        """One transaction owned by the entry point: committed when the work ends, rolled
        back when it fails (services flush; the API and commands commit here)."""
        with self.context(actor) as ctx:
            yield ctx
            ctx.session.commit()

    @property
    def remote_fetch(self) -> FetchJson | None:
        """The fetcher of other hosts' documents (through the process's cache), or None when
        remote resolution is off."""
        return self.documents if self.settings.remote_resolution else None

    def make_context(self, session: Session, actor: Actor) -> Context:
        """A context on ``session``: the platform's ports and the learner side's (secret,
        randomness, issuer keys, issued documents, outbox directory)."""
        assert self.issuer_keys is not None  # set in __post_init__
        return Context(
            session=session, actor=actor, site=self.site, vault=self.vault, clock=self.clock,
            batch_workers=self.settings.batch_workers, batch_chunk=self.settings.batch_chunk,
            remote_fetch=self.remote_fetch, checked=self.checked, random_bytes=self.random_bytes,
            secret=self.settings.secret_key.encode("utf-8"), issuer_keys=self.issuer_keys,
            issued_document=self.issued_document, outbox_dir=self.settings.data_dir / "outbox",
            timestamper=self.timestamper, seal_trust=self.seal_trust,
        )  # fmt: skip

    @cached_property
    def seal_trust(self) -> SealTrust | None:
        """The trust anchors of sealed EDCs (``MICROCRED_TRUST_LIST``), read once; None when
        no list is configured."""
        if not self.settings.trust_list:
            return None
        return load_trust_list(self.settings.trust_list, self.settings.trust_list_signer)

    @property
    def timestamper(self) -> TimeStampAuthority | None:
        """The time-stamp authority of sealed EDCs (``MICROCRED_TSA_URL``), or None (B-B)."""
        return TimeStampAuthority(self.settings.tsa_url) if self.settings.tsa_url else None

    @property
    def batches_queued(self) -> bool:
        """Whether batches run as jobs of ``microcred worker`` processes (PostgreSQL)."""
        return self.settings.batches_queued()

    def start_batch(self, actor: Actor, batch_id: str) -> None:
        """Background work: run the batch here (SQLite, or ``MICROCRED_BATCH_RUNNER=inline``),
        or defer its chunks to the workers and return (the database shows the progress)."""
        if self.batches_queued:
            from microcred.workers import defer_batch  # procrastinate only where it is used

            defer_batch(self, self.settings.effective_database_url, actor, batch_id)
        else:
            batches.run(self, actor, batch_id)

    def resume_batches(self) -> list[str]:
        """Batches a dead process left behind: run again here; with workers, the batches
        created but never deferred (a running batch's jobs are in the queue: the workers
        put back those of a dead worker)."""
        if not self.batches_queued:
            return batches.resume_stalled(self, SYSTEM)
        with self.unit_of_work(SYSTEM) as ctx:
            found = batches.stalled(ctx, states=("pending",))
        for batch_id in found:
            self.start_batch(SYSTEM, batch_id)
        return found

    def dispose(self) -> None:
        self.engine.dispose()
