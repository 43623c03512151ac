"""The platform as entry points build it: engine, key vault, site, a context per unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from microcred.adapters.db.engine import make_engine, make_sessions
from microcred.adapters.db.migrate import is_up_to_date, upgrade
from microcred.adapters.keystore import KeyVault
from microcred.adapters.resolver import GuardedFetcher
from microcred.config import Settings
from microcred.services.context import SYSTEM, Actor, Context, Site


def utc_now() -> datetime:
    """The real clock (entry points pass it; tests pass their own)."""
    return datetime.now(UTC)


@dataclass
class Platform:
    """Long-lived parts shared by every request or command.

    ``fetcher`` gets other hosts' documents (did:web, status lists); it is used only when
    ``settings.remote_resolution`` is on (see :attr:`remote_fetch`).
    """

    settings: Settings
    clock: Callable[[], datetime] = utc_now
    fetcher: Callable[[str], Mapping[str, Any]] = field(default_factory=GuardedFetcher)
    engine: Engine = field(init=False)
    sessions: sessionmaker[Session] = field(init=False)
    vault: KeyVault = field(init=False)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.effective_database_url)
        self.sessions = make_sessions(self.engine)
        self.vault = KeyVault(self.settings.secret_key)

    @property
    def site(self) -> Site:
        return Site(self.settings.public_url)

    def upgrade(self) -> None:
        """Create or upgrade the schema."""
        upgrade(self.engine)

    def schema_is_current(self) -> bool:
        return is_up_to_date(self.engine)

    @contextmanager
    def context(self, actor: Actor = SYSTEM) -> Iterator[Context]:
        """A context with its own session, rolled back if the work fails."""
        with self.sessions() as session:
            try:
                yield self.make_context(session, actor)
            except BaseException:
                session.rollback()
                raise

    @property
    def remote_fetch(self) -> Callable[[str], Mapping[str, Any]] | None:
        """The fetcher of other hosts' documents, or None when remote resolution is off."""
        return self.fetcher if self.settings.remote_resolution else None

    def make_context(self, session: Session, actor: Actor) -> Context:
        remote = self.remote_fetch
        return Context(session=session, actor=actor, site=self.site, vault=self.vault,
                       clock=self.clock, batch_workers=self.settings.batch_workers,
                       batch_chunk=self.settings.batch_chunk, remote_fetch=remote)  # fmt: skip

    def dispose(self) -> None:
        self.engine.dispose()
