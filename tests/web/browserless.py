"""Driving the pages with an HTTP client: sign in, read CSRF tokens, post forms."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
from fastapi import FastAPI

from microcred.services.learner import accounts, claims
from microcred.services.learner.accounts import Account
from tests.web.harness import Harness

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class PageClient:
    """A synchronous face on ``httpx.AsyncClient`` over the ASGI app (cookies kept)."""

    def __init__(self, app: FastAPI, base_url: str) -> None:
        self._loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=app)
        self._client = httpx.AsyncClient(transport=transport, base_url=base_url,
                                         follow_redirects=False)  # fmt: skip

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self._loop.run_until_complete(self._client.get(path, **kw))

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self._loop.run_until_complete(self._client.post(path, **kw))

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self._loop.run_until_complete(self._client.put(path, **kw))

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self._loop.run_until_complete(self._client.delete(path, **kw))

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()


def client(h: Harness) -> PageClient:
    """An HTTPS client (the cookies are Secure), not following redirects."""
    made = PageClient(h.app, base_url="https://wallet.test")
    h.closers.append(made.close)
    return made


def signed_in(h: Harness, email: str, password: str) -> PageClient:
    """A client of the demo site (``https://mc.test``) signed in as an existing account."""
    c = PageClient(h.app, base_url="https://mc.test")
    h.closers.append(c.close)
    assert post(c, "/login", {"email": email, "password": password}).status_code == 303
    return c


def csrf(c: PageClient, path: str = "/verify") -> str:
    """The CSRF token of the forms on ``path``."""
    found = CSRF.search(c.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def post(c: PageClient, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
    """POST a form with the visitor's CSRF token."""
    return c.post(path, data={"csrf": csrf(c), **(data or {})}, **kw)


def learner(h: Harness, email: str, password: str = "correct horse") -> tuple[PageClient, Account]:
    """A signed-in learner client."""
    with h.unit() as ctx:
        account = accounts.create_account(ctx, email, password, display_name=email.split("@")[0])
    c = client(h)
    response = post(c, "/login", {"email": email, "password": password})
    assert response.status_code == 303, response.text
    return c, account


def claimed(h: Harness, account: Account, name: str = "Ana Popescu") -> tuple[str, str]:
    """Issue a credential and claim it into ``account``'s wallet: ``(wallet id, platform ref)``."""
    ref, document = h.issuer.issue(name)
    with h.unit() as ctx:
        link = claims.create_claim(ctx, document, learner_email=account.email, credential_ref=ref)
        return claims.claim_into_wallet(ctx, link.token, account.id).id, ref
