"""Browser sessions and CSRF: an opaque cookie, server-side login state, an HMAC form token.

Every visitor gets a random ``mc_session`` cookie (HttpOnly, SameSite=Lax, Secure unless the
platform runs on plain-http localhost). Signing in stores the hash of a *new* token (no session
fixation); the CSRF token of every form is an HMAC of the cookie under the platform secret.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fastapi import Request
from starlette.responses import Response

from microcred.core.i18n import negotiate, supported
from microcred.services.context import Context
from microcred.services.learner import accounts
from microcred.services.learner.accounts import Account

COOKIE = "mc_session"
LANG_COOKIE = "mc_lang"
CSRF_FIELD = "csrf"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def secure_cookies(public_url: str) -> bool:
    """Secure cookies everywhere except a plain-http localhost (the demo)."""
    parts = urlsplit(public_url)
    return not (parts.scheme == "http" and (parts.hostname or "") in LOCAL_HOSTS | {"::1"})


@dataclass
class Visitor:
    """Who is on the page: their session token, account (if signed in) and language."""

    token: str
    account: Account | None
    language: str
    new_token: bool = False
    new_language: str | None = None
    clear: bool = False
    csrf: str = field(default="")

    @property
    def role(self) -> str | None:
        return self.account.role if self.account else None


def csrf_token(ctx: Context, session_token: str) -> str:
    """The form token that goes with a session cookie."""
    return ctx.keyed("csrf", session_token).hex()


def csrf_valid(ctx: Context, session_token: str, sent: str) -> bool:
    """Constant-time check of a submitted form token."""
    return bool(sent) and hmac.compare_digest(csrf_token(ctx, session_token), sent)


def visitor(ctx: Context, request: Request) -> Visitor:
    """The visitor of a request (a fresh anonymous session when there is no usable cookie)."""
    token = request.cookies.get(COOKIE, "")
    account = None
    new = False
    if not 20 <= len(token) <= 100:
        token = ""
    if token:
        _valid, account = accounts.session_account(ctx, token)
    else:
        token, new = ctx.token(), True
    chosen = request.query_params.get("lang")
    language = supported(
        chosen or request.cookies.get(LANG_COOKIE)
        or (account.language if account else None)
        or negotiate(request.headers.get("accept-language"))
    )  # fmt: skip
    found = Visitor(token, account, language, new, language if chosen else None)
    found.csrf = csrf_token(ctx, token)
    return found


def sign_in(ctx: Context, who: Visitor, account: Account) -> None:
    """Replace the visitor's session by a new, signed-in one."""
    who.token = accounts.sign_in(ctx, account.id)
    who.account, who.new_token = account, True
    who.csrf = csrf_token(ctx, who.token)


def sign_out(ctx: Context, who: Visitor) -> None:
    """End the session and start a fresh anonymous one."""
    accounts.close_session(ctx, who.token)
    who.token, who.account, who.new_token = ctx.token(), None, True


def apply_cookies(response: Response, who: Visitor, secure: bool) -> Response:
    """Set the session (and language) cookies the visitor needs."""
    if who.new_token:
        response.set_cookie(COOKIE, who.token, httponly=True, samesite="lax", secure=secure,
                            max_age=int(accounts.SESSION_TTL.total_seconds()))  # fmt: skip
    if who.new_language:
        response.set_cookie(LANG_COOKIE, who.new_language, httponly=True, samesite="lax",
                            secure=secure, max_age=365 * 86400)  # fmt: skip
    return response
