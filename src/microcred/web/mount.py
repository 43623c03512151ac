"""Plug the learner side (wallet, claiming, sharing, verifier, OpenID4VCI) into an app."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from microcred.api import oid4vci
from microcred.config import Settings
from microcred.services.learner.context import LearnerContext
from microcred.web import auth_pages, claim_pages, share_pages, verify_pages, wallet_pages
from microcred.web.session import secure_cookies
from microcred.web.web_state import WebState

STATIC = Path(__file__).resolve().parent / "static" / "learner"


def mount_learner(app: FastAPI, ctx: LearnerContext, *, secure: bool | None = None) -> None:
    """Add the learner pages and the OpenID4VCI endpoints to ``app``.

    Cookies are ``Secure`` unless the platform is reached over plain http on localhost (the
    demo), or ``secure`` says otherwise.
    """
    app.state.learner = WebState(ctx, secure_cookies(ctx.public_url) if secure is None else secure)
    # share_pages before wallet_pages: /wallet/present and /wallet/share are not credential ids
    for module in (auth_pages, claim_pages, share_pages, wallet_pages, verify_pages):
        app.include_router(module.router)
    app.include_router(oid4vci.router)
    app.mount("/static/learner", StaticFiles(directory=STATIC), name="learner-static")


def platform_context(settings: Settings, engine: object) -> LearnerContext:
    """The learner context on the platform's database, keys and published documents."""
    from sqlalchemy.engine import Engine

    from microcred.adapters.resolver import GuardedFetcher
    from microcred.services.learner.platform_bridge import PlatformBridge

    assert isinstance(engine, Engine)

    def now() -> datetime:
        return datetime.now(UTC)

    bridge = PlatformBridge(engine, settings.public_url, settings.secret_key, now,
                            remote=GuardedFetcher().fetch_json)  # fmt: skip
    return LearnerContext(
        engine=engine, clock=now, random_bytes=secrets.token_bytes,
        secret=settings.secret_key.encode("utf-8"), public_url=settings.public_url,
        issuer_keys=bridge, fetch_json=bridge.fetch_json, issued_document=bridge.issued_document,
        outbox_dir=settings.data_dir / "outbox",
    )  # fmt: skip
