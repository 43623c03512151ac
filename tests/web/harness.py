"""A learner-side app on a temporary SQLite database, with an in-process issuer (did:key).

Real parts throughout: the platform's engine and migrations, real keys, real signatures, a real
status list; only the provider is a did:key issuer held in memory instead of the platform's.
:func:`demo_site` is the other site the page tests use: the demo's own providers, as
``microcred demo`` seeds them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from microcred.app import create_app
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.errors import ResolutionError
from microcred.core.formats.detect import read_credential
from microcred.core.formats.ob3 import to_ob3
from microcred.core.keys import KeyPair
from microcred.core.model import Learner, MicroCredential
from microcred.core.proofs.data_integrity import sign_document
from microcred.core.status import StatusList, credential_status_entry, status_list_credential
from microcred.services import demo
from microcred.services.context import SYSTEM, Context
from microcred.services.learner import demo as learner_demo

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Issuer:
    """A provider with a did:key, a revocation status list, and documents it publishes."""

    key: KeyPair = field(default_factory=lambda: KeyPair.from_seed(bytes(range(32))))
    base: str = "https://issuer.test"
    revocation: StatusList = field(default_factory=lambda: StatusList("revocation", size=1024))
    issued: dict[str, str] = field(default_factory=dict)
    next_index: int = 0

    @property
    def did(self) -> str:
        return self.key.public.did_key

    def signer(self, _ctx: Context, issuer_id: str) -> tuple[KeyPair, str] | None:
        return (self.key, self.key.public.did_key_vm) if issuer_id == self.did else None

    def list_url(self) -> str:
        return f"{self.base}/status/1"

    def document(self, _ctx: Context, credential_ref: str) -> str | None:
        """A credential this issuer issued (the platform's ``issued_document`` port)."""
        return self.issued.get(credential_ref)

    def fetch_json(self, url: str) -> Mapping[str, Any]:
        if url != self.list_url():
            raise ResolutionError(f"nothing at {url}")
        unsigned = status_list_credential(self.revocation, url, self.did, START)
        return sign_document(unsigned, self.key, self.key.public.did_key_vm, created=START)

    def issue(self, name: str = "Ana Popescu", title: str | None = None) -> tuple[str, str]:
        """A signed OB 3.0 credential: ``(credential id, JSON text)``."""
        mc = example_credential(self.did, name, title)
        ref = f"cred-{self.next_index}"
        doc = to_ob3(mc, credential_id=f"urn:uuid:00000000-0000-4000-8000-{self.next_index:012d}",
                     issuer_id=self.did)  # fmt: skip
        doc["credentialStatus"] = credential_status_entry(self.list_url(), self.next_index)
        signed = sign_document(doc, self.key, self.key.public.did_key_vm, created=START)
        self.next_index += 1
        self.issued[ref] = json.dumps(signed)
        return ref, self.issued[ref]

    def revoke(self, ref: str) -> None:
        self.revocation.set(int(ref.split("-")[1]))


def example_credential(issuer_did: str, name: str, title: str | None) -> MicroCredential:
    """The packaged example credential, awarded by ``issuer_did`` to ``name``."""
    text = resources.files("microcred.core.formats").joinpath("templates/example.yaml")
    mc = read_credential(text.read_bytes()).credential
    body = mc.awarding_bodies[0].model_copy(update={"id": issuer_did})
    update: dict[str, Any] = {"awarding_bodies": (body,), "learner": Learner(full_name=name)}
    if title:
        update["title"] = {"en": title, "fr": title}
    return mc.model_copy(update=update)


@dataclass
class Harness:
    """Everything a learner-side test needs."""

    app: FastAPI
    platform: Platform
    clock: Clock
    issuer: Issuer
    closers: list[Callable[[], None]] = field(default_factory=list)

    def unit(self) -> AbstractContextManager[Context]:
        """A unit of work, the test being its entry point: committed when the block ends."""
        return self.platform.unit_of_work()

    def close(self) -> None:
        for close in self.closers:
            close()
        self.platform.dispose()


def make_harness(
    tmp: Path,
    public_url: str = "https://wallet.test",
    seed: int = 7,
    database_url: str = "",
    trust_list: str = "",
) -> Harness:
    """The site on a migrated temporary SQLite database (or the given one); credentials come
    from the in-memory issuer, its status list through the platform's fetcher of other hosts."""
    url = database_url or f"sqlite:///{tmp / 'test.sqlite3'}"
    settings = Settings(data_dir=tmp, database_url=url, secret_key="test-secret",
                        public_url=public_url, batch_workers=1,
                        trust_list=trust_list)  # fmt: skip
    clock, issuer, rng = Clock(), Issuer(), random.Random(seed)
    # document_ttl zero: the in-memory issuer revokes within a test and the clock stands still,
    # so the platform keeps none of its documents (a verifier elsewhere waits for the ttl)
    platform = Platform(settings, clock=clock, fetcher=issuer.fetch_json,
                        random_bytes=rng.randbytes, issuer_keys=issuer,
                        issued_document=issuer.document, document_ttl=timedelta(0))  # fmt: skip
    platform.upgrade()
    app = create_app(settings, platform=platform)
    return Harness(app, platform, clock, issuer)


@contextmanager
def demo_site(tmp: Path, *, wallet: bool = True) -> Iterator[Harness]:
    """The demo site (``https://mc.test``, the platform's own clock) on SQLite in ``tmp``: the
    demo providers, their accounts and credentials, and with ``wallet`` Ana's wallet holding
    hers (``microcred demo`` does the same). The demo's signing keys are written to
    ``tmp / "keys.json"``."""
    settings = Settings(data_dir=tmp, secret_key="demo-site-secret", public_url="https://mc.test",
                        batch_workers=1)  # fmt: skip
    app = create_app(settings)
    platform: Platform = app.state.platform
    platform.upgrade()
    with platform.unit_of_work(SYSTEM) as ctx:
        keys = demo.seed(ctx)
    (tmp / "keys.json").write_text(json.dumps(keys), encoding="utf-8")
    if wallet:
        with platform.unit_of_work(SYSTEM) as ctx:
            issued = demo.issued_to(ctx, learner_demo.LEARNER)
        with platform.unit_of_work(SYSTEM) as ctx:
            learner_demo.seed(ctx, issued)
    harness = Harness(app, platform, platform.clock, None)  # type: ignore[arg-type]
    try:
        yield harness
    finally:
        harness.close()
