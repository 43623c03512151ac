"""Plug the learner side (wallet, claiming, sharing, verifier, OpenID4VCI) into an app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from microcred.api import claim_links, oid4vci
from microcred.services.learner.context import LearnerContext
from microcred.services.learner.platform_bridge import learner_context
from microcred.services.runtime import Platform
from microcred.web import (
    auth_pages,
    catalogue_pages,
    claim_pages,
    provider_pages,
    share_pages,
    verify_pages,
    wallet_pages,
)
from microcred.web.session import secure_cookies
from microcred.web.web_state import WebState

STATIC = Path(__file__).resolve().parent / "static"


def mount_learner(
    app: FastAPI, ctx: LearnerContext, *, secure: bool | None = None, platform_pages: bool = False
) -> None:
    """Add the learner pages and the OpenID4VCI endpoints to ``app``.

    Cookies are ``Secure`` unless the platform is reached over plain http on localhost (the
    demo), or ``secure`` says otherwise.
    """
    app.state.learner = WebState(ctx, secure_cookies(ctx.public_url) if secure is None else secure)
    # share_pages before wallet_pages: /wallet/present and /wallet/share are not credential ids
    for module in (auth_pages, claim_pages, share_pages, wallet_pages, verify_pages):
        app.include_router(module.router)
    if platform_pages:  # these use the platform's services through app.state.platform
        app.include_router(catalogue_pages.router)
        app.include_router(provider_pages.router)
        app.include_router(claim_links.router)
    app.include_router(oid4vci.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def mount_on_platform(app: FastAPI, platform: Platform) -> None:
    """Mount the learner side on the platform's own database, keys and documents (other hosts'
    documents through the platform's fetcher, only when remote resolution is on)."""
    mount_learner(app, learner_context(platform), platform_pages=True)
