"""Sign in (password or e-mailed link), register, sign out, and the demo outbox."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from microcred.services.errors import InvalidInput, LinkExpired, LoginFailed
from microcred.services.learner import accounts
from microcred.services.learner.outbox import recent_mail
from microcred.web.session import sign_in, sign_out
from microcred.web.web_state import HOMES, Form, State, Who, field, message, page, redirect

router = APIRouter(include_in_schema=False)


def _safe_next(value: str, default: str) -> str:
    """Only local paths (no scheme, no //host) are followed after signing in."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _home(role: str) -> str:
    return HOMES.get(role, "/wallet")


@router.get("/login")
def login_page(request: Request, who: Who, next: str = "") -> Response:
    return page(request, who, "learner/login.html", next=_safe_next(next, ""), error="")


@router.post("/login")
def login(request: Request, who: Who, state: State, form: Form) -> Response:
    target = field(form, "next")
    try:
        account = accounts.check_password(state.ctx, field(form, "email"), field(form, "password"))
    except LoginFailed as exc:
        return page(request, who, "learner/login.html", 401, next=target, error=exc.message)
    sign_in(state.ctx, who, account)
    return redirect(request, who, _safe_next(target, _home(account.role)))


@router.post("/login/link")
def login_link(request: Request, who: Who, state: State, form: Form) -> Response:
    try:
        accounts.send_login_link(state.ctx, field(form, "email"),
                                 _safe_next(field(form, "next"), "/wallet"))  # fmt: skip
    except InvalidInput as exc:
        return page(request, who, "learner/login.html", 400, next="", error=exc.message)
    return message(request, who, 200, "auth.link_sent")


@router.get("/login/link/{token}")
def use_link(request: Request, who: Who, state: State, token: str, next: str = "") -> Response:
    try:
        account = accounts.use_login_link(state.ctx, token)
    except LinkExpired:
        return message(request, who, 410, "link.expired")
    sign_in(state.ctx, who, account)
    return redirect(request, who, _safe_next(next, _home(account.role)))


@router.post("/register")
def register(request: Request, who: Who, state: State, form: Form) -> Response:
    target = field(form, "next")
    try:
        account = accounts.create_account(
            state.ctx, field(form, "email"), field(form, "password") or None,
            display_name=field(form, "name", 200), language=who.language,
        )  # fmt: skip
    except InvalidInput as exc:
        return page(request, who, "learner/login.html", 400, next=target, error=exc.message)
    sign_in(state.ctx, who, account)
    return redirect(request, who, _safe_next(target, "/wallet"))


@router.post("/logout")
def logout(request: Request, who: Who, state: State, form: Form) -> Response:
    sign_out(state.ctx, who)
    return redirect(request, who, "/")


@router.get("/outbox")
def outbox(request: Request, who: Who, state: State) -> Response:
    """The demo's e-mail outbox (no SMTP): messages the platform would have sent.

    Only on a plain-http localhost demo: anywhere else it would hand out sign-in links.
    """
    if state.secure:
        return message(request, who, 404, "error.not_found")
    return page(request, who, "learner/outbox.html", mails=recent_mail(state.ctx))
