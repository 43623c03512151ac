"""What the learner-side pages share: the services context, cookie policy, form checking."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Path, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from microcred.services.bounds import MAX_ROW_ID
from microcred.services.context import Actor, Context, Role, Units, learner_actor
from microcred.services.errors import SignInRequired
from microcred.services.learner.accounts import Account
from microcred.web import rendering
from microcred.web.session import (
    CSRF_FIELD,
    Visitor,
    apply_cookies,
    csrf_valid,
    secure_cookies,
    visitor,
)

MAX_FORM_BYTES = 3 * 1024 * 1024
IdPath = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
# who acts in a page's unit of work: sees no provider's data (provider pages act as the
# signed-in provider user in a unit of work of their own)
VISITOR = Actor("web visitor", Role.READ_ONLY, provider_id=-1)
HOMES = {"learner": "/wallet", "provider": "/provider", "statistics": "/authority/statistics",
         "recognition-officer": "/recognition", "assessor": "/assessor"}  # fmt: skip


@dataclass(frozen=True)
class WebState:
    """A page's unit of work on ``app.state.platform`` and the cookie policy of its site
    (``Secure`` unless the site is plain http on localhost: the demo)."""

    ctx: Context
    secure: bool


def platform_of(request: Request) -> Units:
    found: Units = request.app.state.platform
    return found


def _secure(request: Request) -> bool:
    return secure_cookies(platform_of(request).site.public_url)


def current_visitor(request: Request) -> Visitor:
    """The visitor, read in a short unit of work of its own (it ends before the page's)."""
    with platform_of(request).context(VISITOR) as ctx:
        return visitor(ctx, request)


Who = Annotated[Visitor, Depends(current_visitor)]


def web_state(request: Request, who: Who) -> Iterator[WebState]:
    """The page's unit of work, for the signed-in learner or a visitor: committed when the page
    returns, rolled back when it raises."""
    actor = learner_actor(who.account.id) if who.account and who.role == "learner" else VISITOR
    with platform_of(request).unit_of_work(actor) as ctx:
        yield WebState(ctx, _secure(request))


# scope="function": the transaction ends before the response is sent (as the API's)
State = Annotated[WebState, Depends(web_state, scope="function")]


async def checked_form(request: Request) -> AsyncIterator[FormData]:
    """The posted form, after its CSRF token was checked (403 otherwise)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_FORM_BYTES:
        raise HTTPException(413, "the form is too large")
    try:
        form = await request.form(max_files=5, max_fields=200, max_part_size=MAX_FORM_BYTES)
    except Exception as exc:  # multipart parser errors: malformed or oversized parts
        raise HTTPException(400, "the form could not be read") from exc
    sent = form.get(CSRF_FIELD)
    token = request.cookies.get("mc_session", "")
    with platform_of(request).context(VISITOR) as ctx:  # the secret only: no query is made
        valid = isinstance(sent, str) and csrf_valid(ctx, token, sent)
    if not token or not valid:
        await form.close()
        raise HTTPException(403, "the form's security token is missing or wrong: reload the page")
    try:
        yield form
    finally:
        await form.close()


Form = Annotated[FormData, Depends(checked_form)]


def page(
    request: Request, who: Visitor, template: str, http_status: int = 200, **values: Any
) -> Response:
    """Render a page for the visitor."""
    secure = _secure(request)
    return rendering.render(
        request, who, template, secure=secure, http_status=http_status, **values
    )


def message(request: Request, who: Visitor, status: int, key: str, detail: str = "") -> Response:
    """A page with one message (errors, expired links)."""
    return page(request, who, "learner/message.html", status, key=key, detail=detail)


def redirect(request: Request, who: Visitor, url: str) -> Response:
    """303 See Other to ``url`` (after a POST), with the session cookies."""
    return apply_cookies(RedirectResponse(url, status_code=303), who, _secure(request))


def field(form: FormData, name: str, limit: int = 2000) -> str:
    """A text field of a form, trimmed and bounded ('' when absent or a file)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def signed_in(request: Request, who: Visitor, role: str) -> Account:
    """The one sign-in guard: the visitor's account if they are signed in as ``role``
    (a provider user also needs a provider); SignInRequired otherwise (the sign-in page)."""
    account = who.account
    bound = {"provider": account.provider_ref, "statistics": account.country} if account else {}
    if account is None or account.role != role or (role in bound and not bound[role]):
        raise SignInRequired(role, request.url.path if request.method == "GET" else HOMES[role])
    return account


def signed_in_learner(request: Request, who: Who) -> str:
    """The signed-in learner's account id (a page dependency)."""
    return signed_in(request, who, "learner").id


def signed_in_provider(request: Request, who: Who) -> Account:
    """The signed-in provider user's account (a page dependency)."""
    return signed_in(request, who, "provider")


def signed_in_reader(request: Request, who: Who) -> Account:
    """The signed-in statistics reader's account, with its country (a page dependency)."""
    return signed_in(request, who, "statistics")


# after ``form: Form`` in a signature, so the form's CSRF token is checked first
LearnerId = Annotated[str, Depends(signed_in_learner)]
ProviderUser = Annotated[Account, Depends(signed_in_provider)]
StatisticsReader = Annotated[Account, Depends(signed_in_reader)]


async def _to_sign_in(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    return RedirectResponse(f"/login?next={quote(exc.next_url, safe='/')}", status_code=303)


def install(app: FastAPI) -> None:
    """Pages answer SignInRequired with the sign-in page (the API keeps problem+json 401)."""
    app.add_exception_handler(SignInRequired, _to_sign_in)
