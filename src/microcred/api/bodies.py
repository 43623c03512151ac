"""One strict reader of JSON request bodies: a body that cannot be read is a 400, on every route.

FastAPI reads JSON with ``json.loads``, which takes a repeated key (the last one wins), ``NaN``,
numbers too large for a float and UTF-16 text. :class:`StrictJsonBodies` reads every body sent as
JSON (``application/json`` or ``application/*+json``) before any route does and refuses those with
a problem naming what is wrong; routes then see only bodies that mean one thing. The value it
read is kept in the request's scope, and routes of :class:`ParsedJsonRoute` read that value
instead of parsing the body a second time. Under ``/oid4vci/`` (OAuth endpoints) the refusal
takes the OAuth error shape the spec asks for.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microcred.api import problems
from microcred.core.errors import InputTooLarge
from microcred.core.formats.reading import MAX_DEPTH, DuplicateKey, check_depth, loads_strict
from microcred.services.errors import MalformedBody

PARSED = "microcred.json"  # the scope key of the body's value, set by StrictJsonBodies


def is_json(content_type: str) -> bool:
    """Whether FastAPI reads a body of this media type as JSON."""
    media = content_type.split(";", 1)[0].strip().lower()
    kind, _, subtype = media.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def parse_body(raw: bytes) -> Any:
    """The JSON value of ``raw``; :class:`MalformedBody` or :class:`InputTooLarge` says why not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedBody(f"the body is not UTF-8 text (byte {error.start})") from None
    try:
        value = loads_strict(text)
    except DuplicateKey as error:
        raise MalformedBody(f"the key {error.key[:80]!r} appears twice in one object") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise MalformedBody(f"the body is not valid JSON: {error.msg} at {where}") from None
    except RecursionError:
        raise InputTooLarge(f"the body is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:  # NaN, Infinity, 1e400, integers of thousands of digits
        raise MalformedBody(f"the body is not valid JSON: {error}") from None
    check_depth(value)
    return value


class StrictJsonBodies:
    """ASGI middleware: refuse a JSON body :func:`parse_body` cannot read, before any route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        if not is_json(headers.get(b"content-type", b"").decode("latin-1")):
            await self.app(scope, receive, send)
            return
        messages = await _whole_body(receive)
        raw = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if raw:
            try:
                scope[PARSED] = parse_body(raw)
            except (InputTooLarge, MalformedBody) as error:
                refusal = _refusal(error, str(scope.get("path", "")))
                await refusal(scope, receive, send)
                return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


OAUTH_PREFIX = "/oid4vci/"


def _refusal(error: InputTooLarge | MalformedBody, path: str) -> ASGIApp:
    if path.startswith(OAUTH_PREFIX):  # OpenID4VCI 8.3.1.2: an OAuth error object
        body = {"error": "invalid_credential_request", "error_description": error.message}
        return JSONResponse(body, status_code=400, headers={"Cache-Control": "no-store"})
    return problems.problem(error.http_status, error.code, error.message)


class ParsedJsonRequest(Request):
    """A request whose ``json()`` is the value :class:`StrictJsonBodies` already read."""

    async def json(self) -> Any:
        if PARSED in self.scope:
            return self.scope[PARSED]
        return await super().json()


class ParsedJsonRoute(APIRoute):
    """A route that reads its JSON body from :class:`StrictJsonBodies` (parsed once, strictly)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def parsed_once(request: Request) -> Response:
            return await handler(ParsedJsonRequest(request.scope, request.receive))

        return parsed_once


async def _whole_body(receive: Receive) -> list[Message]:
    """Every message of the request body (its size is bounded by ``BodyLimit`` in front)."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            return messages
