"""``create_app(settings)``: the site (API, learner and provider pages, OpenID4VCI) as one
FastAPI app, built only when an entry point asks. Every router is mounted here."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microcred import __version__
from microcred.api import (
    audit,
    batches,
    catalogue,
    claim_links,
    credentials,
    did,
    docs_page,
    guidance,
    oid4vci,
    oid4vp,
    opportunities,
    pathways,
    problems,
    providers,
    recognition,
    statistics,
    status_lists,
    validation,
    vc_api,
)
from microcred.api.bodies import StrictJsonBodies
from microcred.bootstrap import Platform
from microcred.config import Settings
from microcred.core.errors import MicrocredError
from microcred.services.moments import utc_now
from microcred.web import (
    auth_pages,
    catalogue_pages,
    claim_pages,
    declaration_pages,
    guidance_pages,
    oid4vci_pages,
    oid4vp_pages,
    pathway_pages,
    pathway_provider_pages,
    provider_pages,
    recognition_pages,
    share_pages,
    statistics_pages,
    validation_pages,
    verify_pages,
    wallet_pages,
    web_state,
)

# vc_api first: FastAPI tries the routes in order, and its verify routes are the hot path
# (issue 10: each route before them cost every verify request one more match attempt)
API_ROUTERS = (vc_api, did, providers, opportunities, catalogue, guidance, credentials, batches,
               status_lists, audit, statistics, pathways, recognition, validation,
               docs_page)  # fmt: skip
# oid4vp_pages, share_pages, pathway_pages, recognition_pages and declaration_pages before
# wallet_pages and verify_pages: /wallet/oid4vp, /wallet/present, /wallet/share,
# /wallet/pathways, /wallet/recognition, /wallet/profile, /wallet/declaration and
# /verify/oid4vp are not credential ids
PAGE_ROUTERS = (oid4vp_pages, auth_pages, claim_pages, share_pages, pathway_pages,
                recognition_pages, declaration_pages, wallet_pages, verify_pages,
                catalogue_pages, guidance_pages, statistics_pages, pathway_provider_pages,
                provider_pages, oid4vci_pages, validation_pages)  # fmt: skip
STATIC = Path(__file__).resolve().parent / "web" / "static"


# routes that read their body as a stream and bound it themselves (evidence files: 413 naming
# the per-file limit of a validation case, larger than the platform's body limit)
SELF_BOUNDED = re.compile(r"^/validations/[0-9a-f-]{36}/evidence$")


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    def _too_large(self) -> ASGIApp:
        return problems.problem(413, "input-too-large", f"the body is over {self.limit} bytes")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (
            scope["method"] == "POST" and SELF_BOUNDED.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.limit:
                await self._too_large()(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        buffered = await self._buffer(receive)  # streamed (chunked): count before passing on
        if buffered is None:
            await self._too_large()(scope, receive, send)
            return

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)

    async def _buffer(self, receive: Receive) -> list[Message] | None:
        """The request's body messages, or None once they pass the limit."""
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            seen += len(message.get("body", b""))
            if seen > self.limit:
                return None
            if message["type"] != "http.request" or not message.get("more_body"):
                return messages


def _lifespan(platform: Platform) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """On start, check the site's address against the database's (SiteMismatch stops the
    start), then resume batches a dead process left behind (in a thread: never blocks serving).
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if platform.schema_is_current():
            platform.confirm_site()

        def resume() -> None:
            with suppress(MicrocredError):  # background work: units of work of its own
                platform.resume_batches()

        threading.Thread(target=resume, name="microcred-batch-resume", daemon=True).start()
        yield

    return lifespan


def create_app(settings: Settings, clock: Callable[[], datetime] = utc_now,
               platform: Platform | None = None) -> FastAPI:  # fmt: skip
    """The API for ``settings`` (the database must be migrated: ``microcred db upgrade``)."""
    made = platform or Platform(settings, clock=clock)  # the composition root (bootstrap)
    app = FastAPI(title="microcred", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=_lifespan(made),
                  description="European micro-credentials: providers, catalogue, issuance, "
                  "status, verification (VC-API).")  # fmt: skip
    app.state.platform = made
    problems.install(app)
    web_state.install(app)  # pages answer SignInRequired with the sign-in page
    for module in API_ROUTERS:
        app.include_router(module.router)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__}

    for page_module in PAGE_ROUTERS:
        app.include_router(page_module.router)
    app.include_router(claim_links.router)
    app.include_router(oid4vci.router)
    app.include_router(oid4vp.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(StrictJsonBodies)  # reads what BodyLimit let through
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app


def app_from_env() -> FastAPI:
    """The app for the settings of the environment (``MICROCRED_*``): the factory each server
    process calls when ``microcred serve --workers N`` runs several of them."""
    return create_app(Settings.from_env(os.environ).with_stored_secret())
