"""Request dependencies: a context per request, with the actor its bearer key stands for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from microcred.services import apikeys
from microcred.services.context import Actor, Context, Role, Units
from microcred.services.errors import Unauthenticated

ANONYMOUS = Actor("anonymous", Role.READ_ONLY, provider_id=-1)  # sees no provider's data
bearer = HTTPBearer(auto_error=False, description="API key: Authorization: Bearer mc_...")


def platform_of(request: Request) -> Units:
    found: Units = request.app.state.platform
    return found


def public_context(request: Request) -> Iterator[Context]:
    """A unit of work for public routes (no key needed, no private data reachable): committed
    when the route returns, rolled back when it raises."""
    with platform_of(request).unit_of_work(ANONYMOUS) as ctx:
        yield ctx


def auth_context(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Iterator[Context]:
    """A unit of work for the actor of the bearer key (committed when the route returns,
    rolled back when it raises); 401 without a valid key."""
    if credentials is None:
        raise Unauthenticated("this route needs an API key (Authorization: Bearer mc_...)")
    with platform_of(request).unit_of_work(ANONYMOUS) as ctx:
        ctx.actor = apikeys.authenticate(ctx, credentials.credentials)
        yield ctx


# scope="function": the transaction ends before the response is sent, so a failed commit is
# the client's error answer, and background tasks see what the route wrote
Public = Annotated[Context, Depends(public_context, scope="function")]
Auth = Annotated[Context, Depends(auth_context, scope="function")]
